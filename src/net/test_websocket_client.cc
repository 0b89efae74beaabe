#include "net/test_websocket_client.h"

namespace roomgate::net {

TestWebSocketClient::TestWebSocketClient(std::chrono::milliseconds timeout) : timeout_(timeout) {}

template <class Start>
beast::error_code TestWebSocketClient::Run(Start start) {
  beast::error_code result = asio::error::timed_out;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  io_.restart();
  io_.run_for(timeout_);
  if (!done) {  // abandon the operation: closing completes it with an error
    beast::error_code ignored;
    ws_.next_layer().close(ignored);
    io_.restart();
    io_.run();
    result = asio::error::timed_out;
  }
  return result;
}

beast::error_code TestWebSocketClient::Connect(uint16_t port, std::string_view target) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  beast::error_code ec =
      Run([&](auto handler) { ws_.next_layer().async_connect(endpoint, handler); });
  if (ec) return ec;
  return Run([&](auto handler) {
    ws_.async_handshake(response_, "127.0.0.1", std::string(target), handler);
  });
}

beast::error_code TestWebSocketClient::Write(std::string_view text, bool binary) {
  ws_.binary(binary);
  return Run([&](auto handler) { ws_.async_write(asio::buffer(text), handler); });
}

std::optional<std::string> TestWebSocketClient::Read(beast::error_code* error) {
  buffer_.consume(buffer_.size());
  beast::error_code ec = Run([&](auto handler) { ws_.async_read(buffer_, handler); });
  if (error) *error = ec;
  if (ec) return std::nullopt;
  auto data = buffer_.data();
  return std::string(static_cast<const char*>(data.data()), data.size());
}

beast::error_code TestWebSocketClient::Close() {
  return Run([&](auto handler) { ws_.async_close(websocket::close_code::normal, handler); });
}

}  // namespace roomgate::net
