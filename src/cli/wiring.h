// Loads the layered configuration (file, environment, flags) for the CLI
// commands; the token services come from server/token_wiring.h.
//
// Thread-safety: start-up code; call from one thread.
#ifndef ROOMGATE_CLI_WIRING_H_
#define ROOMGATE_CLI_WIRING_H_

#include <memory>

#include "cli/args.h"
#include "config/config.h"
#include "roomgate/token.h"
#include "server/token_wiring.h"

namespace roomgate::cli {

// Options every command that needs credentials accepts.
inline const std::set<std::string> kConfigOptions = {"config", "access-key", "secret", "data"};

// defaults <- --config / ROOMGATE_CONFIG file <- ROOMGATE_* <- flags. When
// that yields no keys, the credentials a server generated in its data folder
// (--data, else the configured data_dir, default ./roomgate-data) are used,
// so the CLI works next to a server started with nothing configured.
// `serve` passes use_generated_credentials=false: the server loads (or
// creates) them itself, and says where they are.
Result<config::Config> LoadConfig(const Args& args, const config::EnvLookup& getenv,
                                  bool use_generated_credentials = true);

// The token services are built by server/token_wiring.h, shared with the server.
using server::MakeKeyProvider;
using server::MakeMinter;
using server::MakeVerifyOptions;

}  // namespace roomgate::cli

#endif  // ROOMGATE_CLI_WIRING_H_
