// A strict, allocation-light pull parser for one JSON object (RFC 8259), made
// for JWT headers and claims: it yields the object's members in order, decodes
// strings (escapes, surrogate pairs) and integers, and skips nested values.
//
// Strict on purpose: invalid UTF-8, lone surrogates, control characters,
// leading zeros, trailing garbage and nesting deeper than kMaxDepth are all
// errors. A token whose bytes mean different things to different JSON parsers
// is a classic way to make two services disagree about who a user is.
//
// Not a general JSON library: the API layer uses nlohmann::json. This exists
// because verifying a token must cost little more than its HMAC.
//
// Thread-safety: one parser per thread; it is a cursor over caller-owned text.
#ifndef ROOMGATE_AUTH_JSON_OBJECT_PARSER_H_
#define ROOMGATE_AUTH_JSON_OBJECT_PARSER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace roomgate::auth {

enum class JsonKind { kString, kNumber, kBool, kNull, kObject, kArray };
std::string_view JsonKindName(JsonKind kind);

struct JsonValue {
  JsonKind kind = JsonKind::kNull;
  // kString: the decoded content. Other kinds: the raw JSON text.
  std::string_view text;
  bool is_integer = false;  // kNumber: no fraction or exponent, fits int64
  int64_t integer = 0;
  bool boolean = false;
};

class JsonObjectParser {
 public:
  static constexpr int kMaxDepth = 32;
  static constexpr int kMaxMembers = 64;

  explicit JsonObjectParser(std::string_view text) : p_(text.data()), end_(p_ + text.size()) {}

  enum class Step { kMember, kEnd, kError };
  // Advances to the next member. On kMember, `key` and `value` stay valid
  // until the next call. kEnd means the object closed and nothing but
  // whitespace followed it.
  Step Next(std::string_view& key, JsonValue& value);

 private:
  Step Finish(const char* p);

  const char* p_;
  const char* end_;
  int members_ = 0;
  bool started_ = false;
  std::string key_scratch_;
  std::string value_scratch_;
};

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_JSON_OBJECT_PARSER_H_
