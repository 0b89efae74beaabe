#include "server/signalling_endpoint.h"

namespace roomgate::server {
namespace {

using namespace std::chrono_literals;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The session layer's view of a WebSocket.
class WebSocketLink final : public sessions::PeerLink {
 public:
  explicit WebSocketLink(std::shared_ptr<net::WebSocketConnection> c) : c_(std::move(c)) {}
  bool Send(std::string text) override { return c_->Send(std::move(text)); }
  bool SendShared(std::shared_ptr<const std::string> text) override {
    return c_->Send(std::move(text));
  }
  void Close(uint16_t code, std::string reason) override { c_->Close(code, std::move(reason)); }

 private:
  std::shared_ptr<net::WebSocketConnection> c_;
};

}  // namespace

class SignallingEndpoint::Handler final : public net::WebSocketHandler {
 public:
  explicit Handler(SignallingEndpoint& endpoint) : endpoint_(endpoint) {}

  void OnOpen(std::shared_ptr<net::WebSocketConnection> connection) override {
    ++endpoint_.open_;
    connection_ = std::make_shared<sessions::SignallingConnection>(
        endpoint_.hub_, std::make_shared<WebSocketLink>(std::move(connection)), endpoint_.options_,
        SteadyMs);
    endpoint_.pending_.Add(connection_,
                           SteadyMs() + endpoint_.join_timeout_.count() * int64_t{1000});
  }
  void OnMessage(std::string_view text) override { connection_->OnMessage(text); }
  void OnClose() override {
    connection_->OnClose();
    connection_.reset();
    {
      std::lock_guard lock(endpoint_.mu_);  // so Shutdown cannot miss the wake-up
      --endpoint_.open_;
    }
    endpoint_.cv_.notify_all();
  }

 private:
  SignallingEndpoint& endpoint_;
  std::shared_ptr<sessions::SignallingConnection> connection_;
};

SignallingEndpoint::SignallingEndpoint(sessions::SessionHub& hub,
                                       sessions::ConnectionOptions options,
                                       std::chrono::seconds join_timeout)
    : hub_(hub), options_(options), join_timeout_(join_timeout) {
  ticker_ = std::thread([this] { TickerLoop(); });
}

SignallingEndpoint::~SignallingEndpoint() { StopTicker(); }

void SignallingEndpoint::StopTicker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

net::WebSocketAcceptance SignallingEndpoint::Accept(const api::Request& request) {
  if (request.path != kSignallingPath) {
    return api::ErrorResponse(404, "no WebSocket endpoint at this path (use /v2/signal)");
  }
  {
    std::lock_guard lock(mu_);
    if (stopping_) return api::ErrorResponse(503, "the server is shutting down");
  }
  return std::make_unique<Handler>(*this);
}

// 200 ms: the clock work is in whole seconds (exp, grace), so a peer is
// removed within a fifth of a second of its token's exp.
void SignallingEndpoint::TickerLoop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, 200ms, [&] { return stopping_; })) {
    lock.unlock();
    hub_.Tick();
    pending_.Sweep(SteadyMs());
    lock.lock();
  }
}

// The ticker stops first, so nothing drives the hub while the server winds
// down; then joined peers are told and unjoined connections closed.
void SignallingEndpoint::Shutdown(std::chrono::milliseconds grace) {
  StopTicker();
  hub_.Shutdown();
  pending_.StopAll();
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, grace, [&] { return open_.load() == 0; });
}

}  // namespace roomgate::server
