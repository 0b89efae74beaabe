// HttpServer against a real socket on 127.0.0.1: routing, keep-alive,
// pipelining, bodies, the handler contract, the access log and lifecycle.
// Limits, malformed input and timeouts are in http_server_limits_test.cc.
#include "net/http_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/test_http_client.h"

namespace roomgate::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

api::Response Empty(const api::Request&) { return api::Response(); }

// A server whose handler answers "<method> <path>" as text and remembers the
// last request it saw, with one client connected to it.
class RecordingServerTest : public ::testing::Test {
 protected:
  api::Request last() {
    std::lock_guard lock(mu_);
    return last_;
  }

  std::mutex mu_;
  api::Request last_;
  std::unique_ptr<HttpServer> server_ = StartTestServer([this](const api::Request& request) {
    std::lock_guard lock(mu_);
    last_ = request;
    api::Response response;
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path;
    return response;
  });
  TestHttpClient client_{server_->port()};
};

TEST_F(RecordingServerTest, RoutesDecodedRequestToHandler) {
  TestResponse response = client_.RoundTrip(
      "POST /v2/rooms/a%20b?name=J%C3%B6rg+K&empty&x=1&x=2 HTTP/1.1\r\nHost: h\r\n"
      "X-Custom-Header: Value\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "POST /v2/rooms/a b");

  api::Request seen = last();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/v2/rooms/a b");
  EXPECT_EQ(seen.query.at("name"), "J\xC3\xB6rg K");
  EXPECT_EQ(seen.query.at("empty"), "");
  EXPECT_EQ(seen.query.at("x"), "1");  // the first of a repeated key
  EXPECT_EQ(seen.headers.at("x-custom-header"), "Value");
  EXPECT_EQ(seen.Header("host"), "h");
  EXPECT_EQ(seen.body, "hello");
  EXPECT_EQ(seen.remote_address, "127.0.0.1");
}

TEST_F(RecordingServerTest, ServesSeveralRequestsOnOneConnection) {
  for (int i = 0; i < 5; ++i) {
    std::string path = "/r" + std::to_string(i);
    EXPECT_EQ(client_.RoundTrip(Get(path)).body, "GET " + path);
  }
}

TEST_F(RecordingServerTest, AnswersPipelinedRequestsInOrder) {
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += Get("/p" + std::to_string(i));
  ASSERT_TRUE(client_.Send(burst));
  for (int i = 0; i < 20; ++i) {
    auto response = client_.Read();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "GET /p" + std::to_string(i));
  }
}

TEST_F(RecordingServerTest, ClosesAfterConnectionClose) {
  TestResponse response = client_.RoundTrip(Get("/bye", "Connection: close\r\n"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_TRUE(client_.WaitForClose(std::chrono::seconds(5)));
}

TEST_F(RecordingServerTest, ClosesHttp10ConnectionUnlessKeptAlive) {
  TestResponse kept = client_.RoundTrip("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(kept.Header("connection"), "keep-alive");
  EXPECT_EQ(client_.RoundTrip("GET /b HTTP/1.0\r\n\r\n").status, 200);
  EXPECT_TRUE(client_.WaitForClose(std::chrono::seconds(5)));
}

TEST_F(RecordingServerTest, ReadsChunkedBody) {
  TestResponse response = client_.RoundTrip(
      "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(last().body, "hello world");
}

TEST_F(RecordingServerTest, AnswersHeadWithLengthButNoBody) {
  TestResponse head = client_.RoundTrip("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n", /*head=*/true);
  EXPECT_EQ(head.Header("content-length"), "7");  // "HEAD /h"
  EXPECT_EQ(head.body, "");
  // Framing is intact: no stray body bytes precede the next response.
  EXPECT_EQ(client_.RoundTrip(Get("/next")).body, "GET /next");
}

TEST_F(RecordingServerTest, SendsContinueBeforeReadingBody) {
  TestResponse interim = client_.RoundTrip(
      "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  EXPECT_EQ(interim.status, 100);
  EXPECT_EQ(client_.RoundTrip("body").status, 200);
  EXPECT_EQ(last().body, "body");
}

TEST(HttpServerTest, SetsFramingAndServerHeaders) {
  auto server = StartTestServer([](const api::Request&) {
    api::Response response;
    response.body = R"({"ok":true})";
    response.headers = {{"X-Request-Id", "r1"}, {"Content-Length", "999"}};
    return response;
  });
  TestHttpClient client(server->port());
  TestResponse response = client.RoundTrip(Get("/"));
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.Header("content-length"), "11");  // the handler cannot override it
  EXPECT_EQ(response.Header("server"), "roomgate");
  EXPECT_EQ(response.Header("x-request-id"), "r1");
  EXPECT_THAT(response.Header("date"), HasSubstr("GMT"));
  EXPECT_EQ(response.Header("connection"), "");  // keep-alive is the HTTP/1.1 default
}

TEST(HttpServerTest, HandlerExceptionBecomes500AndServingContinues) {
  auto server = StartTestServer([](const api::Request& request) -> api::Response {
    if (request.path == "/throw") throw std::runtime_error("secret detail");
    return JsonResponse(200, "{}");
  });
  TestHttpClient client(server->port());
  TestResponse failed = client.RoundTrip(Get("/throw"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.Header("content-type"), "application/json");
  EXPECT_THAT(failed.body, HasSubstr(R"("code":500)"));
  EXPECT_THAT(failed.body, Not(HasSubstr("secret detail")));
  EXPECT_EQ(client.RoundTrip(Get("/fine")).status, 200);  // same connection
}

TEST(HttpServerTest, HeaderThatCouldSplitTheResponseBecomes500) {
  auto server = StartTestServer([](const api::Request&) {
    api::Response response;
    response.headers = {{"Location", "/x\r\nSet-Cookie: evil=1"}};
    return response;
  });
  TestHttpClient client(server->port());
  TestResponse response = client.RoundTrip(Get("/"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("set-cookie"), "");
}

TEST(HttpServerTest, AccessLogHasMethodPathStatusButNotQuery) {
  std::mutex mu;
  std::vector<AccessLogEntry> entries;
  auto server = StartTestServer([](const api::Request&) { return JsonResponse(201, "{}"); }, {},
                                [&](const AccessLogEntry& entry) {
                                  std::lock_guard lock(mu);
                                  entries.push_back(entry);
                                });
  TestHttpClient client(server->port());
  client.RoundTrip(Get("/v2/token?token=SECRET", "Authorization: Bearer SECRET2\r\n"));
  server->Stop();  // the entry is written after the response; Stop() makes it visible
  std::lock_guard lock(mu);
  ASSERT_EQ(entries.size(), 1u);
  const AccessLogEntry& entry = entries[0];
  EXPECT_EQ(entry.method, "GET");
  EXPECT_EQ(entry.path, "/v2/token");
  EXPECT_EQ(entry.status, 201);
  EXPECT_EQ(entry.remote_address, "127.0.0.1");
  EXPECT_GT(entry.response_bytes, 2u);
  EXPECT_GE(entry.latency.count(), 0);
  for (const std::string* field : {&entry.method, &entry.path, &entry.remote_address}) {
    EXPECT_THAT(*field, Not(HasSubstr("SECRET")));
  }
}

TEST(HttpServerTest, ReportsEphemeralPort) {
  auto server = StartTestServer(Empty);
  EXPECT_NE(server->port(), 0);
  TestHttpClient client(server->port());
  EXPECT_TRUE(client.connected());
}

TEST(HttpServerTest, FailsToBindTakenPort) {
  auto first = StartTestServer(Empty);
  HttpServer::Options options;
  options.port = first->port();
  auto second = HttpServer::Start(options, Empty);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), Status::Code::kUnavailable);
  EXPECT_THAT(second.error().message(), HasSubstr("bind"));
}

TEST(HttpServerTest, RejectsHostThatIsNotAnAddress) {
  HttpServer::Options options;
  options.host = "localhost";  // never resolved
  auto server = HttpServer::Start(options, Empty);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code(), Status::Code::kInvalidArgument);
}

TEST(HttpServerTest, StopClosesIdleKeepAliveConnectionPromptly) {
  auto server = StartTestServer(Empty);
  TestHttpClient client(server->port());
  EXPECT_EQ(client.RoundTrip(Get("/")).status, 200);
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(1)));
}

TEST(HttpServerTest, StopLetsRequestInFlightFinish) {
  std::atomic<bool> entered{false};
  auto server = StartTestServer([&](const api::Request&) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return JsonResponse(200, R"({"done":true})");
  });
  TestHttpClient client(server->port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server->Stop();
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, R"({"done":true})");
  EXPECT_EQ(response->Header("connection"), "close");
}

}  // namespace
}  // namespace roomgate::net
