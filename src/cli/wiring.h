// Builds the services the CLI commands use from the layered configuration
// (file, environment, flags), the same way the server will.
//
// Thread-safety: start-up code; call from one thread.
#ifndef ROOMGATE_CLI_WIRING_H_
#define ROOMGATE_CLI_WIRING_H_

#include <memory>

#include "cli/args.h"
#include "config/config.h"
#include "roomgate/token.h"

namespace roomgate::cli {

// Options every command that needs credentials accepts.
inline const std::set<std::string> kConfigOptions = {"config", "access-key", "secret"};

// defaults <- --config / ROOMGATE_CONFIG file <- ROOMGATE_* <- flags.
Result<config::Config> LoadConfig(const Args& args, const config::EnvLookup& getenv);

Result<TokenMinter> MakeMinter(const config::Config& config);
Result<std::unique_ptr<StaticKeyProvider>> MakeKeyProvider(const config::Config& config);
VerifyOptions MakeVerifyOptions(const config::Config& config);

}  // namespace roomgate::cli

#endif  // ROOMGATE_CLI_WIRING_H_
