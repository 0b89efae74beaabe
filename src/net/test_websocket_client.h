// TestWebSocketClient: Beast's WebSocket client, for the server's tests. Every
// operation runs on the client's own io_context with a deadline, so a broken
// server fails a test instead of hanging it.
//
// Only connects to 127.0.0.1. Thread-safety: one thread per client.
#ifndef ROOMGATE_NET_TEST_WEBSOCKET_CLIENT_H_
#define ROOMGATE_NET_TEST_WEBSOCKET_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/boost.h"

namespace roomgate::net {

class TestWebSocketClient {
 public:
  explicit TestWebSocketClient(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Connects and performs the handshake. On refusal the HTTP status is in
  // refused_status() and the error is websocket::error::upgrade_declined.
  beast::error_code Connect(uint16_t port, std::string_view target);
  int refused_status() const { return response_.result_int(); }

  beast::error_code Write(std::string_view text, bool binary = false);
  // The next message, or nullopt with `error` set (websocket::error::closed
  // after a close frame: close_code() then holds the server's code).
  std::optional<std::string> Read(beast::error_code* error = nullptr);
  int close_code() const { return ws_.reason().code; }
  beast::error_code Close();

 private:
  // Runs the operation started by `start` until it completes or times out
  // (then the socket is closed and timed_out is reported).
  template <class Start>
  beast::error_code Run(Start start);

  std::chrono::milliseconds timeout_;
  asio::io_context io_;
  websocket::stream<tcp::socket> ws_{io_};
  websocket::response_type response_;
  beast::flat_buffer buffer_;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_TEST_WEBSOCKET_CLIENT_H_
