#include "media/fake_janus.h"

namespace roomgate::media {

namespace asio = net::asio;
namespace http = net::http;
namespace websocket = net::websocket;

FakeJanus::FakeJanus() {
  net::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  Accept();
  thread_ = std::thread([this] { io_.run(); });
}

FakeJanus::~FakeJanus() {
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (ws_) ws_->next_layer().close(ignored);
    io_.stop();
  });
  thread_.join();
}

void FakeJanus::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, net::tcp::socket socket) {
    if (ec) return;
    socket.set_option(net::tcp::no_delay(true), ec);
    ws_.emplace(std::move(socket));
    // Read the upgrade request first so the test can see the subprotocol.
    http::async_read(
        ws_->next_layer(), buffer_, upgrade_, [this](boost::system::error_code read_ec, size_t) {
          if (read_ec) return;
          const std::string protocol(upgrade_[http::field::sec_websocket_protocol]);
          {
            std::lock_guard lock(mu_);
            subprotocol_ = protocol;
          }
          ws_->set_option(
              websocket::stream_base::decorator([protocol](websocket::response_type& response) {
                response.set(http::field::sec_websocket_protocol, protocol);
              }));
          ws_->async_accept(upgrade_, [this](boost::system::error_code accept_ec) {
            if (accept_ec) return;
            // The client may see the 101 (and the test call Send) before
            // this handler runs: writes queued meanwhile start only now.
            open_ = true;
            if (!writes_.empty()) WriteNext();
            ReadNext();
          });
        });
  });
}

void FakeJanus::ReadNext() {
  buffer_.consume(buffer_.size());
  ws_->async_read(buffer_, [this](boost::system::error_code ec, size_t) {
    if (ec) return;
    const auto data = buffer_.data();
    Json request =
        Json::parse(std::string_view(static_cast<const char*>(data.data()), data.size()));
    {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(request));
    }
    cv_.notify_all();
    ReadNext();
  });
}

std::optional<Json> FakeJanus::NextRequest(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [this] { return !requests_.empty(); })) return std::nullopt;
  Json request = std::move(requests_.front());
  requests_.pop_front();
  return request;
}

void FakeJanus::Send(const Json& message) {
  asio::post(io_, [this, text = message.dump()] {
    writes_.push_back(text);
    if (open_ && writes_.size() == 1) WriteNext();
  });
}

void FakeJanus::WriteNext() {
  ws_->async_write(asio::buffer(writes_.front()), [this](boost::system::error_code ec, size_t) {
    if (ec) return;
    writes_.pop_front();
    if (!writes_.empty()) WriteNext();
  });
}

void FakeJanus::Drop() {
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    if (ws_) ws_->next_layer().close(ignored);
  });
}

std::string FakeJanus::subprotocol() {
  std::lock_guard lock(mu_);
  return subprotocol_;
}

}  // namespace roomgate::media
