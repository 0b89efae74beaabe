#include "auth/json_object_parser.h"

#include <array>
#include <cstring>
#include <limits>

#include "auth/utf8.h"

namespace roomgate::auth {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// Bytes that need no attention inside a string: printable ASCII other than
// '"' and '\\'. Claims are short and almost entirely such bytes, so one table
// lookup per byte beats wider tricks that pay a setup cost per string.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[c] = c != '"' && c != '\\';
  return t;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

const char* SkipPlainAscii(const char* p, const char* end) {
  while (p < end && kPlain[static_cast<unsigned char>(*p)]) ++p;
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

void JsonObjectParser::SkipWhitespace() {
  if (p_<end_&& static_cast<unsigned char>(*p_)> ' ') return;  // the common case
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
}

bool JsonObjectParser::Literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size())) {
    return false;
  }
  p_ += word.size();
  return true;
}

// Decodes the string at p_ (which points at the opening quote). Unescaped
// strings are returned as views of the input; escaped ones go via `scratch`.
bool JsonObjectParser::ParseString(std::string_view& out, std::string& scratch) {
  ++p_;
  const char* start = p_;
  bool escaped = false;
  scratch.clear();
  while (p_ < end_) {
    if (!escaped) p_ = SkipPlainAscii(p_, end_);
    if (p_ >= end_) break;
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      out = escaped ? std::string_view(scratch) : std::string_view(start, p_ - start);
      ++p_;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p_),
                                          reinterpret_cast<const unsigned char*>(end_));
      if (n == 0) return false;
      if (escaped) scratch.append(p_, n);
      p_ += n;
      continue;
    }
    if (c != '\\') {
      if (escaped) scratch += static_cast<char>(c);
      ++p_;
      continue;
    }
    if (!escaped) {
      scratch.assign(start, p_ - start);
      escaped = true;
    }
    if (++p_ >= end_) return false;
    const char e = *p_++;
    switch (e) {
      case '"':
        scratch += '"';
        break;
      case '\\':
        scratch += '\\';
        break;
      case '/':
        scratch += '/';
        break;
      case 'b':
        scratch += '\b';
        break;
      case 'f':
        scratch += '\f';
        break;
      case 'n':
        scratch += '\n';
        break;
      case 'r':
        scratch += '\r';
        break;
      case 't':
        scratch += '\t';
        break;
      case 'u': {
        auto read_hex4 = [&](uint32_t& v) {
          if (end_ - p_ < 4) return false;
          v = 0;
          for (int i = 0; i < 4; ++i) {
            const int h = HexValue(p_[i]);
            if (h < 0) return false;
            v = (v << 4) | static_cast<uint32_t>(h);
          }
          p_ += 4;
          return true;
        };
        uint32_t cp = 0;
        if (!read_hex4(cp)) return false;
        if (cp >= 0xdc00 && cp <= 0xdfff) return false;  // lone low surrogate
        if (cp >= 0xd800 && cp <= 0xdbff) {
          uint32_t low = 0;
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!read_hex4(low) || low < 0xdc00 || low > 0xdfff) return false;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        AppendUtf8(cp, scratch);
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

bool JsonObjectParser::ParseNumber(JsonValue& value) {
  const char* start = p_;
  bool negative = false;
  if (*p_ == '-') {
    negative = true;
    if (++p_ >= end_) return false;
  }
  if (!IsDigit(*p_)) return false;
  // Accumulate as a negative number so INT64_MIN fits.
  int64_t acc = 0;
  bool overflow = false;
  if (*p_ == '0') {
    ++p_;
  } else {
    while (p_ < end_ && IsDigit(*p_)) {
      const int d = *p_++ - '0';
      if (acc < (std::numeric_limits<int64_t>::min() + d) / 10) overflow = true;
      if (!overflow) acc = acc * 10 - d;
    }
  }
  bool integral = true;
  if (p_ < end_ && *p_ == '.') {
    integral = false;
    if (++p_ >= end_ || !IsDigit(*p_)) return false;
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    integral = false;
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ >= end_ || !IsDigit(*p_)) return false;
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  value.kind = JsonKind::kNumber;
  value.text = std::string_view(start, p_ - start);
  value.is_integer =
      integral && !overflow && (negative || acc != std::numeric_limits<int64_t>::min());
  value.integer = value.is_integer ? (negative ? acc : -acc) : 0;
  return true;
}

// Reads `"key" :` inside a nested object.
bool JsonObjectParser::SkipKey() {
  std::string_view ignored;
  SkipWhitespace();
  if (p_ >= end_ || *p_ != '"' || !ParseString(ignored, value_scratch_)) return false;
  SkipWhitespace();
  if (p_ >= end_ || *p_ != ':') return false;
  ++p_;
  return true;
}

// Skips the object or array at p_, checking its syntax, without recursion so
// that hostile nesting cannot exhaust the stack.
bool JsonObjectParser::SkipNested() {
  char closers[kMaxDepth];
  int depth = 0;
  bool expect_value = true;
  JsonValue scalar;
  while (true) {
    SkipWhitespace();
    if (p_ >= end_) return false;
    if (expect_value && (*p_ == '{' || *p_ == '[')) {
      if (depth == kMaxDepth) return false;
      const char closer = *p_ == '{' ? '}' : ']';
      closers[depth++] = closer;
      ++p_;
      SkipWhitespace();
      if (p_ < end_ && *p_ == closer) {  // empty container
        ++p_;
        if (--depth == 0) return true;
        expect_value = false;
      } else if (closer == '}' && !SkipKey()) {
        return false;
      }
    } else if (expect_value) {
      if (!ParseScalar(scalar)) return false;
      expect_value = false;
    } else if (*p_ == ',') {
      ++p_;
      expect_value = true;
      if (closers[depth - 1] == '}' && !SkipKey()) return false;
    } else {
      if (*p_ != closers[depth - 1]) return false;
      ++p_;
      if (--depth == 0) return true;
    }
  }
}

bool JsonObjectParser::ParseScalar(JsonValue& value) {
  value = JsonValue{};
  const char* start = p_;
  bool ok = false;
  switch (*p_) {
    case '"':
      value.kind = JsonKind::kString;
      return ParseString(value.text, value_scratch_);
    case 't':
      value.kind = JsonKind::kBool;
      value.boolean = true;
      ok = Literal("true");
      break;
    case 'f':
      value.kind = JsonKind::kBool;
      ok = Literal("false");
      break;
    case 'n':
      value.kind = JsonKind::kNull;
      ok = Literal("null");
      break;
    default:
      return ParseNumber(value);
  }
  if (ok) value.text = std::string_view(start, p_ - start);  // the raw text, as documented
  return ok;
}

// Parses one value at p_; nested values are validated and skipped (their raw
// text is reported, not their content).
bool JsonObjectParser::ParseValue(JsonValue& value) {
  if (p_ >= end_) return false;
  if (*p_ != '{' && *p_ != '[') return ParseScalar(value);
  value = JsonValue{};
  value.kind = *p_ == '{' ? JsonKind::kObject : JsonKind::kArray;
  const char* start = p_;
  if (!SkipNested()) return false;
  value.text = std::string_view(start, p_ - start);
  return true;
}

JsonObjectParser::Step JsonObjectParser::AtEnd() {
  ++p_;  // the closing brace
  SkipWhitespace();
  return p_ == end_ ? Step::kEnd : Step::kError;
}

JsonObjectParser::Step JsonObjectParser::Next(std::string_view& key, JsonValue& value) {
  SkipWhitespace();
  if (p_ >= end_) return Step::kError;
  if (!started_) {
    if (*p_ != '{') return Step::kError;
    started_ = true;
    ++p_;
    SkipWhitespace();
    if (p_ < end_ && *p_ == '}') return AtEnd();
  } else {
    if (*p_ == '}') return AtEnd();
    if (*p_ != ',') return Step::kError;
    ++p_;
    SkipWhitespace();
  }
  if (++members_ > kMaxMembers) return Step::kError;
  if (p_ >= end_ || *p_ != '"' || !ParseString(key, key_scratch_)) return Step::kError;
  SkipWhitespace();
  if (p_ >= end_ || *p_ != ':') return Step::kError;
  ++p_;
  SkipWhitespace();
  return ParseValue(value) ? Step::kMember : Step::kError;
}

}  // namespace roomgate::auth
