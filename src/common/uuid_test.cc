#include "common/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace roomgate {
namespace {

// Hands out a fixed byte pattern so the formatting can be checked exactly.
class PatternRandom final : public SecureRandom {
 public:
  explicit PatternRandom(uint8_t byte) : byte_(byte) {}
  void Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = byte_;
  }

 private:
  uint8_t byte_;
};

TEST(UuidTest, SetsVersionAndVariantBits) {
  PatternRandom ones(0xff);
  EXPECT_EQ(NewUuidV4(ones), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  PatternRandom zeros(0x00);
  EXPECT_EQ(NewUuidV4(zeros), "00000000-0000-4000-8000-000000000000");
}

TEST(UuidTest, RealRandomUuidsAreValidAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuidV4(OpenSslRandom());
    EXPECT_TRUE(IsUuidV4(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, IsUuidV4RejectsOtherShapes) {
  for (const char* bad :
       {"", "00000000-0000-1000-8000-000000000000", "00000000-0000-4000-c000-000000000000",
        "00000000-0000-4000-8000-00000000000G", "00000000-0000-4000-8000-000000000000-",
        "0000000000000-4000-8000-000000000000", "00000000-0000-4000-8000-00000000000A"}) {
    EXPECT_FALSE(IsUuidV4(bad)) << bad;
  }
}

}  // namespace
}  // namespace roomgate
