// HttpSession, part 2: calling the handler, writing the response, the access
// log, and closing. Reading is in http_session.cc.
#include <array>
#include <exception>
#include <utility>

#include "net/http_session.h"

namespace roomgate::net {
namespace {

// After a response that closes the connection, keep reading (and discarding)
// for a moment before closing: closing a socket with unread input makes the
// kernel send RST, which can destroy the response before the client reads it
// (RFC 7230 6.6). Bounded in time and bytes.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerReadSize = 16 * 1024;
constexpr size_t kMaxLingerBytes = 1 << 20;

}  // namespace

void HttpSession::Dispatch() {
  phase_ = Phase::kHandling;
  BeastRequest& message = parser_->get();
  // RFC 9112 §6.3: a Transfer-Encoding that does not end in chunked leaves the
  // body length unknowable. Beast 1.74 would read such a request as bodiless
  // and its body as the next request — a smuggling gap behind any proxy that
  // frames it differently. Refuse and close.
  if (message.find(http::field::transfer_encoding) != message.end() && !parser_->chunked()) {
    WriteError(400, "unsupported Transfer-Encoding (only chunked is accepted)");
    return;
  }
  // Beast's parser accepts only HTTP/1.0 and 1.1 (anything else is a 400).
  Framing framing{message.version(), message.keep_alive(), message.method() == http::verb::head};
  bool upgrade = IsWebSocketUpgrade(message);
  Status target = ToApiRequest(message, remote_address_, request_);
  if (target.ok() && upgrade) {
    HandleUpgrade(framing);
    return;
  }
  WriteResponse(target.ok() ? CallHandler() : api::ErrorResponse(400, target.message()), framing);
}

// The handler is application code: whatever it throws becomes a 500 for this
// request only, and the message stays out of the response (it may hold
// internals the client must not see).
api::Response HttpSession::CallHandler() {
  try {
    return context_.handler(request_);
  } catch (const std::exception&) {
  } catch (...) {
  }
  return api::ErrorResponse(500, "internal error");
}

void HttpSession::WriteResponse(api::Response response, Framing framing) {
  framing.keep_alive = framing.keep_alive && !context_.stopping.load(std::memory_order_relaxed);
  if (!ToWireResponse(std::move(response), framing, response_).ok()) {
    Status built = ToWireResponse(api::ErrorResponse(500, "internal error"), framing, response_);
    (void)built;  // a fixed, valid response
  }
  close_after_write_ = !framing.keep_alive;
  phase_ = Phase::kWriting;
  SetDeadline(Clock::now() + context_.options.read_timeout);
  // One gathered write: the headers and the body leave in one system call.
  std::array<asio::const_buffer, 2> buffers = {asio::buffer(response_.head),
                                               asio::buffer(response_.body)};
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                      self->OnWritten(ec, bytes);
                    });
}

// Errors found before the request could be handled leave the connection in an
// unknown state (half a body may be unread), so they always close it.
void HttpSession::WriteError(int status, std::string_view message) {
  WriteResponse(api::ErrorResponse(status, message), Framing{11, false, false});
}

void HttpSession::OnWritten(beast::error_code ec, size_t bytes) {
  LogAccess(bytes);
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    CloseNow();
    return;
  }
  if (close_after_write_ || context_.stopping.load(std::memory_order_relaxed)) {
    Linger();
    return;
  }
  AwaitRequest();
}

void HttpSession::LogAccess(size_t bytes) {
  if (!context_.access_log) return;
  AccessLogEntry entry;
  entry.method = request_.method;
  entry.path = request_.path;
  entry.status = response_.status;
  entry.latency =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - request_start_);
  entry.remote_address = remote_address_;
  entry.response_bytes = bytes;
  try {
    context_.access_log(entry);
  } catch (...) {
    // A failing log sink must not take the connection down.
  }
}

void HttpSession::Linger() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec || context_.stopping.load(std::memory_order_relaxed)) {
    CloseNow();
    return;
  }
  phase_ = Phase::kLingering;
  lingered_bytes_ = 0;
  buffer_.consume(buffer_.size());
  SetDeadline(Clock::now() + kLingerTime);
  OnLingerRead({}, 0);
}

void HttpSession::OnLingerRead(beast::error_code ec, size_t bytes) {
  lingered_bytes_ += bytes;
  if (phase_ == Phase::kClosed) return;
  if (ec || lingered_bytes_ > kMaxLingerBytes) {  // EOF is the usual way out
    CloseNow();
    return;
  }
  // prepare() without commit(): the same bytes are overwritten each time.
  socket_.async_read_some(
      buffer_.prepare(kLingerReadSize),
      [self = shared_from_this()](beast::error_code e, size_t n) { self->OnLingerRead(e, n); });
}

void HttpSession::CloseNow() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  watchdog_.cancel();
}

}  // namespace roomgate::net
