// The media rules of a live session, through the real hub and media
// workers, over a fake SFU: who may publish what, who is offered whose
// media, and teardown on leave, role change, end and SFU failure.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sessions/fake_media_backend.h"
#include "sessions/hub_test_util.h"
#include "sessions/media_sdp.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;

// An offer with one media section per (mid, kind).
std::string Offer(std::vector<std::pair<std::string, std::string>> sections) {
  std::string sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  for (const auto& [mid, kind] : sections) {
    sdp += "m=" + kind + " 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:" + mid +
           "\r\na=sendonly\r\n";
  }
  return sdp;
}

json AudioVideo() {
  return {{"type", "publish"},
          {"source", "regular"},
          {"sdp", Offer({{"0", "audio"}, {"1", "video"}})},
          {"tracks", {{{"mid", "0"}, {"kind", "audio"}}, {{"mid", "1"}, {"kind", "video"}}}}};
}

struct MediaParts {
  FakeMediaBackend backend;
  MediaWorkers workers{1};
};

class RoomMediaTest : public MediaParts, public HubTest {
 public:
  RoomMediaTest() : HubTest({}, 0, MediaPlane{&backend, &workers}) {
    const std::vector<RoleName> stage_and_guests = {RoleName("host"), RoleName("guest")};
    Role host = MakeRole("host", 0, AllPowers());
    host.publish_allowed = {"audio", "video", "screen"};
    host.subscribe_to_roles = stage_and_guests;
    Role guest = MakeRole("guest");
    guest.subscribe_to_roles = stage_and_guests;
    Role viewer = MakeRole("viewer");
    viewer.publish_allowed = {};
    viewer.subscribe_to_roles = stage_and_guests;
    Role listener = MakeRole("listener");  // hears the host only
    listener.publish_allowed = {"audio"};
    listener.subscribe_to_roles = {RoleName("host")};
    rooms::TemplateChanges t;
    t.name = "media";
    t.roles = std::map<std::string, Role>{
        {"host", host}, {"guest", guest}, {"viewer", viewer}, {"listener", listener}};
    template_ = rooms_.CreateTemplate(t).value();
    room_ = MakeRoom("media-room");
  }

  // The first message on `link` matching `pred`, waiting up to 5 s (the
  // media steps run on the workers).
  template <class Pred>
  json WaitFor(const FakePeerLink& link, Pred pred) {
    for (int i = 0; i < 5000; ++i) {
      for (const json& m : link.Log()) {
        if (pred(m)) return m;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ADD_FAILURE() << "timed out; the peer got: " << json(link.Log()).dump();
    return json();
  }
  json WaitType(const FakePeerLink& link, const std::string& type) {
    return WaitFor(link, [&](const json& m) { return m.value("type", "") == type; });
  }
  // Sends a media request and returns its reply or error.
  json Ask(const Joined& who, json msg) {
    const int id = ++next_id_;
    msg["id"] = id;
    Reply r = hub_.MediaRequest(who.member, msg["type"], msg, msg["id"]);
    if (!r.ok()) return {{"type", "error"}, {"code", static_cast<int>(r.error().code)}};
    return WaitFor(*who.link, [&](const json& m) { return m.contains("id") && m["id"] == id; });
  }
  static int Code(const json& answer) { return answer.value("code", 0); }
  // Every media step posted before this has run (the room's queue is serial).
  void Settle(const Joined& who) {
    EXPECT_EQ(Code(Ask(who, {{"type", "mute-track"}, {"track_id", "none"}, {"muted", true}})),
              4113);
  }
  static size_t Count(const FakePeerLink& link, const std::string& type) {
    return link.OfType(type).size();
  }

  int next_id_ = 100;
};

TEST_F(RoomMediaTest, PublishAnswersAndOffersItToTheRolesThatSubscribe) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  Joined viewer = MustJoin("viewer", "v");
  Joined listener = MustJoin("listener", "l");
  EXPECT_EQ(host.reply["media"]["available"], true);

  json reply = Ask(guest, AudioVideo());
  ASSERT_EQ(reply.value("type", ""), "reply") << reply.dump();
  const json& result = reply["result"];
  EXPECT_EQ(result["sdp"], "v=0\r\ns=answer\r\n");
  ASSERT_EQ(result["tracks"].size(), 2u);
  EXPECT_EQ(result["tracks"][0]["kind"], "audio");
  EXPECT_EQ(result["tracks"][0]["source"], "regular");
  EXPECT_EQ(result["tracks"][0]["muted"], false);

  for (const Joined* who : {&host, &viewer}) {
    json offer = WaitType(*who->link, "subscribe-offer");
    EXPECT_EQ(offer["peer_id"], guest.member.peer.str());
    EXPECT_EQ(offer["publication_id"], result["publication_id"]);
    ASSERT_EQ(offer["tracks"].size(), 2u);
    EXPECT_EQ(offer["tracks"][0]["track_id"], result["tracks"][0]["track_id"]);
    EXPECT_EQ(offer["tracks"][1]["mid"], "1");
    EXPECT_EQ(Count(*who->link, "track-added"), 2u);
  }
  Settle(listener);
  EXPECT_EQ(Count(*listener.link, "subscribe-offer"), 0u) << "listeners hear the host only";
  EXPECT_EQ(Count(*listener.link, "track-added"), 2u) << "everyone sees what is published";
  EXPECT_EQ(Count(*guest.link, "subscribe-offer"), 0u) << "never offered its own media";
  EXPECT_EQ(backend.counters().subscribed, 2);
  EXPECT_EQ(hub_.media_stats().publications.load(), 1);
  EXPECT_EQ(hub_.media_stats().subscriptions.load(), 2);
  EXPECT_EQ(hub_.media_stats().publishes.load(), 1u);
  hub_.Leave(guest.member, LeaveReason::kLeft);
  Settle(host);
  EXPECT_EQ(hub_.media_stats().publications.load(), 0);
  EXPECT_EQ(hub_.media_stats().subscriptions.load(), 0);
}

TEST_F(RoomMediaTest, ARoleThatMayNotPublishIsRefusedBeforeTheSfu) {
  MustJoin("host", "h");
  Joined viewer = MustJoin("viewer", "v");
  Joined guest = MustJoin("guest", "g");
  EXPECT_EQ(Code(Ask(viewer, AudioVideo())), 4104);
  json screen = AudioVideo();
  screen["source"] = "screen";
  screen["sdp"] = Offer({{"0", "video"}});
  screen["tracks"] = {{{"mid", "0"}, {"kind", "video"}}};
  EXPECT_EQ(Code(Ask(guest, screen)), 4104) << "guest lacks 'screen'";
  Joined listener = MustJoin("listener", "l");
  EXPECT_EQ(Code(Ask(listener, AudioVideo())), 4104) << "listener lacks 'video'";
  EXPECT_EQ(backend.counters().published, 0);
  EXPECT_EQ(backend.counters().rooms_opened, 0);
}

TEST_F(RoomMediaTest, TheOfferMustHoldExactlyTheDeclaredTracks) {
  Joined guest = MustJoin("guest", "g");
  json audio_only = AudioVideo();
  audio_only["tracks"] = {{{"mid", "0"}, {"kind", "audio"}}};
  EXPECT_EQ(Code(Ask(guest, audio_only)), 4111) << "undeclared video section";
  json data = AudioVideo();
  data["sdp"] = Offer({{"0", "audio"}, {"1", "video"}, {"2", "application"}});
  EXPECT_EQ(Code(Ask(guest, data)), 4111) << "data channels are refused";
  json swapped = AudioVideo();
  swapped["sdp"] = Offer({{"0", "video"}, {"1", "audio"}});
  EXPECT_EQ(Code(Ask(guest, swapped)), 4111);
  json not_sdp = AudioVideo();
  not_sdp["sdp"] = "hello";
  EXPECT_EQ(Code(Ask(guest, not_sdp)), 4111);
  json two_audio = AudioVideo();
  two_audio["tracks"][1]["kind"] = "audio";
  EXPECT_EQ(Code(Ask(guest, two_audio)), 4100);
  json bad_source = AudioVideo();
  bad_source["source"] = "camera";
  EXPECT_EQ(Code(Ask(guest, bad_source)), 4100);
  json no_tracks = AudioVideo();
  no_tracks.erase("tracks");
  EXPECT_EQ(Code(Ask(guest, no_tracks)), 4100);
  EXPECT_EQ(backend.counters().published, 0);
}

TEST_F(RoomMediaTest, OnePublicationPerSourceAndOnlyYourOwnCanBeTouched) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  json first = Ask(guest, AudioVideo());
  ASSERT_EQ(first.value("type", ""), "reply");
  EXPECT_EQ(Code(Ask(guest, AudioVideo())), 4112);
  const std::string pub = first["result"]["publication_id"];
  const std::string track = first["result"]["tracks"][0]["track_id"];
  EXPECT_EQ(Code(Ask(host, {{"type", "unpublish"}, {"publication_id", pub}})), 4113);
  EXPECT_EQ(Code(Ask(host, {{"type", "mute-track"}, {"track_id", track}, {"muted", true}})), 4113);
  json offer = WaitType(*host.link, "subscribe-offer");
  EXPECT_EQ(Code(Ask(guest, {{"type", "subscribe-answer"},
                             {"subscription_id", offer["subscription_id"]},
                             {"sdp", "v=0\r\nm=audio 9 X 0\r\n"}})),
            4113)
      << "only the receiver answers its offer";
  json answered = Ask(host, {{"type", "subscribe-answer"},
                             {"subscription_id", offer["subscription_id"]},
                             {"sdp", "v=0\r\nm=audio 9 X 0\r\n"}});
  EXPECT_EQ(answered.value("type", ""), "reply") << answered.dump();
  EXPECT_EQ(backend.counters().started, 1);
}

TEST_F(RoomMediaTest, MuteTrackIsBroadcastOnlyWhenItChanges) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  json pub = Ask(guest, AudioVideo());
  const std::string track = pub["result"]["tracks"][1]["track_id"];
  json muted = Ask(guest, {{"type", "mute-track"}, {"track_id", track}, {"muted", true}});
  EXPECT_EQ(muted["result"]["track"]["muted"], true);
  Ask(guest, {{"type", "mute-track"}, {"track_id", track}, {"muted", true}});
  json update = WaitType(*host.link, "track-updated");
  EXPECT_EQ(update["track"]["track_id"], track);
  EXPECT_EQ(update["track"]["muted"], true);
  Settle(host);
  EXPECT_EQ(Count(*host.link, "track-updated"), 1u);
}

TEST_F(RoomMediaTest, AMuteIsEnforcedAtTheSfuAndItsOwnerMayUnmute) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  json pub = Ask(guest, AudioVideo());
  const std::string audio = pub["result"]["tracks"][0]["track_id"];
  PeerAudience to{guest.member.peer, {}};
  ASSERT_EQ(CodeOf(hub_.RequestMute(host.member, to, "audio", true)), 0);
  json muted = WaitType(*guest.link, "track-updated");
  EXPECT_EQ(muted["track"]["track_id"], audio);
  EXPECT_EQ(muted["track"]["muted"], true);
  WaitType(*host.link, "track-updated");
  EXPECT_EQ(backend.counters().moderated, 1);
  // An unmute by someone else is only a request; the owner's own unmute
  // lifts the SFU's mute.
  ASSERT_EQ(CodeOf(hub_.RequestMute(host.member, to, "audio", false)), 0);
  Settle(host);
  EXPECT_EQ(backend.counters().moderated, 1);
  json own = Ask(guest, {{"type", "mute-track"}, {"track_id", audio}, {"muted", false}});
  EXPECT_EQ(own["result"]["track"]["muted"], false);
  EXPECT_EQ(backend.counters().moderated, 2);
}

TEST_F(RoomMediaTest, ALateJoinerLearnsTheTracksAfterItsJoinReplyAndIsOffered) {
  Joined guest = MustJoin("guest", "g");
  Ask(guest, AudioVideo());
  Joined late = MustJoin("viewer", "v");
  WaitType(*late.link, "subscribe-offer");
  std::vector<std::string> types = late.link->Types();
  ASSERT_GE(types.size(), 4u);
  EXPECT_EQ(types[0], "reply") << "the join reply comes first";
  EXPECT_EQ(types[1], "track-added");
  EXPECT_EQ(types[2], "track-added");
  EXPECT_EQ(types[3], "subscribe-offer");
}

TEST_F(RoomMediaTest, LeavingTearsDownItsMediaAndTellsTheOthers) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  Ask(guest, AudioVideo());
  Ask(host, AudioVideo());
  WaitType(*host.link, "subscribe-offer");
  WaitType(*guest.link, "subscribe-offer");
  hub_.Leave(guest.member, LeaveReason::kLeft);
  WaitType(*host.link, "subscription-closed");
  Settle(host);
  EXPECT_EQ(Count(*host.link, "track-removed"), 2u);
  auto c = backend.counters();
  EXPECT_EQ(c.unpublished, 1) << "the guest's publisher";
  EXPECT_EQ(c.unsubscribed, 2) << "the host's view of the guest, and the guest's of the host";
}

TEST_F(RoomMediaTest, ADemotionWithdrawsThePublicationAndItsSubscriptions) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  json pub = Ask(guest, AudioVideo());
  WaitType(*host.link, "subscribe-offer");
  ASSERT_EQ(CodeOf(hub_.ChangeRole(host.member, guest.member.peer, RoleName("viewer"), true)), 0);
  json closed = WaitType(*guest.link, "publication-closed");
  EXPECT_EQ(closed["publication_id"], pub["result"]["publication_id"]);
  EXPECT_EQ(closed["reason"], "role_changed");
  json gone = WaitType(*host.link, "subscription-closed");
  EXPECT_EQ(gone["reason"], "unpublished");
  EXPECT_EQ(backend.counters().unpublished, 1);
  // Still a receiver: a viewer subscribes to hosts.
  Ask(host, AudioVideo());
  WaitType(*guest.link, "subscribe-offer");
}

TEST_F(RoomMediaTest, APromotionOpensWhatTheNewRoleReceives) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  Joined listener = MustJoin("listener", "l");
  Ask(guest, AudioVideo());
  Settle(listener);
  EXPECT_EQ(Count(*listener.link, "subscribe-offer"), 0u);
  ASSERT_EQ(CodeOf(hub_.ChangeRole(host.member, listener.member.peer, RoleName("guest"), true)), 0);
  json offer = WaitType(*listener.link, "subscribe-offer");
  EXPECT_EQ(offer["peer_id"], guest.member.peer.str());
}

TEST_F(RoomMediaTest, EndingTheRoomClosesTheSfuRoom) {
  Joined host = MustJoin("host", "h");
  Ask(host, AudioVideo());
  EXPECT_EQ(backend.counters().rooms_opened, 1);
  ASSERT_TRUE(hub_.EndRoom(room_.id, "done", false).ok());
  for (int i = 0; i < 5000 && backend.counters().rooms_closed == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(backend.counters().rooms_closed, 1);
}

TEST_F(RoomMediaTest, AnUnreachableSfuIsAClearErrorAndARecoveryStartsAfresh) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  backend.SetUnavailable("Janus is unreachable at ws://127.0.0.1:8188");
  json refused = Ask(guest, AudioVideo());
  EXPECT_EQ(Code(refused), 4501);
  EXPECT_NE(refused.value("message", "").find("Janus is unreachable"), std::string::npos);

  backend.SetUnavailable("");
  json pub = Ask(guest, AudioVideo());
  ASSERT_EQ(pub.value("type", ""), "reply");
  WaitType(*host.link, "subscribe-offer");
  // The SFU goes away mid-session: the next step that reaches it withdraws
  // the room's media, and the publisher is told.
  backend.SetUnavailable("Janus is unreachable at ws://127.0.0.1:8188");
  EXPECT_EQ(Code(Ask(host, AudioVideo())), 4501);
  json closed = WaitType(*guest.link, "publication-closed");
  EXPECT_EQ(closed["reason"], "media_error");
  backend.SetUnavailable("");
  EXPECT_EQ(Ask(host, AudioVideo()).value("type", ""), "reply");
  EXPECT_EQ(backend.counters().rooms_opened, 2);
}

TEST_F(RoomMediaTest, OffersWaitUntilThePublishersMediaFlowsAndADeadFeedIsWithdrawn) {
  Joined host = MustJoin("host", "h");
  Joined guest = MustJoin("guest", "g");
  backend.SetAutoLive(false);
  json pub = Ask(guest, AudioVideo());
  ASSERT_EQ(pub.value("type", ""), "reply");
  WaitType(*host.link, "track-added");
  Settle(host);
  EXPECT_EQ(Count(*host.link, "subscribe-offer"), 0u) << "the SFU refuses subscribers until then";
  backend.FeedEvent(backend.last_feed(), true);
  WaitType(*host.link, "subscribe-offer");
  backend.FeedEvent(backend.last_feed(), false);  // the publisher's connection died
  json closed = WaitType(*guest.link, "publication-closed");
  EXPECT_EQ(closed["reason"], "media_error");
  WaitType(*host.link, "subscription-closed");
  WaitType(*host.link, "track-removed");
}

TEST(MediaNoneTest, MediaRequestsAreRefusedWhenTheServerHasNoBackend) {
  struct Plain : HubTest {
    void TestBody() override {}
  } t;
  Joined guest = t.MustJoin("guest", "g");
  EXPECT_EQ(guest.reply["media"]["available"], false);
  Reply r = t.hub_.MediaRequest(guest.member, "publish", AudioVideo(), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMediaUnavailable);
}

TEST(MediaSdpTest, ReadsSectionsMidsAndRejectedSections) {
  auto s = ParseSdpSections(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\nm=application 9 UDP/DTLS/SCTP "
      "webrtc-datachannel\r\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[0].media, "audio");
  EXPECT_EQ((*s)[0].mid, "a");
  EXPECT_TRUE((*s)[0].active);
  EXPECT_FALSE((*s)[1].active);
  EXPECT_EQ((*s)[1].mid, "v");
  EXPECT_EQ((*s)[2].media, "application");
  EXPECT_EQ((*s)[2].mid, "");
  EXPECT_FALSE(ParseSdpSections("").ok());
  EXPECT_FALSE(ParseSdpSections("v=0\r\ns=-\r\n").ok());
  EXPECT_FALSE(ParseSdpSections("v=0\r\nm=audio\r\n").ok());
  EXPECT_FALSE(ParseSdpSections("v=0\r\nm=audio x9 RTP 0\r\n").ok());
}

}  // namespace
}  // namespace roomgate::sessions::testing
