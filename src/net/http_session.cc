// HttpSession, part 1: reading and parsing requests, and the watchdog.
// Handling and writing are in http_session_write.cc.
#include "net/http_session.h"

#include <utility>

#include "net/ascii.h"
#include "net/request_target.h"

namespace roomgate::net {
namespace {

// The most one read asks of the socket, as Beast's own readers do. The buffer
// is also capped at this plus the header limit: a header must fit whole, body
// bytes leave the buffer as they are parsed, so only a client that never ends
// a line (a chunk header, say) can reach the cap, and it gets a 400.
constexpr size_t kMaxReadSize = 64 * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string RemoteAddress(const StrandSocket& socket) {
  beast::error_code ec;
  tcp::endpoint endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

bool ExpectsContinue(const BeastRequest& request) {
  auto it = request.find(http::field::expect);
  return request.version() >= 11 && it != request.end() &&
         EqualsLowerCase(it->value(), "100-continue");
}

}  // namespace

HttpSession::HttpSession(StrandSocket socket, ServerContext& context)
    : context_(context),
      socket_(std::move(socket)),
      watchdog_(socket_.get_executor()),
      buffer_(context.options.max_header_bytes + kMaxReadSize),
      remote_address_(RemoteAddress(socket_)) {}

HttpSession::~HttpSession() { context_.registry.Remove(this); }

void HttpSession::Start() {
  // Refused when full or stopping: the socket closes with this object.
  if (!context_.registry.Add(this, context_.options.max_connections)) return;
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->socket_.set_option(tcp::no_delay(true), ec);  // responses are one small write
    self->AwaitRequest();
  });
}

void HttpSession::Shutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kLingering) self->CloseNow();
  });
}

void HttpSession::ForceClose() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void HttpSession::AwaitRequest() {
  phase_ = Phase::kIdle;
  if (buffer_.size() > 0) {  // pipelined: the next request is already here
    BeginRequest();
    ParseBuffered();
    return;
  }
  SetDeadline(Clock::now() + context_.options.idle_timeout);
  ReadMore();
}

void HttpSession::ReadMore() {
  size_t size = beast::read_size(buffer_, kMaxReadSize);
  if (size == 0) {
    OnParseError(http::error::buffer_overflow);
    return;
  }
  socket_.async_read_some(
      buffer_.prepare(size),
      [self = shared_from_this()](beast::error_code ec, size_t bytes) { self->OnRead(ec, bytes); });
}

void HttpSession::OnRead(beast::error_code ec, size_t bytes) {
  buffer_.commit(bytes);
  if (phase_ == Phase::kClosed) return;
  // timed_out_ also covers a read that completed just as the watchdog fired:
  // its deadline has passed, so the request is over either way.
  if (ec || timed_out_) {
    OnReadFailed(ec);
    return;
  }
  if (phase_ == Phase::kIdle) BeginRequest();
  ParseBuffered();
}

void HttpSession::BeginRequest() {
  phase_ = Phase::kReading;
  request_start_ = Clock::now();
  SetDeadline(request_start_ + context_.options.read_timeout);
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(context_.options.max_header_bytes));
  parser_->body_limit(context_.options.max_body_bytes);
  parser_->eager(true);
  continue_sent_ = false;
  request_.method.clear();
  request_.path.clear();
}

void HttpSession::ParseBuffered() {
  while (buffer_.size() > 0 && !parser_->is_done()) {
    beast::error_code ec;
    size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) break;
    if (ec) {
      OnParseError(ec);
      return;
    }
    if (used == 0) break;
  }
  if (parser_->is_done()) {
    Dispatch();
    return;
  }
  if (!MaybeSendContinue()) ReadMore();
}

// A client that sent "Expect: 100-continue" waits (curl: one second) before
// sending its body; tell it to go ahead once the header passed the limits.
bool HttpSession::MaybeSendContinue() {
  if (continue_sent_ || !parser_->is_header_done() || !ExpectsContinue(parser_->get())) {
    return false;
  }
  continue_sent_ = true;
  asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) {
                        self->CloseNow();
                        return;
                      }
                      self->ReadMore();
                    });
  return true;
}

void HttpSession::OnReadFailed(beast::error_code ec) {
  if (timed_out_ && phase_ == Phase::kReading) {
    WriteError(408, "request timeout");
    return;
  }
  // EOF, a reset, or the idle timeout: nothing to answer. A client that
  // half-closes mid-request can never complete it, so that closes too.
  (void)ec;
  CloseNow();
}

void HttpSession::OnParseError(beast::error_code ec) {
  // For the access log: the request line is stored as soon as it is parsed,
  // before the header is complete (a too-large Content-Length fails there).
  if (!parser_->get().method_string().empty()) {
    request_.method.assign(parser_->get().method_string());
    request_.path.assign(RawTargetPath(parser_->get().target()));
  }
  if (ec == http::error::body_limit) {
    WriteError(413, "request body too large");
  } else if (ec == http::error::header_limit) {
    WriteError(431, "request header fields too large");
  } else {
    WriteError(400, "malformed HTTP request: " + ec.message());
  }
}

// The watchdog. Only the strand touches deadline_, so moving it is a plain
// store; the timer fires at the expiry it was armed with and re-arms if the
// deadline has moved on since. It is re-armed early only when a deadline moves
// earlier than the pending expiry (e.g. read_timeout after idle_timeout).
void HttpSession::SetDeadline(Clock::time_point deadline) {
  deadline_ = deadline;
  if (watchdog_armed_ && watchdog_expiry_ <= deadline_) return;
  ArmWatchdog();
}

void HttpSession::ArmWatchdog() {
  watchdog_armed_ = true;
  watchdog_expiry_ = deadline_;
  // Re-arming cancels the pending wait; its handler sees a stale generation.
  watchdog_.expires_at(deadline_);
  watchdog_.async_wait([self = shared_from_this(), generation = ++watchdog_generation_](
                           beast::error_code ec) { self->OnWatchdog(ec, generation); });
}

void HttpSession::OnWatchdog(beast::error_code ec, uint64_t generation) {
  if (ec || generation != watchdog_generation_ || phase_ == Phase::kClosed) return;
  watchdog_armed_ = false;
  if (Clock::now() < deadline_) {
    ArmWatchdog();
    return;
  }
  OnDeadline();
}

void HttpSession::OnDeadline() {
  if (phase_ != Phase::kReading) {  // idle, a stalled write, or lingering
    CloseNow();
    return;
  }
  // Cancel rather than close, so the read handler can still answer 408.
  timed_out_ = true;
  beast::error_code ec;
  socket_.cancel(ec);
}

}  // namespace roomgate::net
