#include "cli/args.h"

namespace roomgate::cli {

Result<Args> Args::Parse(const std::vector<std::string>& argv, const std::set<std::string>& allowed,
                         const std::set<std::string>& flags) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (!allowed.count(name) && !flags.count(name)) {
      return Status::InvalidArgument("unknown option --" + name);
    }
    if (args.options_.count(name)) return Status::InvalidArgument("--" + name + " given twice");
    if (flags.count(name)) {
      if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= argv.size()) return Status::InvalidArgument("--" + name + " needs a value");
      value = argv[++i];
    }
    args.options_[name] = value;
  }
  return args;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

}  // namespace roomgate::cli
