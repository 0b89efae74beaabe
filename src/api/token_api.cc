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
#include "auth/json_object_parser.h"
#include "common/time_format.h"

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

// The request body, read with the strict flat-object parser the token
// verifier uses: this endpoint is the hot path, and a general JSON document
// per request costs more than minting the token. Unknown members are
// ignored (SDKs may add some); `code` and `user_id` must be strings (or
// user_id null) and appear once.
Result<std::pair<std::string, std::optional<UserId>>> ParseRequest(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument("'code' is required");
  }
  auth::JsonObjectParser parser(body);
  std::string_view key;
  auth::JsonValue value;
  std::optional<std::string> code, user;
  for (auto step = parser.Next(key, value); step != auth::JsonObjectParser::Step::kEnd;
       step = parser.Next(key, value)) {
    if (step == auth::JsonObjectParser::Step::kError) {
      return Status::InvalidArgument("request body is not a valid JSON object");
    }
    if (key != "code" && key != "user_id") continue;
    std::optional<std::string>& slot = key == "code" ? code : user;
    if (slot) return Status::InvalidArgument("'" + std::string(key) + "' appears twice");
    if (key == "user_id" && value.kind == auth::JsonKind::kNull) continue;
    if (value.kind != auth::JsonKind::kString) {
      return Status::InvalidArgument("'" + std::string(key) + "' must be a string");
    }
    slot = std::string(value.text);
  }
  if (!code || code->empty()) return Status::InvalidArgument("'code' is required");
  if (user && user->size() > kMaxUserIdBytes) {
    return Status::InvalidArgument("'user_id' is longer than 256 bytes");
  }
  std::optional<UserId> user_id;
  if (user && !user->empty()) user_id = UserId(std::move(*user));
  return std::pair{std::move(*code), std::move(user_id)};
}

Result<MintedToken> RedeemBody(ApiServices& s, std::string_view body) {
  auto request = ParseRequest(body);
  if (!request.ok()) return request.error();
  return s.codes.Redeem(request->first, request->second);
}

// {"token": ..., "expiresAt": ...} written directly: a token is base64url
// and dots and the timestamp digits and punctuation, so nothing needs
// escaping, and a JSON serializer would inspect every byte for nothing.
std::string TokenBody(const MintedToken& minted) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_time;
  if (minted.expires_at != cached_second) {
    cached_second = minted.expires_at;
    cached_time = FormatRfc3339(minted.expires_at);
  }
  std::string body;
  body.reserve(minted.token.size() + cached_time.size() + 32);
  body.append(R"({"token":")").append(minted.token).append(R"(","expiresAt":")");
  body.append(cached_time).append(R"("})");
  return body;
}

Response Redeem(ApiServices& s, const Request& r) {
  const std::string address = codes::RateLimitKey(
      codes::ClientAddress(r.remote_address, r.Header("x-forwarded-for"), s.trusted_proxies));
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
  return WithCors(Response{200, TokenBody(*minted)});
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
