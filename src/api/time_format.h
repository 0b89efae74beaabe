// RFC 3339 UTC timestamps, the format of every *_at field in 100ms's API
// ("2023-03-14T15:54:18Z").
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_API_TIME_FORMAT_H_
#define ROOMGATE_API_TIME_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

#include "rooms/model.h"

namespace roomgate::api {

std::string FormatRfc3339(UnixSeconds t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; fractions are dropped.
std::optional<UnixSeconds> ParseRfc3339(std::string_view text);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_TIME_FORMAT_H_
