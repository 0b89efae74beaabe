// The CLI's commands. Each takes the arguments after its name and returns the
// process exit code: 0 success, 1 failure (e.g. an invalid token), 2 usage.
//
// Thread-safety: call from the main thread.
#ifndef ROOMGATE_CLI_COMMANDS_H_
#define ROOMGATE_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace roomgate::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int RunToken(const std::vector<std::string>& args, Io io);
int RunKeys(const std::vector<std::string>& args, Io io);
int RunServe(const std::vector<std::string>& args, Io io);
void PrintUsage(std::ostream& out);

}  // namespace roomgate::cli

#endif  // ROOMGATE_CLI_COMMANDS_H_
