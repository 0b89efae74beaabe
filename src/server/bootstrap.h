// First start: a server with an empty data folder and no credentials
// configured generates an app key pair, stores it in the data folder (mode
// 0600) and uses it, so `roomgate serve` works with nothing else to set up.
// Later starts load that file. Configured keys (file, environment, flags)
// always take precedence and the data-folder keys are then ignored.
//
// Thread-safety: start-up code; call from one thread.
#ifndef ROOMGATE_SERVER_BOOTSTRAP_H_
#define ROOMGATE_SERVER_BOOTSTRAP_H_

#include <string>

#include "config/config.h"
#include "roomgate/secure_random.h"

namespace roomgate::server {

struct CredentialsSource {
  enum class Kind { kConfigured, kLoadedFromDataDir, kGenerated } kind;
  std::string path;  // the credentials file for the latter two
};

// Creates the data folder (0700) if needed, then fills config.keys as above.
Result<CredentialsSource> EnsureCredentials(config::Config& config, SecureRandom& random);

// Writes `content` to `path` atomically (temp file, fsync, rename, fsync of
// the folder) with the given mode: a crash never leaves half a file.
Status WriteFileAtomically(const std::string& path, const std::string& content, int mode);

}  // namespace roomgate::server

#endif  // ROOMGATE_SERVER_BOOTSTRAP_H_
