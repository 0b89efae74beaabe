#include "config/media_config.h"

#include <algorithm>
#include <charconv>

#include "common/duration.h"

namespace roomgate::config {
namespace {

using nlohmann::json;

Status Bad(const std::string& setting, const std::string& why) {
  return Status::InvalidArgument("config: media." + setting + ": " + why);
}

Status ParsePort(std::string_view text, int& out) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Bad("janus_port", "must be a port number");
  }
  out = port;
  return Status::Ok();
}

}  // namespace

Status LoadMedia(const json& j, MediaConfig& media) {
  if (!j.is_object()) return Status::InvalidArgument("config: media: must be an object");
  static const char* kKnown[] = {"backend", "janus_port", "janus_api_secret", "janus_timeout",
                                 "workers"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Bad(key, "unknown setting");
    }
  }
  if (j.contains("backend")) {
    if (!j["backend"].is_string()) return Bad("backend", "must be \"janus\" or \"none\"");
    media.backend = j["backend"].get<std::string>();
  }
  if (j.contains("janus_port")) {
    if (!j["janus_port"].is_number_integer()) return Bad("janus_port", "must be a port number");
    media.janus_port = j["janus_port"].get<int>();
  }
  if (j.contains("janus_api_secret")) {
    // Never echoed in a message: it is a secret.
    if (!j["janus_api_secret"].is_string()) return Bad("janus_api_secret", "must be a string");
    media.janus_api_secret = j["janus_api_secret"].get<std::string>();
  }
  if (j.contains("janus_timeout")) {
    if (!j["janus_timeout"].is_string()) return Bad("janus_timeout", "must be like \"5s\"");
    auto d = ParseDuration(j["janus_timeout"].get<std::string>());
    if (!d.ok()) return Bad("janus_timeout", d.error().message());
    media.janus_timeout = *d;
  }
  if (j.contains("workers")) {
    if (!j["workers"].is_number_integer()) return Bad("workers", "must be a whole number");
    media.workers = j["workers"].get<int>();
  }
  return Status::Ok();
}

Status ApplyMediaEnvironment(const EnvLookup& getenv, MediaConfig& media) {
  if (auto v = getenv("ROOMGATE_MEDIA_BACKEND")) media.backend = *v;
  if (auto v = getenv("ROOMGATE_JANUS_API_SECRET")) media.janus_api_secret = *v;
  if (auto v = getenv("ROOMGATE_JANUS_PORT")) return ParsePort(*v, media.janus_port);
  return Status::Ok();
}

Status ValidateMedia(const MediaConfig& media) {
  if (media.backend != "janus" && media.backend != "none") {
    return Bad("backend", "must be \"janus\" or \"none\"");
  }
  if (media.janus_port < 1 || media.janus_port > 65535) {
    return Bad("janus_port", "must be 1 to 65535");
  }
  if (media.janus_timeout.count() < 1) return Bad("janus_timeout", "must be at least 1s");
  if (media.workers < 1 || media.workers > 64) return Bad("workers", "must be 1 to 64");
  return Status::Ok();
}

}  // namespace roomgate::config
