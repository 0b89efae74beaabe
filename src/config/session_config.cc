#include "config/session_config.h"

#include <algorithm>

#include "common/duration.h"

namespace roomgate::config {
namespace {

using nlohmann::json;

Status Bad(const std::string& setting, const std::string& why) {
  return Status::InvalidArgument("config: session." + setting + ": " + why);
}

Status ReadChoice(const json& j, const char* name, std::initializer_list<const char*> choices,
                  std::string& out) {
  if (!j.contains(name)) return Status::Ok();
  const json& v = j.at(name);
  std::string joined;
  for (const char* c : choices) joined += std::string(joined.empty() ? "" : " or ") + '"' + c + '"';
  if (!v.is_string()) return Bad(name, "must be " + joined);
  const std::string text = v.get<std::string>();
  if (std::none_of(choices.begin(), choices.end(), [&](const char* c) { return text == c; })) {
    return Bad(name, "must be " + joined);
  }
  out = text;
  return Status::Ok();
}

Status ReadSeconds(const json& j, const char* name, std::chrono::seconds& out) {
  if (!j.contains(name)) return Status::Ok();
  const json& v = j.at(name);
  if (!v.is_string()) return Bad(name, "must be a string like \"10s\"");
  auto d = ParseDuration(v.get<std::string>());
  if (!d.ok()) return Bad(name, d.error().message());
  out = *d;
  return Status::Ok();
}

Status ReadRate(const json& j, const char* name, double& out) {
  if (!j.contains(name)) return Status::Ok();
  if (!j.at(name).is_number()) return Bad(name, "must be a number");
  out = j.at(name).get<double>();
  return Status::Ok();
}

}  // namespace

Status LoadSession(const json& j, SessionConfig& session) {
  if (!j.is_object()) return Status::InvalidArgument("config: session: must be an object");
  static const char* kKnown[] = {"duplicate_user",      "join_timeout", "expiry_warning",
                                 "on_token_expiry",     "empty_grace",  "role_request_timeout",
                                 "messages_per_second", "message_burst"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Bad(key, "unknown setting");
    }
  }
  Status s = ReadChoice(j, "duplicate_user", {"replace", "refuse"}, session.duplicate_user);
  if (s.ok()) s = ReadChoice(j, "on_token_expiry", {"remove", "keep"}, session.on_token_expiry);
  if (s.ok()) s = ReadSeconds(j, "join_timeout", session.join_timeout);
  if (s.ok()) s = ReadSeconds(j, "expiry_warning", session.expiry_warning);
  if (s.ok()) s = ReadSeconds(j, "empty_grace", session.empty_grace);
  if (s.ok()) s = ReadSeconds(j, "role_request_timeout", session.role_request_timeout);
  if (s.ok()) s = ReadRate(j, "messages_per_second", session.messages_per_second);
  if (s.ok()) s = ReadRate(j, "message_burst", session.message_burst);
  return s;
}

Status ValidateSession(const SessionConfig& session) {
  if (session.join_timeout.count() < 1) return Bad("join_timeout", "must be at least 1s");
  if (session.expiry_warning.count() < 0) return Bad("expiry_warning", "must not be negative");
  if (session.empty_grace.count() < 0) return Bad("empty_grace", "must not be negative");
  if (session.role_request_timeout.count() < 1) {
    return Bad("role_request_timeout", "must be at least 1s");
  }
  if (session.messages_per_second <= 0 || session.message_burst < 1) {
    return Bad("messages_per_second", "must be positive, and message_burst at least 1");
  }
  return Status::Ok();
}

}  // namespace roomgate::config
