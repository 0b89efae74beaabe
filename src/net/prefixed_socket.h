// PrefixedSocket: a connection's socket plus the bytes already read from it,
// as the next layer of a Beast websocket::stream.
//
// Why: HttpSession reads in 64 KiB gulps, so the buffer that held the
// upgrade request may already hold the client's first WebSocket frames (a
// client may send them right behind the request). Beast's accept-with-request
// has no way to take those bytes, and dropping them would lose or corrupt the
// first message. Reads here drain the prefix first, then go to the socket.
//
// Internal to src/net/. Thread-safety: like the socket; used on its strand.
#ifndef ROOMGATE_NET_PREFIXED_SOCKET_H_
#define ROOMGATE_NET_PREFIXED_SOCKET_H_

#include <sys/socket.h>

#include <cstddef>
#include <utility>

#include "net/boost.h"

namespace roomgate::net {

class PrefixedSocket {
 public:
  using executor_type = Strand;
  using next_layer_type = StrandSocket;

  // Takes `socket` and moves the unread bytes out of `buffer`.
  PrefixedSocket(StrandSocket socket, beast::flat_buffer& buffer) : socket_(std::move(socket)) {
    prefix_.commit(asio::buffer_copy(prefix_.prepare(buffer.size()), buffer.data()));
    buffer.consume(buffer.size());
  }

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  // Beast finds the lowest layer (for closing and teardown) through this.
  StrandSocket& next_layer() noexcept { return socket_; }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (prefix_.size() == 0) {
      socket_.async_read_some(buffers, std::forward<Handler>(handler));
      return;
    }
    size_t n = asio::buffer_copy(buffers, prefix_.data());
    prefix_.consume(n);
    // Posted, never called inline: an Asio initiating function must not
    // complete before it returns.
    asio::post(socket_.get_executor(),
               beast::bind_front_handler(std::forward<Handler>(handler), beast::error_code(), n));
  }

  // With `more`, writes carry MSG_MORE: the kernel holds the bytes until a
  // write without it, so a burst of small messages to one peer (a room
  // filling up) leaves as a few segments instead of one per message. On
  // loopback and LANs the per-segment TCP work, not the syscall, is what a
  // fan-out costs.
  void set_more(bool more) noexcept { more_ = more; }

  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    const auto flags = static_cast<asio::socket_base::message_flags>(more_ ? MSG_MORE : 0);
    socket_.async_send(buffers, flags, std::forward<Handler>(handler));
  }

 private:
  StrandSocket socket_;
  beast::flat_buffer prefix_;
  bool more_ = false;
};

// Beast closes a WebSocket through these, found by argument-dependent lookup;
// the prefix is irrelevant by then, so they act on the socket.
inline void teardown(beast::role_type role, PrefixedSocket& socket, beast::error_code& ec) {
  websocket::teardown(role, socket.next_layer(), ec);
}

template <class Handler>
void async_teardown(beast::role_type role, PrefixedSocket& socket, Handler&& handler) {
  websocket::async_teardown(role, socket.next_layer(), std::forward<Handler>(handler));
}

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_PREFIXED_SOCKET_H_
