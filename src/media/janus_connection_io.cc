// The io-thread half of JanusConnection: connect, the read loop, one write in
// flight, transaction matching, timeouts, keepalives and connection loss.
#include <array>
#include <cstdio>

#include "media/janus_connection_impl.h"
#include "media/janus_errors.h"

namespace roomgate::media {
namespace {

using Code = Status::Code;

// Janus's WebSocket transport only accepts this subprotocol (or the admin one).
constexpr std::string_view kSubprotocol = "janus-protocol";
// Janus replies are small; a cap stops a broken peer from exhausting memory.
constexpr size_t kMaxMessageBytes = 4 * 1024 * 1024;

uint64_t IdField(const Json& message, const char* name) {
  const auto it = message.find(name);
  return it != message.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

}  // namespace

JanusConnection::Impl::Impl(JanusConnectionOptions options, SecureRandom& random)
    : options_(std::move(options)),
      random_(random),
      url_("ws://127.0.0.1:" + std::to_string(options_.port)) {
  // Transactions need only be unique per connection; the random prefix keeps
  // them unguessable and distinct across reconnects in Janus's logs.
  std::array<uint8_t, 8> bytes{};
  random_.Fill(bytes);
  for (uint8_t b : bytes) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b);
    transaction_prefix_ += hex;
  }
}

JanusConnection::Impl::~Impl() { Stop(); }

template <class StartOp>
boost::system::error_code JanusConnection::Impl::RunForConnect(StartOp start) {
  boost::system::error_code result = asio::error::timed_out;
  bool done = false;
  start([&](boost::system::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  io_.restart();
  io_.run_for(options_.connect_timeout);
  if (!done) {  // closing completes the abandoned operation with an error
    boost::system::error_code ignored;
    ws_.next_layer().close(ignored);
    io_.restart();
    io_.run();
    result = asio::error::timed_out;
  }
  return result;
}

Status JanusConnection::Impl::Start() {
  net::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), options_.port);
  auto ec = RunForConnect([&](auto handler) { ws_.next_layer().async_connect(endpoint, handler); });
  if (!ec) {
    // Requests are small and latency-bound; Nagle would hold back the second
    // of two quick requests until Janus's delayed ACK.
    ws_.next_layer().set_option(net::tcp::no_delay(true), ec);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(net::http::field::sec_websocket_protocol, kSubprotocol);
    }));
    // Idle pings detect a Janus that stopped answering without closing.
    auto timeouts = websocket::stream_base::timeout::suggested(net::beast::role_type::client);
    timeouts.handshake_timeout = options_.connect_timeout;
    ws_.set_option(timeouts);
    ws_.read_message_max(kMaxMessageBytes);
    ec = RunForConnect([&](auto handler) { ws_.async_handshake("127.0.0.1", "/", handler); });
  }
  if (ec) return Status(Code::kUnavailable, Unreachable(ec.message()));
  connected_ = true;
  io_.restart();
  work_.emplace(io_.get_executor());
  io_thread_ = std::thread([this] {
    io_thread_id_ = std::this_thread::get_id();
    io_.run();
  });
  asio::post(io_, [this] { ReadNext(); });
  return Status::Ok();
}

void JanusConnection::Impl::Stop() {
  if (!io_thread_.joinable()) return;
  asio::post(io_, [this] {
    Lose("connection closed by roomgate");
    io_.stop();
  });
  io_thread_.join();
}

void JanusConnection::Impl::Disconnect() {
  asio::post(io_, [this] { Lose("connection closed by roomgate"); });
}

void JanusConnection::Impl::Post(Json request, Callback done) {
  asio::post(io_, [this, request = std::move(request), done = std::move(done)]() mutable {
    Send(std::move(request), std::move(done));
  });
}

std::string JanusConnection::Impl::Unreachable(std::string_view why) const {
  return "Janus is unreachable at " + url_ + " (" + std::string(why) + ")";
}

std::string JanusConnection::Impl::NextTransaction() {
  return transaction_prefix_ + "-" + std::to_string(++transaction_counter_);
}

void JanusConnection::Impl::Send(Json request, Callback done) {
  if (!connected_) return done(Status(Code::kUnavailable, Unreachable("not connected")));
  if (!request.is_object() || !request.contains("janus") || !request["janus"].is_string()) {
    return done(Status::InvalidArgument("a Janus request must be an object with a \"janus\" verb"));
  }
  const std::string transaction = NextTransaction();
  request["transaction"] = transaction;
  if (!options_.api_secret.empty()) request["apisecret"] = options_.api_secret;
  Pending pending{request["janus"].get<std::string>(), IdField(request, "session_id"),
                  std::move(done), std::make_unique<asio::steady_timer>(io_)};
  pending.timer->expires_after(options_.request_timeout);
  pending.timer->async_wait([this, transaction](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the reply came first
    const auto it = pending_.find(transaction);
    if (it == pending_.end()) return;
    Complete(transaction,
             Status(Code::kUnavailable,
                    "Janus did not answer a '" + it->second.kind + "' request within " +
                        std::to_string(options_.request_timeout.count()) + " ms at " + url_));
  });
  pending_.emplace(transaction, std::move(pending));
  Write(request.dump());
}

void JanusConnection::Impl::Write(std::string text) {
  write_queue_.push_back(std::move(text));
  if (write_queue_.size() == 1) WriteNext();
}

void JanusConnection::Impl::WriteNext() {
  ws_.text(true);
  ws_.async_write(asio::buffer(write_queue_.front()), [this](boost::system::error_code ec, size_t) {
    if (ec) return Lose(ec.message());
    write_queue_.pop_front();
    if (!write_queue_.empty()) WriteNext();
  });
}

void JanusConnection::Impl::ReadNext() {
  ws_.async_read(read_buffer_, [this](boost::system::error_code ec, size_t) {
    if (ec)
      return Lose(ec == websocket::error::closed ? "Janus closed the connection" : ec.message());
    const auto data = read_buffer_.data();
    OnMessage(std::string_view(static_cast<const char*>(data.data()), data.size()));
    read_buffer_.consume(read_buffer_.size());
    if (connected_) ReadNext();
  });
}

void JanusConnection::Impl::OnMessage(std::string_view text) {
  Json message = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) return;  // not Janus's envelope: nothing to match it to
  const std::string kind = message.value("janus", std::string());
  const auto tx = message.find("transaction");
  if (tx != message.end() && tx->is_string() && OnReply(tx->get<std::string>(), kind, message)) {
    return;
  }
  DeliverEvent(kind, message);
}

// True when `message` answered a pending call (completing it or not).
bool JanusConnection::Impl::OnReply(const std::string& transaction, const std::string& kind,
                                    const Json& message) {
  const auto it = pending_.find(transaction);
  if (it == pending_.end()) return false;
  if (kind == "error") {
    Complete(transaction, StatusFromJanusError(message));
  } else if (kind == "ack") {
    // A plugin message is only queued by the ack; its answer is the `event`
    // with the same transaction. Other verbs (keepalive, trickle) end here.
    if (it->second.kind != "message") Complete(transaction, message);
  } else if (kind == "success" || kind == "event" || kind == "server_info") {
    Complete(transaction, message);
  } else {
    return false;
  }
  return true;
}

void JanusConnection::Impl::Complete(const std::string& transaction, Result<Json> result) {
  auto node = pending_.extract(transaction);
  if (node.empty()) return;
  Pending& pending = node.mapped();
  pending.timer->cancel();
  if (result.ok() && result->value("janus", std::string()) == "success") {
    if (pending.kind == "create") StartKeepalive(IdField((*result)["data"], "id"));
    if (pending.kind == "destroy") StopKeepalive(pending.session);
  }
  pending.done(std::move(result));
}

void JanusConnection::Impl::DeliverEvent(const std::string& kind, const Json& message) {
  const uint64_t session = IdField(message, "session_id");
  if (session == 0) return;                       // not addressed to a session: nobody to tell
  if (kind == "timeout") StopKeepalive(session);  // Janus already dropped it
  const uint64_t sender = IdField(message, "sender");
  std::optional<JanusHandle> handle;
  if (sender != 0) handle = JanusHandle{sender};
  NotifyListener(JanusSession{session}, handle,
                 JanusEvent{JanusSession{session}, handle, kind, message});
}

void JanusConnection::Impl::NotifyListener(JanusSession session, std::optional<JanusHandle> handle,
                                           Result<JanusEvent> event) {
  Listener listener;
  {
    std::lock_guard lock(listeners_mu_);
    const uint64_t s = static_cast<uint64_t>(session);
    auto it = handle ? listeners_.find({s, static_cast<uint64_t>(*handle)}) : listeners_.end();
    if (it == listeners_.end()) it = listeners_.find({s, 0});
    if (it == listeners_.end()) return;
    listener = it->second;  // a copy: invoked outside the lock
  }
  listener(std::move(event));
}

void JanusConnection::Impl::SetListener(JanusSession session, std::optional<JanusHandle> handle,
                                        Listener listener) {
  const ListenerKey key{static_cast<uint64_t>(session),
                        handle ? static_cast<uint64_t>(*handle) : 0};
  std::lock_guard lock(listeners_mu_);
  if (listener) {
    listeners_[key] = std::move(listener);
  } else {
    listeners_.erase(key);
  }
}

void JanusConnection::Impl::RemoveSessionListeners(JanusSession session) {
  const uint64_t s = static_cast<uint64_t>(session);
  std::lock_guard lock(listeners_mu_);
  std::erase_if(listeners_, [s](const auto& entry) { return entry.first.first == s; });
}

void JanusConnection::Impl::Lose(std::string reason) {
  if (!connected_.exchange(false)) return;
  boost::system::error_code ignored;
  ws_.next_layer().close(ignored);  // ends the read loop and any write
  keepalives_.clear();              // destroying a timer cancels its wait
  const Status lost(Code::kUnavailable, Unreachable(reason));
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [transaction, call] : pending) {
    call.timer->cancel();
    call.done(lost);
  }
  std::map<ListenerKey, Listener> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners.swap(listeners_);
  }
  for (auto& [key, listener] : listeners) listener(lost);
}

void JanusConnection::Impl::StartKeepalive(uint64_t session) {
  if (session == 0) return;
  keepalives_[session] = std::make_unique<asio::steady_timer>(io_);
  ArmKeepalive(session);
}

void JanusConnection::Impl::ArmKeepalive(uint64_t session) {
  const auto it = keepalives_.find(session);
  if (it == keepalives_.end()) return;  // stopped while a keepalive was sent
  asio::steady_timer& timer = *it->second;
  timer.expires_after(options_.keepalive_interval);
  timer.async_wait([this, session](boost::system::error_code ec) {
    if (ec || !keepalives_.contains(session)) return;  // stopped meanwhile
    Json keepalive = {{"janus", "keepalive"}, {"session_id", session}};
    Send(std::move(keepalive), [this, session](Result<Json> reply) {
      if (reply.ok() || reply.error().code() != Code::kNotFound) return;
      StopKeepalive(session);  // Janus no longer knows the session
      NotifyListener(JanusSession{session}, std::nullopt, reply.error());
    });
    ArmKeepalive(session);
  });
}

void JanusConnection::Impl::StopKeepalive(uint64_t session) { keepalives_.erase(session); }

}  // namespace roomgate::media
