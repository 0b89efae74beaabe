#include "auth/json_object_parser.h"

#include <cstring>
#include <limits>

#include "auth/json_scan.h"
#include "auth/utf8.h"

// Every helper takes the position to read at and returns the position after
// what it read, or nullptr on a syntax error. Keeping the cursor in a local
// (not the member p_) lets the compiler hold it in a register across a whole
// member, and the common shapes (a plain ASCII string, a small integer) are
// handled by short inlinable fast paths; rarer input takes out-of-line paths.
namespace roomgate::auth {
namespace {

using json_scan::IsDigit;
using json_scan::ReadDigits;
using json_scan::SkipPlain;

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsAboveSpace(char c) { return static_cast<unsigned char>(c) > ' '; }

// Compact JSON, which is what JWT libraries write, has none: one test settles
// the common case.
inline const char* SkipWhitespace(const char* p, const char* end) {
  if (p < end && IsAboveSpace(*p)) return p;
  while (p < end && IsWhitespace(*p)) ++p;
  return p;
}

// The position just after `c`, which may follow whitespace; nullptr if
// something else comes first. Compact JSON has `c` right at p.
inline const char* SkipPast(char c, const char* p, const char* end) {
  if (p == end || *p != c) [[unlikely]] {
    p = SkipWhitespace(p, end);
    if (p == end || *p != c) return nullptr;
  }
  return p + 1;
}

const char* SkipDigits(const char* p, const char* end) {
  while (p < end && IsDigit(*p)) ++p;
  return p;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Reads 4 hex digits at p.
bool ReadHex4(const char* p, const char* end, uint32_t& v) {
  if (end - p < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = HexValue(p[i]);
    if (h < 0) return false;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  return true;
}

// The 4 hex digits of a \u escape at p, and the low half of a surrogate pair
// after them; a lone surrogate has no UTF-8 form, so it is an error.
const char* ReadUnicodeEscape(const char* p, const char* end, std::string& out) {
  uint32_t cp = 0;
  if (!ReadHex4(p, end, cp)) return nullptr;
  p += 4;
  if (cp >= 0xdc00 && cp <= 0xdfff) return nullptr;  // lone low surrogate
  if (cp >= 0xd800 && cp <= 0xdbff) {
    uint32_t low = 0;
    if (end - p < 2 || p[0] != '\\' || p[1] != 'u' || !ReadHex4(p + 2, end, low) || low < 0xdc00 ||
        low > 0xdfff) {
      return nullptr;
    }
    p += 6;
    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
  }
  AppendUtf8(cp, out);
  return p;
}

// The escape whose backslash is just before p.
const char* ReadEscape(const char* p, const char* end, std::string& out) {
  if (p == end) return nullptr;
  switch (*p++) {
    case '"':
      out += '"';
      return p;
    case '\\':
      out += '\\';
      return p;
    case '/':
      out += '/';
      return p;
    case 'b':
      out += '\b';
      return p;
    case 'f':
      out += '\f';
      return p;
    case 'n':
      out += '\n';
      return p;
    case 'r':
      out += '\r';
      return p;
    case 't':
      out += '\t';
      return p;
    case 'u':
      return ReadUnicodeEscape(p, end, out);
    default:
      return nullptr;
  }
}

// The rest of a string whose content starts at `start`, from the first byte
// at `p` that is not plain ASCII: UTF-8 to validate, escapes to decode, or an
// error. Strings without escapes stay views of the input; escaped ones are
// decoded into `scratch`, copying plain runs whole.
const char* ParseStringSlow(const char* start, const char* p, const char* end,
                            std::string_view& out, std::string& scratch) {
  bool escaped = false;
  const char* run = start;  // not yet copied to scratch (once escaped)
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      if (escaped) {
        scratch.append(run, p);
        out = scratch;
      } else {
        out = std::string_view(start, p - start);
      }
      return p + 1;
    }
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                          reinterpret_cast<const unsigned char*>(end));
      if (n == 0) return nullptr;
      p += n;
    } else if (c == '\\') {
      if (!escaped) scratch.clear();
      escaped = true;
      scratch.append(run, p);
      p = ReadEscape(p + 1, end, scratch);
      if (p == nullptr) return nullptr;
      run = p;
    } else {
      return nullptr;  // a control character
    }
    p = SkipPlain(p, end);
  }
  return nullptr;
}

// The string whose opening quote is just before p.
inline const char* ParseString(const char* p, const char* end, std::string_view& out,
                               std::string& scratch) {
  const char* start = p;
  p = SkipPlain(p, end);
  if (p < end && *p == '"') [[likely]] {
    out = std::string_view(start, p - start);
    return p + 1;
  }
  return ParseStringSlow(start, p, end, out, scratch);
}

// p is at '.', 'e' or 'E' after a number's integer part.
const char* SkipFractionAndExponent(const char* p, const char* end) {
  if (*p == '.') {
    ++p;
    if (p == end || !IsDigit(*p)) return nullptr;
    p = SkipDigits(p, end);
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p == end || !IsDigit(*p)) return nullptr;
    p = SkipDigits(p, end);
  }
  return p;
}

const char* ParseNumber(const char* p, const char* end, JsonValue& value) {
  const char* start = p;
  const bool negative = *p == '-';
  if (negative) ++p;
  if (p == end || !IsDigit(*p)) return nullptr;
  const char* digits = p;
  uint64_t magnitude = 0;
  // No leading zeros: whatever follows a '0' must end the number.
  p = *p == '0' ? p + 1 : ReadDigits(p, end, magnitude);
  const bool fits =
      p - digits <= 19 && magnitude <= uint64_t{std::numeric_limits<int64_t>::max()} + negative;
  bool integral = true;
  if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
    p = SkipFractionAndExponent(p, end);
    if (p == nullptr) return nullptr;
    integral = false;
  }
  value.kind = JsonKind::kNumber;
  value.text = std::string_view(start, p - start);
  value.is_integer = integral && fits;
  // Negated in uint64 so that INT64_MIN's magnitude converts exactly.
  value.integer = value.is_integer ? static_cast<int64_t>(negative ? 0 - magnitude : magnitude) : 0;
  return p;
}

const char* ParseLiteral(const char* p, const char* end, std::string_view word) {
  if (static_cast<size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size())) {
    return nullptr;
  }
  return p + word.size();
}

// A string, number or literal at p (p < end). Sets every field of `value`,
// so it need not be cleared first.
inline const char* ParseScalar(const char* p, const char* end, JsonValue& value,
                               std::string& scratch) {
  value.is_integer = false;
  value.integer = 0;
  value.boolean = false;
  const char* start = p;
  switch (*p) {
    case '"':
      value.kind = JsonKind::kString;
      return ParseString(p + 1, end, value.text, scratch);
    case 't':
      value.kind = JsonKind::kBool;
      value.boolean = true;
      p = ParseLiteral(p, end, "true");
      break;
    case 'f':
      value.kind = JsonKind::kBool;
      p = ParseLiteral(p, end, "false");
      break;
    case 'n':
      value.kind = JsonKind::kNull;
      p = ParseLiteral(p, end, "null");
      break;
    default:
      return ParseNumber(p, end, value);
  }
  if (p != nullptr) value.text = std::string_view(start, p - start);  // the raw text
  return p;
}

// Reads `"key" :` inside a nested object.
const char* SkipKey(const char* p, const char* end, std::string& scratch) {
  std::string_view ignored;
  p = SkipWhitespace(p, end);
  if (p == end || *p != '"') return nullptr;
  p = ParseString(p + 1, end, ignored, scratch);
  if (p == nullptr) return nullptr;
  p = SkipWhitespace(p, end);
  return p < end && *p == ':' ? p + 1 : nullptr;
}

// Skips the object or array at p, checking its syntax, without recursion so
// that hostile nesting cannot exhaust the stack.
const char* SkipNested(const char* p, const char* end, std::string& scratch) {
  constexpr int kMaxDepth = JsonObjectParser::kMaxDepth;
  char closers[kMaxDepth];
  int depth = 0;
  bool expect_value = true;
  JsonValue scalar;
  while (true) {
    p = SkipWhitespace(p, end);
    if (p == end) return nullptr;
    if (expect_value && (*p == '{' || *p == '[')) {
      if (depth == kMaxDepth) return nullptr;
      const char closer = *p == '{' ? '}' : ']';
      closers[depth++] = closer;
      p = SkipWhitespace(p + 1, end);
      if (p < end && *p == closer) {  // empty container
        ++p;
        if (--depth == 0) return p;
        expect_value = false;
      } else if (closer == '}' && (p = SkipKey(p, end, scratch)) == nullptr) {
        return nullptr;
      }
    } else if (expect_value) {
      if ((p = ParseScalar(p, end, scalar, scratch)) == nullptr) return nullptr;
      expect_value = false;
    } else if (*p == ',') {
      ++p;
      expect_value = true;
      if (closers[depth - 1] == '}' && (p = SkipKey(p, end, scratch)) == nullptr) return nullptr;
    } else {
      if (*p != closers[depth - 1]) return nullptr;
      ++p;
      if (--depth == 0) return p;
    }
  }
}

// Parses one value at p; nested values are validated and skipped (their raw
// text is reported, not their content).
const char* ParseValue(const char* p, const char* end, JsonValue& value, std::string& scratch) {
  if (p == end) return nullptr;
  if (*p != '{' && *p != '[') [[likely]] {
    return ParseScalar(p, end, value, scratch);
  }
  value = JsonValue{};
  value.kind = *p == '{' ? JsonKind::kObject : JsonKind::kArray;
  const char* start = p;
  p = SkipNested(p, end, scratch);
  if (p != nullptr) value.text = std::string_view(start, p - start);
  return p;
}

}  // namespace

std::string_view JsonKindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kString:
      return "string";
    case JsonKind::kNumber:
      return "number";
    case JsonKind::kBool:
      return "boolean";
    case JsonKind::kNull:
      return "null";
    case JsonKind::kObject:
      return "object";
    case JsonKind::kArray:
      return "array";
  }
  return "value";
}

JsonObjectParser::Step JsonObjectParser::Finish(const char* p) {
  p_ = SkipWhitespace(p, end_);
  return p_ == end_ ? Step::kEnd : Step::kError;
}

JsonObjectParser::Step JsonObjectParser::Next(std::string_view& key, JsonValue& value) {
  const char* p = SkipWhitespace(p_, end_);
  if (p == end_) return Step::kError;
  if (*p != (started_ ? ',' : '{')) {
    return started_ && *p == '}' ? Finish(p + 1) : Step::kError;
  }
  const bool first = !started_;
  started_ = true;
  p = SkipWhitespace(p + 1, end_);
  // An empty object ends at once; after a comma a member must follow.
  if (first && p < end_ && *p == '}') return Finish(p + 1);
  if (++members_ > kMaxMembers || p == end_ || *p != '"') return Step::kError;
  p = ParseString(p + 1, end_, key, key_scratch_);
  if (p == nullptr) return Step::kError;
  p = SkipPast(':', p, end_);
  if (p == nullptr) return Step::kError;
  p = ParseValue(SkipWhitespace(p, end_), end_, value, value_scratch_);
  if (p == nullptr) return Step::kError;
  p_ = p;  // only a whole member moves the cursor
  return Step::kMember;
}

}  // namespace roomgate::auth
