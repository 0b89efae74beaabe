#include "auth/base64url.h"

#include <array>
#include <cstdint>

namespace roomgate::auth {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i;
  return t;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

void Base64UrlEncode(std::string_view in, std::string& out) {
  const size_t start = out.size();
  out.resize(start + Base64UrlEncodedLength(in.size()));
  char* p = out.data() + start;
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest == 1) {
    *p++ = kAlphabet[s[i] >> 2];
    *p++ = kAlphabet[(s[i] & 3) << 4];
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{s[i]} << 8) | s[i + 1];
    *p++ = kAlphabet[v >> 10];
    *p++ = kAlphabet[(v >> 4) & 63];
    *p++ = kAlphabet[(v & 15) << 2];
  }
}

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  Base64UrlEncode(in, out);
  return out;
}

bool Base64UrlDecode(std::string_view in, std::string& out) {
  if (in.size() % 4 == 1) return false;
  const size_t start = out.size();
  out.resize(start + in.size() / 4 * 3 + (in.size() % 4 ? in.size() % 4 - 1 : 0));
  auto* p = reinterpret_cast<uint8_t*>(out.data() + start);
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 4 <= in.size(); i += 4) {
    const uint32_t a = kDecode[s[i]], b = kDecode[s[i + 1]], c = kDecode[s[i + 2]],
                   d = kDecode[s[i + 3]];
    if ((a | b | c | d) & 0xc0) return false;  // kInvalid has these bits set
    const uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    *p++ = static_cast<uint8_t>(v >> 16);
    *p++ = static_cast<uint8_t>(v >> 8);
    *p++ = static_cast<uint8_t>(v);
  }
  const size_t rest = in.size() - i;
  if (rest == 0) return true;
  const uint32_t a = kDecode[s[i]], b = kDecode[s[i + 1]];
  const uint32_t c = rest == 3 ? kDecode[s[i + 2]] : 0;
  if ((a | b | c) & 0xc0) return false;
  if (rest == 2) {
    if (b & 15) return false;  // unused bits must be zero
    *p++ = static_cast<uint8_t>((a << 2) | (b >> 4));
  } else {
    if (c & 3) return false;
    *p++ = static_cast<uint8_t>((a << 2) | (b >> 4));
    *p++ = static_cast<uint8_t>(((b & 15) << 4) | (c >> 2));
  }
  return true;
}

}  // namespace roomgate::auth
