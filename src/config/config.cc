#include "config/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/duration.h"
#include "config/media_config.h"
#include "config/session_config.h"

namespace roomgate::config {
namespace {

using nlohmann::json;
using std::chrono::seconds;

Status Bad(const std::string& setting, const std::string& why) {
  return Status::InvalidArgument("config: " + setting + ": " + why);
}

Status ReadDuration(const json& j, const char* name, seconds& out) {
  if (!j.contains(name)) return Status::Ok();
  const json& v = j.at(name);
  if (!v.is_string()) return Bad(std::string("tokens.") + name, "must be a string like \"24h\"");
  auto d = ParseDuration(v.get<std::string>());
  if (!d.ok()) return Bad(std::string("tokens.") + name, d.error().message());
  out = *d;
  return Status::Ok();
}

Status CheckKeys(const json& j, const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Bad(where + key, "unknown setting");
    }
  }
  return Status::Ok();
}

Status LoadTokens(const json& t, TokenConfig& tokens) {
  if (!t.is_object()) return Bad("tokens", "must be an object");
  if (Status s = CheckKeys(t, {"default_ttl", "max_ttl", "leeway", "max_token_bytes"}, "tokens.");
      !s.ok()) {
    return s;
  }
  for (auto [name, field] :
       {std::pair{"default_ttl", &tokens.default_ttl}, std::pair{"max_ttl", &tokens.max_ttl},
        std::pair{"leeway", &tokens.leeway}}) {
    if (Status s = ReadDuration(t, name, *field); !s.ok()) return s;
  }
  if (t.contains("max_token_bytes")) {
    const json& v = t.at("max_token_bytes");
    if (!v.is_number_unsigned()) return Bad("tokens.max_token_bytes", "must be a positive integer");
    tokens.max_token_bytes = v.get<size_t>();
  }
  return Status::Ok();
}

bool IsIpAddress(const std::string& text) {
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

Status ReadNumber(const json& j, const char* name, double& out) {
  if (!j.contains(name)) return Status::Ok();
  if (!j.at(name).is_number()) return Bad(std::string("server.") + name, "must be a number");
  out = j.at(name).get<double>();
  return Status::Ok();
}

template <typename T>
Status ReadUnsigned(const json& j, const char* name, T& out) {
  if (!j.contains(name)) return Status::Ok();
  if (!j.at(name).is_number_unsigned()) {
    return Bad(std::string("server.") + name, "must be a non-negative integer");
  }
  out = j.at(name).get<T>();
  return Status::Ok();
}

Status LoadServer(const json& j, ServerConfig& server) {
  if (!j.is_object()) return Bad("server", "must be an object");
  if (Status s =
          CheckKeys(j,
                    {"listen", "data_dir", "threads", "max_body_bytes", "code_token_ttl",
                     "redeem_failures_burst", "redeem_failures_per_minute", "max_codes_per_room",
                     "access_log", "trusted_proxies", "max_connections"},
                    "server.");
      !s.ok()) {
    return s;
  }
  for (auto [name, field] :
       {std::pair{"listen", &server.listen}, std::pair{"data_dir", &server.data_dir}}) {
    if (!j.contains(name)) continue;
    if (!j.at(name).is_string()) return Bad(std::string("server.") + name, "must be a string");
    *field = j.at(name).get<std::string>();
  }
  if (j.contains("access_log")) {
    if (!j.at("access_log").is_boolean()) return Bad("server.access_log", "must be true or false");
    server.access_log = j.at("access_log").get<bool>();
  }
  if (j.contains("trusted_proxies")) {
    const json& v = j.at("trusted_proxies");
    if (!v.is_array()) return Bad("server.trusted_proxies", "must be an array of IP addresses");
    server.trusted_proxies.clear();
    for (const json& a : v) {
      if (!a.is_string() || !IsIpAddress(a.get<std::string>())) {
        return Bad("server.trusted_proxies", "each entry must be an IPv4 or IPv6 address");
      }
      server.trusted_proxies.push_back(a.get<std::string>());
    }
  }
  if (j.contains("code_token_ttl")) {
    const json& v = j.at("code_token_ttl");
    auto d = v.is_string()
                 ? ParseDuration(v.get<std::string>())
                 : Result<seconds>(Status::InvalidArgument("must be a string like \"24h\""));
    if (!d.ok()) return Bad("server.code_token_ttl", d.error().message());
    server.code_token_ttl = *d;
  }
  Status s = ReadUnsigned(j, "threads", server.threads);
  if (s.ok()) s = ReadUnsigned(j, "max_body_bytes", server.max_body_bytes);
  if (s.ok()) s = ReadUnsigned(j, "max_codes_per_room", server.max_codes_per_room);
  if (s.ok()) s = ReadUnsigned(j, "max_connections", server.max_connections);
  if (s.ok()) s = ReadNumber(j, "redeem_failures_burst", server.redeem_failures_burst);
  if (s.ok()) s = ReadNumber(j, "redeem_failures_per_minute", server.redeem_failures_per_minute);
  return s;
}

Status LoadKeys(const json& k, Config& config) {
  if (!k.is_array()) return Bad("keys", "must be an array of {access_key, secret}");
  for (const json& entry : k) {
    if (!entry.is_object() || !entry.contains("access_key") || !entry.contains("secret") ||
        !entry.at("access_key").is_string() || !entry.at("secret").is_string()) {
      return Bad("keys", "each entry needs string 'access_key' and 'secret'");
    }
    if (Status s = CheckKeys(entry, {"access_key", "secret"}, "keys[]."); !s.ok()) return s;
    config.keys.push_back(
        {entry.at("access_key").get<std::string>(), entry.at("secret").get<std::string>()});
  }
  return Status::Ok();
}

}  // namespace

Status Config::Validate() const {
  if (tokens.default_ttl.count() <= 0) return Bad("tokens.default_ttl", "must be positive");
  if (tokens.max_ttl < tokens.default_ttl) {
    return Bad("tokens.max_ttl", "must be at least tokens.default_ttl");
  }
  if (tokens.leeway > seconds(600)) return Bad("tokens.leeway", "must be at most 10m");
  if (tokens.max_token_bytes < 512 || tokens.max_token_bytes > 64 * 1024) {
    return Bad("tokens.max_token_bytes", "must be between 512 and 65536");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].access_key.empty()) return Bad("keys", "an access key is empty");
    for (size_t j = 0; j < i; ++j) {
      if (keys[j].access_key == keys[i].access_key) {
        return Bad("keys", "access key '" + keys[i].access_key + "' is listed twice");
      }
    }
  }
  if (server.listen.rfind(':') == std::string::npos) {
    return Bad("server.listen", "must be HOST:PORT");
  }
  if (server.data_dir.empty()) return Bad("server.data_dir", "must not be empty");
  if (server.threads < 0 || server.threads > 256) return Bad("server.threads", "must be 0-256");
  if (server.max_body_bytes < 1024 || server.max_body_bytes > 64 * 1024 * 1024) {
    return Bad("server.max_body_bytes", "must be between 1024 and 67108864");
  }
  if (server.code_token_ttl.count() <= 0 || server.code_token_ttl > tokens.max_ttl) {
    return Bad("server.code_token_ttl", "must be positive and at most tokens.max_ttl");
  }
  if (server.redeem_failures_burst < 1 || server.redeem_failures_per_minute <= 0) {
    return Bad("server.redeem_failures_*", "burst must be >= 1 and the rate positive");
  }
  if (server.max_codes_per_room < 1) return Bad("server.max_codes_per_room", "must be >= 1");
  if (server.max_connections < 16) return Bad("server.max_connections", "must be >= 16");
  if (Status s = ValidateSession(session); !s.ok()) return s;
  if (Status s = ValidateMedia(media); !s.ok()) return s;
  if (!signing_access_key.empty() && SigningKey() == nullptr) {
    return Bad("signing_access_key", "'" + signing_access_key + "' is not among the keys");
  }
  return Status::Ok();
}

const KeyConfig* Config::SigningKey() const {
  if (keys.empty()) return nullptr;
  if (signing_access_key.empty()) return &keys.front();
  for (const KeyConfig& k : keys) {
    if (k.access_key == signing_access_key) return &k;
  }
  return nullptr;
}

Status LoadJson(std::string_view text, Config& config) {
  json j;
  try {
    j = json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // Only the position: the parser's own message quotes the text around the
    // error, which may be a secret.
    return Status::InvalidArgument("config: not valid JSON (error at byte " +
                                   std::to_string(e.byte) + ")");
  } catch (const json::exception&) {
    // e.g. out_of_range for a number beyond double ("1e400"); its message
    // quotes the text too.
    return Status::InvalidArgument("config: not valid JSON (a number is out of range)");
  }
  if (!j.is_object()) return Status::InvalidArgument("config: must be a JSON object");
  if (Status s =
          CheckKeys(j, {"keys", "signing_access_key", "tokens", "server", "session", "media"}, "");
      !s.ok()) {
    return s;
  }
  if (j.contains("session")) {
    if (Status s = LoadSession(j.at("session"), config.session); !s.ok()) return s;
  }
  if (j.contains("media")) {
    if (Status s = LoadMedia(j.at("media"), config.media); !s.ok()) return s;
  }
  if (j.contains("server")) {
    if (Status s = LoadServer(j.at("server"), config.server); !s.ok()) return s;
  }
  if (j.contains("keys")) {
    if (Status s = LoadKeys(j.at("keys"), config); !s.ok()) return s;
  }
  if (j.contains("signing_access_key")) {
    if (!j.at("signing_access_key").is_string())
      return Bad("signing_access_key", "must be a string");
    config.signing_access_key = j.at("signing_access_key").get<std::string>();
  }
  if (j.contains("tokens")) return LoadTokens(j.at("tokens"), config.tokens);
  return Status::Ok();
}

Status LoadFile(const std::string& path, Config& config) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("config: cannot read '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadJson(buffer.str(), config);
}

void SetPrimaryKey(std::string access_key, std::string secret, Config& config) {
  config.signing_access_key = access_key;
  for (KeyConfig& k : config.keys) {
    if (k.access_key == access_key) {
      k.secret = std::move(secret);
      return;
    }
  }
  config.keys.push_back({std::move(access_key), std::move(secret)});
}

Status ApplyEnvironment(const EnvLookup& getenv, Config& config) {
  auto key = getenv("ROOMGATE_ACCESS_KEY");
  auto secret = getenv("ROOMGATE_SECRET");
  if (key.has_value() != secret.has_value()) {
    return Status::InvalidArgument("set both ROOMGATE_ACCESS_KEY and ROOMGATE_SECRET, or neither");
  }
  if (key) SetPrimaryKey(std::move(*key), std::move(*secret), config);
  if (auto v = getenv("ROOMGATE_LISTEN")) config.server.listen = *v;
  if (auto v = getenv("ROOMGATE_DATA_DIR")) config.server.data_dir = *v;
  if (Status s = ApplyMediaEnvironment(getenv, config.media); !s.ok()) return s;
  const std::pair<const char*, seconds*> durations[] = {
      {"ROOMGATE_TOKEN_TTL", &config.tokens.default_ttl},
      {"ROOMGATE_MAX_TOKEN_TTL", &config.tokens.max_ttl},
      {"ROOMGATE_TOKEN_LEEWAY", &config.tokens.leeway}};
  for (const auto& [name, field] : durations) {
    if (auto v = getenv(name)) {
      auto d = ParseDuration(*v);
      if (!d.ok()) return Status::InvalidArgument(std::string(name) + ": " + d.error().message());
      *field = *d;
    }
  }
  return Status::Ok();
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace roomgate::config
