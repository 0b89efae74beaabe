// SessionHub: a joined peer's requests — the in-room powers, each allowed
// for a role that has the permission and refused (4104) for one that lacks
// it, plus messages and self-updates.
#include "common/time_format.h"
#include "sessions/hub_test_util.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;

// Host (every power), guest (none) and muter (mute only) are in the room.
class HubPowersTest : public HubTest {
 protected:
  HubPowersTest() {
    host_ = MustJoin("host", "hana");
    guest_ = MustJoin("guest", "gus");
    muter_ = MustJoin("muter", "max");
    for (Joined* j : {&host_, &guest_, &muter_}) j->link->Clear();
  }
  json PeerOf(const Joined& j) {
    auto view = hub_.GetPeer(room_.id, j.member.peer);
    if (!view.ok()) return json();
    return {{"peer_id", view->id.str()},      {"name", view->name},
            {"user_id", view->user_id.str()}, {"role", view->role.str()},
            {"metadata", view->metadata},     {"joined_at", FormatRfc3339(view->joined_at)}};
  }

  Joined host_, guest_, muter_;
};

// ---- remove-peer ----

TEST_F(HubPowersTest, RemovePeerTellsTheTargetThenClosesItAndTellsTheOthers) {
  const json by = PeerOf(host_);
  Reply r = hub_.RemovePeer(host_.member, guest_.member.peer, "spam");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, json::object());
  EXPECT_EQ(
      guest_.link->Log(),
      (std::vector<json>{{{"type", "removed"}, {"reason", "spam"}, {"by", by}},
                         {{"type", "close"}, {"code", kCloseRemoved}, {"reason", "removed"}}}));
  const json left = {
      {"type", "peer-left"}, {"peer_id", guest_.member.peer.str()}, {"reason", "removed"}};
  EXPECT_EQ(host_.link->Log(), std::vector<json>{left});
  EXPECT_EQ(muter_.link->Log(), std::vector<json>{left});
  EXPECT_EQ(CodeOf(hub_.UpdateSelf(guest_.member, "back", std::nullopt)), 4102)
      << "a removed peer's requests are not_joined";
}

TEST_F(HubPowersTest, RemovePeerRefusals) {
  EXPECT_EQ(CodeOf(hub_.RemovePeer(guest_.member, muter_.member.peer, "")), 4104);
  EXPECT_EQ(CodeOf(hub_.RemovePeer(host_.member, host_.member.peer, "")), 4110);
  EXPECT_EQ(CodeOf(hub_.RemovePeer(host_.member, PeerId("nobody"), "")), 4105);
  EXPECT_EQ(hub_.peer_count(), 3u);
  EXPECT_TRUE(muter_.link->Log().empty());
}

TEST_F(HubPowersTest, PermissionDeniedNamesTheMissingPermission) {
  Reply r = hub_.RemovePeer(guest_.member, muter_.member.peer, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("removeOthers"), std::string::npos) << r.error().message;
}

// ---- end-room ----

TEST_F(HubPowersTest, EndRoomTellsEveryoneAndClosesWith4201) {
  EXPECT_EQ(CodeOf(hub_.EndRoomByPeer(guest_.member, "bye", false, 3)), 4104);
  const json by = PeerOf(host_);
  Reply r = hub_.EndRoomByPeer(host_.member, "done", false, json());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_null()) << "without an id there is nothing to answer";
  const json ended = {{"type", "room-ended"}, {"reason", "done"}, {"lock", false}, {"by", by}};
  for (Joined* j : {&host_, &guest_, &muter_}) {
    std::vector<json> log = j->link->Log();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0], ended);
    EXPECT_EQ(log[1]["code"], kCloseRoomEnded);
  }
  EXPECT_EQ(hub_.GetActiveRoom(room_.id).error().code(), Status::Code::kNotFound);
  EXPECT_EQ(recorder_.Kinds().back(), SessionEvent::Kind::kEnded);
  EXPECT_EQ(hub_.peer_count(), 0u);
  Joined again = MustJoin("guest", "gus");
  EXPECT_NE(again.reply["session_id"], host_.reply["session_id"]) << "a new session";
}

TEST_F(HubPowersTest, EndRoomAnswersTheRequesterBeforeRoomEnded) {
  Reply r = hub_.EndRoomByPeer(host_.member, "done", false, 7);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_null()) << "the hub has answered itself";
  EXPECT_EQ(host_.link->Types(), (std::vector<std::string>{"reply", "room-ended", "close"}));
  EXPECT_EQ(host_.link->Log()[0], json({{"type", "reply"}, {"id", 7}, {"result", json::object()}}));
  EXPECT_EQ(guest_.link->Types(), (std::vector<std::string>{"room-ended", "close"}));
}

TEST_F(HubPowersTest, EndRoomWithLockDisablesTheRoom) {
  ASSERT_TRUE(hub_.EndRoomByPeer(host_.member, "", true, json()).ok());
  EXPECT_EQ(host_.link->OfType("room-ended")[0]["lock"], true);
  EXPECT_FALSE(rooms_.GetRoom(room_.id)->enabled);
  EXPECT_EQ(JoinCode(Token("host", "hana")), 4006);
  EXPECT_EQ(hub_.room_count(), 0u);
}

// A peer removed (or demoted) after sending end-room cannot still end the
// room: the permission is checked again where the room is ended.
TEST_F(HubPowersTest, RemovedPeerCannotEndTheRoom) {
  ASSERT_TRUE(hub_.RemovePeer(host_.member, muter_.member.peer, "").ok());
  EXPECT_EQ(CodeOf(hub_.EndRoomByPeer(muter_.member, "", true, 1)), 4102);
  EXPECT_TRUE(rooms_.GetRoom(room_.id)->enabled) << "no lock from a peer that is gone";
  EXPECT_EQ(hub_.peer_count(), 2u);
}

// A role-change request carries the requester's authority: once the
// requester is gone, the target cannot accept it.
TEST_F(HubPowersTest, RoleRequestIsVoidOnceTheRequesterIsRemoved) {
  Reply r = hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false);
  ASSERT_TRUE(r.ok());
  const std::string id = (*r)["request_id"];
  ASSERT_TRUE(hub_.RemovePeers(room_.id, Audience{host_.member.peer, {}}, "").ok());
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, id)), 4108);
  EXPECT_EQ(PeerOf(guest_)["role"], "guest");
}

// ---- request-mute ----

TEST_F(HubPowersTest, RequestMuteNeedsMuteToMuteAndUnmuteToUnmute) {
  Reply mute = hub_.RequestMute(muter_.member, {guest_.member.peer, {}}, "audio", true);
  ASSERT_TRUE(mute.ok());
  EXPECT_EQ(*mute, json({{"delivered", 1}}));
  EXPECT_EQ(guest_.link->Log(), std::vector<json>({{{"type", "mute-request"},
                                                    {"from", PeerOf(muter_)},
                                                    {"track", "audio"},
                                                    {"mute", true}}}));
  EXPECT_EQ(CodeOf(hub_.RequestMute(muter_.member, {guest_.member.peer, {}}, "audio", false)),
            4104);
  EXPECT_EQ(CodeOf(hub_.RequestMute(guest_.member, {muter_.member.peer, {}}, "video", true)), 4104);
  EXPECT_TRUE(host_.link->Log().empty());
}

TEST_F(HubPowersTest, RequestMuteToRolesOrEveryoneSkipsTheSender) {
  Joined guest2 = MustJoin("guest", "gina");
  Reply guests =
      hub_.RequestMute(host_.member, {std::nullopt, {RoleName("guest")}}, "video", false);
  ASSERT_TRUE(guests.ok());
  EXPECT_EQ((*guests)["delivered"], 2);
  EXPECT_EQ(guest2.link->OfType("mute-request").size(), 1u);
  EXPECT_TRUE(muter_.link->OfType("mute-request").empty());

  Reply all = hub_.RequestMute(host_.member, {}, "screen", true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["delivered"], 3) << "everyone but the sender";
  EXPECT_TRUE(host_.link->OfType("mute-request").empty());

  Reply host_role =
      hub_.RequestMute(host_.member, {std::nullopt, {RoleName("host")}}, "audio", true);
  ASSERT_TRUE(host_role.ok());
  EXPECT_EQ((*host_role)["delivered"], 0);
}

TEST_F(HubPowersTest, RequestMuteRefusesYourselfAndUnknownPeers) {
  EXPECT_EQ(CodeOf(hub_.RequestMute(host_.member, {host_.member.peer, {}}, "audio", true)), 4110);
  EXPECT_EQ(CodeOf(hub_.RequestMute(host_.member, {PeerId("ghost"), {}}, "audio", true)), 4105);
}

// ---- change-role ----

TEST_F(HubPowersTest, ForcedChangeRoleSendsPolicyToTargetThenPeerUpdatedToAll) {
  Reply r = hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["peer"]["role"], "muter");
  EXPECT_EQ(guest_.link->Types(), (std::vector<std::string>{"policy", "peer-updated"}));
  const json policy = guest_.link->Log()[0]["policy"];
  EXPECT_EQ(policy["name"], "muter");
  EXPECT_EQ(policy["role"]["permissions"]["mute"], true);
  const json updated = {{"type", "peer-updated"}, {"peer", (*r)["peer"]}, {"changed", {"role"}}};
  EXPECT_EQ(host_.link->Log(), std::vector<json>{updated});
  EXPECT_EQ(muter_.link->Log(), std::vector<json>{updated});
  // The new role's powers apply at once.
  EXPECT_TRUE(hub_.RequestMute(guest_.member, {host_.member.peer, {}}, "audio", true).ok());
}

TEST_F(HubPowersTest, RequestedChangeRoleHappensOnlyWhenTheTargetAccepts) {
  Reply r = hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false);
  ASSERT_TRUE(r.ok());
  const std::string id = (*r)["request_id"];
  EXPECT_EQ(guest_.link->Log(), std::vector<json>({{{"type", "role-change-request"},
                                                    {"request_id", id},
                                                    {"from", PeerOf(host_)},
                                                    {"role", "muter"}}}));
  EXPECT_EQ(PeerOf(guest_)["role"], "guest") << "nothing changes before the answer";
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(muter_.member, id)), 4108) << "only the target accepts";
  Reply accepted = hub_.AcceptRoleChange(guest_.member, id);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ((*accepted)["peer"]["role"], "muter");
  EXPECT_EQ(host_.link->OfType("peer-updated").size(), 1u);
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, id)), 4108) << "used up";
}

TEST_F(HubPowersTest, ANewRoleRequestReplacesTheOlderOne) {
  const std::string first =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false))["request_id"];
  const std::string second =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("capped"), false))["request_id"];
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, first)), 4108);
  EXPECT_EQ((*hub_.AcceptRoleChange(guest_.member, second))["peer"]["role"], "capped");
}

TEST_F(HubPowersTest, RoleRequestExpiresAfterTheTimeoutOnTick) {
  const std::string id =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false))["request_id"];
  clock_.Advance(60);  // role_request_timeout
  hub_.Tick();
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, id)), 4108);
  EXPECT_EQ(PeerOf(guest_)["role"], "guest");
}

TEST_F(HubPowersTest, RoleRequestStillOpenJustBeforeTheTimeout) {
  const std::string id =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false))["request_id"];
  clock_.Advance(59);
  hub_.Tick();
  EXPECT_TRUE(hub_.AcceptRoleChange(guest_.member, id).ok());
}

// docs/signalling.md says a request is gone after 60 s: the accept checks
// the deadline itself, not only the next Tick's sweep.
TEST_F(HubPowersTest, RoleRequestPastItsDeadlineIsRefusedEvenBeforeATick) {
  const std::string id =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("muter"), false))["request_id"];
  clock_.Advance(61);
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, id)), 4108);
}

TEST_F(HubPowersTest, ChangeRoleRespectsTheTargetRolesCap) {
  const std::string id =
      (*hub_.ChangeRole(host_.member, guest_.member.peer, RoleName("capped"), false))["request_id"];
  MustJoin("capped", "c1");
  MustJoin("capped", "c2");
  EXPECT_EQ(CodeOf(hub_.ChangeRole(host_.member, muter_.member.peer, RoleName("capped"), true)),
            4009);
  EXPECT_EQ(CodeOf(hub_.AcceptRoleChange(guest_.member, id)), 4009) << "full by the time of accept";
  EXPECT_EQ(PeerOf(guest_)["role"], "guest");
}

TEST_F(HubPowersTest, ChangeRoleRefusals) {
  const PeerId guest = guest_.member.peer;
  EXPECT_EQ(CodeOf(hub_.ChangeRole(guest_.member, muter_.member.peer, RoleName("host"), true)),
            4104);
  EXPECT_EQ(CodeOf(hub_.ChangeRole(host_.member, host_.member.peer, RoleName("guest"), true)),
            4110);
  EXPECT_EQ(CodeOf(hub_.ChangeRole(host_.member, PeerId("x"), RoleName("guest"), true)), 4105);
  EXPECT_EQ(CodeOf(hub_.ChangeRole(host_.member, guest, RoleName("ghost"), true)), 4007);
  EXPECT_EQ(CodeOf(hub_.ChangeRole(host_.member, guest, RoleName("banned"), false)), 4008);
  EXPECT_TRUE(guest_.link->Log().empty());
}

// ---- send-message ----

TEST_F(HubPowersTest, SendMessageToEveryoneIncludesTheSender) {
  Reply r = hub_.SendPeerMessage(guest_.member, {}, "", "hello");
  ASSERT_TRUE(r.ok());
  const json expected = {{"type", "message"},
                         {"message_id", (*r)["message_id"]},
                         {"message", "hello"},
                         {"message_type", "chat"},
                         {"from", PeerOf(guest_)},
                         {"to", nullptr},
                         {"sent_at", FormatRfc3339(kNow)}};
  for (Joined* j : {&host_, &guest_, &muter_})
    EXPECT_EQ(j->link->Log(), std::vector<json>{expected});
}

TEST_F(HubPowersTest, SendMessageToRolesOrOnePeer) {
  ASSERT_TRUE(hub_.SendPeerMessage(guest_.member,
                                   {std::nullopt, {RoleName("host"), RoleName("muter")}}, "note",
                                   "to staff")
                  .ok());
  EXPECT_TRUE(guest_.link->Log().empty());
  ASSERT_EQ(host_.link->Log().size(), 1u);
  EXPECT_EQ(host_.link->Log()[0]["to"], json({{"roles", {"host", "muter"}}}));
  EXPECT_EQ(host_.link->Log()[0]["message_type"], "note");
  EXPECT_EQ(muter_.link->Log().size(), 1u);

  ASSERT_TRUE(hub_.SendPeerMessage(host_.member, {muter_.member.peer, {}}, "dm", "psst").ok());
  EXPECT_EQ(muter_.link->Log().back()["to"], json({{"peer_id", muter_.member.peer.str()}}));
  EXPECT_EQ(host_.link->Log().size(), 1u) << "a direct message is not echoed";
  EXPECT_EQ(CodeOf(hub_.SendPeerMessage(host_.member, {PeerId("gone"), {}}, "", "x")), 4105);
}

// ---- update-self ----

TEST_F(HubPowersTest, UpdateSelfAnnouncesOnlyWhatChanged) {
  Reply r = hub_.UpdateSelf(guest_.member, "Gus G.", R"({"hand":true})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["peer"]["name"], "Gus G.");
  const json updated = {
      {"type", "peer-updated"}, {"peer", (*r)["peer"]}, {"changed", {"name", "metadata"}}};
  for (Joined* j : {&host_, &guest_, &muter_})
    EXPECT_EQ(j->link->Log(), std::vector<json>{updated});
  ASSERT_TRUE(hub_.UpdateSelf(guest_.member, "Gus G.", std::nullopt).ok());
  EXPECT_EQ(host_.link->Log().size(), 1u) << "no change, no event";
}

}  // namespace
}  // namespace roomgate::sessions::testing
