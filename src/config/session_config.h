// Reading and checking the `session` section of the config (config.h has
// the fields and their defaults). Internal to src/config.
#ifndef ROOMGATE_CONFIG_SESSION_CONFIG_H_
#define ROOMGATE_CONFIG_SESSION_CONFIG_H_

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace roomgate::config {

Status LoadSession(const nlohmann::json& j, SessionConfig& session);
Status ValidateSession(const SessionConfig& session);

}  // namespace roomgate::config

#endif  // ROOMGATE_CONFIG_SESSION_CONFIG_H_
