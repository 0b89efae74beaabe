#include "auth/base64url.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

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
// character's 6 bits already in place among the group's 3 bytes as they lie in
// memory, so a group decodes with four loads, three ORs and one 4-byte store.
// A bit of the unused 4th byte marks invalid characters; the marks are ORed
// together and tested once, after the loop.
static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);
constexpr bool kLittleEndian = std::endian::native == std::endian::little;
constexpr uint32_t kInvalidBit = kLittleEndian ? 0x80000000u : 0x80u;

// The 24-bit group value `v` as the word whose first 3 bytes in memory are
// the group's bytes.
constexpr uint32_t InMemoryOrder(uint32_t v) {
  return kLittleEndian ? (v >> 16) | (v & 0xff00) | ((v & 0xff) << 16) : v << 8;
}

constexpr std::array<uint32_t, 256> MakeDecodeTable(int shift) {
  std::array<uint32_t, 256> t{};
  for (auto& v : t) v = kInvalidBit;
  for (uint32_t i = 0; i < 64; ++i) {
    t[static_cast<uint8_t>(kAlphabet[i])] = InMemoryOrder(i << shift);
  }
  return t;
}
constexpr std::array<uint32_t, 256> kD0 = MakeDecodeTable(18), kD1 = MakeDecodeTable(12),
                                    kD2 = MakeDecodeTable(6), kD3 = MakeDecodeTable(0);

uint32_t DecodeGroup(const uint8_t* s) { return kD0[s[0]] | kD1[s[1]] | kD2[s[2]] | kD3[s[3]]; }

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

// Six input bytes to eight characters per step: one 8-byte load, four pair
// lookups and one 8-byte store, instead of byte-wise loads and stores.
// Little-endian only (the pair table's byte order); others take the loop below.
static size_t EncodeSixAtATime(const uint8_t* s, size_t n, char*& p) {
  if constexpr (std::endian::native != std::endian::little) return 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 6, p += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    const uint64_t v = __builtin_bswap64(w) >> 16;  // the 6 bytes, big-endian
    const uint64_t out =
        uint64_t{kPairs[(v >> 36) & 0xfff]} | (uint64_t{kPairs[(v >> 24) & 0xfff]} << 16) |
        (uint64_t{kPairs[(v >> 12) & 0xfff]} << 32) | (uint64_t{kPairs[v & 0xfff]} << 48);
    std::memcpy(p, &out, 8);
  }
  return i;
}

void Base64UrlEncode(std::string_view in, char* p) {
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = EncodeSixAtATime(s, in.size(), p);
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
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  const auto* end = s + in.size();
  char* p = out;
  uint32_t marks = 0;
  // While more input follows, each group's 4-byte store has its extra byte
  // overwritten by the next write, so nothing lands past the decoded length.
  // Two groups per step let their loads overlap.
  for (; end - s > 8; s += 8, p += 6) {
    const uint32_t a = DecodeGroup(s), b = DecodeGroup(s + 4);
    marks |= a | b;
    std::memcpy(p, &a, sizeof(a));
    std::memcpy(p + 3, &b, sizeof(b));
  }
  for (; end - s > 4; s += 4, p += 3) {
    const uint32_t a = DecodeGroup(s);
    marks |= a;
    std::memcpy(p, &a, sizeof(a));
  }
  // The last 2, 3 or 4 characters give 1, 2 or 3 bytes; in a partial group
  // the bits past the last whole byte must be zero (canonical encoding).
  if (const size_t rest = end - s; rest != 0) {
    const uint32_t last =
        kD0[s[0]] | kD1[s[1]] | (rest >= 3 ? kD2[s[2]] : 0) | (rest == 4 ? kD3[s[3]] : 0);
    marks |= last;
    uint8_t bytes[sizeof(last)];
    std::memcpy(bytes, &last, sizeof(last));
    const size_t n = rest * 3 / 4;
    if ((n < 2 && bytes[1] != 0) || (n < 3 && bytes[2] != 0)) return std::nullopt;
    std::memcpy(p, bytes, n);
    p += n;
  }
  if (marks & kInvalidBit) return std::nullopt;
  return static_cast<size_t>(p - out);
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
