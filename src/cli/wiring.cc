#include "cli/wiring.h"

#include <filesystem>

namespace roomgate::cli {
namespace {

std::vector<Credential> Credentials(const config::Config& config) {
  std::vector<Credential> out;
  for (const auto& k : config.keys) out.push_back({AccessKey(k.access_key), k.secret});
  return out;
}

}  // namespace

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

Result<TokenMinter> MakeMinter(const config::Config& config) {
  const config::KeyConfig* key = config.SigningKey();
  if (key == nullptr) {
    return Status::InvalidArgument(
        "no credentials: set ROOMGATE_ACCESS_KEY and ROOMGATE_SECRET, pass --access-key and "
        "--secret, or use --config (make a pair with `roomgate keys generate`)");
  }
  MintOptions options{config.tokens.default_ttl, config.tokens.max_ttl};
  return TokenMinter::Create({AccessKey(key->access_key), key->secret}, SystemClock::Instance(),
                             OpenSslRandom(), options);
}

Result<std::unique_ptr<StaticKeyProvider>> MakeKeyProvider(const config::Config& config) {
  if (config.keys.empty()) return MakeMinter(config).error();  // same "no credentials" advice
  return StaticKeyProvider::Create(Credentials(config));
}

VerifyOptions MakeVerifyOptions(const config::Config& config) {
  return VerifyOptions{config.tokens.leeway, config.tokens.max_token_bytes};
}

}  // namespace roomgate::cli
