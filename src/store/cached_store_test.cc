// What the cache adds beyond the shared contract (which it also passes, see
// store_conformance_test.cc): hits avoid the inner store, and no write is
// ever hidden by a cached value.
#include "store/cached_store.h"

#include <gtest/gtest.h>

#include "store/memory_store.h"

namespace roomgate::store {
namespace {

// Counts reads that reach the inner store.
class CountingStore final : public MemoryStore {
 public:
  Result<RoomCode> GetRoomCode(const RoomCodeText& code) override {
    ++code_reads;
    return MemoryStore::GetRoomCode(code);
  }
  int code_reads = 0;
};

RoomCode Code(const std::string& text) {
  RoomCode c;
  c.code = RoomCodeText(text);
  c.room_id = RoomId("r1");
  c.role = RoleName("host");
  return c;
}

TEST(CachedStoreTest, RepeatedLookupsAreServedFromTheCache) {
  CountingStore inner;
  CachedStore cached(inner);
  ASSERT_TRUE(cached.CreateRoomCodes({Code("abc-defg-hij")}, 100).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(cached.GetRoomCode(RoomCodeText("abc-defg-hij")).ok());
  EXPECT_EQ(inner.code_reads, 1);
}

TEST(CachedStoreTest, DisablingACodeIsSeenByTheVeryNextLookup) {
  CountingStore inner;
  CachedStore cached(inner);
  ASSERT_TRUE(cached.CreateRoomCodes({Code("abc-defg-hij")}, 100).ok());
  ASSERT_TRUE(cached.GetRoomCode(RoomCodeText("abc-defg-hij"))->enabled);
  ASSERT_TRUE(cached.SetRoomCodeEnabled(RoomCodeText("abc-defg-hij"), false, 1).ok());
  EXPECT_FALSE(cached.GetRoomCode(RoomCodeText("abc-defg-hij"))->enabled);
}

TEST(CachedStoreTest, MissesAreNotCached) {
  CountingStore inner;
  CachedStore cached(inner);
  EXPECT_FALSE(cached.GetRoomCode(RoomCodeText("abc-defg-hij")).ok());
  ASSERT_TRUE(inner.CreateRoomCodes({Code("abc-defg-hij")}, 100).ok());  // behind its back
  EXPECT_TRUE(cached.GetRoomCode(RoomCodeText("abc-defg-hij")).ok());
}

TEST(CachedStoreTest, ARoomDisabledThroughModifyIsSeenAtOnce) {
  MemoryStore inner;
  CachedStore cached(inner);
  Room room;
  room.id = RoomId("r1");
  room.name = "demo";
  ASSERT_TRUE(cached.CreateRoom(room).ok());
  ASSERT_TRUE(cached.GetRoom(RoomId("r1"))->enabled);
  ASSERT_TRUE(cached
                  .ModifyRoom(RoomId("r1"),
                              [](Room& r) {
                                r.enabled = false;
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_FALSE(cached.GetRoom(RoomId("r1"))->enabled);
}

}  // namespace
}  // namespace roomgate::store
