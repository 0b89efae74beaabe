// SigningKey: an access key bound to its secret's HMAC key. The definition of
// the opaque type in roomgate/keys.h.
//
// Thread-safety: immutable; Sign may be called from any thread.
#ifndef ROOMGATE_AUTH_SIGNING_KEY_H_
#define ROOMGATE_AUTH_SIGNING_KEY_H_

#include <string_view>

#include "auth/hmac_sha256.h"
#include "roomgate/keys.h"

namespace roomgate {

class SigningKey {
 public:
  SigningKey(AccessKey access_key, std::string_view secret)
      : access_key_(std::move(access_key)), hmac_(secret) {}

  const AccessKey& access_key() const { return access_key_; }
  bool Sign(std::string_view data, uint8_t out[auth::kHmacSha256Bytes]) const {
    return hmac_.Sign(data, out);
  }

 private:
  AccessKey access_key_;
  auth::HmacSha256Key hmac_;
};

}  // namespace roomgate

#endif  // ROOMGATE_AUTH_SIGNING_KEY_H_
