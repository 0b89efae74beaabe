// RFC 3339 UTC timestamps, the format of every *_at field in 100ms's API
// ("2023-03-14T15:54:18Z").
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_COMMON_TIME_FORMAT_H_
#define ROOMGATE_COMMON_TIME_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roomgate {

std::string FormatRfc3339(int64_t t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; fractions are dropped.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace roomgate

#endif  // ROOMGATE_COMMON_TIME_FORMAT_H_
