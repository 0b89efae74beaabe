// HMAC-SHA256 keyed with an app secret, computed by OpenSSL 3 (EVP_MAC).
//
// Keying an HMAC context costs about as much as MAC-ing a whole token, and an
// EVP_MAC_CTX may not be used by two threads at once. So each thread keeps a
// few keyed contexts (one per recently used key) and re-initialises them
// without the key, which makes OpenSSL reuse the precomputed pads.
//
// Thread-safety: Sign may be called from any thread concurrently.
#ifndef ROOMGATE_AUTH_HMAC_SHA256_H_
#define ROOMGATE_AUTH_HMAC_SHA256_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace roomgate::auth {

inline constexpr size_t kHmacSha256Bytes = 32;

class HmacSha256Key {
 public:
  // The key is the secret's raw bytes (100ms's convention).
  explicit HmacSha256Key(std::string_view secret);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  // out = HMAC-SHA256(secret, data). False only if OpenSSL fails (e.g. out of
  // memory); the caller must then treat the MAC as unknown.
  bool Sign(std::string_view data, uint8_t out[kHmacSha256Bytes]) const;

 private:
  std::string secret_;
  uint64_t id_;  // names this key in the per-thread context cache
};

// Constant-time comparison of two MACs (CRYPTO_memcmp), so a forger learns
// nothing from how long a rejection took.
bool MacEqual(const uint8_t* a, const uint8_t* b, size_t n);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_HMAC_SHA256_H_
