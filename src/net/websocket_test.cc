// WebSocket upgrades on HttpServer, with Beast's client against 127.0.0.1:
// the hand-off, messages both ways, limits, slow readers and shutdown.
#include "net/websocket.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.h"
#include "net/test_http_client.h"
#include "net/test_websocket_client.h"

namespace roomgate::net {
namespace {

using namespace std::chrono_literals;

// What the server-side handlers saw, shared by all of a test's connections.
struct Recorder {
  template <class Pred>
  bool WaitFor(Pred pred) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 5s, [&] { return pred(); });
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> messages;
  std::shared_ptr<WebSocketConnection> connection;
  int opens = 0;
  int closes = 0;
  bool echo = true;
};

class RecordingHandler : public WebSocketHandler {
 public:
  explicit RecordingHandler(Recorder& recorder) : r_(recorder) {}
  void OnOpen(std::shared_ptr<WebSocketConnection> connection) override {
    std::lock_guard lock(r_.mu);
    r_.connection = std::move(connection);
    ++r_.opens;
    r_.cv.notify_all();
  }
  void OnMessage(std::string_view text) override {
    std::lock_guard lock(r_.mu);
    r_.messages.emplace_back(text);
    if (r_.echo) r_.connection->Send(std::string(text));
    r_.cv.notify_all();
  }
  void OnClose() override {
    std::lock_guard lock(r_.mu);
    ++r_.closes;
    r_.cv.notify_all();
  }

 private:
  Recorder& r_;
};

class WebSocketTest : public ::testing::Test {
 protected:
  void StartServer(HttpServer::Options options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    auto acceptor = [this](const api::Request& request) -> WebSocketAcceptance {
      if (request.path != "/ws") return api::ErrorResponse(404, "no such endpoint");
      return std::make_unique<RecordingHandler>(recorder_);
    };
    auto log = [this](const AccessLogEntry& entry) {
      std::lock_guard lock(recorder_.mu);
      log_.push_back(entry);
    };
    auto server = HttpServer::Start(
        options, [](const api::Request&) { return api::Response(200, "{}"); }, log, acceptor);
    ASSERT_TRUE(server.ok());
    server_ = std::move(*server);
  }

  std::shared_ptr<WebSocketConnection> Open(TestWebSocketClient& client) {
    EXPECT_FALSE(client.Connect(server_->port(), "/ws"));
    EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.connection != nullptr; }));
    std::lock_guard lock(recorder_.mu);
    return recorder_.connection;
  }

  int closes() {
    std::lock_guard lock(recorder_.mu);
    return recorder_.closes;
  }

  Recorder recorder_;
  std::vector<AccessLogEntry> log_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(WebSocketTest, EchoesTextMessage) {
  StartServer();
  TestWebSocketClient client;
  Open(client);
  ASSERT_FALSE(client.Write("hello"));
  EXPECT_EQ(client.Read(), "hello");
  EXPECT_FALSE(client.Close());
  EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.closes == 1; }));
}

TEST_F(WebSocketTest, DeliversManyMessagesInOrder) {
  StartServer();
  TestWebSocketClient client;
  Open(client);
  for (int i = 0; i < 200; ++i) ASSERT_FALSE(client.Write("m" + std::to_string(i)));
  for (int i = 0; i < 200; ++i) ASSERT_EQ(client.Read(), "m" + std::to_string(i));
}

TEST_F(WebSocketTest, SendsFromAnotherThreadInOrder) {
  StartServer();
  recorder_.echo = false;
  TestWebSocketClient client;
  auto connection = Open(client);
  std::thread sender([&] {
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(connection->Send("t" + std::to_string(i)));
  });
  sender.join();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client.Read(), "t" + std::to_string(i));
  EXPECT_EQ(connection->remote_address(), "127.0.0.1");
}

TEST_F(WebSocketTest, AcceptorRefusalReachesClientAsHttpStatus) {
  StartServer();
  TestWebSocketClient client;
  EXPECT_EQ(client.Connect(server_->port(), "/nope"), websocket::error::upgrade_declined);
  EXPECT_EQ(client.refused_status(), 404);
  std::lock_guard lock(recorder_.mu);
  EXPECT_EQ(recorder_.opens, 0);
}

TEST_F(WebSocketTest, UpgradeWithoutAcceptorGoesToHandler) {
  auto server = StartTestServer([](const api::Request&) { return JsonResponse(404, "{}"); });
  TestWebSocketClient client;
  EXPECT_EQ(client.Connect(server->port(), "/ws"), websocket::error::upgrade_declined);
  EXPECT_EQ(client.refused_status(), 404);
}

TEST_F(WebSocketTest, ClosesOversizedMessageWith1009) {
  HttpServer::Options options;
  options.ws_max_frame_bytes = 1024;
  StartServer(options);
  TestWebSocketClient client;
  Open(client);
  ASSERT_FALSE(client.Write(std::string(2048, 'x')));
  // Beast's client may report the close as error::closed or, when the
  // server's teardown wins the race, as a socket error; the code is what
  // counts.
  EXPECT_EQ(client.Read(), std::nullopt);
  EXPECT_EQ(client.close_code(), 1009);
  EXPECT_TRUE(
      recorder_.WaitFor([&] { return recorder_.closes == 1 && recorder_.messages.empty(); }));
}

TEST_F(WebSocketTest, ClosesBinaryMessageWith1003) {
  StartServer();
  TestWebSocketClient client;
  Open(client);
  ASSERT_FALSE(client.Write("\x01\x02", /*binary=*/true));
  beast::error_code ec;
  EXPECT_EQ(client.Read(&ec), std::nullopt);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(client.close_code(), 1003);
  EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.closes == 1; }));
}

TEST_F(WebSocketTest, ClosesSlowReaderAndRefusesSend) {
  HttpServer::Options options;
  options.ws_max_queued_bytes = 64 << 10;
  options.read_timeout = 1s;  // bounds the close frame stuck behind the queue
  StartServer(options);
  recorder_.echo = false;
  TestWebSocketClient client;
  auto connection = Open(client);
  // The client reads nothing: once the kernel buffers are full the queue
  // grows until it is over the bound.
  bool refused = false;
  for (int i = 0; i < 100000 && !refused; ++i)
    refused = !connection->Send(std::string(16 << 10, 'x'));
  EXPECT_TRUE(refused);
  EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.closes == 1; }));
  EXPECT_FALSE(connection->Send("after close"));
  beast::error_code ec;
  for (int i = 0; i < 100000 && !ec; ++i) client.Read(&ec);
  EXPECT_TRUE(ec);  // a 1008 close frame if it got out, else the dropped socket
  if (ec == websocket::error::closed) {
    EXPECT_EQ(client.close_code(), 1008);
  }
}

// An application close explains itself: "you were removed" must arrive
// before the close frame, and nothing sent after Close does.
TEST_F(WebSocketTest, CloseWritesQueuedMessagesFirst) {
  StartServer();
  recorder_.echo = false;
  TestWebSocketClient client;
  auto connection = Open(client);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(connection->Send(std::string(8 << 10, 'a' + i)));
  connection->Close(4200, "removed");
  EXPECT_FALSE(connection->Send("after close"));
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.Read(), std::string(8 << 10, 'a' + i));
  beast::error_code ec;
  EXPECT_EQ(client.Read(&ec), std::nullopt);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(client.close_code(), 4200);
}

// The client never reads, so Beast never answers the server's pings.
TEST_F(WebSocketTest, ClosesPeerSilentPastIdleTimeout) {
  HttpServer::Options options;
  options.ws_ping_interval = 1s;
  options.ws_idle_timeout = 1s;
  StartServer(options);
  TestWebSocketClient client;
  Open(client);
  EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.closes == 1; }));
}

TEST_F(WebSocketTest, StopClosesWith1001AndCallsOnCloseOnce) {
  StartServer();
  TestWebSocketClient client;
  auto connection = Open(client);
  std::thread stopper([&] { server_->Stop(); });
  beast::error_code ec;
  EXPECT_EQ(client.Read(&ec), std::nullopt);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(client.close_code(), 1001);
  stopper.join();
  EXPECT_EQ(closes(), 1);
  EXPECT_FALSE(connection->Send("too late"));
  connection->Close(1000, "idempotent");  // no-op on a gone connection
}

TEST_F(WebSocketTest, ServesHttpAlongsideOpenWebSocket) {
  StartServer();
  TestWebSocketClient client;
  Open(client);
  TestHttpClient http(server_->port());
  EXPECT_EQ(http.RoundTrip(Get("/v2/anything")).status, 200);
  ASSERT_FALSE(client.Write("still here"));
  EXPECT_EQ(client.Read(), "still here");
}

TEST_F(WebSocketTest, LogsUpgradeAs101) {
  StartServer();
  TestWebSocketClient client;
  Open(client);
  std::lock_guard lock(recorder_.mu);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0].status, 101);
  EXPECT_EQ(log_[0].method, "GET");
  EXPECT_EQ(log_[0].path, "/ws");
}

// A frame sent in the same packet as the upgrade request is already in the
// HTTP session's buffer at the hand-off; it must reach the handler.
TEST_F(WebSocketTest, KeepsFrameSentRightBehindRequest) {
  StartServer();
  std::string bytes = Get("/ws",
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n");
  // A masked text frame "hi" with an all-zero mask (allowed, RFC 6455 §5.3).
  bytes += std::string("\x81\x82\0\0\0\0hi", 8);
  TestHttpClient raw(server_->port());
  ASSERT_TRUE(raw.Send(bytes));
  EXPECT_TRUE(recorder_.WaitFor([&] { return recorder_.messages.size() == 1; }));
  std::lock_guard lock(recorder_.mu);
  EXPECT_EQ(recorder_.messages, std::vector<std::string>{"hi"});
}

}  // namespace
}  // namespace roomgate::net
