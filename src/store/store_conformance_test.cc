// The store contract (store.h), checked against every backend: the same
// tests run on MemoryStore and on SqliteStore over a fresh file.
#include "store/store_conformance_test.h"

#include <atomic>
#include <thread>

#include "store/cached_store.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"

namespace roomgate::store {
namespace {

using namespace testing;
using Code = Status::Code;

std::unique_ptr<Store> OpenMemory(const TempDir&) { return std::make_unique<MemoryStore>(); }

std::unique_ptr<Store> OpenSqlite(const TempDir& dir) {
  auto store = SqliteStore::Open(dir.File("store.db"));
  if (!store.ok()) {
    ADD_FAILURE() << store.error().message();
    return nullptr;
  }
  return std::move(*store);
}

// The cache in front of SQLite must keep every promise of the contract too.
class OwningCachedStore final : public CachedStore {
 public:
  explicit OwningCachedStore(std::unique_ptr<Store> inner)
      : CachedStore(*inner), inner_(std::move(inner)) {}

 private:
  std::unique_ptr<Store> inner_;
};

std::unique_ptr<Store> OpenCachedSqlite(const TempDir& dir) {
  auto inner = OpenSqlite(dir);
  if (!inner) return nullptr;
  return std::make_unique<OwningCachedStore>(std::move(inner));
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& backend) {
  return backend.param.name;
}

// --- Templates -------------------------------------------------------------

TEST_P(StoreConformanceTest, CreatedTemplateReadsBackWithEveryField) {
  const Template t = MakeTemplate("t1", "default");
  ASSERT_TRUE(store().CreateTemplate(t).ok());
  auto got = store().GetTemplate(TemplateId("t1"));
  ASSERT_TRUE(got.ok()) << got.error().message();
  ExpectSameTemplate(t, *got);
}

TEST_P(StoreConformanceTest, EveryRoleFieldRoundTrips) {
  Template t = MakeTemplate("t1", "default");
  Role odd = FullRole("viewer-near-realtime");
  odd.publish_allowed = {};
  odd.permissions = Permissions{};
  odd.permissions.browser_recording = false;
  odd.priority = 5;
  odd.max_peer_count = 7;
  odd.publish_extra_json = "{}";
  odd.subscribe_extra_json = R"({"subscribeDegradation":{"packetLossThreshold":25}})";
  t.roles["viewer-near-realtime"] = odd;
  t.roles["Host"] = FullRole("Host");  // role names are case-sensitive keys
  ASSERT_TRUE(store().CreateTemplate(t).ok());
  auto got = store().GetTemplate(TemplateId("t1"));
  ASSERT_TRUE(got.ok()) << got.error().message();
  ExpectSameTemplate(t, *got);
}

TEST_P(StoreConformanceTest, MissingTemplateIsNotFound) {
  EXPECT_EQ(CodeOf(store().GetTemplate(TemplateId("nope"))), Code::kNotFound);
  auto modified = store().ModifyTemplate(TemplateId("nope"), [](Template&) { return Status(); });
  EXPECT_EQ(CodeOf(modified), Code::kNotFound);
}

TEST_P(StoreConformanceTest, TemplateIdAndNameMustBeNew) {
  ASSERT_TRUE(store().CreateTemplate(MakeTemplate("t1", "default")).ok());
  EXPECT_EQ(store().CreateTemplate(MakeTemplate("t1", "other")).code(), Code::kAlreadyExists);
  EXPECT_EQ(store().CreateTemplate(MakeTemplate("t2", "default")).code(), Code::kAlreadyExists);
  // Template names are case-sensitive.
  EXPECT_TRUE(store().CreateTemplate(MakeTemplate("t3", "Default")).ok());
  EXPECT_EQ(CodeOf(store().GetTemplate(TemplateId("t2"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, FindTemplateByNameIsExact) {
  ASSERT_TRUE(store().CreateTemplate(MakeTemplate("t1", "default")).ok());
  auto found = store().FindTemplateByName("default");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id.str(), "t1");
  auto other_case = store().FindTemplateByName("DEFAULT");
  ASSERT_TRUE(other_case.ok());
  EXPECT_FALSE(other_case->has_value());
}

TEST_P(StoreConformanceTest, ModifyTemplateWritesWhatFnChanged) {
  ASSERT_TRUE(store().CreateTemplate(MakeTemplate("t1", "default")).ok());
  auto modified = store().ModifyTemplate(TemplateId("t1"), [](Template& t) {
    t.name = "renamed";
    t.roles.erase("guest");
    t.roles["host"].priority = 4;
    t.updated_at = 1800000000;
    return Status();
  });
  ASSERT_TRUE(modified.ok()) << modified.error().message();
  EXPECT_EQ(modified->name, "renamed");
  auto got = store().GetTemplate(TemplateId("t1"));
  ASSERT_TRUE(got.ok());
  ExpectSameTemplate(*modified, *got);
  EXPECT_EQ(got->roles.size(), 1u);
  EXPECT_EQ(got->roles.at("host").priority, 4);
  EXPECT_TRUE(store().FindTemplateByName("renamed")->has_value());
  EXPECT_FALSE(store().FindTemplateByName("default")->has_value());
}

TEST_P(StoreConformanceTest, ModifyTemplateWritesNothingWhenFnFails) {
  const Template original = MakeTemplate("t1", "default");
  ASSERT_TRUE(store().CreateTemplate(original).ok());
  auto modified = store().ModifyTemplate(TemplateId("t1"), [](Template& t) {
    t.name = "changed";
    return Status::InvalidArgument("no");
  });
  ASSERT_FALSE(modified.ok());
  EXPECT_EQ(modified.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(modified.error().message(), "no");
  ExpectSameTemplate(original, *store().GetTemplate(TemplateId("t1")));
}

TEST_P(StoreConformanceTest, ModifyTemplateRefusesTakenNameAndIdChange) {
  ASSERT_TRUE(store().CreateTemplate(MakeTemplate("t1", "one")).ok());
  ASSERT_TRUE(store().CreateTemplate(MakeTemplate("t2", "two")).ok());
  auto rename = [](Template& t) {
    t.name = "two";
    return Status();
  };
  EXPECT_EQ(CodeOf(store().ModifyTemplate(TemplateId("t1"), rename)), Code::kAlreadyExists);
  auto change_id = [](Template& t) {
    t.id = TemplateId("t9");
    return Status();
  };
  EXPECT_EQ(CodeOf(store().ModifyTemplate(TemplateId("t1"), change_id)), Code::kInvalidArgument);
  EXPECT_EQ(store().GetTemplate(TemplateId("t1"))->name, "one");
  EXPECT_EQ(CodeOf(store().GetTemplate(TemplateId("t9"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, ListTemplatesPagesInCreationOrder) {
  // Ids chosen so creation order differs from id order.
  for (const char* id : {"tc", "ta", "tb"}) {
    ASSERT_TRUE(store().CreateTemplate(MakeTemplate(id, std::string("name-") + id)).ok());
  }
  auto first = store().ListTemplates({2, ""});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->data.size(), 2u);
  EXPECT_EQ(first->data[0].id.str(), "tc");
  EXPECT_EQ(first->data[1].id.str(), "ta");
  EXPECT_EQ(first->last, "ta");
  ExpectSameTemplate(MakeTemplate("tc", "name-tc"), first->data[0]);
  auto second = store().ListTemplates({2, first->last});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->data.size(), 1u);
  EXPECT_EQ(second->data[0].id.str(), "tb");
  auto end = store().ListTemplates({2, second->last});
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->data.empty());
  EXPECT_EQ(end->last, "");
  EXPECT_EQ(CodeOf(store().ListTemplates({2, "unknown"})), Code::kInvalidArgument);
}

// --- Rooms -----------------------------------------------------------------

TEST_P(StoreConformanceTest, CreatedRoomReadsBackWithEveryField) {
  Room room = MakeRoom("r1", "Demo");
  room.enabled = false;
  ASSERT_TRUE(store().CreateRoom(room).ok());
  auto got = store().GetRoom(RoomId("r1"));
  ASSERT_TRUE(got.ok()) << got.error().message();
  ExpectSameRoom(room, *got);
  EXPECT_EQ(CodeOf(store().GetRoom(RoomId("r2"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, RoomIdAndNameMustBeNewIgnoringNameCase) {
  ASSERT_TRUE(store().CreateRoom(MakeRoom("r1", "Demo")).ok());
  EXPECT_EQ(store().CreateRoom(MakeRoom("r1", "other")).code(), Code::kAlreadyExists);
  EXPECT_EQ(store().CreateRoom(MakeRoom("r2", "demo")).code(), Code::kAlreadyExists);
  EXPECT_EQ(store().CreateRoom(MakeRoom("r3", "DEMO")).code(), Code::kAlreadyExists);
  EXPECT_TRUE(store().CreateRoom(MakeRoom("r4", "demo-2")).ok());
  EXPECT_EQ(CodeOf(store().GetRoom(RoomId("r2"))), Code::kNotFound);
}

TEST_P(StoreConformanceTest, FindRoomByNameIgnoresCase) {
  ASSERT_TRUE(store().CreateRoom(MakeRoom("r1", "Demo")).ok());
  auto found = store().FindRoomByName("dEMO");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id.str(), "r1");
  EXPECT_EQ((*found)->name, "Demo");
  auto missing = store().FindRoomByName("Demo2");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreConformanceTest, ModifyRoomWritesWhatFnChanged) {
  ASSERT_TRUE(store().CreateRoom(MakeRoom("r1", "demo")).ok());
  auto modified = store().ModifyRoom(RoomId("r1"), [](Room& r) {
    r.name = "Demo";  // a case-only rename of itself is no collision
    r.enabled = false;
    r.extra_json = "{}";
    r.updated_at = 5000;
    return Status();
  });
  ASSERT_TRUE(modified.ok()) << modified.error().message();
  auto got = store().GetRoom(RoomId("r1"));
  ASSERT_TRUE(got.ok());
  ExpectSameRoom(*modified, *got);
  EXPECT_EQ(got->name, "Demo");
  EXPECT_FALSE(got->enabled);
  EXPECT_EQ(got->updated_at, 5000);
}

TEST_P(StoreConformanceTest, ModifyRoomWritesNothingOnFnErrorCollisionOrIdChange) {
  const Room original = MakeRoom("r1", "one");
  ASSERT_TRUE(store().CreateRoom(original).ok());
  ASSERT_TRUE(store().CreateRoom(MakeRoom("r2", "two")).ok());
  auto fails = [](Room& r) {
    r.description = "changed";
    return Status::InvalidArgument("bad");
  };
  EXPECT_EQ(CodeOf(store().ModifyRoom(RoomId("r1"), fails)), Code::kInvalidArgument);
  auto collides = [](Room& r) {
    r.name = "TWO";
    return Status();
  };
  EXPECT_EQ(CodeOf(store().ModifyRoom(RoomId("r1"), collides)), Code::kAlreadyExists);
  auto moves = [](Room& r) {
    r.id = RoomId("r9");
    return Status();
  };
  EXPECT_EQ(CodeOf(store().ModifyRoom(RoomId("r1"), moves)), Code::kInvalidArgument);
  ExpectSameRoom(original, *store().GetRoom(RoomId("r1")));
  EXPECT_EQ(CodeOf(store().ModifyRoom(RoomId("r9"), collides)), Code::kNotFound);
}

TEST_P(StoreConformanceTest, ListRoomsPagesInCreationOrder) {
  auto empty = store().ListRooms({}, {10, ""});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->data.empty());
  EXPECT_EQ(empty->last, "");
  CreateRooms(5);
  auto page = store().ListRooms({}, {2, ""});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->last, "r1");
  EXPECT_EQ(ListRoomIds({}, {2, page->last}), (Ids{"r2", "r3"}));
  EXPECT_EQ(ListRoomIds({}, {2, "r3"}), (Ids{"r4"}));  // the end: fewer than limit
  auto end = store().ListRooms({}, {2, "r4"});
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->data.empty());
  EXPECT_EQ(end->last, "");
  EXPECT_TRUE(ListRoomIds({}, {0, ""}).empty());
  EXPECT_EQ(ListRoomIds({}, {static_cast<size_t>(-1), ""}).size(), 5u);
  EXPECT_EQ(CodeOf(store().ListRooms({}, {2, "nope"})), Code::kInvalidArgument);
}

TEST_P(StoreConformanceTest, ListRoomsAppliesEveryFilter) {
  CreateRooms(4);  // created_at 1000, 1010, 1020, 1030
  ASSERT_TRUE(store()
                  .ModifyRoom(RoomId("r1"),
                              [](Room& r) {
                                r.enabled = false;
                                r.template_id = TemplateId("tpl-2");
                                return Status();
                              })
                  .ok());
  EXPECT_EQ(ListRoomIds({.enabled = false}), (Ids{"r1"}));
  EXPECT_EQ(ListRoomIds({.enabled = true}), (Ids{"r0", "r2", "r3"}));
  EXPECT_EQ(ListRoomIds({.name = "ROOM2"}), (Ids{"r2"}));
  EXPECT_EQ(ListRoomIds({.template_id = TemplateId("tpl-2")}), (Ids{"r1"}));
  EXPECT_EQ(ListRoomIds({.created_after = 1010}), (Ids{"r2", "r3"}));  // strictly after
  EXPECT_EQ(ListRoomIds({.created_before = 1010}), (Ids{"r0"}));       // strictly before
  EXPECT_EQ(ListRoomIds({.enabled = true, .created_after = 1000, .created_before = 1030}),
            (Ids{"r2"}));
  EXPECT_TRUE(ListRoomIds({.name = "nothing"}).empty());
  // The cursor may name a room the filter excludes.
  EXPECT_EQ(ListRoomIds({.enabled = true}, {10, "r1"}), (Ids{"r2", "r3"}));
}

TEST_P(StoreConformanceTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 8;
  constexpr int kRoomsEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < kRoomsEach; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!store().CreateRoom(MakeRoom(id, "name-" + id)).ok()) ++failures;
        if (!store().GetRoom(RoomId(id)).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ListRoomIds({}, {1000, ""}).size(), size_t{kThreads * kRoomsEach});
}

}  // namespace

// Shared with room_code_conformance_test.cc, which adds the room-code cases
// to the same suite.
INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest,
                         ::testing::Values(Backend{"Memory", OpenMemory},
                                           Backend{"Sqlite", OpenSqlite},
                                           Backend{"CachedSqlite", OpenCachedSqlite}),
                         BackendName);

}  // namespace roomgate::store
