// Config: every setting of roomgate in one tree, each with its default.
//
// Sources, later ones overriding earlier ones:
//   1. defaults (below);
//   2. the config file (JSON; `//` and `/* */` comments allowed), given by
//      --config or ROOMGATE_CONFIG; see docs/roomgate.example.json;
//   3. ROOMGATE_* environment variables;
//   4. command-line flags.
// Flags win over the environment because they are the more deliberate,
// per-invocation choice; the environment wins over the file so a deployment
// can override a shared file without editing it.
//
// Thread-safety: a plain value; build it once at start-up.
#ifndef ROOMGATE_CONFIG_CONFIG_H_
#define ROOMGATE_CONFIG_CONFIG_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roomgate/status.h"

namespace roomgate::config {

// One app credential. Kept apart from auth's Credential so the config layer
// stays below auth (STYLE.md rule 1); auth validates it when building keys.
struct KeyConfig {
  std::string access_key;
  std::string secret;
};

struct TokenConfig {
  // Validity of minted tokens when the caller does not choose (100ms: 24 h).
  std::chrono::seconds default_ttl{24 * 3600};
  // Minting refuses validities longer than this (100ms's documented cap).
  std::chrono::seconds max_ttl{90 * 24 * 3600};
  // Clock skew tolerated for `nbf` and `iat` of presented tokens (not `exp`).
  std::chrono::seconds leeway{60};
  // Presented tokens longer than this are refused unread.
  size_t max_token_bytes = 8 * 1024;
};

struct ServerConfig {
  // Address to listen on, HOST:PORT. Loopback by default: exposing the
  // server is a deliberate choice (put TLS in front of it).
  std::string listen = "127.0.0.1:8080";
  // The embedded store (SQLite) and, when no keys are configured, the
  // generated credentials live here.
  std::string data_dir = "./roomgate-data";
  // I/O threads; 0 = one per core.
  int threads = 0;
  // Request bodies larger than this get 413.
  size_t max_body_bytes = 1024 * 1024;
  // Validity of tokens from the room-code endpoint (100ms: 24 h).
  std::chrono::seconds code_token_ttl{24 * 3600};
  // Brute-force guard of POST /v2/token: failed redemptions per client
  // address, as a token bucket.
  double redeem_failures_burst = 10;
  double redeem_failures_per_minute = 10;
  // Reverse proxies (exact IP addresses) whose X-Forwarded-For header names
  // the client, for the brute-force guard. Empty: the header is ignored.
  std::vector<std::string> trusted_proxies;
  // 100ms's limit of room codes per room.
  size_t max_codes_per_room = 100;
  // Open connections (HTTP and WebSocket together) at most; beyond this new
  // ones are closed at once. Each costs a file descriptor: `serve` raises
  // its soft RLIMIT_NOFILE to the hard limit and lowers this to fit.
  size_t max_connections = 50000;
  // One line per request on stderr (method, path, status, latency; never
  // the query string, headers or body, which may carry tokens).
  bool access_log = true;
};

// Live sessions (docs/signalling.md).
struct SessionConfig {
  // What happens when a user_id that is already in the room joins again:
  // "replace" closes the old connection (a reloaded tab, a switched
  // device), "refuse" turns the new one away with 4011.
  std::string duplicate_user = "replace";
  // A connection must send `join` this soon after the handshake.
  std::chrono::seconds join_timeout{10};
  // A peer is told this long before its token's exp, so it can refresh.
  std::chrono::seconds expiry_warning{60};
  // At exp without a refresh: "remove" disconnects the peer (4202), "keep"
  // lets it stay until it leaves. Remove by default: a token's exp is the
  // customer's statement of how long this user may be in the room.
  std::string on_token_expiry = "remove";
  // A session ends when its room has been empty this long, so a peer that
  // reconnects at once (a network change) stays in the same session.
  std::chrono::seconds empty_grace{10};
  // A role-change request the target has not accepted after this is gone.
  std::chrono::seconds role_request_timeout{60};
  // Per-peer message rate limit (token bucket).
  double messages_per_second = 20;
  double message_burst = 50;
};

// The media plane (docs/signalling.md, "Media"): which SFU carries the
// sessions' audio and video.
struct MediaConfig {
  // "janus": Janus's VideoRoom, reached over its WebSocket API on
  // 127.0.0.1 (scripts/janus/ starts it); "none": signalling only, media
  // requests are refused with 4501.
  std::string backend = "janus";
  int janus_port = 8188;
  // Janus's api_secret, sent with every request; never logged.
  std::string janus_api_secret;
  // Bound on connecting to Janus and on each request to it.
  std::chrono::seconds janus_timeout{5};
  // Threads that drive the SFU (each room's steps stay in order).
  int workers = 2;
};

struct Config {
  // Active app credentials; a token's `access_key` claim picks one. Any
  // number may be active, so secrets can be rotated without downtime.
  std::vector<KeyConfig> keys;
  // The key roomgate signs with when it mints. Empty: the key given by
  // flags/environment if any, else the first key of the file.
  std::string signing_access_key;
  TokenConfig tokens;
  ServerConfig server;
  SessionConfig session;
  MediaConfig media;

  // Checks ranges and consistency; the message names the offending setting.
  Status Validate() const;
  // The key to mint with, or nullptr when no key is configured.
  const KeyConfig* SigningKey() const;
};

// Reads a config file over `config`. Unknown settings are errors: a typo in
// a security setting must not silently fall back to the default.
Status LoadFile(const std::string& path, Config& config);
Status LoadJson(std::string_view json, Config& config);

// Applies ROOMGATE_ACCESS_KEY + ROOMGATE_SECRET (both or neither),
// ROOMGATE_TOKEN_TTL, ROOMGATE_MAX_TOKEN_TTL, ROOMGATE_TOKEN_LEEWAY,
// ROOMGATE_LISTEN, ROOMGATE_DATA_DIR, and the media settings'
// ROOMGATE_MEDIA_BACKEND, ROOMGATE_JANUS_PORT, ROOMGATE_JANUS_API_SECRET.
// `getenv` is injected so tests need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;
Status ApplyEnvironment(const EnvLookup& getenv, Config& config);
std::optional<std::string> ProcessEnv(const char* name);

// Adds (or replaces the secret of) a key and makes it the signing key.
void SetPrimaryKey(std::string access_key, std::string secret, Config& config);

}  // namespace roomgate::config

#endif  // ROOMGATE_CONFIG_CONFIG_H_
