#include "common/uuid.h"

#include <cstdint>

namespace roomgate {
namespace {
constexpr char kHex[] = "0123456789abcdef";
constexpr bool IsDashAt(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }
}  // namespace

void WriteUuidV4(SecureRandom& random, char out[kUuidLength]) {
  uint8_t b[16];
  random.Fill(b);
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // variant 10xx
  size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (IsDashAt(pos)) out[pos++] = '-';
    out[pos++] = kHex[b[i] >> 4];
    out[pos++] = kHex[b[i] & 0x0f];
  }
}

std::string NewUuidV4(SecureRandom& random) {
  std::string s(kUuidLength, '\0');
  WriteUuidV4(random, s.data());
  return s;
}

bool IsUuidV4(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsDashAt(i)) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  const char variant = text[19];
  return text[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

}  // namespace roomgate
