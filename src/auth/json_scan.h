// Scanning primitives shared by the JSON parser and the claims codec's fast
// path, so that both agree byte for byte on what a plain string and an integer
// are. Eight bytes at a time (SWAR) where the machine is little-endian, so the
// lowest flagged byte of a word is also the first in memory; byte by byte
// otherwise and for the last few bytes.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_JSON_SCAN_H_
#define ROOMGATE_AUTH_JSON_SCAN_H_

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace roomgate::auth::json_scan {

inline constexpr bool kSwar = std::endian::native == std::endian::little;
inline constexpr uint64_t kOnes = 0x0101010101010101;

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes that need no attention inside a string: ASCII other than control
// characters, '"' and '\\'. Claims are almost entirely such bytes.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
  return t;
}
inline constexpr std::array<bool, 256> kPlain = MakePlainTable();

// The bytes of `w` that are not plain, as their high bits. Each subtraction
// sets a byte's high bit, and borrows from it, only at a byte it flags, so
// the lowest flagged byte is exact; the ones above it may not be.
inline uint64_t SpecialBytes(uint64_t w) {
  const uint64_t control = w - kOnes * 0x20;
  const uint64_t quote = (w ^ (kOnes * '"')) - kOnes;
  const uint64_t backslash = (w ^ (kOnes * '\\')) - kOnes;
  return (control | quote | backslash | w) & (kOnes * 0x80);  // w: bytes >= 0x80
}

// The first byte at or after p that is not plain (or end).
inline const char* SkipPlain(const char* p, const char* end) {
  if constexpr (kSwar) {
    for (; end - p >= 8; p += 8) {
      uint64_t w;
      std::memcpy(&w, p, sizeof(w));
      if (const uint64_t special = SpecialBytes(w)) {
        return p + static_cast<unsigned>(std::countr_zero(special)) / 8;
      }
    }
  }
  while (p < end && kPlain[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

inline bool AreEightDigits(uint64_t w) {
  constexpr uint64_t kHighNibbles = kOnes * 0xf0;
  return ((w & kHighNibbles) | (((w + kOnes * 6) & kHighNibbles) >> 4)) == kOnes * 0x33;
}

// The value of eight ASCII digits, the first in the lowest byte.
inline uint64_t EightDigitsValue(uint64_t w) {
  constexpr uint64_t kMask = 0x000000ff000000ff;
  constexpr uint64_t kMul1 = 100 + (uint64_t{1000000} << 32);
  constexpr uint64_t kMul2 = 1 + (uint64_t{10000} << 32);
  w -= kOnes * '0';
  w = w * 10 + (w >> 8);  // each even byte: the value of a digit pair
  return (((w & kMask) * kMul1) + (((w >> 16) & kMask) * kMul2)) >> 32;
}

// The digits at p, accumulated into `magnitude`; the position after them.
// Up to 19 digits cannot overflow uint64; longer runs wrap harmlessly
// (unsigned), so callers must bound the digit count.
inline const char* ReadDigits(const char* p, const char* end, uint64_t& magnitude) {
  if constexpr (kSwar) {
    uint64_t w;
    while (end - p >= 8 && (std::memcpy(&w, p, sizeof(w)), AreEightDigits(w))) {
      magnitude = magnitude * 100'000'000 + EightDigitsValue(w);
      p += 8;
    }
  }
  for (; p < end && IsDigit(*p); ++p) magnitude = magnitude * 10 + static_cast<unsigned>(*p - '0');
  return p;
}

}  // namespace roomgate::auth::json_scan

#endif  // ROOMGATE_AUTH_JSON_SCAN_H_
