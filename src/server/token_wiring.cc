#include "server/token_wiring.h"

namespace roomgate::server {

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
  std::vector<Credential> keys;
  for (const auto& k : config.keys) keys.push_back({AccessKey(k.access_key), k.secret});
  return StaticKeyProvider::Create(keys);
}

VerifyOptions MakeVerifyOptions(const config::Config& config) {
  return VerifyOptions{config.tokens.leeway, config.tokens.max_token_bytes};
}

}  // namespace roomgate::server
