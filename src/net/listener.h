// Listener: the bound, listening socket of an HttpServer; accepts connections
// and hands each one, on a strand of its own, to a new HttpSession.
//
// Internal to src/net/. Thread-safety: Open and port from any thread; Start
// and Close may be called from any thread (they post to the acceptor's
// strand).
#ifndef ROOMGATE_NET_LISTENER_H_
#define ROOMGATE_NET_LISTENER_H_

#include <cstdint>
#include <memory>

#include "net/boost.h"
#include "net/server_context.h"
#include "roomgate/status.h"

namespace roomgate::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; kUnavailable when the address cannot be bound.
  static Result<std::shared_ptr<Listener>> Open(asio::io_context& io, const tcp::endpoint& endpoint,
                                                ServerContext& context);
  Listener(asio::io_context& io, ServerContext& context);

  uint16_t port() const { return port_; }
  void Start();
  void Close();

 private:
  void Accept();
  void OnAccept(beast::error_code ec, StrandSocket socket);

  asio::io_context& io_;
  ServerContext& context_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  uint16_t port_ = 0;
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_LISTENER_H_
