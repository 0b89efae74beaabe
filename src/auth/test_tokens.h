// Test helper: builds tokens byte by byte (any header, any payload, any
// signing secret) so verifier tests can present exactly the token they need.
#ifndef ROOMGATE_AUTH_TEST_TOKENS_H_
#define ROOMGATE_AUTH_TEST_TOKENS_H_

#include <string>
#include <string_view>

#include "auth/base64url.h"
#include "auth/hmac_sha256.h"

namespace roomgate::auth::testing {

inline constexpr std::string_view kAccessKey = "64f1c2a9e3b7d8a1c2b3d4e5";
inline constexpr std::string_view kSecret = "s3cr3t-that-is-long-enough-for-hs256-0123456789abcdef";
inline constexpr int64_t kNow = 1'800'000'000;

inline std::string SignedToken(std::string_view header_json, std::string_view payload_json,
                               std::string_view secret = kSecret) {
  std::string t = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
  uint8_t mac[kHmacSha256Bytes];
  HmacSha256Key(secret).Sign(t, mac);
  return t + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), sizeof(mac)));
}

inline constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

// A valid app token payload at kNow, with `extra` spliced in before the end.
inline std::string AppPayload(std::string_view extra = "") {
  return R"({"access_key":"64f1c2a9e3b7d8a1c2b3d4e5","room_id":"room-1","user_id":"alice",)"
         R"("role":"host","type":"app","version":2,"iat":1800000000,"nbf":1800000000,)"
         R"("exp":1800086400,"jti":"3b241101-e2bb-4255-8caf-4136c566a962")" +
         std::string(extra) + "}";
}

}  // namespace roomgate::auth::testing

#endif  // ROOMGATE_AUTH_TEST_TOKENS_H_
