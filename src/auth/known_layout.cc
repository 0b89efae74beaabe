#include "auth/known_layout.h"

#include <cstdint>
#include <cstring>

#include "auth/json_scan.h"

namespace roomgate::auth {
namespace {

template <typename Word>
Word Load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}

// Whether the N bytes at a and b are equal, in word compares (the last one
// overlapping): for lengths like 7, memcmp can stay a library call.
template <size_t N>
bool BytesEqual(const char* a, const char* b) {
  if constexpr (N >= 8) {
    for (size_t i = 0; i + 8 < N; i += 8) {
      if (Load<uint64_t>(a + i) != Load<uint64_t>(b + i)) return false;
    }
    return Load<uint64_t>(a + N - 8) == Load<uint64_t>(b + N - 8);
  } else if constexpr (N >= 4) {
    return Load<uint32_t>(a) == Load<uint32_t>(b) &&
           Load<uint32_t>(a + N - 4) == Load<uint32_t>(b + N - 4);
  } else {
    return std::memcmp(a, b, N) == 0;
  }
}

// A cursor that matches the layout piece by piece.
class LayoutReader {
 public:
  explicit LayoutReader(std::string_view json) : p_(json.data()), end_(p_ + json.size()) {}

  // A string literal, exactly.
  template <size_t N>
  bool Literal(const char (&text)[N]) {
    constexpr size_t kLength = N - 1;  // without the terminating NUL
    if (static_cast<size_t>(end_ - p_) < kLength || !BytesEqual<kLength>(p_, text)) return false;
    p_ += kLength;
    return true;
  }

  // A string's content, all plain ASCII (so it needs no decoding), then its
  // closing quote.
  bool String(std::string_view& out) {
    const char* start = p_;
    p_ = json_scan::SkipPlain(p_, end_);
    if (p_ == end_ || *p_ != '"') return false;
    out = std::string_view(start, p_ - start);
    ++p_;
    return true;
  }

  // A non-negative integer that fits int64. A leading zero ends it, so a
  // number like 01 fails the literal that must follow.
  bool Integer(int64_t& out) {
    const char* start = p_;
    if (p_ == end_ || !json_scan::IsDigit(*p_)) return false;
    uint64_t magnitude = 0;
    p_ = *p_ == '0' ? p_ + 1 : json_scan::ReadDigits(p_, end_, magnitude);
    out = static_cast<int64_t>(magnitude);
    return p_ - start <= 18;
  }

  bool AtEnd() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

// room_id, then role with an optional user_id before or after it; the
// `,"room_id":"` before them has matched.
bool ReadRoomClaims(LayoutReader& r, KnownLayoutClaims& out) {
  if (!r.String(out.room_id)) return false;
  if (r.Literal(R"(,"user_id":")") && !r.String(out.user_id.emplace())) return false;
  if (!r.Literal(R"(,"role":")") || !r.String(out.role)) return false;
  return out.user_id || !r.Literal(R"(,"user_id":")") || r.String(out.user_id.emplace());
}

bool ReadTimes(LayoutReader& r, KnownLayoutClaims& out) {
  return r.Literal(R"(,"version":)") && r.Integer(out.version) && r.Literal(R"(,"iat":)") &&
         r.Integer(out.iat) && r.Literal(R"(,"nbf":)") && r.Integer(out.nbf) &&
         r.Literal(R"(,"exp":)") && r.Integer(out.exp);
}

}  // namespace

bool MatchKnownLayout(std::string_view payload_json, KnownLayoutClaims& out) {
  LayoutReader r(payload_json);
  if (!r.Literal(R"({"access_key":")") || !r.String(out.access_key)) return false;
  // roomgate puts the room claims here, before `type`...
  const bool room_first = r.Literal(R"(,"room_id":")");
  if (room_first && !ReadRoomClaims(r, out)) return false;
  out.app = r.Literal(R"(,"type":"app")");
  if (!out.app && (room_first || !r.Literal(R"(,"type":"management")"))) return false;
  if (!ReadTimes(r, out)) return false;
  // ...the 100ms server SDK puts them here, after `exp`.
  if (out.app && !room_first && (!r.Literal(R"(,"room_id":")") || !ReadRoomClaims(r, out))) {
    return false;
  }
  return r.Literal(R"(,"jti":")") && r.String(out.jti) && r.Literal("}") && r.AtEnd();
}

}  // namespace roomgate::auth
