// App credentials: an access key and the secret that signs its tokens.
//
// A token names its key in the `access_key` claim; the KeyProvider finds the
// secret for it. Several keys may be active at once so a secret can be rotated
// without a moment where old tokens stop verifying.
//
// Secrets are used as their raw string bytes for HMAC-SHA256, exactly as 100ms
// and every sample in its docs do, so a secret from an existing backend keeps
// working. They are never written to logs or error messages.
//
// Thread-safety: KeyProvider::Find may be called from any thread.
#ifndef ROOMGATE_KEYS_H_
#define ROOMGATE_KEYS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "roomgate/ids.h"
#include "roomgate/secure_random.h"
#include "roomgate/status.h"

namespace roomgate {

struct Credential {
  AccessKey access_key;
  std::string secret;
};

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes).
inline constexpr size_t kMinSecretBytes = 32;
inline constexpr size_t kMaxAccessKeyBytes = 128;

// Checks the access key (1-128 of [A-Za-z0-9._-]) and the secret length. The
// error names the access key but never the secret.
Status ValidateCredential(const Credential& credential);

// A new pair from the CSPRNG: 24 lowercase hex digits (the shape of 100ms's
// keys) and a secret of 48 random bytes, base64url-encoded (64 characters).
Credential GenerateCredential(SecureRandom& random);

// An access key with its secret, ready to sign. Opaque outside the auth library.
class SigningKey;

class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // The key for `access_key`, or nullptr when it is not known. The pointer
  // stays valid as long as the provider.
  virtual const SigningKey* Find(std::string_view access_key) const = 0;
};

// A fixed set of keys, built once (from the config) and then read-only.
class StaticKeyProvider final : public KeyProvider {
 public:
  // Fails on an invalid credential or a repeated access key.
  static Result<std::unique_ptr<StaticKeyProvider>> Create(const std::vector<Credential>& keys);
  ~StaticKeyProvider() override;

  const SigningKey* Find(std::string_view access_key) const override;

 private:
  struct Impl;
  explicit StaticKeyProvider(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roomgate

#endif  // ROOMGATE_KEYS_H_
