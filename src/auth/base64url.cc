#include "auth/base64url.h"

#include <array>
#include <cstdint>

namespace roomgate::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Encoding: one lookup turns 12 bits into two characters, halving the table
// loads of the textbook 6-bit loop (tokens are encoded on every mint).
constexpr std::array<uint16_t, 4096> MakePairTable() {
  std::array<uint16_t, 4096> t{};
  for (int i = 0; i < 4096; ++i) {
    // Stored in memory order: first character in the low byte (little-endian).
    t[i] = static_cast<uint16_t>(static_cast<uint8_t>(kAlphabet[i >> 6]) |
                                 (static_cast<uint8_t>(kAlphabet[i & 63]) << 8));
  }
  return t;
}
constexpr std::array<uint16_t, 4096> kPairs = MakePairTable();

// Decoding: one table per position in a 4-character group, each holding the
// 6-bit value pre-shifted into place, and bit 31 set for invalid characters,
// so a group decodes with four loads, three ORs and one test.
constexpr uint32_t kInvalidBit = 0x80000000u;
constexpr std::array<uint32_t, 256> MakeDecodeTable(int shift) {
  std::array<uint32_t, 256> t{};
  for (auto& v : t) v = kInvalidBit;
  for (uint32_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i << shift;
  return t;
}
constexpr std::array<uint32_t, 256> kD0 = MakeDecodeTable(18), kD1 = MakeDecodeTable(12),
                                    kD2 = MakeDecodeTable(6), kD3 = MakeDecodeTable(0);

inline void StorePair(char* p, uint32_t twelve_bits) {
  const uint16_t pair = kPairs[twelve_bits];
  p[0] = static_cast<char>(pair & 0xff);
  p[1] = static_cast<char>(pair >> 8);
}

}  // namespace

void Base64UrlEncode(std::string_view in, std::string& out) {
  const size_t start = out.size();
  out.resize(start + Base64UrlEncodedLength(in.size()));
  Base64UrlEncode(in, out.data() + start);
}

void Base64UrlEncode(std::string_view in, char* p) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3, p += 4) {
    const uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    StorePair(p, v >> 12);
    StorePair(p + 2, v & 0xfff);
  }
  const size_t rest = in.size() - i;
  if (rest == 1) {
    StorePair(p, uint32_t{s[i]} << 4);
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8);
    StorePair(p, v >> 12);
    p[2] = kAlphabet[(v >> 6) & 63];
  }
}

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  Base64UrlEncode(in, out);
  return out;
}

std::optional<size_t> Base64UrlDecode(std::string_view in, char* out) {
  if (in.size() % 4 == 1) return std::nullopt;
  auto* p = reinterpret_cast<uint8_t*>(out);
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 4 <= in.size(); i += 4, p += 3) {
    const uint32_t v = kD0[s[i]] | kD1[s[i + 1]] | kD2[s[i + 2]] | kD3[s[i + 3]];
    if (v & kInvalidBit) return std::nullopt;
    p[0] = static_cast<uint8_t>(v >> 16);
    p[1] = static_cast<uint8_t>(v >> 8);
    p[2] = static_cast<uint8_t>(v);
  }
  const size_t rest = in.size() - i;
  if (rest != 0) {
    const uint32_t v = kD0[s[i]] | kD1[s[i + 1]] | (rest == 3 ? kD2[s[i + 2]] : 0);
    // The bits past the last whole byte must be zero (canonical encoding).
    if ((v & kInvalidBit) || (v & (rest == 2 ? 0xffff : 0xff))) return std::nullopt;
    *p++ = static_cast<uint8_t>(v >> 16);
    if (rest == 3) *p++ = static_cast<uint8_t>(v >> 8);
  }
  return static_cast<size_t>(p - reinterpret_cast<uint8_t*>(out));
}

bool Base64UrlDecode(std::string_view in, std::string& out) {
  const size_t start = out.size();
  out.resize(start + Base64UrlDecodedMaxLength(in.size()));
  const auto n = Base64UrlDecode(in, out.data() + start);
  if (!n) return false;
  out.resize(start + *n);
  return true;
}

}  // namespace roomgate::auth
