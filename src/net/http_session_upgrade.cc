// HttpSession, part 3: handing a WebSocket upgrade over to a WebSocketSession.
// The HTTP session ends here; the socket and the bytes already read move to
// the new session, so a frame sent right behind the request is not lost.
#include <exception>
#include <memory>
#include <utility>
#include <variant>

#include "net/http_session.h"
#include "net/websocket_session.h"

namespace roomgate::net {

bool HttpSession::IsWebSocketUpgrade(const BeastRequest& message) const {
  // Without an acceptor an upgrade is just a GET: the handler answers it
  // (the router's 404), as before WebSocket support existed.
  return context_.ws_acceptor && websocket::is_upgrade(message);
}

void HttpSession::HandleUpgrade(const Framing& framing) {
  WebSocketAcceptance decision = CallAcceptor();
  if (auto* refusal = std::get_if<api::Response>(&decision)) {
    WriteResponse(std::move(*refusal), framing);
    return;
  }
  auto handler = std::get<std::unique_ptr<WebSocketHandler>>(std::move(decision));
  if (!handler || context_.stopping.load()) {
    WriteResponse(handler ? api::ErrorResponse(503, "server shutting down")
                          : api::ErrorResponse(500, "internal error"),
                  framing);
    return;
  }
  AccessLogEntry log;
  log.method = request_.method;
  log.path = request_.path;
  log.remote_address = remote_address_;
  auto session = std::make_shared<WebSocketSession>(std::move(socket_), buffer_, context_,
                                                    std::move(handler), remote_address_);
  session->Start(parser_->release(), std::move(log), request_start_);
  // The socket has moved: this object only waits for its last handler.
  phase_ = Phase::kClosed;
  watchdog_.cancel();
}

// Like CallHandler: a throwing acceptor refuses this one upgrade with a 500.
WebSocketAcceptance HttpSession::CallAcceptor() {
  try {
    return context_.ws_acceptor(request_);
  } catch (const std::exception&) {
  } catch (...) {
  }
  return api::ErrorResponse(500, "internal error");
}

}  // namespace roomgate::net
