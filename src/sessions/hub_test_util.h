// Test fixture for the session layer: a real SessionHub over a MemoryStore,
// RoomService, TokenVerifier and FakeClock, with a FakePeerLink per peer
// that records what reached it (texts parsed as JSON, then the close) and a
// FakeRecorder that keeps every history event in order.
//
// Thread-safety: FakePeerLink and FakeRecorder may be called from any
// thread; the fixture's helpers are for the test's own thread unless noted.
#ifndef ROOMGATE_SESSIONS_HUB_TEST_UTIL_H_
#define ROOMGATE_SESSIONS_HUB_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth/test_tokens.h"
#include "rooms/room_service.h"
#include "sessions/session_hub.h"
#include "store/memory_store.h"

namespace roomgate::sessions::testing {

// What one peer's connection was sent, in order. A close is kept as the
// pseudo-message {"type": "close", "code": ..., "reason": ...}.
class FakePeerLink final : public PeerLink {
 public:
  bool Send(std::string text) override {
    std::lock_guard lock(mu_);
    log_.push_back(nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false));
    return close_code_ == 0;
  }
  void Close(uint16_t code, std::string reason) override {
    std::lock_guard lock(mu_);
    if (close_code_ != 0) return;  // idempotent, like the real link
    close_code_ = code;
    log_.push_back({{"type", "close"}, {"code", code}, {"reason", reason}});
  }

  std::vector<nlohmann::json> Log() const {
    std::lock_guard lock(mu_);
    return log_;
  }
  // Messages (not the close) whose type is `type`.
  std::vector<nlohmann::json> OfType(const std::string& type) const {
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& m : Log()) {
      if (m.value("type", "") == type) out.push_back(m);
    }
    return out;
  }
  std::vector<std::string> Types() const {
    std::vector<std::string> out;
    for (const nlohmann::json& m : Log()) out.push_back(m.value("type", "?"));
    return out;
  }
  nlohmann::json Last() const {
    std::lock_guard lock(mu_);
    return log_.empty() ? nlohmann::json() : log_.back();
  }
  uint16_t close_code() const {
    std::lock_guard lock(mu_);
    return close_code_;
  }
  void Clear() {
    std::lock_guard lock(mu_);
    log_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<nlohmann::json> log_;
  uint16_t close_code_ = 0;
};

class FakeRecorder final : public SessionRecorder {
 public:
  void Record(SessionEvent event) override {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  void Flush() override {}

  std::vector<SessionEvent> Events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::vector<SessionEvent::Kind> Kinds() const {
    std::vector<SessionEvent::Kind> out;
    for (const SessionEvent& e : Events()) out.push_back(e.kind);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<SessionEvent> events_;
};

// Every power, or none.
inline Permissions AllPowers() {
  Permissions p;
  p.end_room = p.remove_others = p.mute = p.unmute = p.change_role = true;
  return p;
}

inline Role MakeRole(const std::string& name, int max_peer_count = 0, Permissions p = {}) {
  Role r;
  r.name = RoleName(name);
  r.publish_allowed = {"audio", "video"};
  r.permissions = p;
  r.max_peer_count = max_peer_count;
  return r;
}

struct Joined {
  Membership member;
  std::shared_ptr<FakePeerLink> link;
  nlohmann::json reply;  // the join reply's result
};

// The room "standup" on template "tpl" with roles host (every power), guest
// (none), muter (mute only), capped (maxPeerCount 2), banned (-1).
class HubTest : public ::testing::Test {
 public:  // public: the case tables' lambdas take a HubTest&
  static constexpr int64_t kNow = auth::testing::kNow;
  static constexpr int64_t kTtl = 3600;

  explicit HubTest(HubOptions options = {}, int room_size = 0, MediaPlane media = {})
      : clock_(kNow),
        keys_(StaticKeyProvider::Create({Cred()}).value()),
        verifier_(*keys_, clock_),
        rooms_(store_, clock_, OpenSslRandom()),
        hub_(verifier_, rooms_, recorder_, clock_, OpenSslRandom(), options, media) {
    Permissions muter;
    muter.mute = true;
    std::map<std::string, Role> roles = {
        {"host", MakeRole("host", 0, AllPowers())}, {"guest", MakeRole("guest")},
        {"muter", MakeRole("muter", 0, muter)},     {"capped", MakeRole("capped", 2)},
        {"banned", MakeRole("banned", -1)},
    };
    rooms::TemplateChanges t;
    t.name = "tpl";
    t.roles = roles;
    template_ = rooms_.CreateTemplate(t).value();
    room_ = MakeRoom("standup", room_size);
  }

  static Credential Cred() {
    return {AccessKey(auth::testing::kAccessKey), std::string(auth::testing::kSecret)};
  }

  Room MakeRoom(const std::string& name, int size = 0) {
    rooms::RoomChanges c;
    c.name = name;
    c.template_id = template_.id;
    c.size = size;
    return rooms_.CreateRoom(c).value();
  }

  // App token claims at the fake clock's now; `user` "" leaves user_id out.
  nlohmann::json Claims(const std::string& role, const std::string& user,
                        int64_t ttl = kTtl) const {
    const int64_t now = clock_.NowSeconds();
    nlohmann::json p = {{"access_key", auth::testing::kAccessKey},
                        {"room_id", room_.id.str()},
                        {"role", role},
                        {"type", "app"},
                        {"version", 2},
                        {"iat", now},
                        {"nbf", now},
                        {"exp", now + ttl},
                        {"jti", "3b241101-e2bb-4255-8caf-4136c566a962"}};
    if (!user.empty()) p["user_id"] = user;
    return p;
  }
  static std::string Sign(const nlohmann::json& claims,
                          std::string_view secret = auth::testing::kSecret) {
    return auth::testing::SignedToken(auth::testing::kHeader, claims.dump(), secret);
  }
  std::string Token(const std::string& role, const std::string& user, int64_t ttl = kTtl) const {
    return Sign(Claims(role, user, ttl));
  }

  Result<Membership, Error> TryJoin(const std::string& token, std::shared_ptr<PeerLink> link,
                                    const std::string& name = "") {
    JoinRequest r;
    r.token = token;
    r.name = name;
    r.reply_id = 1;
    r.link = std::move(link);
    return hub_.Join(r);
  }
  // Joins and expects success; the reply is the join reply's result.
  Joined MustJoin(const std::string& role, const std::string& user, const std::string& name = "") {
    auto link = std::make_shared<FakePeerLink>();
    auto m = TryJoin(Token(role, user), link, name.empty() ? user : name);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    if (!m.ok()) return {{}, link, {}};
    std::vector<nlohmann::json> log = link->Log();
    nlohmann::json reply;
    if (!log.empty() && log.front().contains("result")) reply = log.front()["result"];
    return {*m, link, reply};
  }
  // The code of a refused join (0 when it was admitted).
  int JoinCode(const std::string& token) {
    auto m = TryJoin(token, std::make_shared<FakePeerLink>());
    return m.ok() ? 0 : static_cast<int>(m.error().code);
  }
  static int CodeOf(const Reply& r) { return r.ok() ? 0 : static_cast<int>(r.error().code); }

  store::MemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<StaticKeyProvider> keys_;
  TokenVerifier verifier_;
  rooms::RoomService rooms_;
  FakeRecorder recorder_;
  SessionHub hub_;
  Template template_;
  Room room_;
};

}  // namespace roomgate::sessions::testing

#endif  // ROOMGATE_SESSIONS_HUB_TEST_UTIL_H_
