// Reading and checking the `media` section of the config (config.h has the
// fields and their defaults) and its environment overrides. Internal to
// src/config.
#ifndef ROOMGATE_CONFIG_MEDIA_CONFIG_H_
#define ROOMGATE_CONFIG_MEDIA_CONFIG_H_

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace roomgate::config {

Status LoadMedia(const nlohmann::json& j, MediaConfig& media);
// ROOMGATE_MEDIA_BACKEND, ROOMGATE_JANUS_PORT, ROOMGATE_JANUS_API_SECRET.
Status ApplyMediaEnvironment(const EnvLookup& getenv, MediaConfig& media);
Status ValidateMedia(const MediaConfig& media);

}  // namespace roomgate::config

#endif  // ROOMGATE_CONFIG_MEDIA_CONFIG_H_
