// `roomgate keys generate`: a new app credential from OpenSSL's CSPRNG,
// printed as environment assignments so it can be sourced directly.
#include "cli/commands.h"
#include "roomgate/keys.h"

namespace roomgate::cli {

int RunKeys(const std::vector<std::string>& args, Io io) {
  if (args.size() != 1 || args[0] != "generate") {
    io.err << "usage: roomgate keys generate\n";
    return args.size() == 1 && args[0] == "--help" ? kExitOk : kExitUsage;
  }
  const Credential c = GenerateCredential(OpenSslRandom());
  io.out << "ROOMGATE_ACCESS_KEY=" << c.access_key.str() << "\n"
         << "ROOMGATE_SECRET=" << c.secret << "\n";
  return kExitOk;
}

}  // namespace roomgate::cli
