// Token minting: claims as 100ms's docs list them, HS256 over the raw secret.
#include "auth/base64url.h"
#include "auth/claims_codec.h"
#include "auth/signing_key.h"
#include "auth/utf8.h"
#include "common/duration.h"
#include "common/uuid.h"
#include "roomgate/token.h"

namespace roomgate {
namespace {

// Keeps every minted token far below the verifier's default 8 KiB cap.
constexpr size_t kMaxClaimBytes = 1024;

Status CheckClaimText(std::string_view name, std::string_view value, bool required) {
  if (required && value.empty()) return Status::InvalidArgument(std::string(name) + " is required");
  if (value.size() > kMaxClaimBytes) {
    return Status::InvalidArgument(std::string(name) + " is longer than 1024 bytes");
  }
  if (!auth::IsValidUtf8(value)) {
    return Status::InvalidArgument(std::string(name) + " is not valid UTF-8");
  }
  return Status::Ok();
}

}  // namespace

struct TokenMinter::Impl {
  Impl(const Credential& c, const Clock& clk, SecureRandom& rnd, MintOptions opts)
      : key(c.access_key, c.secret), clock(clk), random(rnd), options(opts) {}

  Status CheckTtl(std::chrono::seconds validity) const {
    if (validity.count() <= 0) return Status::InvalidArgument("token validity must be positive");
    if (validity > options.max_ttl) {
      return Status::InvalidArgument("token validity " + FormatDuration(validity) +
                                     " exceeds the maximum of " + FormatDuration(options.max_ttl));
    }
    return Status::Ok();
  }

  // Fills the time claims and jti, then signs: header.payload.signature,
  // built in one buffer.
  Result<MintedToken> Mint(auth::MintClaims c, std::optional<std::chrono::seconds> ttl,
                           bool app) const {
    const auto validity = ttl.value_or(options.default_ttl);
    if (Status s = CheckTtl(validity); !s.ok()) return s;
    char jti[kUuidLength];
    WriteUuidV4(random, jti);
    c.access_key = key.access_key().str();
    c.jti = std::string_view(jti, sizeof(jti));
    c.issued_at = clock.NowSeconds();
    c.expires_at = c.issued_at + validity.count();

    thread_local std::string payload;
    payload.clear();
    app ? auth::AppendAppClaims(c, payload) : auth::AppendManagementClaims(c, payload);
    MintedToken out;
    out.expires_at = c.expires_at;
    std::string& t = out.token;
    t.reserve(auth::kEncodedHeader.size() + auth::Base64UrlEncodedLength(payload.size()) + 45);
    t.append(auth::kEncodedHeader);
    t += '.';
    auth::Base64UrlEncode(payload, t);
    uint8_t mac[auth::kHmacSha256Bytes];
    if (!key.Sign(t, mac)) return Status::Internal("HMAC computation failed");
    t += '.';
    auth::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)), t);
    return out;
  }

  SigningKey key;
  const Clock& clock;
  SecureRandom& random;
  MintOptions options;
};

TokenMinter::TokenMinter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TokenMinter::TokenMinter(TokenMinter&&) noexcept = default;
TokenMinter& TokenMinter::operator=(TokenMinter&&) noexcept = default;
TokenMinter::~TokenMinter() = default;

Result<TokenMinter> TokenMinter::Create(const Credential& credential, const Clock& clock,
                                        SecureRandom& random, MintOptions options) {
  if (Status s = ValidateCredential(credential); !s.ok()) return s;
  if (options.default_ttl.count() <= 0 || options.default_ttl > options.max_ttl) {
    return Status::InvalidArgument(
        "default token validity must be positive and within the maximum");
  }
  return TokenMinter(std::make_unique<Impl>(credential, clock, random, options));
}

Result<MintedToken> TokenMinter::MintApp(const AppTokenRequest& request) const {
  if (Status s = CheckClaimText("room_id", request.room_id.str(), true); !s.ok()) return s;
  if (Status s = CheckClaimText("role", request.role.str(), true); !s.ok()) return s;
  auth::MintClaims c;
  c.room_id = request.room_id.str();
  c.role = request.role.str();
  if (request.user_id && !request.user_id->empty()) {
    if (Status s = CheckClaimText("user_id", request.user_id->str(), false); !s.ok()) return s;
    c.user_id = request.user_id->str();
  }
  return impl_->Mint(c, request.ttl, /*app=*/true);
}

Result<MintedToken> TokenMinter::MintManagement(std::optional<std::chrono::seconds> ttl) const {
  return impl_->Mint(auth::MintClaims{}, ttl, /*app=*/false);
}

}  // namespace roomgate
