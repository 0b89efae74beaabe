#include "common/duration.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace roomgate {
namespace {
struct Unit {
  char suffix;
  int64_t seconds;
};
constexpr Unit kUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
// Far beyond any sensible validity, and far from int64 overflow when added to now.
constexpr int64_t kMaxSeconds = int64_t{100} * 365 * 86400;
}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("invalid duration '" + std::string(text) +
                                   "' (expected e.g. 30s, 15m, 24h, 7d)");
  };
  if (text.empty()) return bad();
  int64_t multiplier = 1;
  std::string_view digits = text;
  for (const Unit& u : kUnits) {
    if (text.back() == u.suffix) {
      multiplier = u.seconds;
      digits.remove_suffix(1);
      break;
    }
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 0) {
    return bad();
  }
  if (n > kMaxSeconds / multiplier) {
    return Status::InvalidArgument("duration '" + std::string(text) + "' is too long");
  }
  return std::chrono::seconds(n * multiplier);
}

std::string FormatDuration(std::chrono::seconds d) {
  const int64_t s = d.count();
  for (const Unit& u : kUnits) {
    if (s != 0 && s % u.seconds == 0) return std::to_string(s / u.seconds) + u.suffix;
  }
  return std::to_string(s) + "s";
}

}  // namespace roomgate
