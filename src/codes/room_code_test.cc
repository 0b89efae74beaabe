#include "codes/room_code.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace roomgate::codes {
namespace {

// Replays a fixed byte sequence, to check mapping and rejection sampling.
class ScriptedRandom final : public SecureRandom {
 public:
  explicit ScriptedRandom(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  void Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = bytes_[next_++ % bytes_.size()];
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t next_ = 0;
};

TEST(RoomCodeTest, HasThreeFourThreeLowercaseShape) {
  for (int i = 0; i < 1000; ++i) {
    const RoomCodeText code = NewRoomCode(OpenSslRandom());
    EXPECT_TRUE(IsWellFormedRoomCode(code.str())) << code.str();
  }
}

TEST(RoomCodeTest, MapsBytesToLettersAndRedrawsBiasedBytes) {
  // 0 -> 'a', 25 -> 'z', 26 -> 'a'; 234..255 would bias toward a-v: skipped.
  ScriptedRandom random({0, 255, 25, 234, 26, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_EQ(NewRoomCode(random).str(), "aza-bcde-fgh");
}

TEST(RoomCodeTest, LettersAreRoughlyUniform) {
  std::array<int, 26> counts{};
  for (int i = 0; i < 2600; ++i) {
    const RoomCodeText code = NewRoomCode(OpenSslRandom());
    for (char c : code.str()) {
      if (c != '-') ++counts[c - 'a'];
    }
  }
  // 1000 expected per letter; a 6-sigma band keeps the test from flaking.
  for (int n : counts) {
    EXPECT_GT(n, 800);
    EXPECT_LT(n, 1200);
  }
}

TEST(RoomCodeTest, CodesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewRoomCode(OpenSslRandom()).str());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(RoomCodeTest, RejectsOtherShapes) {
  for (const char* bad : {"", "abc-defg-hi", "abc-defg-hijk", "abc_defg_hij", "ABC-DEFG-HIJ",
                          "abc-def-ghij", "ab1-defg-hij", "abc-defg-hi ", "abcdefghijkl"}) {
    EXPECT_FALSE(IsWellFormedRoomCode(bad)) << bad;
  }
}

}  // namespace
}  // namespace roomgate::codes
