// The management-token guard, the first thing every /v2 handler runs (except
// the public token endpoint). App tokens are refused here by type: a
// participant's token must never reach the REST API.
#include "api/api.h"
#include "api/http.h"

namespace roomgate::api {
namespace {

std::optional<std::string_view> BearerToken(const Request& request) {
  auto header = request.Header("authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>((*header)[i])) != kScheme[i]) return std::nullopt;
  }
  std::string_view token = header->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace

RouteHandler WithManagementToken(const TokenVerifier& verifier, RouteHandler handler) {
  return
      [&verifier, handler = std::move(handler)](const Request& request, const PathParams& params) {
        auto token = BearerToken(request);
        if (!token || token->empty()) {
          return ErrorResponse(401, "missing management token (Authorization: Bearer <token>)");
        }
        auto claims = verifier.Verify(*token, TokenType::kManagement);
        if (!claims.ok()) {
          return ErrorResponse(401, "management token rejected: " + claims.error().message);
        }
        return handler(request, params);
      };
}

void AddAllRoutes(Router& router, ApiServices& services) {
  AddTemplateRoutes(router, services);
  AddRoomRoutes(router, services);
  AddRoomCodeRoutes(router, services);
  AddTokenRoutes(router, services);
}

}  // namespace roomgate::api
