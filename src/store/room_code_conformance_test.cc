// The room-code half of the store conformance suite (the fixture and the
// instantiation over every backend are in store_conformance_test.{h,cc}).
#include "store/store_conformance_test.h"

namespace roomgate::store::testing {
namespace {

using Code = Status::Code;

constexpr size_t kNoLimit = 1000;

TEST_P(StoreConformanceTest, CreatedRoomCodesReadBack) {
  const std::vector<RoomCode> codes = {MakeCode("aaa-bbbb-ccc", "r1", "host"),
                                       MakeCode("ddd-eeee-fff", "r1", "guest", false)};
  ASSERT_TRUE(store().CreateRoomCodes(codes, kNoLimit).ok());
  for (const RoomCode& c : codes) {
    auto got = store().GetRoomCode(c.code);
    ASSERT_TRUE(got.ok()) << got.error().message();
    ExpectSameCode(c, *got);
  }
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("zzz-zzzz-zzz"))), Code::kNotFound);
  EXPECT_TRUE(store().CreateRoomCodes({}, kNoLimit).ok());
}

TEST_P(StoreConformanceTest, CreateRoomCodesIsAllOrNothingOnCollision) {
  ASSERT_TRUE(store().CreateRoomCodes({MakeCode("taken", "r1", "host")}, kNoLimit).ok());
  const Status s =
      store().CreateRoomCodes({MakeCode("new-1", "r1", "host"), MakeCode("taken", "r2", "guest"),
                               MakeCode("new-2", "r1", "host")},
                              kNoLimit);
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("new-1"))), Code::kNotFound);
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("new-2"))), Code::kNotFound);
  EXPECT_EQ(store().GetRoomCode(RoomCodeText("taken"))->room_id.str(), "r1");
  // A code repeated within one batch collides with itself.
  EXPECT_EQ(store()
                .CreateRoomCodes({MakeCode("twice", "r1", "host"), MakeCode("twice", "r1", "host")},
                                 kNoLimit)
                .code(),
            Code::kAlreadyExists);
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("twice"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, RoomCodeLimitCountsEveryCodeOfTheRoom) {
  ASSERT_TRUE(store().CreateRoomCodes({MakeCode("c1", "r1", "host", false)}, 3).ok());
  ASSERT_TRUE(store().CreateRoomCodes({MakeCode("other", "r2", "host")}, 3).ok());
  // Exactly at the limit (disabled codes count, other rooms' do not).
  ASSERT_TRUE(store()
                  .CreateRoomCodes({MakeCode("c2", "r1", "host"), MakeCode("c3", "r1", "guest")}, 3)
                  .ok());
  const Status past = store().CreateRoomCodes({MakeCode("c4", "r1", "host")}, 3);
  EXPECT_EQ(past.code(), Code::kResourceExhausted);
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("c4"))), Code::kNotFound);
  // A batch that would overshoot inserts none of its codes.
  const Status batch = store().CreateRoomCodes(
      {MakeCode("d1", "r2", "host"), MakeCode("d2", "r2", "host"), MakeCode("d3", "r2", "host")},
      3);
  EXPECT_EQ(batch.code(), Code::kResourceExhausted);
  EXPECT_EQ(CodeOf(store().GetRoomCode(RoomCodeText("d1"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, ListRoomCodesFiltersByRoleAndEnabled) {
  ASSERT_TRUE(
      store()
          .CreateRoomCodes({MakeCode("h1", "r1", "host"), MakeCode("g1", "r1", "guest"),
                            MakeCode("h2", "r1", "host", false), MakeCode("x1", "r2", "host")},
                           kNoLimit)
          .ok());
  EXPECT_EQ(ListCodes({}), (Ids{"h1", "g1", "h2"}));
  EXPECT_EQ(ListCodes({.role = RoleName("host")}), (Ids{"h1", "h2"}));
  EXPECT_EQ(ListCodes({.enabled = false}), (Ids{"h2"}));
  EXPECT_EQ(ListCodes({.role = RoleName("host"), .enabled = true}), (Ids{"h1"}));
  EXPECT_TRUE(ListCodes({.role = RoleName("Host")}).empty());  // roles are case-sensitive
}

TEST_P(StoreConformanceTest, ListRoomCodesPagesWithinTheRoom) {
  ASSERT_TRUE(store()
                  .CreateRoomCodes({MakeCode("c", "r1", "host"), MakeCode("x", "r2", "host"),
                                    MakeCode("a", "r1", "host"), MakeCode("b", "r1", "guest")},
                                   kNoLimit)
                  .ok());
  auto first = store().ListRoomCodes(RoomId("r1"), {}, {2, ""});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->last, "a");
  EXPECT_EQ(ListCodes({}, {2, first->last}), (Ids{"b"}));
  auto end = store().ListRoomCodes(RoomId("r1"), {}, {2, "b"});
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->data.empty());
  EXPECT_EQ(end->last, "");
  EXPECT_EQ(CodeOf(store().ListRoomCodes(RoomId("r1"), {}, {2, "nope"})), Code::kInvalidArgument);
  // A code of another room is no cursor for this one.
  EXPECT_EQ(CodeOf(store().ListRoomCodes(RoomId("r1"), {}, {2, "x"})), Code::kInvalidArgument);
  auto none = store().ListRoomCodes(RoomId("r3"), {}, {2, ""});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->data.empty());
  EXPECT_EQ(none->last, "");
}

TEST_P(StoreConformanceTest, SetRoomCodeEnabledSetsUpdatedAt) {
  ASSERT_TRUE(store().CreateRoomCodes({MakeCode("c1", "r1", "host")}, kNoLimit).ok());
  auto disabled = store().SetRoomCodeEnabled(RoomCodeText("c1"), false, 9000);
  ASSERT_TRUE(disabled.ok()) << disabled.error().message();
  EXPECT_FALSE(disabled->enabled);
  EXPECT_EQ(disabled->updated_at, 9000);
  EXPECT_EQ(disabled->created_at, 2000);
  ExpectSameCode(*disabled, *store().GetRoomCode(RoomCodeText("c1")));
  auto missing = store().SetRoomCodeEnabled(RoomCodeText("c2"), false, 9000);
  EXPECT_EQ(CodeOf(missing), Code::kNotFound);
}

TEST_P(StoreConformanceTest, SetRoleCodesEnabledCountsTheCodesItChanged) {
  ASSERT_TRUE(store()
                  .CreateRoomCodes({MakeCode("h1", "r1", "host"), MakeCode("h2", "r1", "host"),
                                    MakeCode("h3", "r1", "host", false),
                                    MakeCode("g1", "r1", "guest"), MakeCode("o1", "r2", "host")},
                                   kNoLimit)
                  .ok());
  auto changed = store().SetRoleCodesEnabled(RoomId("r1"), RoleName("host"), false, 7000);
  ASSERT_TRUE(changed.ok()) << changed.error().message();
  EXPECT_EQ(*changed, 2u);
  EXPECT_EQ(ListCodes({.enabled = false}), (Ids{"h1", "h2", "h3"}));
  EXPECT_EQ(store().GetRoomCode(RoomCodeText("h1"))->updated_at, 7000);
  EXPECT_EQ(store().GetRoomCode(RoomCodeText("h3"))->updated_at, 2001);  // untouched
  EXPECT_TRUE(store().GetRoomCode(RoomCodeText("g1"))->enabled);
  EXPECT_TRUE(store().GetRoomCode(RoomCodeText("o1"))->enabled);
  EXPECT_EQ(*store().SetRoleCodesEnabled(RoomId("r1"), RoleName("host"), false, 7001), 0u);
  EXPECT_EQ(*store().SetRoleCodesEnabled(RoomId("r1"), RoleName("host"), true, 7002), 3u);
  EXPECT_EQ(*store().SetRoleCodesEnabled(RoomId("r9"), RoleName("host"), true, 7003), 0u);
}

}  // namespace
}  // namespace roomgate::store::testing
