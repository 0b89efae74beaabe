// TestHttpClient: a deliberately raw HTTP client for the server's tests. It
// sends exactly the bytes it is given (so tests can pipeline, split headers
// or send garbage) and parses responses with Beast's parser; every receive
// has a timeout so a broken server fails a test instead of hanging it.
//
// Only connects to 127.0.0.1. Thread-safety: one thread per client.
#ifndef ROOMGATE_NET_TEST_HTTP_CLIENT_H_
#define ROOMGATE_NET_TEST_HTTP_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"
#include "net/http_server.h"

namespace roomgate::net {

struct TestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class TestHttpClient {
 public:
  explicit TestHttpClient(uint16_t port,
                          std::chrono::milliseconds receive_timeout = std::chrono::seconds(5));
  ~TestHttpClient();
  TestHttpClient(const TestHttpClient&) = delete;
  TestHttpClient& operator=(const TestHttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  // The next response; nullopt if the connection closed or timed out first.
  // `head` skips the body, as a response to HEAD has none.
  std::optional<TestResponse> Read(bool head = false);
  // Send, then Read; a failure is a response with status 0, so that tests
  // can compare the status without unwrapping.
  TestResponse RoundTrip(std::string_view request, bool head = false);
  // True if the server closes the connection within `within` (any bytes that
  // arrive meanwhile are discarded).
  bool WaitForClose(std::chrono::milliseconds within);

 private:
  int fd_ = -1;
  std::chrono::milliseconds receive_timeout_;
  std::string pending_;  // received but not yet parsed
};

// A server on 127.0.0.1, an ephemeral port and two I/O threads (so that
// cross-thread paths run); fails the test if it does not start.
std::unique_ptr<HttpServer> StartTestServer(api::Handler handler, HttpServer::Options options = {},
                                            AccessLog access_log = {});

// A response with a JSON body, for handlers in tests.
api::Response JsonResponse(int status, std::string body);

// "GET <target> HTTP/1.1" with Host and any extra header lines.
std::string Get(std::string_view target, std::string_view extra_headers = "");

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_TEST_HTTP_CLIENT_H_
