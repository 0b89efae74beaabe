#include "auth/hmac_sha256.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace roomgate::auth {
namespace {

std::string Hex(const uint8_t* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}

std::string SignHex(const HmacSha256Key& key, std::string_view data) {
  uint8_t mac[kHmacSha256Bytes];
  if (!key.Sign(data, mac)) return "sign failed";
  return Hex(mac, sizeof(mac));
}

// An independent reference: OpenSSL's one-shot HMAC(), keyed afresh each call.
std::string ReferenceHex(std::string_view key, std::string_view data) {
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return Hex(mac, len);
}

std::string Secret(int i) { return "secret-number-" + std::to_string(i) + "-padded-to-32-bytes!"; }

TEST(HmacSha256Test, MatchesRfc4231TestCases) {
  std::string key4;
  for (char c = 0x01; c <= 0x19; ++c) key4 += c;
  const struct {
    int number;
    std::string key, data;
    const char* mac;
  } cases[] = {
      {1, std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {2, "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {3, std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {4, key4, std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      // Case 5 tests truncation to 128 bits, which JWS never does.
      {6, std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {7, std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The "
       "key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& c : cases) {
    HmacSha256Key key(c.key);
    EXPECT_EQ(SignHex(key, c.data), c.mac) << "RFC 4231 case " << c.number;
  }
}

TEST(HmacSha256Test, SignsEmptyAndLargeMessages) {
  HmacSha256Key key(Secret(0));
  EXPECT_EQ(SignHex(key, ""), ReferenceHex(Secret(0), ""));
  const std::string large(1 << 20, 'x');
  EXPECT_EQ(SignHex(key, large), ReferenceHex(Secret(0), large));
}

TEST(HmacSha256Test, RepeatedSignsWithOneKeyGiveTheSameMac) {
  HmacSha256Key key("Jefe");
  const std::string want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignHex(key, "what do ya want for nothing?"), want) << "call " << i;
    // A different message in between must not leave state behind.
    EXPECT_EQ(SignHex(key, "other"), ReferenceHex("Jefe", "other"));
  }
}

TEST(HmacSha256Test, InterleavedKeysOnOneThreadEachKeepTheirSecret) {
  HmacSha256Key a(Secret(1)), b(Secret(2));
  for (int i = 0; i < 4; ++i) {
    const std::string msg = "message " + std::to_string(i);
    EXPECT_EQ(SignHex(a, msg), ReferenceHex(Secret(1), msg));
    EXPECT_EQ(SignHex(b, msg), ReferenceHex(Secret(2), msg));
  }
}

TEST(HmacSha256Test, MoreKeysThanCachedContextsStillSignCorrectly) {
  constexpr int kKeys = 19;  // well past the 8 cached contexts per thread
  std::vector<std::unique_ptr<HmacSha256Key>> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back(std::make_unique<HmacSha256Key>(Secret(i)));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kKeys; ++i) {
      ASSERT_EQ(SignHex(*keys[i], "payload"), ReferenceHex(Secret(i), "payload"))
          << "key " << i << " round " << round;
    }
    for (int i = kKeys - 1; i >= 0; --i) {  // reverse order hits other slots
      ASSERT_EQ(SignHex(*keys[i], "payload"), ReferenceHex(Secret(i), "payload"))
          << "key " << i << " round " << round;
    }
  }
}

TEST(HmacSha256Test, NewKeyNeverUsesContextOfDestroyedKey) {
  // A new key may land at the old one's address; the cache must not care.
  std::optional<HmacSha256Key> key;
  for (int i = 0; i < 10; ++i) {
    key.emplace(Secret(i));
    EXPECT_EQ(SignHex(*key, "data"), ReferenceHex(Secret(i), "data")) << i;
    key.reset();
  }
}

TEST(HmacSha256Test, ConcurrentSignersGetCorrectMacs) {
  constexpr int kKeys = 12, kThreads = 8, kIterations = 300;
  std::vector<std::unique_ptr<HmacSha256Key>> keys;
  std::vector<std::string> messages, expected;
  for (int i = 0; i < kKeys; ++i) {
    keys.push_back(std::make_unique<HmacSha256Key>(Secret(i)));
    messages.push_back("header.payload-" + std::to_string(i));
    expected.push_back(ReferenceHex(Secret(i), messages.back()));
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kIterations; ++n) {
        // Threads walk the keys at different strides, so their caches churn differently.
        const int i = (n * (t + 1) + t) % kKeys;
        if (SignHex(*keys[i], messages[i]) != expected[i]) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(HmacSha256Test, MacEqualComparesAllBytes) {
  uint8_t a[kHmacSha256Bytes], b[kHmacSha256Bytes];
  for (size_t i = 0; i < sizeof(a); ++i) a[i] = b[i] = static_cast<uint8_t>(i * 7);
  EXPECT_TRUE(MacEqual(a, b, sizeof(a)));
  EXPECT_TRUE(MacEqual(a, b, 0));
  for (size_t i : {size_t{0}, size_t{15}, sizeof(a) - 1}) {
    b[i] ^= 0x01;
    EXPECT_FALSE(MacEqual(a, b, sizeof(a))) << "differs at " << i;
    EXPECT_TRUE(MacEqual(a, b, i)) << "prefix before " << i;
    b[i] ^= 0x01;
  }
}

}  // namespace
}  // namespace roomgate::auth
