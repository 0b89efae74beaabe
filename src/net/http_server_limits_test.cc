// HttpServer's defences: body and header caps, malformed requests, timeouts
// and the connection cap. Every error the server writes itself must be the
// JSON error shape and close the connection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "net/http_server.h"
#include "net/test_http_client.h"

namespace roomgate::net {
namespace {

using ::testing::HasSubstr;

api::Handler Ok() {
  return [](const api::Request&) { return JsonResponse(200, "{}"); };
}

// The error shape of DESIGN.md: JSON with the status repeated in "code".
void ExpectJsonError(const TestResponse& response, int status) {
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.Header("content-length"), std::to_string(response.body.size()));
  EXPECT_THAT(response.body, HasSubstr("\"code\":" + std::to_string(status)));
}

void ExpectClosingError(TestHttpClient& client, int status) {
  auto response = client.Read();
  ASSERT_TRUE(response) << "no response, expected " << status;
  ExpectJsonError(*response, status);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(5)));
}

HttpServer::Options SmallLimits() {
  HttpServer::Options options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 1024;
  return options;
}

TEST(HttpServerLimitsTest, RejectsDeclaredOversizedBodyBeforeReadingIt) {
  auto server = StartTestServer(Ok(), SmallLimits());
  TestHttpClient client(server->port());
  // Only the header is sent: the answer must not wait for the body.
  ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\n"));
  ExpectClosingError(client, 413);
}

TEST(HttpServerLimitsTest, RejectsOversizedChunkedBodyWhileReading) {
  auto server = StartTestServer(Ok(), SmallLimits());
  TestHttpClient client(server->port());
  std::string chunk(600, 'x');
  std::string request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 2; ++i) request += "258\r\n" + chunk + "\r\n";  // 2 x 600 bytes
  ASSERT_TRUE(client.Send(request));
  ExpectClosingError(client, 413);
}

// RFC 9112 §6.3; otherwise the body would be served as a second request.
TEST(HttpServerLimitsTest, RefusesTransferEncodingOtherThanChunked) {
  for (const char* coding : {"gzip", "chunked, gzip", "identity"}) {
    auto server = StartTestServer(Ok(), SmallLimits());
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Send(std::string("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ") +
                            coding + "\r\n\r\n" + Get("/smuggled")));
    ExpectClosingError(client, 400);
  }
}

TEST(HttpServerLimitsTest, AcceptsBodyAtTheLimit) {
  auto server = StartTestServer(Ok(), SmallLimits());
  TestHttpClient client(server->port());
  std::string request = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\n\r\n";
  EXPECT_EQ(client.RoundTrip(request + std::string(1024, 'x')).status, 200);
}

TEST(HttpServerLimitsTest, RejectsOversizedHeaders) {
  auto server = StartTestServer(Ok(), SmallLimits());
  TestHttpClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(2000, 'a') + "\r\n")));
  ExpectClosingError(client, 431);
}

TEST(HttpServerLimitsTest, RejectsMalformedRequests) {
  const char* kCases[] = {
      "GARBAGE\r\n\r\n",
      "GET /\r\n\r\n",                                                // no version
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",                         // no colon
      "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",                 // bad length
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  // bad chunk
      "GET / HTTP/2.0\r\nHost: h\r\n\r\n",  // only 1.0 and 1.1 are spoken here
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",   // an HTTP/2 preface
  };
  auto server = StartTestServer(Ok());
  for (const char* request : kCases) {
    SCOPED_TRACE(request);
    TestHttpClient client(server->port());
    ASSERT_TRUE(client.Send(request));
    ExpectClosingError(client, 400);
  }
}

TEST(HttpServerLimitsTest, RejectsBadTargetsWith400) {
  const char* kTargets[] = {"/a%zz", "/a%2", "/a%00b", "/ok?x=%G1", "relative"};
  auto server = StartTestServer(Ok());
  TestHttpClient client(server->port());
  for (const char* target : kTargets) {
    SCOPED_TRACE(target);
    ExpectJsonError(client.RoundTrip(Get(target)), 400);
  }
  // The request was whole, so the connection stays usable.
  EXPECT_EQ(client.RoundTrip(Get("/fine")).status, 200);
}

TEST(HttpServerLimitsTest, ClosesSlowLorisAfterReadTimeout) {
  HttpServer::Options options;
  options.read_timeout = std::chrono::seconds(1);
  auto server = StartTestServer(Ok(), options);
  TestHttpClient client(server->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: "));
  // Trickle a byte every 300 ms: each byte would reset a per-read timeout,
  // but not a whole-request one.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (!client.Send("a")) break;
  }
  ExpectClosingError(client, 408);
}

TEST(HttpServerLimitsTest, ClosesIdleKeepAliveConnectionAfterIdleTimeout) {
  HttpServer::Options options;
  options.idle_timeout = std::chrono::seconds(1);
  auto server = StartTestServer(Ok(), options);
  TestHttpClient client(server->port());
  EXPECT_EQ(client.RoundTrip(Get("/")).status, 200);
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(5)));
}

TEST(HttpServerLimitsTest, RefusesConnectionsBeyondTheCap) {
  HttpServer::Options options;
  options.max_connections = 1;
  auto server = StartTestServer(Ok(), options);
  TestHttpClient first(server->port());
  EXPECT_EQ(first.RoundTrip(Get("/")).status, 200);  // now surely registered
  TestHttpClient second(server->port());
  EXPECT_TRUE(second.WaitForClose(std::chrono::seconds(5)));
  EXPECT_EQ(first.RoundTrip(Get("/")).status, 200);  // the first is unaffected
}

}  // namespace
}  // namespace roomgate::net
