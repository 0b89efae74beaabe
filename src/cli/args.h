// A small command-line parser for the thin CLI: `--name value`, `--name=value`
// and positional arguments, checked against the options a command declares.
//
// Thread-safety: a plain value.
#ifndef ROOMGATE_CLI_ARGS_H_
#define ROOMGATE_CLI_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "roomgate/status.h"

namespace roomgate::cli {

class Args {
 public:
  // `allowed` lists option names without dashes; `flags` those that take no
  // value (e.g. "help"). Anything else starting with "--" is an error.
  static Result<Args> Parse(const std::vector<std::string>& argv,
                            const std::set<std::string>& allowed,
                            const std::set<std::string>& flags = {"help"});

  std::optional<std::string> Get(const std::string& name) const;
  bool Has(const std::string& name) const { return options_.count(name) != 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> options_;
  std::vector<std::string> positional_;
};

}  // namespace roomgate::cli

#endif  // ROOMGATE_CLI_ARGS_H_
