#include "server/server.h"

#include <sys/resource.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/api.h"
#include "media/janus_backend.h"
#include "net/http_server.h"
#include "roomgate/keys.h"
#include "roomgate/token.h"
#include "server/bootstrap.h"
#include "server/metrics.h"
#include "server/signalling_endpoint.h"
#include "server/token_wiring.h"
#include "sessions/batching_recorder.h"
#include "sessions/session_hub.h"
#include "store/cached_store.h"
#include "store/sqlite_store.h"
#include "web/embedded_assets.h"
#include "web/web_routes.h"

namespace roomgate::server {
namespace {

// The path is client-chosen and percent-decoded: escape anything that could
// forge a log line or split its fields (newlines, spaces, control bytes).
std::string LogSafe(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out.empty() ? "-" : out;
}

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Each connection is a descriptor; Debian's default soft limit (1024) would
// refuse peers long before the configured cap. Raise the soft limit to the
// hard one, then keep the cap below it (a few descriptors for the store,
// the listener and logs).
size_t FitConnectionsToFileLimit(size_t wanted, std::ostream& info) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  constexpr rlim_t kReserved = 64;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted + kReserved) return wanted;
  const size_t fit = limit.rlim_cur > 2 * kReserved ? limit.rlim_cur - kReserved : 16;
  info << "roomgate: open-file limit " << limit.rlim_cur << " allows " << fit
       << " connections (server.max_connections is " << wanted << ")\n";
  return fit;
}

}  // namespace

Result<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("listen address must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument("invalid port in listen address '" + listen + "'");
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

// Members in construction order; destroyed in reverse, HTTP first.
struct Server::Impl {
  config::Config config;
  std::unique_ptr<store::SqliteStore> sqlite;
  // Everything reads and writes through the cache (single node: see
  // store/cached_store.h), so a write is visible to the next request.
  std::unique_ptr<store::CachedStore> store;
  std::unique_ptr<StaticKeyProvider> keys;
  std::optional<TokenMinter> minter;
  std::unique_ptr<TokenVerifier> verifier;
  std::unique_ptr<rooms::RoomService> rooms;
  std::unique_ptr<codes::CodeService> codes;
  std::unique_ptr<codes::FailureRateLimiter> limiter;
  std::unique_ptr<api::ApiServices> services;
  // Live sessions: history is written behind the live state (see
  // sessions/session_recorder.h), so the recorder outlives the hub.
  std::unique_ptr<sessions::BatchingSessionRecorder> recorder;
  // The media plane (null with media.backend "none"): the backend outlives
  // the workers, whose tasks use it; both outlive the hub's rooms.
  std::unique_ptr<media::JanusBackend> media_backend;
  std::unique_ptr<sessions::MediaWorkers> media_workers;
  std::unique_ptr<sessions::SessionHub> hub;
  std::unique_ptr<api::LiveApiServices> live_services;
  std::unique_ptr<SignallingEndpoint> signalling;
  Metrics metrics;
  api::Router router;
  std::unique_ptr<net::HttpServer> http;

  Status Wire(std::ostream& info);
  Status WireSessions(std::ostream& info);
  sessions::MediaPlane WireMedia(std::ostream& info);
  void AddOperationalRoutes();
  api::Response Handle(const api::Request& request) { return router.Dispatch(request); }
};

Status Server::Impl::Wire(std::ostream& info) {
  const auto db = (std::filesystem::path(config.server.data_dir) / "roomgate.db").string();
  auto opened = store::SqliteStore::Open(db);
  if (!opened.ok()) return opened.error();
  sqlite = std::move(*opened);
  store = std::make_unique<store::CachedStore>(*sqlite);
  auto provider = MakeKeyProvider(config);
  if (!provider.ok()) return provider.error();
  keys = std::move(*provider);
  auto made = MakeMinter(config);
  if (!made.ok()) return made.error();
  minter.emplace(std::move(*made));
  verifier =
      std::make_unique<TokenVerifier>(*keys, SystemClock::Instance(), MakeVerifyOptions(config));
  rooms = std::make_unique<rooms::RoomService>(*store, SystemClock::Instance(), OpenSslRandom());
  auto tmpl = rooms->EnsureDefaultTemplate();
  if (!tmpl.ok()) return tmpl.error();
  codes = std::make_unique<codes::CodeService>(
      *store, *minter, SystemClock::Instance(), OpenSslRandom(),
      codes::CodeOptions{config.server.max_codes_per_room, config.server.code_token_ttl});
  limiter = std::make_unique<codes::FailureRateLimiter>(codes::RateLimitOptions{
      config.server.redeem_failures_burst, config.server.redeem_failures_per_minute});
  services = std::make_unique<api::ApiServices>(api::ApiServices{
      *verifier, *rooms, *codes, *limiter, MonotonicMs, config.server.trusted_proxies});
  api::AddAllRoutes(router, *services);
  if (Status s = WireSessions(info); !s.ok()) return s;
  AddOperationalRoutes();
  // The SDK and the Prebuilt app, embedded in the binary (web/embedded_assets.h).
  const Result<web::AssetCatalog>& assets = web::EmbeddedCatalog();
  if (!assets.ok()) return assets.error();
  web::AddWebRoutes(router, *assets);
  info << "roomgate: default template '" << tmpl->name << "' (" << tmpl->id.str() << ")\n";
  return Status::Ok();
}

static sessions::HubOptions HubOptionsFrom(const config::SessionConfig& c) {
  return sessions::HubOptions{c.duplicate_user == "refuse", c.expiry_warning,
                              c.on_token_expiry == "remove", c.empty_grace, c.role_request_timeout};
}

Status Server::Impl::WireSessions(std::ostream& info) {
  // A session still active in the store was cut off by a crash or kill:
  // nobody is in it any more.
  auto ended = store->EndActiveSessions(SystemClock::Instance().NowSeconds());
  if (!ended.ok()) return ended.error();
  if (*ended > 0)
    info << "roomgate: closed " << *ended << " session(s) left open by the last run\n";
  recorder = std::make_unique<sessions::BatchingSessionRecorder>(*store);
  hub = std::make_unique<sessions::SessionHub>(*verifier, *rooms, *recorder,
                                               SystemClock::Instance(), OpenSslRandom(),
                                               HubOptionsFrom(config.session), WireMedia(info));
  live_services = std::make_unique<api::LiveApiServices>(
      api::LiveApiServices{*verifier, *rooms, *hub, *store, *recorder});
  api::AddLiveRoomRoutes(router, *live_services);
  signalling = std::make_unique<SignallingEndpoint>(
      *hub,
      sessions::ConnectionOptions{config.session.messages_per_second, config.session.message_burst},
      config.session.join_timeout);
  return Status::Ok();
}

// Janus need not be up when roomgate starts (or may restart later): the
// backend connects on first use, and media requests fail with 4501 naming
// Janus's address until it answers.
sessions::MediaPlane Server::Impl::WireMedia(std::ostream& info) {
  if (config.media.backend == "none") {
    info << "roomgate: media: none (signalling only)\n";
    return {};
  }
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.media.janus_timeout);
  media::JanusConnectionOptions options;
  options.port = static_cast<uint16_t>(config.media.janus_port);
  options.api_secret = config.media.janus_api_secret;
  options.connect_timeout = timeout;
  options.request_timeout = timeout;
  media_backend = std::make_unique<media::JanusBackend>(options, OpenSslRandom());
  media_workers = std::make_unique<sessions::MediaWorkers>(config.media.workers);
  const Status probe = media_backend->Probe();
  info << "roomgate: media: Janus VideoRoom at ws://127.0.0.1:" << config.media.janus_port
       << (probe.ok() ? " (connected)"
                      : " — not reachable now (" + probe.message() +
                            "); media requests fail with 4501 until it is up")
       << "\n";
  return {media_backend.get(), media_workers.get()};
}

void Server::Impl::AddOperationalRoutes() {
  router.Add("GET", "/healthz", [](const api::Request&, const api::PathParams&) {
    return api::Response{200, R"({"status":"ok"})"};
  });
  router.Add("GET", "/metrics", [this](const api::Request&, const api::PathParams&) {
    SessionFigures f{hub->room_count(),   hub->peer_count(), signalling->open_connections(),
                     hub->joins(),        hub->refusals(),   recorder->recorded(),
                     recorder->dropped(), recorder->failed()};
    if (media_backend) {
      const sessions::MediaStats& m = hub->media_stats();
      f.media = true;
      f.sfu_up = media_backend->connected();
      f.publications = m.publications;
      f.subscriptions = m.subscriptions;
      f.publishes = m.publishes;
      f.media_refusals = m.refusals;
      f.sfu_failures = m.sfu_failures;
    }
    return api::Response{200, metrics.Render() + RenderSessionFigures(f),
                         "text/plain; version=0.0.4"};
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Start(config::Config config, std::ostream& info) {
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  auto listen = ParseListenAddress(impl->config.server.listen);
  if (!listen.ok()) return listen.error();
  auto creds = EnsureCredentials(impl->config, OpenSslRandom());
  if (!creds.ok()) return creds.error();
  if (Status s = impl->Wire(info); !s.ok()) return s;

  net::HttpServer::Options options;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = impl->config.server.threads;
  options.max_body_bytes = impl->config.server.max_body_bytes;
  options.max_connections = FitConnectionsToFileLimit(impl->config.server.max_connections, info);
  Impl* raw = impl.get();
  auto log = [raw](const net::AccessLogEntry& e) {
    raw->metrics.RecordRequest(e.status, e.latency);
    if (raw->config.server.access_log) {
      // Method, path, status, latency only: the query and headers may hold tokens.
      std::clog << "access " << e.remote_address << " " << LogSafe(e.method) << " "
                << LogSafe(e.path) << " " << e.status << " " << e.latency.count() << "us\n";
    }
  };
  auto http = net::HttpServer::Start(
      options, [raw](const api::Request& r) { return raw->Handle(r); }, log,
      [raw](const api::Request& r) { return raw->signalling->Accept(r); });
  if (!http.ok()) return http.error();
  impl->http = std::move(*http);

  const std::string& key = impl->config.SigningKey()->access_key;
  if (creds->kind == CredentialsSource::Kind::kGenerated) {
    info << "roomgate: generated app credentials (first start)\n";
  }
  if (creds->kind != CredentialsSource::Kind::kConfigured) {
    info << "roomgate: access key " << key << "; the secret is in " << creds->path
         << " (mode 0600)\n";
  }
  info << "roomgate: listening on http://" << listen->first << ":" << impl->http->port()
       << std::endl;
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::vector<api::RouteInfo> Server::Routes() const { return impl_->router.Routes(); }

uint16_t Server::port() const { return impl_->http ? impl_->http->port() : 0; }

// Peers are told and closed first (with a bounded wait), so they see
// server-shutdown rather than a dropped socket; then HTTP stops; then the
// history still queued is written.
void Server::Stop() {
  if (!impl_) return;
  if (impl_->signalling) impl_->signalling->Shutdown(std::chrono::seconds(2));
  // The rooms' media steps (their SFU rooms torn down) run before Janus's
  // connection goes — unless Janus does not answer: after 3 s the
  // connection is dropped so the rest fail at once (Janus then drops the
  // sessions itself) and shutdown stays bounded.
  if (impl_->media_workers) {
    std::atomic<bool> drained{false};
    std::thread guard([&] {
      for (int i = 0; i < 30 && !drained; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!drained) impl_->media_backend->Close();
    });
    impl_->media_workers->Stop();
    drained = true;
    guard.join();
  }
  if (impl_->http) impl_->http->Stop();
  if (impl_->recorder) impl_->recorder->Flush();
}

}  // namespace roomgate::server
