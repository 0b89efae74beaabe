#include "cli/wiring.h"

#include <filesystem>

namespace roomgate::cli {

Result<config::Config> LoadConfig(const Args& args, const config::EnvLookup& getenv,
                                  bool use_generated_credentials) {
  config::Config cfg;
  std::optional<std::string> path = args.Get("config");
  if (!path) path = getenv("ROOMGATE_CONFIG");
  if (path) {
    if (Status s = config::LoadFile(*path, cfg); !s.ok()) return s;
  }
  if (Status s = config::ApplyEnvironment(getenv, cfg); !s.ok()) return s;
  auto key = args.Get("access-key");
  auto secret = args.Get("secret");
  if (key.has_value() != secret.has_value()) {
    return Status::InvalidArgument("give both --access-key and --secret, or neither");
  }
  if (key) config::SetPrimaryKey(*key, *secret, cfg);
  if (auto data = args.Get("data")) cfg.server.data_dir = *data;
  if (cfg.keys.empty() && use_generated_credentials) {
    const auto generated = std::filesystem::path(cfg.server.data_dir) / "credentials.json";
    if (std::filesystem::exists(generated)) {
      if (Status s = config::LoadFile(generated.string(), cfg); !s.ok()) return s;
    }
  }
  if (Status s = cfg.Validate(); !s.ok()) return s;
  return cfg;
}

}  // namespace roomgate::cli
