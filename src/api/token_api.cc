// POST /v2/token {code, user_id?} -> {token, expiresAt}: the public endpoint
// behind the client SDK's getAuthTokenByRoomCode (reference §5).
//
// - No authentication: the room code is the credential.
// - The body is JSON whatever the Content-Type: the web SDK sends text/plain
//   so the browser makes a CORS "simple request" without preflight.
// - CORS: any origin may call it (codes are meant to be shared in links);
//   preflight answered for clients that do send one.
// - Errors are {code, message} with the HTTP status in `code`: the SDK
//   branches on the body's code (404 unknown, 403 disabled, 429 rate-limited,
//   which it retries).
// - Brute-force guard: failed redemptions (404 and 403) are rate-limited per
//   client address; see codes/rate_limiter.h for the numbers.
#include "api/api.h"
#include "api/errors.h"
#include "api/json_body.h"
#include "api/time_format.h"

namespace roomgate::api {
namespace {

constexpr size_t kMaxUserIdBytes = 256;

void AddCors(Response& r) {
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Access-Control-Allow-Methods", "POST, OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
  r.headers.emplace_back("Access-Control-Max-Age", "86400");
}

Response WithCors(Response r) {
  AddCors(r);
  return r;
}

Response RateLimited(std::chrono::seconds retry_after) {
  Response r = ErrorResponse(429, "too many failed room code attempts; retry later");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return WithCors(std::move(r));
}

Result<std::optional<UserId>> ReadUserId(const JsonBody& body) {
  auto user = body.String("user_id");
  if (!user.ok()) return user.error();
  if (!*user || (*user)->empty()) return std::optional<UserId>();
  if ((*user)->size() > kMaxUserIdBytes) {
    return Status::InvalidArgument("'user_id' is longer than 256 bytes");
  }
  return std::optional<UserId>(UserId(**user));
}

Result<MintedToken> RedeemBody(ApiServices& s, const std::string& text) {
  auto body = JsonBody::Parse(text);
  if (!body.ok()) return body.error();
  auto code = body->String("code");
  if (!code.ok()) return code.error();
  if (!*code || (*code)->empty()) return Status::InvalidArgument("'code' is required");
  auto user = ReadUserId(*body);
  if (!user.ok()) return user.error();
  return s.codes.Redeem(**code, *user);
}

Response Redeem(ApiServices& s, const Request& r) {
  const std::string& address = r.remote_address;
  // The attempt is charged up front and refunded on success, so concurrent
  // guesses cannot overrun the budget.
  if (auto wait = s.redeem_limiter.Reserve(address, s.monotonic_ms())) return RateLimited(*wait);
  auto minted = RedeemBody(s, r.body);
  if (!minted.ok()) {
    const Status::Code c = minted.error().code();
    // Only wrong or disabled codes count as guesses; a malformed request or
    // a server fault gets its token back.
    if (c != Status::Code::kNotFound && c != Status::Code::kPermissionDenied) {
      s.redeem_limiter.Refund(address, s.monotonic_ms());
    }
    return WithCors(ErrorFrom(minted.error()));
  }
  s.redeem_limiter.Refund(address, s.monotonic_ms());
  nlohmann::json out = {{"token", minted->token}, {"expiresAt", FormatRfc3339(minted->expires_at)}};
  return WithCors(Response{200, Dump(out), "application/json", {}});
}

}  // namespace

void AddTokenRoutes(Router& router, ApiServices& s) {
  router.Add("POST", "/v2/token",
             [&s](const Request& r, const PathParams&) { return Redeem(s, r); });
  router.Add("OPTIONS", "/v2/token", [](const Request&, const PathParams&) {
    return WithCors(Response{204, "", "application/json", {}});
  });
}

}  // namespace roomgate::api
