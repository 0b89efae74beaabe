#include "net/listener.h"

#include <chrono>
#include <string>
#include <utility>

#include "net/http_session.h"

namespace roomgate::net {
namespace {

// After running out of descriptors or memory, wait before accepting again
// rather than spin on an error that will not clear by itself.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

bool IsResourceExhaustion(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

Status BindError(const tcp::endpoint& endpoint, std::string_view step,
                 const beast::error_code& ec) {
  return Status(Status::Code::kUnavailable,
                std::string(step) + " " + endpoint.address().to_string() + ":" +
                    std::to_string(endpoint.port()) + ": " + ec.message());
}

}  // namespace

Listener::Listener(asio::io_context& io, ServerContext& context)
    : io_(io),
      context_(context),
      acceptor_(asio::make_strand(io)),
      retry_timer_(acceptor_.get_executor()) {}

Result<std::shared_ptr<Listener>> Listener::Open(asio::io_context& io,
                                                 const tcp::endpoint& endpoint,
                                                 ServerContext& context) {
  auto listener = std::make_shared<Listener>(io, context);
  tcp::acceptor& acceptor = listener->acceptor_;
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return BindError(endpoint, "open", ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on
  // Linux it does not allow two listeners on one port.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return BindError(endpoint, "configure", ec);
  acceptor.bind(endpoint, ec);
  if (ec) return BindError(endpoint, "bind", ec);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return BindError(endpoint, "listen", ec);
  listener->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return BindError(endpoint, "query", ec);
  return listener;
}

void Listener::Start() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->Accept(); });
}

void Listener::Close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->retry_timer_.cancel();
  });
}

void Listener::Accept() {
  // Each connection gets its own strand: its socket's handlers are serialised
  // without a lock and without blocking other connections.
  acceptor_.async_accept(asio::make_strand(io_),
                         [self = shared_from_this()](beast::error_code ec, StrandSocket socket) {
                           self->OnAccept(ec, std::move(socket));
                         });
}

void Listener::OnAccept(beast::error_code ec, StrandSocket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;  // Close()
  if (ec && !IsResourceExhaustion(ec)) {  // e.g. the client already reset
    Accept();
    return;
  }
  if (ec) {
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->Accept();
    });
    return;
  }
  std::make_shared<HttpSession>(std::move(socket), context_)->Start();
  Accept();
}

}  // namespace roomgate::net
