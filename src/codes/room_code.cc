#include "codes/room_code.h"

#include <array>
#include <cstdint>

namespace roomgate::codes {
namespace {
constexpr bool IsDashAt(size_t i) { return i == 3 || i == 8; }
// Bytes below 234 (= 9 * 26) map uniformly onto 26 letters; the rest are
// redrawn, so no letter is more likely than another.
constexpr uint8_t kUniformLimit = 234;
}  // namespace

RoomCodeText NewRoomCode(SecureRandom& random) {
  std::string code(kRoomCodeLength, '-');
  std::array<uint8_t, 16> pool{};
  size_t used = pool.size();
  for (size_t i = 0; i < kRoomCodeLength; ++i) {
    if (IsDashAt(i)) continue;
    uint8_t b = kUniformLimit;
    while (b >= kUniformLimit) {
      if (used == pool.size()) {
        random.Fill(pool);
        used = 0;
      }
      b = pool[used++];
    }
    code[i] = static_cast<char>('a' + b % 26);
  }
  return RoomCodeText(std::move(code));
}

bool IsWellFormedRoomCode(std::string_view code) {
  if (code.size() != kRoomCodeLength) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    if (IsDashAt(i) ? code[i] != '-' : (code[i] < 'a' || code[i] > 'z')) return false;
  }
  return true;
}

}  // namespace roomgate::codes
