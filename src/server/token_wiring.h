// Config -> token services: the one place that turns the configured keys and
// token settings into a TokenMinter, a key provider and VerifyOptions. Used
// by the server's composition root and by the CLI's token commands, so both
// mint and verify exactly alike.
//
// Thread-safety: start-up code; the objects built are thread-safe.
#ifndef ROOMGATE_SERVER_TOKEN_WIRING_H_
#define ROOMGATE_SERVER_TOKEN_WIRING_H_

#include <memory>

#include "config/config.h"
#include "roomgate/token.h"

namespace roomgate::server {

// Mints with the configured signing key; InvalidArgument with advice when no
// key is configured.
Result<TokenMinter> MakeMinter(const config::Config& config);
// Every configured key; the same advice when there is none.
Result<std::unique_ptr<StaticKeyProvider>> MakeKeyProvider(const config::Config& config);
VerifyOptions MakeVerifyOptions(const config::Config& config);

}  // namespace roomgate::server

#endif  // ROOMGATE_SERVER_TOKEN_WIRING_H_
