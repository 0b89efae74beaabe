// SessionHub as LiveRooms: the REST API's view of live sessions and the
// actions it takes as the server (actor null, no role permission applies).
#include "sessions/hub_test_util.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;
using Code = Status::Code;

template <class T>
Code CodeOfResult(const Result<T>& r) {
  return r.ok() ? Code::kOk : r.error().code();
}

// Alice (host) and Bob (guest) are in the room, joined in that order.
class HubRestTest : public HubTest {
 protected:
  HubRestTest() {
    alice_ = MustJoin("host", "alice", "Alice");
    bob_ = MustJoin("guest", "bob", "Bob");
    alice_.link->Clear();
    bob_.link->Clear();
  }
  std::vector<std::string> Names(const std::vector<PeerView>& peers) {
    std::vector<std::string> out;
    for (const PeerView& p : peers) out.push_back(p.name);
    return out;
  }

  Joined alice_, bob_;
};

TEST_F(HubRestTest, GetActiveRoomListsThePeersInJoinOrder) {
  auto view = hub_.GetActiveRoom(room_.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->room_id, room_.id);
  EXPECT_EQ(view->session_id.str(), alice_.reply["session_id"]);
  EXPECT_EQ(view->session_started_at, kNow);
  ASSERT_EQ(view->peers.size(), 2u);
  const PeerView& a = view->peers[0];
  EXPECT_EQ(a.id, alice_.member.peer);
  EXPECT_EQ(a.name, "Alice");
  EXPECT_EQ(a.user_id.str(), "alice");
  EXPECT_EQ(a.role.str(), "host");
  EXPECT_EQ(a.joined_at, kNow);
  EXPECT_EQ(view->peers[1].id, bob_.member.peer);
}

TEST_F(HubRestTest, ARoomWithoutASessionIsNotFound) {
  Room idle = MakeRoom("idle");
  EXPECT_EQ(CodeOfResult(hub_.GetActiveRoom(idle.id)), Code::kNotFound);
  EXPECT_EQ(CodeOfResult(hub_.ListPeers(idle.id, {})), Code::kNotFound);
  EXPECT_EQ(CodeOfResult(hub_.GetPeer(idle.id, alice_.member.peer)), Code::kNotFound);
  EXPECT_EQ(CodeOfResult(hub_.UpdatePeer(idle.id, alice_.member.peer, {})), Code::kNotFound);
  EXPECT_EQ(hub_.SendMessage(idle.id, {}, "", "x").code(), Code::kNotFound);
  EXPECT_EQ(CodeOfResult(hub_.RemovePeers(idle.id, {alice_.member.peer, {}}, "")), Code::kNotFound);
  EXPECT_EQ(hub_.EndRoom(idle.id, "", false).code(), Code::kNotFound);
}

TEST_F(HubRestTest, ListPeersFilters) {
  MustJoin("guest", "carol", "Carol");
  struct Case {
    std::optional<std::string> user, role;
    std::vector<std::string> names;
  };
  const std::vector<Case> cases = {
      {std::nullopt, std::nullopt, {"Alice", "Bob", "Carol"}},
      {std::nullopt, "guest", {"Bob", "Carol"}},
      {"carol", std::nullopt, {"Carol"}},
      {"bob", "guest", {"Bob"}},
      {"bob", "host", {}},
      {std::nullopt, "muter", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.user.value_or("*") + "/" + c.role.value_or("*"));
    PeerFilter f;
    if (c.user) f.user_id = UserId(*c.user);
    if (c.role) f.role = RoleName(*c.role);
    auto peers = hub_.ListPeers(room_.id, f);
    ASSERT_TRUE(peers.ok());
    EXPECT_EQ(Names(*peers), c.names);
  }
}

TEST_F(HubRestTest, GetPeerFindsOnlyPeersInTheRoom) {
  auto bob = hub_.GetPeer(room_.id, bob_.member.peer);
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->name, "Bob");
  EXPECT_EQ(CodeOfResult(hub_.GetPeer(room_.id, PeerId("nobody"))), Code::kNotFound);
}

TEST_F(HubRestTest, UpdatePeerPushesNameAndMetadataLive) {
  PeerUpdate u;
  u.name = "Robert";
  u.metadata = "{}";
  auto view = hub_.UpdatePeer(room_.id, bob_.member.peer, u);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->name, "Robert");
  for (Joined* j : {&alice_, &bob_}) {
    std::vector<json> log = j->link->Log();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["type"], "peer-updated");
    EXPECT_EQ(log[0]["changed"], json({"name", "metadata"}));
    EXPECT_EQ(log[0]["peer"]["name"], "Robert");
  }
  EXPECT_EQ(recorder_.Events().back().kind, SessionEvent::Kind::kPeerUpdated);
  EXPECT_EQ(recorder_.Events().back().peer.name, "Robert");
}

TEST_F(HubRestTest, UpdatePeerRoleSendsTheTargetItsPolicy) {
  PeerUpdate u;
  u.role = RoleName("muter");
  auto view = hub_.UpdatePeer(room_.id, bob_.member.peer, u);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->role.str(), "muter");
  EXPECT_EQ(bob_.link->Types(), (std::vector<std::string>{"policy", "peer-updated"}));
  EXPECT_EQ(bob_.link->Log()[0]["policy"]["name"], "muter");
  std::vector<json> alice = alice_.link->Log();
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0]["changed"], json({"role"}));
  EXPECT_EQ(alice[0]["peer"]["role"], "muter");
  EXPECT_TRUE(hub_.RequestMute(bob_.member, {alice_.member.peer, {}}, "audio", true).ok())
      << "the new role's powers apply";
}

TEST_F(HubRestTest, UpdatePeerRefusesBadRolesWithoutChangingAnything) {
  MustJoin("capped", "c1");
  MustJoin("capped", "c2");
  alice_.link->Clear();
  struct Case {
    const char* role;
    Code code;
  };
  for (const Case& c :
       {Case{"ghost", Code::kInvalidArgument}, Case{"banned", Code::kInvalidArgument},
        Case{"capped", Code::kFailedPrecondition}}) {
    SCOPED_TRACE(c.role);
    PeerUpdate u;
    u.name = "changed";
    u.role = RoleName(c.role);
    EXPECT_EQ(CodeOfResult(hub_.UpdatePeer(room_.id, bob_.member.peer, u)), c.code);
  }
  EXPECT_EQ(hub_.GetPeer(room_.id, bob_.member.peer)->name, "Bob");
  EXPECT_TRUE(alice_.link->Log().empty());
  EXPECT_EQ(CodeOfResult(hub_.UpdatePeer(room_.id, PeerId("nobody"), {})), Code::kNotFound);
}

TEST_F(HubRestTest, SendMessageComesFromTheServer) {
  ASSERT_TRUE(hub_.SendMessage(room_.id, {}, "", "maintenance at 5").ok());
  for (Joined* j : {&alice_, &bob_}) {
    std::vector<json> log = j->link->Log();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["from"], nullptr);
    EXPECT_EQ(log[0]["to"], nullptr);
    EXPECT_EQ(log[0]["message_type"], "chat");
    EXPECT_EQ(log[0]["message"], "maintenance at 5");
  }
  ASSERT_TRUE(hub_.SendMessage(room_.id, {std::nullopt, RoleName("guest")}, "alert", "g").ok());
  EXPECT_EQ(alice_.link->Log().size(), 1u);
  EXPECT_EQ(bob_.link->Last()["to"], json({{"roles", {"guest"}}}));
  EXPECT_EQ(bob_.link->Last()["message_type"], "alert");
  ASSERT_TRUE(hub_.SendMessage(room_.id, {alice_.member.peer, std::nullopt}, "", "dm").ok());
  EXPECT_EQ(alice_.link->Last()["to"], json({{"peer_id", alice_.member.peer.str()}}));
  EXPECT_EQ(bob_.link->Log().size(), 2u);
  EXPECT_EQ(hub_.SendMessage(room_.id, {PeerId("nobody"), std::nullopt}, "", "x").code(),
            Code::kNotFound);
}

TEST_F(HubRestTest, RemovePeersByPeer) {
  auto n = hub_.RemovePeers(room_.id, {bob_.member.peer, std::nullopt}, "policy");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(
      bob_.link->Log(),
      (std::vector<json>{{{"type", "removed"}, {"reason", "policy"}, {"by", nullptr}},
                         {{"type", "close"}, {"code", kCloseRemoved}, {"reason", "removed"}}}));
  EXPECT_EQ(alice_.link->Last()["type"], "peer-left");
  EXPECT_EQ(CodeOfResult(hub_.RemovePeers(room_.id, {bob_.member.peer, std::nullopt}, "")),
            Code::kNotFound);
}

TEST_F(HubRestTest, RemovePeersByRole) {
  Joined carol = MustJoin("guest", "carol");
  auto n = hub_.RemovePeers(room_.id, {std::nullopt, RoleName("guest")}, "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(carol.link->close_code(), kCloseRemoved);
  EXPECT_EQ(bob_.link->close_code(), kCloseRemoved);
  EXPECT_EQ(alice_.link->close_code(), 0);
  EXPECT_EQ(alice_.link->OfType("peer-left").size(), 2u);
  EXPECT_EQ(CodeOfResult(hub_.RemovePeers(room_.id, {std::nullopt, RoleName("guest")}, "")),
            Code::kNotFound);
  EXPECT_EQ(CodeOfResult(hub_.RemovePeers(room_.id, {}, "")), Code::kInvalidArgument);
}

TEST_F(HubRestTest, EndRoomWithLockDisablesTheRoomAndNamesNoActor) {
  ASSERT_TRUE(hub_.EndRoom(room_.id, "closing", true).ok());
  EXPECT_EQ(bob_.link->Log(),
            (std::vector<json>{
                {{"type", "room-ended"}, {"reason", "closing"}, {"lock", true}, {"by", nullptr}},
                {{"type", "close"}, {"code", kCloseRoomEnded}, {"reason", "room ended"}}}));
  EXPECT_FALSE(rooms_.GetRoom(room_.id)->enabled);
  EXPECT_EQ(JoinCode(Token("host", "alice")), 4006);
  EXPECT_EQ(hub_.EndRoom(room_.id, "", false).code(), Code::kNotFound) << "already over";
}

}  // namespace
}  // namespace roomgate::sessions::testing
