// `roomgate token app|management|verify`: thin wrappers over TokenMinter and
// TokenVerifier, the same services the server uses.
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/wiring.h"
#include "common/duration.h"

namespace roomgate::cli {
namespace {

constexpr const char* kTokenUsage =
    "usage: roomgate token app --room-id ROOM --role ROLE [--user-id USER] [--ttl 24h]\n"
    "       roomgate token management [--ttl 24h]\n"
    "       roomgate token verify [--type app|management] TOKEN\n"
    "credentials: ROOMGATE_ACCESS_KEY + ROOMGATE_SECRET, --access-key + --secret, or --config "
    "FILE\n";

int Usage(Io io, const std::string& problem) {
  io.err << "roomgate: " << problem << "\n" << kTokenUsage;
  return kExitUsage;
}

int Help(Io io) {
  io.out << kTokenUsage;
  return kExitOk;
}

int Fail(Io io, const std::string& message) {
  io.err << "roomgate: " << message << "\n";
  return kExitFailure;
}

std::set<std::string> With(std::set<std::string> extra) {
  extra.insert(kConfigOptions.begin(), kConfigOptions.end());
  return extra;
}

int Mint(const std::vector<std::string>& argv, bool app, Io io) {
  auto args = Args::Parse(argv, app ? With({"room-id", "role", "user-id", "ttl"}) : With({"ttl"}));
  if (!args.ok()) return Usage(io, args.error().message());
  if (args->Has("help")) return Help(io);
  if (!args->positional().empty()) return Usage(io, "unexpected argument " + args->positional()[0]);
  std::optional<std::chrono::seconds> ttl;
  if (auto t = args->Get("ttl")) {
    auto d = ParseDuration(*t);
    if (!d.ok()) return Usage(io, d.error().message());
    ttl = *d;
  }
  auto cfg = LoadConfig(*args, config::ProcessEnv);
  if (!cfg.ok()) return Fail(io, cfg.error().message());
  auto minter = MakeMinter(*cfg);
  if (!minter.ok()) return Fail(io, minter.error().message());
  Result<MintedToken> token = Status::Internal("unreachable");
  if (app) {
    auto room = args->Get("room-id"), role = args->Get("role");
    if (!room || !role) return Usage(io, "token app needs --room-id and --role");
    AppTokenRequest req{RoomId(*room), RoleName(*role), std::nullopt, ttl};
    if (auto user = args->Get("user-id")) req.user_id = UserId(*user);
    token = minter->MintApp(req);
  } else {
    token = minter->MintManagement(ttl);
  }
  if (!token.ok()) return Fail(io, token.error().message());
  io.out << token->token << "\n";
  return kExitOk;
}

int Verify(const std::vector<std::string>& argv, Io io) {
  auto args = Args::Parse(argv, With({"type"}));
  if (!args.ok()) return Usage(io, args.error().message());
  if (args->Has("help")) return Help(io);
  if (args->positional().size() != 1) return Usage(io, "token verify needs exactly one TOKEN");
  const std::string type_name = args->Get("type").value_or("app");
  if (type_name != "app" && type_name != "management") {
    return Usage(io, "--type must be app or management");
  }
  auto cfg = LoadConfig(*args, config::ProcessEnv);
  if (!cfg.ok()) return Fail(io, cfg.error().message());
  auto keys = MakeKeyProvider(*cfg);
  if (!keys.ok()) return Fail(io, keys.error().message());
  TokenVerifier verifier(**keys, SystemClock::Instance(), MakeVerifyOptions(*cfg));
  const std::string& token = args->positional()[0];
  auto claims =
      verifier.Verify(token, type_name == "app" ? TokenType::kApp : TokenType::kManagement);
  if (!claims.ok()) {
    io.err << "invalid token (" << TokenErrorName(claims.error().error)
           << "): " << claims.error().message << "\n";
    return kExitFailure;
  }
  // Every claim, in the token's order, as the verified payload carries them.
  auto payload = DecodeTokenPayload(token);
  if (!payload.ok()) return Fail(io, payload.error().message());
  // Without exceptions: the verifier accepts claims nlohmann cannot hold
  // (e.g. a number like 1e400 in an unknown claim); print those verbatim.
  const auto doc = nlohmann::ordered_json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  io.out << (doc.is_discarded()
                 ? *payload
                 : doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
         << "\n";
  return kExitOk;
}

}  // namespace

int RunToken(const std::vector<std::string>& args, Io io) {
  if (args.empty()) return Usage(io, "token needs a subcommand");
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "app") return Mint(rest, /*app=*/true, io);
  if (args[0] == "management") return Mint(rest, /*app=*/false, io);
  if (args[0] == "verify") return Verify(rest, io);
  if (args[0] == "--help" || args[0] == "help") return Help(io);
  return Usage(io, "unknown token subcommand '" + args[0] + "'");
}

}  // namespace roomgate::cli
