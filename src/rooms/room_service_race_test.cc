// Upsert by name under concurrency: a create that finds no room (or template)
// but then loses the insert to a concurrent create of the same name must
// update the winner, never fail and never make a second object.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "rooms/room_service.h"
#include "store/memory_store.h"

namespace roomgate::rooms {
namespace {

// A store whose Find*ByName miss `*_misses` times while the object exists:
// what a create sees when a concurrent create of the same name commits
// between its look-up and its insert.
class RacingStore final : public store::Store {
 public:
  store::MemoryStore inner;
  int room_misses = 0;
  int template_misses = 0;

  Result<std::optional<Room>> FindRoomByName(const std::string& name) override {
    if (Miss(room_misses)) return std::optional<Room>();
    return inner.FindRoomByName(name);
  }
  Result<std::optional<Template>> FindTemplateByName(const std::string& name) override {
    if (Miss(template_misses)) return std::optional<Template>();
    return inner.FindTemplateByName(name);
  }

  static bool Miss(int& left) {
    if (left == 0) return false;
    --left;
    return true;
  }

  // The rest forwards.
  Status RecordSessionEvents(const std::vector<SessionEvent>& e) override {
    return inner.RecordSessionEvents(e);
  }
  Result<SessionRecord> GetSession(const SessionId& id) override { return inner.GetSession(id); }
  Result<store::Page<SessionRecord>> ListSessions(const store::SessionFilter& f,
                                                  const store::PageRequest& p) override {
    return inner.ListSessions(f, p);
  }
  Result<size_t> EndActiveSessions(UnixSeconds now) override {
    return inner.EndActiveSessions(now);
  }
  Status CreateTemplate(const Template& t) override { return inner.CreateTemplate(t); }
  Result<Template> GetTemplate(const TemplateId& id) override { return inner.GetTemplate(id); }
  Result<store::Page<Template>> ListTemplates(const store::PageRequest& p) override {
    return inner.ListTemplates(p);
  }
  Result<Template> ModifyTemplate(const TemplateId& id,
                                  const std::function<Status(Template&)>& fn) override {
    return inner.ModifyTemplate(id, fn);
  }
  Status CreateRoom(const Room& room) override { return inner.CreateRoom(room); }
  Result<Room> GetRoom(const RoomId& id) override { return inner.GetRoom(id); }
  Result<store::Page<Room>> ListRooms(const store::RoomFilter& f,
                                      const store::PageRequest& p) override {
    return inner.ListRooms(f, p);
  }
  Result<Room> ModifyRoom(const RoomId& id, const std::function<Status(Room&)>& fn) override {
    return inner.ModifyRoom(id, fn);
  }
  Status CreateRoomCodes(const std::vector<RoomCode>& c, size_t max) override {
    return inner.CreateRoomCodes(c, max);
  }
  Result<RoomCode> GetRoomCode(const RoomCodeText& c) override { return inner.GetRoomCode(c); }
  Result<store::Page<RoomCode>> ListRoomCodes(const RoomId& room, const store::RoomCodeFilter& f,
                                              const store::PageRequest& p) override {
    return inner.ListRoomCodes(room, f, p);
  }
  Result<RoomCode> SetRoomCodeEnabled(const RoomCodeText& c, bool e, UnixSeconds now) override {
    return inner.SetRoomCodeEnabled(c, e, now);
  }
  Result<size_t> SetRoleCodesEnabled(const RoomId& room, const RoleName& role, bool e,
                                     UnixSeconds now) override {
    return inner.SetRoleCodesEnabled(room, role, e, now);
  }
};

class RoomServiceRaceTest : public ::testing::Test {
 protected:
  RacingStore store_;
  FakeClock clock_{1'700'000'000};
  RoomService service_{store_, clock_, OpenSslRandom()};
};

TEST_F(RoomServiceRaceTest, CreateRoomThatLosesTheInsertUpdatesTheWinner) {
  RoomChanges first;
  first.name = "race";
  ASSERT_TRUE(service_.CreateRoom(first).ok());
  store_.room_misses = 1;
  RoomChanges second;
  second.name = "RACE";
  second.description = "second";
  auto room = service_.CreateRoom(second);
  ASSERT_TRUE(room.ok()) << room.error().message();
  EXPECT_EQ(room->description, "second");
  EXPECT_EQ(store_.inner.ListRooms({}, {})->data.size(), 1u);
}

TEST_F(RoomServiceRaceTest, CreateTemplateThatLosesTheInsertUpdatesTheWinner) {
  TemplateChanges t;
  t.name = "webinar";
  auto first = service_.CreateTemplate(t);
  ASSERT_TRUE(first.ok());
  store_.template_misses = 1;
  t.settings_json = R"({"region":"in"})";
  auto second = service_.CreateTemplate(t);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->settings_json, R"({"region":"in"})");
}

TEST_F(RoomServiceRaceTest, ConcurrentCreatesOfOneNameMakeOneRoom) {
  store::MemoryStore memory;
  RoomService service(memory, clock_, OpenSslRandom());
  ASSERT_TRUE(service.EnsureDefaultTemplate().ok());
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::string> ids(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      RoomChanges c;
      c.name = i % 2 ? "Standup" : "standup";
      auto room = service.CreateRoom(c);
      if (room.ok())
        ids[i] = room->id.str();
      else
        ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(memory.ListRooms({}, {})->data.size(), 1u);
  for (const std::string& id : ids) EXPECT_EQ(id, ids[0]);
}

}  // namespace
}  // namespace roomgate::rooms
