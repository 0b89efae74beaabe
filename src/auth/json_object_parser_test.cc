#include "auth/json_object_parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace roomgate::auth {
namespace {

using Step = JsonObjectParser::Step;

// One member, copied out of the parser (its views die at the next call).
struct Member {
  std::string key;
  JsonKind kind;
  std::string text;
  bool is_integer;
  int64_t integer;
  bool boolean;
};

struct Parsed {
  std::vector<Member> members;
  Step last = Step::kError;
};

Parsed ParseAll(std::string_view json) {
  JsonObjectParser parser(json);
  Parsed out;
  std::string_view key;
  JsonValue v;
  while ((out.last = parser.Next(key, v)) == Step::kMember) {
    out.members.push_back(
        {std::string(key), v.kind, std::string(v.text), v.is_integer, v.integer, v.boolean});
  }
  return out;
}

// The single member of `{"v":<value>}`; fails the test unless it parses.
Member ValueOf(std::string_view value) {
  const std::string json = "{\"v\":" + std::string(value) + "}";
  Parsed p = ParseAll(json);
  EXPECT_EQ(p.last, Step::kEnd) << json;
  EXPECT_EQ(p.members.size(), 1u) << json;
  return p.members.empty() ? Member{} : p.members.front();
}

std::string Nested(int depth, char open, char close) {
  std::string s = "{\"v\":";
  for (int i = 0; i < depth; ++i) s += open == '{' ? "{\"k\":" : "[";
  s += "1";
  for (int i = 0; i < depth; ++i) s += close;
  return s + "}";
}

TEST(JsonObjectParserTest, YieldsMembersOfEveryKindInOrder) {
  Parsed p = ParseAll(
      R"({"s":"text","n":42,"f":-1.5,"t":true,"b":false,"z":null,"o":{"a":1},"a":[1,"x"]})");
  ASSERT_EQ(p.last, Step::kEnd);
  ASSERT_EQ(p.members.size(), 8u);
  const struct {
    const char* key;
    JsonKind kind;
    const char* text;
  } want[] = {{"s", JsonKind::kString, "text"},       {"n", JsonKind::kNumber, "42"},
              {"f", JsonKind::kNumber, "-1.5"},       {"t", JsonKind::kBool, "true"},
              {"b", JsonKind::kBool, "false"},        {"z", JsonKind::kNull, "null"},
              {"o", JsonKind::kObject, R"({"a":1})"}, {"a", JsonKind::kArray, R"([1,"x"])"}};
  for (size_t i = 0; i < p.members.size(); ++i) {
    EXPECT_EQ(p.members[i].key, want[i].key);
    EXPECT_EQ(p.members[i].kind, want[i].kind) << want[i].key;
    EXPECT_EQ(p.members[i].text, want[i].text) << want[i].key;
  }
  EXPECT_EQ(p.members[1].integer, 42);
  EXPECT_TRUE(p.members[3].boolean);
  EXPECT_FALSE(p.members[4].boolean);
}

TEST(JsonObjectParserTest, AcceptsEmptyObjectAndInsignificantWhitespace) {
  for (const char* json : {"{}", " { } ", "\t\r\n{\n}\r\n"}) {
    Parsed p = ParseAll(json);
    EXPECT_EQ(p.last, Step::kEnd) << json;
    EXPECT_TRUE(p.members.empty()) << json;
  }
  Parsed p = ParseAll(" {\n\t\"a\" :\r 1 ,  \"b\"\t:\n[ 1 , { \"c\" : 2 } ] \n}\n");
  EXPECT_EQ(p.last, Step::kEnd);
  ASSERT_EQ(p.members.size(), 2u);
  EXPECT_EQ(p.members[1].text, "[ 1 , { \"c\" : 2 } ]");
}

TEST(JsonObjectParserTest, ReportsRepeatedKeysEachTime) {
  Parsed p = ParseAll(R"({"a":1,"a":2})");
  ASSERT_EQ(p.last, Step::kEnd);
  ASSERT_EQ(p.members.size(), 2u);
  EXPECT_EQ(p.members[0].integer, 1);
  EXPECT_EQ(p.members[1].integer, 2);
}

TEST(JsonObjectParserTest, DecodesStringEscapes) {
  const struct {
    const char* json;
    std::string decoded;
  } cases[] = {
      {R"("\"\\\/\b\f\n\r\t")", "\"\\/\b\f\n\r\t"},
      {R"("a\u0041b")", "aAb"},
      {R"("\u00e9\u00E9")", "\xC3\xA9\xC3\xA9"},
      {R"("\u20ac")", "\xE2\x82\xAC"},
      {R"("\uffff")", "\xEF\xBF\xBF"},
      {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},
      {R"("\uD83D\uDE00")", "\xF0\x9F\x98\x80"},
      {R"("\udbff\udfff")", "\xF4\x8F\xBF\xBF"},
      {R"("\u0000")", std::string(1, '\0')},
      {"\"\xC3\xA9\\n\xE2\x82\xAC\"", "\xC3\xA9\n\xE2\x82\xAC"},  // raw UTF-8 around an escape
  };
  for (const auto& c : cases) EXPECT_EQ(ValueOf(c.json).text, c.decoded) << c.json;
}

TEST(JsonObjectParserTest, EscapedKeyAndEscapedValueAreBothValid) {
  JsonObjectParser parser(R"({"k\u0065y":"v\u0061lue"})");
  std::string_view key;
  JsonValue v;
  ASSERT_EQ(parser.Next(key, v), Step::kMember);
  EXPECT_EQ(key, "key");
  EXPECT_EQ(v.text, "value");
}

TEST(JsonObjectParserTest, ReturnsUnescapedStringsAsViewsOfTheInput) {
  const std::string json = "{\"key\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}";
  JsonObjectParser parser(json);
  std::string_view key;
  JsonValue v;
  ASSERT_EQ(parser.Next(key, v), Step::kMember);
  EXPECT_EQ(key, "key");
  EXPECT_EQ(key.data(), json.data() + 2);
  EXPECT_EQ(v.text, "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(v.text.data(), json.data() + 8);
  EXPECT_EQ(parser.Next(key, v), Step::kEnd);
}

TEST(JsonObjectParserTest, AcceptsWellFormedUtf8AtTheEdges) {
  for (const char* s : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\x7F"}) {
    EXPECT_EQ(ValueOf("\"" + std::string(s) + "\"").text, s);
  }
}

TEST(JsonObjectParserTest, ReadsIntegersUpToInt64Bounds) {
  const struct {
    const char* json;
    int64_t value;
  } cases[] = {{"0", 0},
               {"-0", 0},
               {"7", 7},
               {"-7", -7},
               {"1800000000", 1800000000},
               {"9223372036854775807", std::numeric_limits<int64_t>::max()},
               {"-9223372036854775808", std::numeric_limits<int64_t>::min()},
               {"-9223372036854775807", std::numeric_limits<int64_t>::min() + 1}};
  for (const auto& c : cases) {
    const Member m = ValueOf(c.json);
    EXPECT_EQ(m.kind, JsonKind::kNumber) << c.json;
    EXPECT_TRUE(m.is_integer) << c.json;
    EXPECT_EQ(m.integer, c.value) << c.json;
    EXPECT_EQ(m.text, c.json);
  }
}

TEST(JsonObjectParserTest, NumbersBeyondInt64OrWithFractionOrExponentAreNotIntegers) {
  for (const char* json :
       {"9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "99999999999999999999999999999", "-99999999999999999999999999999", "1.0", "0.5", "-1.5",
        "1e3", "1E3", "1e+3", "1e-3", "-2.5E-3", "0e0", "10.25e2"}) {
    const Member m = ValueOf(json);
    EXPECT_EQ(m.kind, JsonKind::kNumber) << json;
    EXPECT_FALSE(m.is_integer) << json;
    EXPECT_EQ(m.integer, 0) << json;
    EXPECT_EQ(m.text, json);  // raw text kept for callers that want it
  }
}

TEST(JsonObjectParserTest, SkipsNestedValuesReportingTheirRawText) {
  const char* json =
      R"({"o":{"a":[1,{"b":null}],"c":"x\"}"},"e":{},"arr":[],"deep":[[[{"k":[true,false]}]]],)"
      R"("after":1})";
  Parsed p = ParseAll(json);
  ASSERT_EQ(p.last, Step::kEnd);
  ASSERT_EQ(p.members.size(), 5u);
  EXPECT_EQ(p.members[0].kind, JsonKind::kObject);
  EXPECT_EQ(p.members[0].text, R"({"a":[1,{"b":null}],"c":"x\"}"})");
  EXPECT_EQ(p.members[1].text, "{}");
  EXPECT_EQ(p.members[2].kind, JsonKind::kArray);
  EXPECT_EQ(p.members[2].text, "[]");
  EXPECT_EQ(p.members[3].text, R"([[[{"k":[true,false]}]]])");
  EXPECT_EQ(p.members[4].key, "after");
  EXPECT_EQ(p.members[4].integer, 1);
}

// The top-level object is not counted: a member's value may itself nest
// kMaxDepth containers deep, and one more is refused.
TEST(JsonObjectParserTest, AcceptsNestingUpToMaxDepthInsideAMember) {
  constexpr int kMax = JsonObjectParser::kMaxDepth;
  ASSERT_EQ(kMax, 32);
  for (char open : {'[', '{'}) {
    const char close = open == '[' ? ']' : '}';
    EXPECT_EQ(ParseAll(Nested(kMax, open, close)).last, Step::kEnd) << open;
    EXPECT_EQ(ParseAll(Nested(kMax + 1, open, close)).last, Step::kError) << open;
  }
}

TEST(JsonObjectParserTest, RejectsHostileNestingWithoutRecursing) {
  EXPECT_EQ(ParseAll(Nested(1'000'000, '[', ']')).last, Step::kError);
  EXPECT_EQ(ParseAll("{\"v\":" + std::string(1'000'000, '[')).last, Step::kError);
}

TEST(JsonObjectParserTest, AcceptsMaxMembersAndRejectsOneMore) {
  auto object = [](int n) {
    std::string s = "{";
    for (int i = 0; i < n; ++i) s += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":" + "0";
    return s + "}";
  };
  constexpr int kMax = JsonObjectParser::kMaxMembers;
  Parsed ok = ParseAll(object(kMax));
  EXPECT_EQ(ok.last, Step::kEnd);
  EXPECT_EQ(ok.members.size(), static_cast<size_t>(kMax));
  EXPECT_EQ(ParseAll(object(kMax + 1)).last, Step::kError);
}

TEST(JsonObjectParserTest, RejectsInvalidInput) {
  const struct {
    const char* what;
    std::string json;
  } cases[] = {
      {"empty input", ""},
      {"whitespace only", " \n\t"},
      {"top-level array", "[]"},
      {"top-level array of object", R"([{"a":1}])"},
      {"top-level string", R"("a")"},
      {"top-level number", "1"},
      {"byte order mark", "\xEF\xBB\xBF{}"},
      {"unclosed object", "{"},
      {"unclosed after key", R"({"a")"},
      {"unclosed after colon", R"({"a":)"},
      {"unclosed after value", R"({"a":1)"},
      {"unclosed after comma", R"({"a":1,)"},
      {"trailing garbage", R"({"a":1}x)"},
      {"second object", R"({"a":1}{})"},
      {"extra brace", R"({"a":1}})"},
      {"trailing NUL", std::string("{}\0", 3)},
      {"missing colon", R"({"a" 1})"},
      {"missing comma", R"({"a":1 "b":2})"},
      {"trailing comma", R"({"a":1,})"},
      {"leading comma", R"({,"a":1})"},
      {"double comma", R"({"a":1,,"b":2})"},
      {"lone comma", "{,}"},
      {"unquoted key", "{a:1}"},
      {"single-quoted key", "{'a':1}"},
      {"single-quoted value", R"({"a":'x'})"},
      {"number key", "{1:1}"},
      {"leading zero", R"({"a":01})"},
      {"negative leading zero", R"({"a":-01})"},
      {"double zero", R"({"a":00})"},
      {"lone minus", R"({"a":-})"},
      {"minus at end", R"({"a":-)"},
      {"plus sign", R"({"a":+1})"},
      {"fraction without digits", R"({"a":1.})"},
      {"fraction without integer", R"({"a":.5})"},
      {"exponent without digits", R"({"a":1e})"},
      {"exponent sign only", R"({"a":1e+})"},
      {"hex number", R"({"a":0x10})"},
      {"NaN", R"({"a":NaN})"},
      {"Infinity", R"({"a":-Infinity})"},
      {"bare word", R"({"a":hello})"},
      {"truncated true", R"({"a":tru})"},
      {"capitalised true", R"({"a":True})"},
      {"truncated null", R"({"a":nul})"},
      {"true with suffix", R"({"a":truex})"},
      {"missing value", R"({"a":})"},
      {"unterminated string", R"({"a":"abc)"},
      {"unterminated escape", R"({"a":"abc\)"},
      {"raw newline in string", "{\"a\":\"x\ny\"}"},
      {"raw tab in string", "{\"a\":\"x\ty\"}"},
      {"raw NUL in string", std::string("{\"a\":\"x\0\"}", 10)},
      {"control char in key", "{\"\x01\":1}"},
      {"escape \\x", R"({"a":"\x41"})"},
      {"escape \\'", R"({"a":"\'"})"},
      {"escape \\U", R"({"a":"\U0041"})"},
      {"short \\u", R"({"a":"\u12"})"},
      {"non-hex \\u", R"({"a":"\u12G4"})"},
      {"lone high surrogate", R"({"a":"\ud800"})"},
      {"lone low surrogate", R"({"a":"\udc00"})"},
      {"high then text", R"({"a":"\ud800x"})"},
      {"high then high", R"({"a":"\ud800\ud800"})"},
      {"high then BMP", R"({"a":"\ud800\u0041"})"},
      {"reversed pair", R"({"a":"\ude00\ud83d"})"},
      {"lone surrogate in key", R"({"\udc00":1})"},
      {"overlong NUL", "{\"a\":\"\xC0\x80\"}"},
      {"overlong C1", "{\"a\":\"\xC1\xBF\"}"},
      {"overlong 3-byte", "{\"a\":\"\xE0\x80\x80\"}"},
      {"overlong 4-byte", "{\"a\":\"\xF0\x80\x80\x80\"}"},
      {"encoded surrogate", "{\"a\":\"\xED\xA0\x80\"}"},
      {"above U+10FFFF", "{\"a\":\"\xF4\x90\x80\x80\"}"},
      {"F5 lead byte", "{\"a\":\"\xF5\x80\x80\x80\"}"},
      {"FF byte", "{\"a\":\"\xFF\"}"},
      {"lone continuation", "{\"a\":\"\x80\"}"},
      {"truncated 2-byte", "{\"a\":\"\xC3\"}"},
      {"truncated 3-byte", "{\"a\":\"\xE2\x82\"}"},
      {"truncated 4-byte", "{\"a\":\"\xF0\x9F\x98\"}"},
      {"truncated at end of input", "{\"a\":\"\xE2\x82"},
      {"invalid UTF-8 in key", "{\"\xC0\x80\":1}"},
      {"invalid UTF-8 after escape", "{\"a\":\"\\n\xED\xA0\x80\"}"},
      {"invalid UTF-8 when nested", "{\"a\":[\"\xF5\"]}"},
      {"bad escape when nested", R"({"a":{"b":"\x"}})"},
      {"nested trailing comma", R"({"a":[1,]})"},
      {"nested missing comma", R"({"a":[1 2]})"},
      {"nested leading comma", R"({"a":[,1]})"},
      {"nested key without value", R"({"a":{"b"}})"},
      {"nested object trailing comma", R"({"a":{"b":1,}})"},
      {"nested unquoted key", R"({"a":{b:1}})"},
      {"nested mismatched brackets", R"({"a":[1}})"},
      {"nested mismatched braces", R"({"a":{]})"},
      {"nested unclosed", R"({"a":[1,2)"},
      {"nested leading zero", R"({"a":[01]})"},
      {"vertical tab as whitespace", "{\v\"a\":1}"},
      {"form feed as whitespace", "{\f\"a\":1}"},
      {"no-break space as whitespace", "{\xC2\xA0\"a\":1}"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseAll(c.json).last, Step::kError) << c.what;
  }
}

TEST(JsonObjectParserTest, NamesEveryKind) {
  EXPECT_EQ(JsonKindName(JsonKind::kString), "string");
  EXPECT_EQ(JsonKindName(JsonKind::kNumber), "number");
  EXPECT_EQ(JsonKindName(JsonKind::kBool), "boolean");
  EXPECT_EQ(JsonKindName(JsonKind::kNull), "null");
  EXPECT_EQ(JsonKindName(JsonKind::kObject), "object");
  EXPECT_EQ(JsonKindName(JsonKind::kArray), "array");
}

}  // namespace
}  // namespace roomgate::auth
