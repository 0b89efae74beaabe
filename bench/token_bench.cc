// Single-thread throughput of minting and verifying an auth token, next to the
// anchor the issue names: bare OpenSSL HMAC-SHA256 over the same bytes (the
// token's signing input), through the fastest OpenSSL path (a keyed EVP_MAC
// context re-initialised per message). roomgate's cost above that anchor is
// everything that is not the MAC: JSON, base64url, claim checks, the jti.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>

#include "roomgate/token.h"

namespace {

using namespace roomgate;

const Credential kCredential{AccessKey("64f1c2a9e3b7d8a1c2b3d4e5"),
                             "Vb8o6QmJq0xH2nCkYw3tZr5uEa9sLd1fGp7iKj4hMx0cNv2bTy6oWq8eRz3aSg5d"};
const AppTokenRequest kRequest{
    RoomId("64f1c2a9e3b7d8a1c2b3d4e6"), RoleName("host"), UserId("user-2f6a1c"), {}};

TokenMinter MakeMinter() {
  return TokenMinter::Create(kCredential, SystemClock::Instance(), OpenSslRandom()).value();
}

std::string SampleToken() { return MakeMinter().MintApp(kRequest)->token; }

void BM_HmacSha256Bare(benchmark::State& state) {
  const std::string token = SampleToken();
  const std::string input = token.substr(0, token.rfind('.'));
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(kCredential.secret.data()),
               kCredential.secret.size(), params);
  unsigned char out[32];
  size_t len = 0;
  for (auto _ : state) {
    EVP_MAC_init(ctx, nullptr, 0, nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MAC_final(ctx, out, &len, sizeof(out));
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(input.size()) + " bytes");
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
}
BENCHMARK(BM_HmacSha256Bare);

void BM_MintAppToken(benchmark::State& state) {
  const TokenMinter minter = MakeMinter();
  for (auto _ : state) {
    auto token = minter.MintApp(kRequest);
    benchmark::DoNotOptimize(token);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MintAppToken);

void BM_VerifyAppToken(benchmark::State& state) {
  auto keys = StaticKeyProvider::Create({kCredential}).value();
  const TokenVerifier verifier(*keys, SystemClock::Instance());
  const std::string token = SampleToken();
  for (auto _ : state) {
    auto claims = verifier.Verify(token, TokenType::kApp);
    if (!claims.ok()) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(claims);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyAppToken);

}  // namespace

BENCHMARK_MAIN();
