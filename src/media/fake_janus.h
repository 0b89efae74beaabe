// FakeJanus: a scripted stand-in for Janus's WebSocket transport, for
// JanusConnection's tests. It listens on 127.0.0.1:0, accepts one client
// (recording the subprotocol it asked for and answering with it), queues
// every request it receives, and sends whatever the test tells it to, in the
// order the test chooses — so replies can come out of order, late, or never.
//
// Thread-safety: its own io thread; every public method is safe from the
// test's thread.
#ifndef ROOMGATE_MEDIA_FAKE_JANUS_H_
#define ROOMGATE_MEDIA_FAKE_JANUS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/janus_connection.h"
#include "net/boost.h"

namespace roomgate::media {

class FakeJanus {
 public:
  FakeJanus();
  ~FakeJanus();

  uint16_t port() const { return port_; }
  // The next request from the client, or nullopt after `timeout`.
  std::optional<Json> NextRequest(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends one message to the client.
  void Send(const Json& message);
  // Closes the client's socket abruptly, as a crashing Janus would.
  void Drop();
  // The Sec-WebSocket-Protocol the client asked for.
  std::string subprotocol();

 private:
  void Accept();
  void ReadNext();
  void WriteNext();

  net::asio::io_context io_;
  net::tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;
  std::optional<net::websocket::stream<net::tcp::socket>> ws_;
  bool open_ = false;  // the handshake completed (io thread only)
  net::http::request<net::http::string_body> upgrade_;
  net::beast::flat_buffer buffer_;
  std::deque<std::string> writes_;  // io thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Json> requests_;  // guarded by mu_
  std::string subprotocol_;    // guarded by mu_
  std::thread thread_;
};

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_FAKE_JANUS_H_
