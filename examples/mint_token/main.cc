// Mints an auth token for a user the way a customer's backend would, then
// verifies it with the same credentials. Credentials come from
// ROOMGATE_ACCESS_KEY / ROOMGATE_SECRET; without them a fresh pair is made so
// the example runs anywhere (a real backend loads its own, of course).
//
//   mint_token [ROOM_ID] [ROLE] [USER_ID]
#include <roomgate/token.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  using namespace roomgate;
  Credential credential;
  const char* key = std::getenv("ROOMGATE_ACCESS_KEY");
  const char* secret = std::getenv("ROOMGATE_SECRET");
  if (key != nullptr && secret != nullptr) {
    credential = {AccessKey(key), secret};
  } else {
    credential = GenerateCredential(OpenSslRandom());
  }

  auto minter = TokenMinter::Create(credential, SystemClock::Instance(), OpenSslRandom());
  if (!minter.ok()) {
    std::cerr << "cannot mint: " << minter.error().message() << "\n";
    return 1;
  }
  AppTokenRequest request;
  request.room_id = RoomId(argc > 1 ? argv[1] : "64f1c2a9e3b7d8a1c2b3d4e5");
  request.role = RoleName(argc > 2 ? argv[2] : "host");
  if (argc > 3) request.user_id = UserId(argv[3]);
  request.ttl = std::chrono::hours(1);
  auto token = minter->MintApp(request);
  if (!token.ok()) {
    std::cerr << "cannot mint: " << token.error().message() << "\n";
    return 1;
  }
  std::cout << token->token << "\n";

  // Any roomgate node with the same key verifies it.
  auto keys = StaticKeyProvider::Create({credential});
  if (!keys.ok()) return 1;
  TokenVerifier verifier(**keys, SystemClock::Instance());
  auto claims = verifier.Verify(token->token, TokenType::kApp);
  if (!claims.ok()) {
    std::cerr << "verification failed: " << claims.error().message << "\n";
    return 1;
  }
  std::cerr << "verified: room " << claims->room_id.str() << ", role " << claims->role.str()
            << ", expires at " << claims->expires_at << "\n";
  return 0;
}
