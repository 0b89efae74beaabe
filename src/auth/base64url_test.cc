#include "auth/base64url.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace roomgate::auth {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<std::string> Decode(std::string_view in) {
  std::string out;
  if (!Base64UrlDecode(in, out)) return std::nullopt;
  return out;
}

std::string Bytes(std::initializer_list<unsigned char> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// RFC 4648 §10, without the padding that §5's url form lets JWS drop.
TEST(Base64UrlTest, EncodesAndDecodesRfc4648Vectors) {
  struct Case {
    std::string_view plain, encoded;
  } cases[] = {{"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
               {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& c : cases) {
    EXPECT_EQ(Base64UrlEncode(c.plain), c.encoded) << c.plain;
    EXPECT_EQ(Decode(c.encoded), std::string(c.plain)) << c.encoded;
    EXPECT_EQ(Base64UrlEncodedLength(c.plain.size()), c.encoded.size()) << c.plain;
  }
}

TEST(Base64UrlTest, UsesUrlAlphabetForTheLastTwoDigits) {
  EXPECT_EQ(Base64UrlEncode(Bytes({0xfb, 0xff})), "-_8");
  EXPECT_EQ(Base64UrlEncode(Bytes({0xfb, 0xef, 0xbe})), "----");
  EXPECT_EQ(Base64UrlEncode(Bytes({0xff, 0xff, 0xff})), "____");
  EXPECT_EQ(Decode("-_8"), Bytes({0xfb, 0xff}));
  EXPECT_EQ(Decode("____"), Bytes({0xff, 0xff, 0xff}));
}

TEST(Base64UrlTest, RoundTripsRandomBytesOfEveryLengthUpTo64) {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t len = 0; len <= 64; ++len) {
    for (int trial = 0; trial < 16; ++trial) {
      std::string plain(len, '\0');
      for (char& c : plain) c = static_cast<char>(byte(rng));
      const std::string encoded = Base64UrlEncode(plain);
      ASSERT_EQ(encoded.size(), Base64UrlEncodedLength(len));
      ASSERT_EQ(encoded.find_first_not_of(kAlphabet), std::string::npos) << encoded;
      ASSERT_EQ(Decode(encoded), plain) << "length " << len;
    }
  }
}

TEST(Base64UrlTest, RoundTripsEveryByteValue) {
  std::string all;
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    EXPECT_EQ(Decode(Base64UrlEncode(one)), one) << b;
    all += one;
  }
  EXPECT_EQ(Decode(Base64UrlEncode(all)), all);
}

TEST(Base64UrlTest, AppendsToExistingOutput) {
  std::string out = "x.";
  Base64UrlEncode("foo", out);
  EXPECT_EQ(out, "x.Zm9v");
  ASSERT_TRUE(Base64UrlDecode("YmFy", out));
  EXPECT_EQ(out, "x.Zm9vbar");
}

TEST(Base64UrlTest, BufferFormsWriteExactlyTheReportedLength) {
  for (std::string_view plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string encoded(Base64UrlEncodedLength(plain.size()) + 1, '#');
    Base64UrlEncode(plain, encoded.data());
    EXPECT_EQ(encoded.back(), '#') << plain;  // nothing written past the end
    encoded.pop_back();
    EXPECT_EQ(encoded, Base64UrlEncode(plain));

    std::string decoded(Base64UrlDecodedMaxLength(encoded.size()), '#');
    const std::optional<size_t> n = Base64UrlDecode(encoded, decoded.data());
    ASSERT_TRUE(n.has_value()) << encoded;
    EXPECT_EQ(decoded.substr(0, *n), plain);
  }
  char buffer[8];
  EXPECT_FALSE(Base64UrlDecode("QR", buffer).has_value());
  EXPECT_FALSE(Base64UrlDecode("Zg==", buffer).has_value());
}

TEST(Base64UrlTest, RejectsNonCanonicalOrForeignText) {
  const char* bad[] = {
      "Zg==",      // padding
      "Zm8=",      // padding
      "Zg=",       // partial padding
      "=",         // padding alone
      "+_8",       // standard alphabet
      "-/8",       // standard alphabet
      "Zm9v Yg",   // inner space
      " Zm9v",     // leading space
      "Zm9v\n",    // trailing newline
      "Zm9v\tYg",  // tab
      "Zm9v\r\n",  // CRLF
      "Z",         // length % 4 == 1
      "Zm9vY",     // length % 4 == 1
      "Zm9vYmFyZ",
      "QR",   // "A" is "QQ": unused bits set
      "QUJ",  // "AB" is "QUI": unused bits set
  };
  for (const char* in : bad) EXPECT_FALSE(Decode(in).has_value()) << '"' << in << '"';
  EXPECT_FALSE(Decode(std::string_view("Zm\0v", 4)).has_value());
}

TEST(Base64UrlTest, AcceptsOnlyZeroUnusedTrailingBits) {
  // One trailing byte leaves 4 unused bits in the 2nd digit; two leave 2 in the 3rd.
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    const std::string two = std::string("Q") + kAlphabet[i];
    EXPECT_EQ(Decode(two).has_value(), i % 16 == 0) << two;
    const std::string three = std::string("QU") + kAlphabet[i];
    EXPECT_EQ(Decode(three).has_value(), i % 4 == 0) << three;
  }
}

TEST(Base64UrlTest, RejectsInvalidCharacterAtEveryPosition) {
  const std::string valid = Base64UrlEncode("any carnal pleas");  // 16 bytes: 22 digits
  ASSERT_TRUE(Decode(valid).has_value());
  for (size_t pos = 0; pos < valid.size(); ++pos) {
    for (int b = 0; b < 256; ++b) {
      const char c = static_cast<char>(b);
      if (kAlphabet.find(c) != std::string_view::npos) continue;
      std::string in = valid;
      in[pos] = c;
      ASSERT_FALSE(Decode(in).has_value()) << "byte " << b << " at " << pos;
    }
  }
}

}  // namespace
}  // namespace roomgate::auth
