#include "roomgate/keys.h"

#include <unordered_map>

#include "auth/base64url.h"
#include "auth/signing_key.h"

namespace roomgate {
namespace {

bool IsAccessKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Lets the map be searched with a string_view, without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

Status ValidateCredential(const Credential& credential) {
  const std::string& key = credential.access_key.str();
  if (key.empty() || key.size() > kMaxAccessKeyBytes) {
    return Status::InvalidArgument("access key must be 1-128 characters");
  }
  for (char c : key) {
    if (!IsAccessKeyChar(c)) {
      return Status::InvalidArgument("access key '" + key +
                                     "' may contain only letters, digits, '.', '_' and '-'");
    }
  }
  if (credential.secret.size() < kMinSecretBytes) {
    // Name the key, never the secret.
    return Status::InvalidArgument("secret for access key '" + key + "' is " +
                                   std::to_string(credential.secret.size()) +
                                   " bytes; HS256 needs at least 32");
  }
  return Status::Ok();
}

Credential GenerateCredential(SecureRandom& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint8_t key_bytes[12];
  random.Fill(key_bytes);
  std::string access_key;
  for (uint8_t b : key_bytes) {
    access_key += kHex[b >> 4];
    access_key += kHex[b & 15];
  }
  uint8_t secret_bytes[48];
  random.Fill(secret_bytes);
  std::string secret = auth::Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(secret_bytes), sizeof(secret_bytes)));
  return Credential{AccessKey(std::move(access_key)), std::move(secret)};
}

struct StaticKeyProvider::Impl {
  std::unordered_map<std::string, std::unique_ptr<SigningKey>, StringHash, std::equal_to<>> keys;
};

StaticKeyProvider::StaticKeyProvider(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StaticKeyProvider::~StaticKeyProvider() = default;

Result<std::unique_ptr<StaticKeyProvider>> StaticKeyProvider::Create(
    const std::vector<Credential>& keys) {
  auto impl = std::make_unique<Impl>();
  for (const Credential& c : keys) {
    if (Status s = ValidateCredential(c); !s.ok()) return s;
    auto key = std::make_unique<SigningKey>(c.access_key, c.secret);
    if (!impl->keys.emplace(c.access_key.str(), std::move(key)).second) {
      return Status::InvalidArgument("access key '" + c.access_key.str() + "' is listed twice");
    }
  }
  return std::unique_ptr<StaticKeyProvider>(new StaticKeyProvider(std::move(impl)));
}

const SigningKey* StaticKeyProvider::Find(std::string_view access_key) const {
  auto it = impl_->keys.find(access_key);
  return it == impl_->keys.end() ? nullptr : it->second.get();
}

}  // namespace roomgate
