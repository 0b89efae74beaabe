// roomgate: the command-line entry point. Dispatches to thin commands over
// the same libraries the server uses (STYLE.md rule 13).
#include <iostream>

#include "cli/commands.h"

namespace roomgate::cli {

void PrintUsage(std::ostream& out) {
  out << "roomgate " ROOMGATE_VERSION
         " - self-hosted access server for video sessions\n\n"
         "usage: roomgate <command> [options]\n\n"
         "commands:\n"
         "  serve [--listen 127.0.0.1:8080] [--data ./roomgate-data]\n"
         "                         run the server (REST API /v2, token endpoint)\n"
         "  token app --room-id ROOM --role ROLE [--user-id USER] [--ttl 24h]\n"
         "                         mint an auth token (printed alone on stdout)\n"
         "  token management [--ttl 24h]\n"
         "                         mint a management token for the REST API\n"
         "  token verify [--type app|management] TOKEN\n"
         "                         verify a token; print its claims as JSON (exit 0) or\n"
         "                         the reason on stderr (exit 1)\n"
         "  keys generate          print a new access key and secret\n"
         "  version                print the version\n\n"
         "credentials (token commands):\n"
         "  ROOMGATE_ACCESS_KEY, ROOMGATE_SECRET   environment (preferred: flags show in ps)\n"
         "  --access-key KEY --secret SECRET       flags, override the environment\n"
         "  --config FILE (or ROOMGATE_CONFIG)     JSON config; see docs/roomgate.example.json\n";
}

}  // namespace roomgate::cli

int main(int argc, char** argv) {
  using namespace roomgate::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const Io io{std::cout, std::cerr};
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(std::cout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "token") return RunToken(rest, io);
  if (args[0] == "keys") return RunKeys(rest, io);
  if (args[0] == "serve") return RunServe(rest, io);
  if (args[0] == "version" || args[0] == "--version") {
    std::cout << "roomgate " ROOMGATE_VERSION "\n";
    return kExitOk;
  }
  std::cerr << "roomgate: unknown command '" << args[0] << "'\n";
  PrintUsage(std::cerr);
  return kExitUsage;
}
