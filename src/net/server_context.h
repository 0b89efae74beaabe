// ServerContext: what every connection of one HttpServer shares — the
// options, the handler, the WebSocket acceptor, the access log hook and the
// shutdown state.
//
// It is created before the io_context and destroyed after it, so every
// session (which holds a reference) is gone before it is.
//
// Internal to src/net/. Thread-safety: the options, handler, acceptor and log
// are read-only after Start; `registry` is internally locked; `stopping` is
// atomic.
#ifndef ROOMGATE_NET_SERVER_CONTEXT_H_
#define ROOMGATE_NET_SERVER_CONTEXT_H_

#include <atomic>
#include <utility>

#include "api/http.h"
#include "net/http_server.h"
#include "net/session_registry.h"
#include "net/websocket.h"

namespace roomgate::net {

struct ServerContext {
  ServerContext(HttpServer::Options o, api::Handler h, AccessLog log, WebSocketAcceptor ws)
      : options(std::move(o)),
        handler(std::move(h)),
        access_log(std::move(log)),
        ws_acceptor(std::move(ws)) {}

  const HttpServer::Options options;
  const api::Handler handler;
  const AccessLog access_log;
  const WebSocketAcceptor ws_acceptor;  // empty: upgrades go to `handler`
  SessionRegistry registry;
  // Set once by Stop(): responses stop offering keep-alive.
  std::atomic<bool> stopping{false};
};

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_SERVER_CONTEXT_H_
