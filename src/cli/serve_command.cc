// `roomgate serve`: runs the server until SIGINT or SIGTERM, then shuts down
// gracefully (in-flight requests finish, the store is closed cleanly).
#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <iostream>

#include "cli/commands.h"
#include "cli/wiring.h"
#include "server/server.h"

namespace roomgate::cli {
namespace {

constexpr const char* kServeUsage =
    "usage: roomgate serve [--listen HOST:PORT] [--data DIR] [--threads N] [--config FILE]\n"
    "                      [--access-key KEY --secret SECRET]\n"
    "defaults: --listen 127.0.0.1:8080 --data ./roomgate-data; with no credentials configured\n"
    "the first start generates a key pair into the data folder.\n";

Status ApplyServeFlags(const Args& args, config::Config& cfg) {
  if (auto v = args.Get("listen")) cfg.server.listen = *v;
  if (auto v = args.Get("threads")) {
    int n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size()) {
      return Status::InvalidArgument("--threads must be a number");
    }
    cfg.server.threads = n;
  }
  return cfg.Validate();
}

// Signals are blocked in every thread (the server's threads inherit the mask)
// and taken synchronously here, so no handler runs in a random thread.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int RunServe(const std::vector<std::string>& argv, Io io) {
  std::set<std::string> allowed = {"listen", "threads"};
  allowed.insert(kConfigOptions.begin(), kConfigOptions.end());
  auto args = Args::Parse(argv, allowed);
  if (!args.ok()) {
    io.err << "roomgate: " << args.error().message() << "\n" << kServeUsage;
    return kExitUsage;
  }
  if (args->Has("help")) {
    io.out << kServeUsage;
    return kExitOk;
  }
  auto cfg = LoadConfig(*args, config::ProcessEnv, /*use_generated_credentials=*/false);
  if (!cfg.ok()) {
    io.err << "roomgate: " << cfg.error().message() << "\n";
    return kExitFailure;
  }
  if (Status s = ApplyServeFlags(*args, *cfg); !s.ok()) {
    io.err << "roomgate: " << s.message() << "\n";
    return kExitUsage;
  }
  const sigset_t signals = BlockShutdownSignals();
  auto server = server::Server::Start(std::move(*cfg), io.out);
  if (!server.ok()) {
    io.err << "roomgate: cannot start: " << server.error().message() << "\n";
    return kExitFailure;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  io.out << "roomgate: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", shutting down"
         << std::endl;
  (*server)->Stop();
  io.out << "roomgate: stopped" << std::endl;
  return kExitOk;
}

}  // namespace roomgate::cli
