#include "net/test_http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "net/ascii.h"
#include "net/boost.h"

namespace roomgate::net {
namespace {

void SetReceiveTimeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

TestHttpClient::TestHttpClient(uint16_t port, std::chrono::milliseconds receive_timeout)
    : receive_timeout_(receive_timeout) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return;
  }
  SetReceiveTimeout(fd, receive_timeout);
  fd_ = fd;
}

TestHttpClient::~TestHttpClient() {
  if (fd_ >= 0) close(fd_);
}

bool TestHttpClient::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::optional<TestResponse> TestHttpClient::Read(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.eager(true);
  if (head) parser.skip(true);
  char chunk[16384];
  for (;;) {
    while (!pending_.empty() && !parser.is_done()) {
      beast::error_code ec;
      size_t used = parser.put(asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec == http::error::need_more) break;
      if (ec) return std::nullopt;
    }
    if (parser.is_done()) break;
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    pending_.append(chunk, static_cast<size_t>(n));
  }
  TestResponse response;
  response.status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (char& c : name) c = AsciiLower(c);
    response.headers.emplace(std::move(name), std::string(field.value()));
  }
  response.body = std::move(parser.get().body());
  return response;
}

TestResponse TestHttpClient::RoundTrip(std::string_view request, bool head) {
  if (!Send(request)) return TestResponse();
  return Read(head).value_or(TestResponse());
}

bool TestHttpClient::WaitForClose(std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  SetReceiveTimeout(fd_, std::chrono::milliseconds(50));
  char chunk[4096];
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
  }
  SetReceiveTimeout(fd_, receive_timeout_);
  return closed;
}

std::unique_ptr<HttpServer> StartTestServer(api::Handler handler, HttpServer::Options options,
                                            AccessLog access_log) {
  options.host = "127.0.0.1";
  options.port = 0;
  if (options.threads == 0) options.threads = 2;
  auto server = HttpServer::Start(std::move(options), std::move(handler), std::move(access_log));
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message());
  return server.ok() ? std::move(*server) : nullptr;
}

api::Response JsonResponse(int status, std::string body) {
  api::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string Get(std::string_view target, std::string_view extra_headers) {
  std::string request = "GET ";
  request.append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  request.append(extra_headers).append("\r\n");
  return request;
}

}  // namespace roomgate::net
