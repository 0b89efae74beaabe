// Human durations for config files and flags: "90s", "15m", "24h", "90d", or
// plain seconds ("3600"). One unit per value; no fractions.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_COMMON_DURATION_H_
#define ROOMGATE_COMMON_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "roomgate/status.h"

namespace roomgate {

Result<std::chrono::seconds> ParseDuration(std::string_view text);
// The shortest exact form: 86400 s -> "1d", 5400 s -> "90m".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace roomgate

#endif  // ROOMGATE_COMMON_DURATION_H_
