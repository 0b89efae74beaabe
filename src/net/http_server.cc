#include "net/http_server.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "net/boost.h"
#include "net/http_session.h"
#include "net/listener.h"
#include "net/server_context.h"

namespace roomgate::net {
namespace {

// How long Stop() lets requests in flight finish before closing them.
constexpr std::chrono::seconds kStopGrace{5};
// After force-closing, how long to wait for sessions to notice before the
// io_context is stopped regardless.
constexpr std::chrono::seconds kForceCloseWait{1};

Status ValidateOptions(const HttpServer::Options& o) {
  if (o.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  if (o.max_header_bytes == 0 || o.max_header_bytes > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("max_header_bytes must be in 1..2^32-1");
  }
  if (o.read_timeout.count() <= 0 || o.idle_timeout.count() <= 0) {
    return Status::InvalidArgument("timeouts must be positive");
  }
  if (o.max_connections == 0) return Status::InvalidArgument("max_connections must be > 0");
  if (o.ws_max_frame_bytes == 0 || o.ws_max_queued_bytes == 0) {
    return Status::InvalidArgument("ws_max_frame_bytes and ws_max_queued_bytes must be > 0");
  }
  if (o.ws_ping_interval.count() <= 0 || o.ws_idle_timeout.count() <= 0) {
    return Status::InvalidArgument("WebSocket intervals must be positive");
  }
  return Status::Ok();
}

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

// Member order is destruction order in reverse: the io_context (and with it
// any session it still owns) goes before the context those sessions use.
struct HttpServer::Impl {
  Impl(Options options, api::Handler handler, AccessLog access_log, WebSocketAcceptor ws_acceptor)
      : context(std::move(options), std::move(handler), std::move(access_log),
                std::move(ws_acceptor)),
        io(ThreadCount(context.options.threads)) {}

  void Run();

  ServerContext context;
  asio::io_context io;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
};

// A handler or log sink exception is caught where it is called; this catch is
// the last line for anything else (e.g. bad_alloc): the one handler is lost,
// the server keeps serving.
void HttpServer::Impl::Run() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (...) {
    }
  }
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(Options options, api::Handler handler,
                                                      AccessLog access_log) {
  return Start(std::move(options), std::move(handler), std::move(access_log), {});
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(Options options, api::Handler handler,
                                                      AccessLog access_log,
                                                      WebSocketAcceptor ws_acceptor) {
  if (!handler) return Status::InvalidArgument("no handler");
  if (Status valid = ValidateOptions(options); !valid.ok()) return valid;
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (ec) return Status::InvalidArgument("host must be an IP address: " + options.host);
  tcp::endpoint endpoint(address, options.port);

  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler), std::move(access_log),
                                     std::move(ws_acceptor));
  auto listener = Listener::Open(impl->io, endpoint, impl->context);
  if (!listener.ok()) return listener.error();
  impl->listener = std::move(*listener);
  impl->listener->Start();
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(impl)));
  int thread_count = ThreadCount(server->impl_->context.options.threads);
  try {
    for (int i = 0; i < thread_count; ++i) {
      server->impl_->threads.emplace_back([raw = server->impl_.get()] { raw->Run(); });
    }
  } catch (const std::system_error& e) {
    server->Stop();  // joins the threads that did start
    return Status(Status::Code::kUnavailable, std::string("starting I/O threads: ") + e.what());
  }
  return server;
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->listener->port(); }

void HttpServer::Stop() {
  if (impl_->stopped.exchange(true)) return;
  ServerContext& context = impl_->context;
  context.stopping.store(true);
  impl_->listener->Close();
  // The vectors from Close() and Snapshot() are temporaries that die with
  // their loops, so their references do not keep sessions alive during waits.
  for (auto& session : context.registry.Close()) session->Shutdown();
  if (!context.registry.WaitUntilEmpty(std::chrono::steady_clock::now() + kStopGrace)) {
    for (auto& session : context.registry.Snapshot()) session->ForceClose();
    (void)context.registry.WaitUntilEmpty(std::chrono::steady_clock::now() + kForceCloseWait);
  }
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
}

}  // namespace roomgate::net
