// Test helpers for src/store: a scratch folder, model values with every field
// set, and field-by-field comparisons (the model structs have no operator==,
// and per-field expectations name the field that differs).
//
// Thread-safety: test code; TempDir is not shared between threads.
#ifndef ROOMGATE_STORE_STORE_TEST_UTIL_H_
#define ROOMGATE_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "roomgate/status.h"
#include "rooms/model.h"

namespace roomgate {

// Prints ids as their text in gtest failure messages.
template <typename Tag>
void PrintTo(const Id<Tag>& id, std::ostream* os) {
  *os << '"' << id.str() << '"';
}

inline void PrintTo(Status::Code code, std::ostream* os) { *os << CodeName(code); }

}  // namespace roomgate

namespace roomgate::store::testing {

// The code of a failed Result, or kOk.
template <typename T>
Status::Code CodeOf(const Result<T>& r) {
  return r.ok() ? Status::Code::kOk : r.error().code();
}

// A fresh folder under the test temp directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "roomgate-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A role whose every field differs from Role's default.
inline Role FullRole(const std::string& name) {
  Role r;
  r.name = RoleName(name);
  r.publish_allowed = {"audio", "video", "screen"};
  r.subscribe_to_roles = {RoleName("host"), RoleName("guest")};
  r.permissions = {true, true, true, true, true, true, true, true, false, false, false};
  r.priority = 3;
  r.max_peer_count = -1;
  r.publish_extra_json = R"({"video":{"width":1280}, "screen": {}})";
  r.subscribe_extra_json = R"({"maxSubsBitRate":3200})";
  return r;
}

inline Template MakeTemplate(const std::string& id, const std::string& name) {
  Template t;
  t.id = TemplateId(id);
  t.name = name;
  t.roles = {{"host", FullRole("host")}, {"guest", Role{.name = RoleName("guest")}}};
  t.settings_json = R"({"region":"eu"})";
  t.destinations_json = R"({"recordings":{}})";
  t.created_at = 1700000000;
  t.updated_at = 1700000001;
  return t;
}

inline Room MakeRoom(const std::string& id, const std::string& name,
                     UnixSeconds created_at = 1000) {
  Room r;
  r.id = RoomId(id);
  r.name = name;
  r.description = "desc of " + name;
  r.template_id = TemplateId("tpl-1");
  r.region = "eu";
  r.large_room = true;
  r.size = 50;
  r.max_duration_seconds = 3600;
  r.extra_json = R"({"webhook":{"url":"https://example.invalid/hook"}})";
  r.created_at = created_at;
  r.updated_at = created_at + 1;
  return r;
}

inline RoomCode MakeCode(const std::string& code, const std::string& room, const std::string& role,
                         bool enabled = true) {
  return RoomCode{RoomCodeText(code), RoomId(room), RoleName(role), enabled, 2000, 2001};
}

inline void ExpectSameRole(const Role& want, const Role& got) {
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.publish_allowed, got.publish_allowed);
  EXPECT_EQ(want.subscribe_to_roles, got.subscribe_to_roles);
  const Permissions& w = want.permissions;
  const Permissions& g = got.permissions;
  EXPECT_EQ(w.end_room, g.end_room);
  EXPECT_EQ(w.remove_others, g.remove_others);
  EXPECT_EQ(w.mute, g.mute);
  EXPECT_EQ(w.unmute, g.unmute);
  EXPECT_EQ(w.change_role, g.change_role);
  EXPECT_EQ(w.send_room_state, g.send_room_state);
  EXPECT_EQ(w.poll_read, g.poll_read);
  EXPECT_EQ(w.poll_write, g.poll_write);
  EXPECT_EQ(w.browser_recording, g.browser_recording);
  EXPECT_EQ(w.rtmp_streaming, g.rtmp_streaming);
  EXPECT_EQ(w.hls_streaming, g.hls_streaming);
  EXPECT_EQ(want.priority, got.priority);
  EXPECT_EQ(want.max_peer_count, got.max_peer_count);
  EXPECT_EQ(want.publish_extra_json, got.publish_extra_json);
  EXPECT_EQ(want.subscribe_extra_json, got.subscribe_extra_json);
}

inline void ExpectSameTemplate(const Template& want, const Template& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.name, got.name);
  ASSERT_EQ(want.roles.size(), got.roles.size());
  for (const auto& [key, role] : want.roles) {
    auto it = got.roles.find(key);
    ASSERT_NE(it, got.roles.end()) << key;
    ExpectSameRole(role, it->second);
  }
  EXPECT_EQ(want.settings_json, got.settings_json);
  EXPECT_EQ(want.destinations_json, got.destinations_json);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
}

inline void ExpectSameRoom(const Room& want, const Room& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.description, got.description);
  EXPECT_EQ(want.enabled, got.enabled);
  EXPECT_EQ(want.template_id, got.template_id);
  EXPECT_EQ(want.region, got.region);
  EXPECT_EQ(want.large_room, got.large_room);
  EXPECT_EQ(want.size, got.size);
  EXPECT_EQ(want.max_duration_seconds, got.max_duration_seconds);
  EXPECT_EQ(want.extra_json, got.extra_json);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
}

inline void ExpectSameCode(const RoomCode& want, const RoomCode& got) {
  EXPECT_EQ(want.code, got.code);
  EXPECT_EQ(want.room_id, got.room_id);
  EXPECT_EQ(want.role, got.role);
  EXPECT_EQ(want.enabled, got.enabled);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
}

}  // namespace roomgate::store::testing

#endif  // ROOMGATE_STORE_STORE_TEST_UTIL_H_
