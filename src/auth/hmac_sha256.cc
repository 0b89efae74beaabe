#include "auth/hmac_sha256.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <atomic>

namespace roomgate::auth {
namespace {

std::atomic<uint64_t> next_key_id{1};

EVP_MAC* HmacAlgorithm() {
  // Fetched once: fetching per call is what makes OpenSSL 3's one-shot HMAC()
  // about three times slower than a reused context.
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  return mac;
}

EVP_MAC_CTX* NewKeyedContext(std::string_view secret) {
  EVP_MAC* mac = HmacAlgorithm();
  if (mac == nullptr) return nullptr;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  if (ctx == nullptr) return nullptr;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                   params) != 1) {
    EVP_MAC_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// A handful of keyed contexts per thread. Servers have one or two active keys;
// eight slots with round-robin replacement cover rotation without a map.
class ContextCache {
 public:
  ~ContextCache() {
    for (auto& s : slots_) EVP_MAC_CTX_free(s.ctx);  // also wipes the key
  }
  EVP_MAC_CTX* Get(uint64_t id, std::string_view secret) {
    for (auto& s : slots_) {
      if (s.id == id) return s.ctx;
    }
    Slot& victim = slots_[next_victim_++ % slots_.size()];
    EVP_MAC_CTX_free(victim.ctx);
    victim.ctx = NewKeyedContext(secret);
    victim.id = victim.ctx != nullptr ? id : 0;
    return victim.ctx;
  }

 private:
  struct Slot {
    uint64_t id = 0;
    EVP_MAC_CTX* ctx = nullptr;
  };
  std::array<Slot, 8> slots_{};
  size_t next_victim_ = 0;
};

}  // namespace

HmacSha256Key::HmacSha256Key(std::string_view secret)
    : secret_(secret), id_(next_key_id.fetch_add(1, std::memory_order_relaxed)) {}

HmacSha256Key::~HmacSha256Key() { OPENSSL_cleanse(secret_.data(), secret_.size()); }

bool HmacSha256Key::Sign(std::string_view data, uint8_t out[kHmacSha256Bytes]) const {
  thread_local ContextCache cache;
  EVP_MAC_CTX* ctx = cache.Get(id_, secret_);
  if (ctx == nullptr) return false;
  size_t len = 0;
  // A null key re-initialises with the key already set (OpenSSL keeps the pads).
  return EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
         EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) ==
             1 &&
         EVP_MAC_final(ctx, out, &len, kHmacSha256Bytes) == 1 && len == kHmacSha256Bytes;
}

bool MacEqual(const uint8_t* a, const uint8_t* b, size_t n) { return CRYPTO_memcmp(a, b, n) == 0; }

}  // namespace roomgate::auth
