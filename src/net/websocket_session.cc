#include "net/websocket_session.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <utility>

namespace roomgate::net {
namespace {

// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of
// which are the close code.
constexpr size_t kMaxCloseReason = 123;

// What the application holds. A weak reference, so that a handle kept past
// OnClose (or past the server) neither keeps the socket open nor dangles.
class ConnectionHandle : public WebSocketConnection {
 public:
  ConnectionHandle(std::weak_ptr<WebSocketSession> session, std::string remote_address)
      : session_(std::move(session)), remote_address_(std::move(remote_address)) {}

  using WebSocketConnection::Send;
  bool Send(std::shared_ptr<const std::string> text) override {
    auto session = session_.lock();
    return session && session->Send(std::move(text));
  }
  void Close(uint16_t code, std::string reason) override {
    if (auto session = session_.lock()) session->Close(code, std::move(reason));
  }
  const std::string& remote_address() const override { return remote_address_; }

 private:
  std::weak_ptr<WebSocketSession> session_;
  const std::string remote_address_;
};

// Application callbacks run on the I/O thread; whatever they throw ends this
// connection only (1011), never the server.
template <class Fn>
bool CallSafely(Fn&& fn) {
  try {
    fn();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

WebSocketSession::WebSocketSession(StrandSocket socket, beast::flat_buffer& buffer,
                                   ServerContext& context,
                                   std::unique_ptr<WebSocketHandler> handler,
                                   std::string remote_address)
    : context_(context),
      ws_(std::move(socket), buffer),
      ping_timer_(ws_.get_executor()),
      close_timer_(ws_.get_executor()),
      handler_(std::move(handler)),
      remote_address_(std::move(remote_address)) {}

WebSocketSession::~WebSocketSession() { context_.registry.Remove(this); }

void WebSocketSession::Start(BeastRequest request, AccessLogEntry log, Clock::time_point start) {
  // No connection limit here: this connection already holds a slot (its
  // HttpSession's, released when that object goes). Refused only once
  // Stop() has swept the registry; the socket then closes with this object.
  if (!context_.registry.Add(this, std::numeric_limits<size_t>::max())) return;
  const HttpServer::Options& options = context_.options;
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = options.read_timeout;       // the 101 and the close handshake
  timeouts.idle_timeout = websocket::stream_base::none();  // see the header
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  ws_.read_message_max(options.ws_max_frame_bytes);
  // As on every HTTP response: Beast would otherwise announce its version.
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(http::field::server, "roomgate"); }));
  ws_.control_callback(
      [this](websocket::frame_type, std::string_view) { last_heard_ = Clock::now(); });
  auto req = std::make_shared<BeastRequest>(std::move(request));  // must outlive the accept
  ws_.async_accept(
      *req, [self = shared_from_this(), req, log = std::move(log),
             start](beast::error_code ec) mutable { self->OnAccepted(ec, std::move(log), start); });
}

void WebSocketSession::OnAccepted(beast::error_code ec, AccessLogEntry log,
                                  Clock::time_point start) {
  // Beast answers an invalid upgrade (no Sec-WebSocket-Key, say) with 400.
  log.status = ec ? 400 : 101;
  log.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  if (context_.access_log) CallSafely([&] { context_.access_log(log); });
  if (ec) {
    Finish();
    return;
  }
  opened_ = true;
  last_heard_ = Clock::now();
  auto handle = std::make_shared<ConnectionHandle>(weak_from_this(), remote_address_);
  if (!CallSafely([&] { handler_->OnOpen(std::move(handle)); })) {
    BeginClose(kWsCloseInternalError, "internal error");
  }
  SchedulePing();
  ReadNext();
}

void WebSocketSession::ReadNext() {
  ws_.async_read(read_buffer_,
                 [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
}

// A read error is the one way a session ends: Beast reports the peer's close
// frame, a failed protocol check (it has sent 1009 or 1002 itself), EOF, or
// the socket we closed.
void WebSocketSession::OnRead(beast::error_code ec) {
  if (ec) {
    Finish();
    return;
  }
  last_heard_ = Clock::now();
  if (!close_started_) Deliver();
  read_buffer_.consume(read_buffer_.size());
  // Peers are idle most of the time: hand the message buffer back rather
  // than hold its high-water mark per connection (Beast waits for the next
  // frame in its own fixed buffer).
  read_buffer_.shrink_to_fit();
  ReadNext();
}

void WebSocketSession::Deliver() {
  if (!ws_.got_text()) {
    BeginClose(kWsCloseUnsupported, "text messages only");
    return;
  }
  auto data = read_buffer_.data();
  std::string_view text(static_cast<const char*>(data.data()), data.size());
  if (!CallSafely([&] { handler_->OnMessage(text); })) {
    BeginClose(kWsCloseInternalError, "internal error");
  }
}

// The byte count is reserved here, on the caller's thread, so that the bound
// holds however far the strand is behind.
bool WebSocketSession::Send(std::shared_ptr<const std::string> text) {
  if (closing_.load()) return false;
  size_t size = text->size();
  if (queued_bytes_.fetch_add(size) + size > context_.options.ws_max_queued_bytes) {
    queued_bytes_.fetch_sub(size);
    // Its queue will not drain: drop it and close at once.
    closing_.store(true);
    asio::post(ws_.get_executor(),
               [self = shared_from_this()] { self->BeginClose(kWsClosePolicy, "slow reader"); });
    return false;
  }
  // One post carries every message queued before it runs: a peer that gets
  // a burst (a room filling up) costs one strand hop, not one per message.
  {
    std::lock_guard lock(pending_mu_);
    pending_.push_back(std::move(text));
    if (drain_posted_) return true;
    drain_posted_ = true;
  }
  asio::post(ws_.get_executor(), [self = shared_from_this()] { self->DrainPending(); });
  return true;
}

// The application's close: what it queued before (typically the event that
// explains the close) goes out first; Send refuses anything later.
void WebSocketSession::Close(uint16_t code, std::string reason) {
  closing_.store(true);
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
               self->CloseAfterQueue(code, std::move(reason));
             });
}

void WebSocketSession::CloseAfterQueue(uint16_t code, std::string reason) {
  if (close_started_ || finished_ || close_after_queue_) return;
  if (queue_.empty() || !opened_) {
    BeginClose(code, std::move(reason));
    return;
  }
  close_after_queue_.emplace(code, std::move(reason));
  // A peer that does not read would hold the queue forever.
  close_timer_.expires_after(context_.options.read_timeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->CloseSocket();
  });
}

void WebSocketSession::Shutdown() { Close(kWsCloseGoingAway, "server shutting down"); }

void WebSocketSession::ForceClose() {
  asio::post(ws_.get_executor(), [self = shared_from_this()] { self->CloseSocket(); });
}

void WebSocketSession::DrainPending() {
  std::vector<std::shared_ptr<const std::string>> batch;
  {
    std::lock_guard lock(pending_mu_);
    batch.swap(pending_);
    drain_posted_ = false;
  }
  for (auto& text : batch) Enqueue(std::move(text));
}

void WebSocketSession::Enqueue(std::shared_ptr<const std::string> text) {
  if (close_started_ || finished_) {
    queued_bytes_.fetch_sub(text->size());
    return;
  }
  queue_.push_back(std::move(text));
  if (!writing_) WriteFront();
}

void WebSocketSession::WriteFront() {
  writing_ = true;
  ws_.next_layer().set_more(queue_.size() > 1);
  ws_.text(true);
  ws_.async_write(
      asio::buffer(*queue_.front()),
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
}

void WebSocketSession::OnWritten(beast::error_code ec) {
  writing_ = false;
  queued_bytes_.fetch_sub(queue_.front()->size());
  queue_.pop_front();
  if (ec) {  // the pending read fails too and finishes the session
    CloseSocket();
    return;
  }
  if (!queue_.empty() && !close_started_) {
    WriteFront();
  } else if (queue_.empty() && close_after_queue_ && !close_started_) {
    auto [code, reason] = std::move(*close_after_queue_);
    BeginClose(code, std::move(reason));
  }
}

void WebSocketSession::BeginClose(uint16_t code, std::string reason) {
  closing_.store(true);
  if (close_started_ || finished_) return;
  close_started_ = true;
  ws_.next_layer().set_more(false);  // the close frame must not wait
  // The application hears of it now, not when the handshake ends: a slow
  // reader's close frame may wait behind a stuck write for read_timeout,
  // and its room should not count it as present meanwhile.
  NotifyClosed();
  // Unsent messages are dropped; the one in flight must outlive its write.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    queued_bytes_.fetch_sub(queue_.back()->size());
    queue_.pop_back();
  }
  if (!opened_) {  // the handshake is still running; Beast cannot close yet
    CloseSocket();
    return;
  }
  // Beast queues the close frame behind a write in flight, which never ends
  // if the peer stopped reading: the timer then drops the socket.
  close_timer_.expires_after(context_.options.read_timeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->CloseSocket();
  });
  reason.resize(std::min(reason.size(), kMaxCloseReason));
  ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason),
                  [self = shared_from_this()](beast::error_code) {
                    // The pending read completes too and finishes the session.
                  });
}

void WebSocketSession::SchedulePing() {
  auto period = std::min(context_.options.ws_ping_interval, context_.options.ws_idle_timeout);
  ping_timer_.expires_after(period);
  ping_timer_.async_wait(
      [self = shared_from_this()](beast::error_code ec) { self->OnPingTimer(ec); });
}

void WebSocketSession::OnPingTimer(beast::error_code ec) {
  if (ec || finished_) return;
  if (Clock::now() - last_heard_ >= context_.options.ws_idle_timeout) {
    CloseSocket();  // a dead peer cannot take part in a closing handshake
    return;
  }
  if (!ping_pending_ && !close_started_) {
    ping_pending_ = true;
    ws_.async_ping({},
                   [self = shared_from_this()](beast::error_code) { self->ping_pending_ = false; });
  }
  SchedulePing();
}

// OnClose exactly once (if OnOpen ran), then the application's state is
// released now rather than with the last pending operation.
void WebSocketSession::NotifyClosed() {
  if (opened_ && handler_) CallSafely([&] { handler_->OnClose(); });
  handler_.reset();
}

void WebSocketSession::CloseSocket() {
  beast::error_code ec;
  StrandSocket& socket = beast::get_lowest_layer(ws_);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

// Runs once, when the read loop ends; the session is destroyed when the
// last pending operation (a write, a ping, a timer) lets go of it.
void WebSocketSession::Finish() {
  if (finished_) return;
  finished_ = true;
  closing_.store(true);
  ping_timer_.cancel();
  close_timer_.cancel();
  CloseSocket();
  NotifyClosed();
}

}  // namespace roomgate::net
