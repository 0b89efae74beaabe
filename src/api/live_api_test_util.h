// Test fixture for the live-session REST routes (active rooms, sessions):
// the real Router, management tokens and RoomService, with fakes for the live
// rooms, the history and its recorder that record what the API asked of
// them, so each test checks both the HTTP answer and what reached the service.
#ifndef ROOMGATE_API_LIVE_API_TEST_UTIL_H_
#define ROOMGATE_API_LIVE_API_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/api.h"
#include "auth/test_tokens.h"
#include "store/memory_store.h"

namespace roomgate::api::testing {

inline sessions::PeerView Peer(const char* id, const char* name, const char* user,
                               const char* role) {
  return {PeerId(id),          name,
          UserId(user),        RoleName(role),
          R"({"hand":false})", auth::testing::kNow - 30};
}

// Answers from canned state (`view`); `fail`, when set, is every call's answer.
class FakeLiveRooms : public sessions::LiveRooms {
 public:
  Result<sessions::ActiveRoomView> GetActiveRoom(const RoomId& room) override {
    calls.push_back("GetActiveRoom " + room.str());
    if (Status s = Check(room); !s.ok()) return s;
    return view;
  }
  Result<std::vector<sessions::PeerView>> ListPeers(const RoomId& room,
                                                    const sessions::PeerFilter& f) override {
    calls.push_back("ListPeers " + room.str());
    filter = f;
    if (Status s = Check(room); !s.ok()) return s;
    return view.peers;
  }
  Result<sessions::PeerView> GetPeer(const RoomId& room, const PeerId& peer) override {
    calls.push_back("GetPeer " + room.str() + " " + peer.str());
    if (Status s = Check(room); !s.ok()) return s;
    for (const sessions::PeerView& p : view.peers) {
      if (p.id == peer) return p;
    }
    return Status::NotFound("peer not found");
  }
  Result<sessions::PeerView> UpdatePeer(const RoomId& room, const PeerId& peer,
                                        const sessions::PeerUpdate& u) override {
    update = u;
    auto p = GetPeer(room, peer);
    calls.back() = "UpdatePeer " + room.str() + " " + peer.str();
    if (!p.ok()) return p;
    if (u.name) p->name = *u.name;
    if (u.role) p->role = *u.role;
    if (u.metadata) p->metadata = *u.metadata;
    return p;
  }
  Status SendMessage(const RoomId& room, const sessions::Audience& to, const std::string& t,
                     const std::string& m) override {
    calls.push_back("SendMessage " + room.str());
    audience = to;
    type = t;
    message = m;
    return Check(room);
  }
  Result<size_t> RemovePeers(const RoomId& room, const sessions::Audience& who,
                             const std::string& r) override {
    calls.push_back("RemovePeers " + room.str());
    audience = who;
    reason = r;
    if (Status s = Check(room); !s.ok()) return s;
    return size_t{1};
  }
  Status EndRoom(const RoomId& room, const std::string& r, bool l) override {
    calls.push_back("EndRoom " + room.str());
    reason = r;
    lock = l;
    return Check(room);
  }

  sessions::ActiveRoomView view;
  Status fail;
  // What the calls were given (the last one's arguments).
  std::vector<std::string> calls;
  sessions::PeerFilter filter;
  sessions::PeerUpdate update;
  sessions::Audience audience;
  std::string type, message, reason;
  bool lock = false;

 private:
  Status Check(const RoomId& room) const {
    if (!fail.ok()) return fail;
    return room == view.room_id ? Status::Ok() : Status::NotFound("room has no live session");
  }
};

// Sessions in creation order, paged as the store contract says. Reads are
// written to `log`, beside the recorder's flushes, so tests see the order.
class FakeHistory : public store::SessionStore {
 public:
  explicit FakeHistory(std::vector<std::string>& log) : log_(log) {}
  Status RecordSessionEvents(const std::vector<SessionEvent>&) override { return Status::Ok(); }
  Result<SessionRecord> GetSession(const SessionId& id) override {
    log_.push_back("get " + id.str());
    for (const SessionRecord& s : sessions) {
      if (s.id == id) return s;
    }
    return Status::NotFound("session not found");
  }
  Result<store::Page<SessionRecord>> ListSessions(const store::SessionFilter& f,
                                                  const store::PageRequest& page) override {
    log_.push_back("list");
    filter = f;
    limit = page.limit;
    store::Page<SessionRecord> out;
    bool started = page.start.empty();
    for (const SessionRecord& s : sessions) {
      if (started && out.data.size() < page.limit) out.data.push_back(s);
      started = started || s.id.str() == page.start;
    }
    if (!out.data.empty()) out.last = out.data.back().id.str();
    return out;
  }
  Result<size_t> EndActiveSessions(UnixSeconds) override { return size_t{0}; }

  std::vector<SessionRecord> sessions;
  store::SessionFilter filter;  // of the last list
  size_t limit = 0;             // of the last list

 private:
  std::vector<std::string>& log_;
};

class FakeRecorder : public sessions::SessionRecorder {
 public:
  explicit FakeRecorder(std::vector<std::string>& log) : log_(log) {}
  void Record(SessionEvent) override {}
  void Flush() override { log_.push_back("flush"); }

 private:
  std::vector<std::string>& log_;
};

inline void ExpectError(const Response& r, int status, const std::string& message_part) {
  EXPECT_EQ(r.status, status) << r.body;
  const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  EXPECT_EQ(j.value("code", 0), status) << r.body;
  EXPECT_THAT(j.value("message", ""), ::testing::HasSubstr(message_part)) << r.body;
}

// A request body or query that must be refused, and part of the message.
struct BadInput {
  std::string input;
  std::string message;
};

// The live room "standup" has a session "sess-1" with peers p1 (Alice, host)
// and p2 (Bob, guest).
class LiveApiFixture : public ::testing::Test {
 protected:
  LiveApiFixture()
      : clock_(auth::testing::kNow),
        keys_(StaticKeyProvider::Create({TestCredential()}).value()),
        verifier_(*keys_, clock_),
        minter_(TokenMinter::Create(TestCredential(), clock_, OpenSslRandom()).value()),
        rooms_(store_, clock_, OpenSslRandom()),
        history_(log_),
        recorder_(log_),
        services_{verifier_, rooms_, live_, history_, recorder_} {
    AddLiveRoomRoutes(router_, services_);
    management_ = minter_.MintManagement()->token;
    rooms::RoomChanges standup;
    standup.name = "standup";
    room_ = rooms_.CreateRoom(standup).value();
    live_.view = {room_.id,
                  SessionId("sess-1"),
                  auth::testing::kNow - 60,
                  {Peer("p1", "Alice", "alice", "host"), Peer("p2", "Bob", "bob", "guest")}};
  }

  static Credential TestCredential() {
    return {AccessKey(auth::testing::kAccessKey), std::string(auth::testing::kSecret)};
  }

  // With the management token unless `token` is given ("" sends none).
  Response Call(const std::string& method, const std::string& path, const std::string& body = "{}",
                std::map<std::string, std::string> query = {},
                std::optional<std::string> token = std::nullopt) {
    Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    r.body = body;
    r.headers = {{"accept", "application/json"}, {"content-type", "application/json"}};
    const std::string bearer = token.value_or(management_);
    if (!bearer.empty()) r.headers["authorization"] = "Bearer " + bearer;
    return router_.Dispatch(r);
  }
  // POST /v2/active-rooms/<room>/<action>.
  Response Post(const std::string& action, const nlohmann::json& body) {
    return Call("POST", RoomPath() + "/" + action, body.dump());
  }
  std::string RoomPath() const { return "/v2/active-rooms/" + room_.id.str(); }
  nlohmann::json Ok(const Response& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  // Each body is a 400 naming the problem, and nothing reaches the live rooms.
  void ExpectAllRefused(const std::string& path, const std::vector<BadInput>& cases) {
    for (const BadInput& c : cases) {
      SCOPED_TRACE(c.input.substr(0, 80));
      ExpectError(Call("POST", path, c.input), 400, c.message);
    }
    EXPECT_TRUE(live_.calls.empty());
  }

  FakeClock clock_;
  std::unique_ptr<StaticKeyProvider> keys_;
  TokenVerifier verifier_;
  TokenMinter minter_;
  store::MemoryStore store_;
  rooms::RoomService rooms_;
  FakeLiveRooms live_;
  std::vector<std::string> log_;  // the recorder's flushes and the history's reads
  FakeHistory history_;
  FakeRecorder recorder_;
  LiveApiServices services_;
  Router router_;
  std::string management_;
  Room room_;
};

}  // namespace roomgate::api::testing

#endif  // ROOMGATE_API_LIVE_API_TEST_UTIL_H_
