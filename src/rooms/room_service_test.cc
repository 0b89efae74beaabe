// Designated initializers ({.name = "x"}) leave the other fields at their
// defaults on purpose; -Wextra's warning about that is noise in these tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "rooms/room_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "common/uuid.h"
#include "store/memory_store.h"
#include "store/store_test_util.h"

namespace roomgate::rooms {
namespace {

using store::testing::CodeOf;
using store::testing::ExpectSameRole;
using ::testing::HasSubstr;
using Code = Status::Code;

constexpr UnixSeconds kT0 = 1'700'000'000;

// Deterministic bytes (SplitMix64), so ids differ from each other but every
// run draws the same ones.
class SplitMixRandom final : public SecureRandom {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (uint8_t& b : out) {
      uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      b = static_cast<uint8_t>(z ^ (z >> 31));
    }
  }

 private:
  uint64_t state_ = 0;
};

std::vector<RoleName> Names(std::initializer_list<const char*> names) {
  return std::vector<RoleName>(names.begin(), names.end());
}

Role SimpleRole(const std::string& name, std::vector<RoleName> subscribe = {}) {
  Role r;
  r.name = RoleName(name);
  r.publish_allowed = {"audio", "video"};
  r.subscribe_to_roles = std::move(subscribe);
  return r;
}

// Case tables: `error` nullptr expects success, otherwise kInvalidArgument
// with `error` in the message.
template <typename T>
void ExpectOutcome(const Result<T>& r, const char* error, const char* label) {
  if (error == nullptr) {
    EXPECT_TRUE(r.ok()) << label << ": " << r.error().message();
    return;
  }
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument) << label;
  EXPECT_THAT(r.error().message(), HasSubstr(error)) << label;
}

class RoomServiceTest : public ::testing::Test {
 protected:
  RoomServiceTest() : clock_(kT0), service_(store_, clock_, random_) {}

  Template MustCreateTemplate(const std::string& name, std::map<std::string, Role> roles) {
    auto t = service_.CreateTemplate({.name = name, .roles = std::move(roles)});
    EXPECT_TRUE(t.ok()) << t.error().message();
    return t.ok() ? *t : Template{};
  }
  Room MustCreateRoom(const RoomChanges& c) {
    auto r = service_.CreateRoom(c);
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : Room{};
  }

  store::MemoryStore store_;
  FakeClock clock_;
  SplitMixRandom random_;
  RoomService service_;
};

// ---- Ids and the default template ----

TEST_F(RoomServiceTest, NewObjectIdIs24LowercaseHexDigits) {
  const std::string a = NewObjectId(random_);
  const std::string b = NewObjectId(random_);
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{24}"))) << a;
  EXPECT_NE(a, b);
}

TEST_F(RoomServiceTest, DefaultTemplateHasHostGuestAndViewer) {
  auto t = service_.EnsureDefaultTemplate();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->name, "default");
  EXPECT_TRUE(std::regex_match(t->id.str(), std::regex("[0-9a-f]{24}")));
  ASSERT_EQ(t->roles.size(), 3u);

  Role host = SimpleRole("host", Names({"host", "guest", "viewer"}));
  host.publish_allowed = {"audio", "video", "screen"};
  host.permissions = {true, true, true, true, true, true, true, true, true, true, true};
  ExpectSameRole(host, t->roles.at("host"));

  Role guest = SimpleRole("guest", Names({"host", "guest"}));
  guest.publish_allowed = {"audio", "video", "screen"};
  guest.permissions.poll_read = true;  // the rest as Permissions' defaults
  guest.priority = 2;
  ExpectSameRole(guest, t->roles.at("guest"));

  Role viewer = SimpleRole("viewer", Names({"host", "guest"}));
  viewer.publish_allowed = {};
  viewer.permissions = {false, false, false, false, false, false,
                        false, false, false, false, false};
  viewer.priority = 3;
  ExpectSameRole(viewer, t->roles.at("viewer"));
}

TEST_F(RoomServiceTest, EnsureDefaultTemplateIsIdempotent) {
  auto first = service_.EnsureDefaultTemplate();
  clock_.Advance(10);
  auto second = service_.EnsureDefaultTemplate();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(second->created_at, kT0);
  EXPECT_EQ(service_.ListTemplates({})->data.size(), 1u);
}

TEST_F(RoomServiceTest, EnsureDefaultTemplateKeepsAnExistingTemplateNamedDefault) {
  Template mine = MustCreateTemplate("default", {{"speaker", SimpleRole("speaker")}});
  auto t = service_.EnsureDefaultTemplate();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->id, mine.id);
  EXPECT_EQ(t->roles.size(), 1u);
}

// ---- Rooms: upsert by name ----

TEST_F(RoomServiceTest, CreateRoomWithoutTemplateUsesTheDefaultTemplate) {
  Room room = MustCreateRoom({.name = "standup"});
  auto def = store_.FindTemplateByName("default");
  ASSERT_TRUE(def.ok() && def->has_value());
  EXPECT_EQ(room.template_id, (*def)->id);
  EXPECT_TRUE(room.enabled);
  EXPECT_EQ(room.created_at, kT0);
  EXPECT_EQ(room.updated_at, kT0);
}

TEST_F(RoomServiceTest, CreateRoomWithoutNameGeneratesAUuidName) {
  Room a = MustCreateRoom({});
  Room b = MustCreateRoom({});
  EXPECT_TRUE(IsUuidV4(a.name)) << a.name;
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.name, b.name);
}

TEST_F(RoomServiceTest, CreateRoomWithAnExistingNameUpdatesThatRoomIgnoringCase) {
  Room first = MustCreateRoom({.name = "Team-Standup", .description = "old", .size = 10});
  clock_.Advance(60);
  Room again = MustCreateRoom({.name = "team-STANDUP", .description = "new"});
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.name, "Team-Standup");  // the stored name is the key; it is kept
  EXPECT_EQ(again.description, "new");
  EXPECT_EQ(again.size, 10);  // not in the request: left alone
  EXPECT_EQ(again.created_at, kT0);
  EXPECT_EQ(again.updated_at, kT0 + 60);
  EXPECT_EQ(service_.ListRooms({}, {})->data.size(), 1u);
}

TEST_F(RoomServiceTest, CreateRoomWithUnknownTemplateIsInvalidArgument) {
  auto r = service_.CreateRoom({.name = "x", .template_id = TemplateId("nope")});
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "template not found");
}

TEST_F(RoomServiceTest, CreateRoomWithAnotherTemplateUsesIt) {
  Template t = MustCreateTemplate("webinar", {{"speaker", SimpleRole("speaker")}});
  EXPECT_EQ(MustCreateRoom({.template_id = t.id}).template_id, t.id);
}

// ---- Rooms: validation ----

struct RoomCase {
  const char* label;
  RoomChanges changes;
  const char* error_field;  // nullptr: valid
};

TEST_F(RoomServiceTest, ValidatesRoomFields) {
  const std::string n128(128, 'a');
  const RoomCase cases[] = {
      {"name: every allowed character", {.name = "aZ09.:_-"}, nullptr},
      {"name: 128 characters", {.name = n128}, nullptr},
      {"name: 129 characters", {.name = n128 + "a"}, "'name'"},
      {"name: empty", {.name = ""}, "'name'"},
      {"name: space", {.name = "a b"}, "'name'"},
      {"name: slash", {.name = "a/b"}, "'name'"},
      {"name: non-ASCII", {.name = "caf\xc3\xa9"}, "'name'"},
      {"description: 1024 bytes", {.description = std::string(1024, 'd')}, nullptr},
      {"description: 1025 bytes", {.description = std::string(1025, 'd')}, "'description'"},
      {"region: eu", {.region = "eu"}, nullptr},
      {"region: in", {.region = "in"}, nullptr},
      {"region: us", {.region = "us"}, nullptr},
      {"region: auto", {.region = "auto"}, nullptr},
      {"region: empty", {.region = ""}, nullptr},
      {"region: upper case", {.region = "EU"}, "'region'"},
      {"region: unknown", {.region = "asia"}, "'region'"},
      {"size: 0", {.size = 0}, nullptr},
      {"size: 2500", {.size = 2500}, nullptr},
      {"size: 2501", {.size = 2501}, "'size'"},
      {"size: negative", {.size = -1}, "'size'"},
      {"size: 20000 large", {.large_room = true, .size = 20000}, nullptr},
      {"size: 20001 large", {.large_room = true, .size = 20001}, "'size'"},
      {"size: beyond int", {.size = int64_t{1} << 40}, "'size'"},
      {"duration: 0 (unset)", {.max_duration_seconds = 0}, nullptr},
      {"duration: 119", {.max_duration_seconds = 119}, "'max_duration_seconds'"},
      {"duration: 120", {.max_duration_seconds = 120}, nullptr},
      {"duration: 43200", {.max_duration_seconds = 43200}, nullptr},
      {"duration: 43201", {.max_duration_seconds = 43201}, "'max_duration_seconds'"},
      {"duration: negative", {.max_duration_seconds = -120}, "'max_duration_seconds'"},
      {"extras: an object", {.extra_json = R"({"webhook":{}})"}, nullptr},
      {"extras: not an object", {.extra_json = "[]"}, "extras"},
  };
  for (const RoomCase& c : cases) {
    ExpectOutcome(service_.CreateRoom(c.changes), c.error_field, c.label);
  }
}

TEST_F(RoomServiceTest, UpdateRoomChecksSizeAgainstTheResultingLargeRoomFlag) {
  Room room = MustCreateRoom({.name = "big", .large_room = true, .size = 5000});
  auto r = service_.UpdateRoom(room.id, {.large_room = false});
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_TRUE(service_.GetRoom(room.id)->large_room);  // nothing written
}

TEST_F(RoomServiceTest, UpdateRoomReplacesExtrasMemberByMember) {
  Room room = MustCreateRoom({.extra_json = R"({"recording_info":{"enabled":true}})"});
  auto r = service_.UpdateRoom(room.id, {.extra_json = R"({"webhook":{"url":"https://h"}})"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(nlohmann::json::parse(r->extra_json),
            nlohmann::json::parse(
                R"({"recording_info":{"enabled":true},"webhook":{"url":"https://h"}})"));
}

TEST_F(RoomServiceTest, UpdateRoomDisablesAndRenames) {
  Room room = MustCreateRoom({.name = "before"});
  clock_.Advance(5);
  auto r = service_.UpdateRoom(room.id, {.name = "after", .enabled = false});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "after");
  EXPECT_FALSE(r->enabled);
  EXPECT_EQ(r->updated_at, kT0 + 5);
  EXPECT_EQ(service_.ListRooms({.enabled = false}, {})->data.size(), 1u);
}

TEST_F(RoomServiceTest, UpdateRoomToATakenNameIsAlreadyExists) {
  MustCreateRoom({.name = "one"});
  Room two = MustCreateRoom({.name = "two"});
  EXPECT_EQ(CodeOf(service_.UpdateRoom(two.id, {.name = "ONE"})), Code::kAlreadyExists);
}

TEST_F(RoomServiceTest, UnknownRoomIsNotFound) {
  EXPECT_EQ(CodeOf(service_.GetRoom(RoomId("nope"))), Code::kNotFound);
  EXPECT_EQ(CodeOf(service_.UpdateRoom(RoomId("nope"), {.description = "d"})), Code::kNotFound);
}

// ---- Templates ----

TEST_F(RoomServiceTest, CreateTemplateWithAnExistingNameKeepsIdAndCreationTime) {
  Template first = MustCreateTemplate("webinar", {{"speaker", SimpleRole("speaker")}});
  clock_.Advance(30);
  Template again = MustCreateTemplate("webinar", {{"panel", SimpleRole("panel")}});
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.created_at, kT0);
  EXPECT_EQ(again.updated_at, kT0 + 30);
  ASSERT_EQ(again.roles.size(), 1u);
  EXPECT_TRUE(again.roles.count("panel"));
}

TEST_F(RoomServiceTest, CreateTemplateRequiresAName) {
  auto t = service_.CreateTemplate({});
  ASSERT_EQ(CodeOf(t), Code::kInvalidArgument);
  EXPECT_THAT(t.error().message(), HasSubstr("'name'"));
}

struct TemplateCase {
  const char* label;
  std::string name;
  Role role;
  const char* error;  // a part of the message; nullptr: valid
};

Role With(Role r, const std::function<void(Role&)>& change) {
  change(r);
  return r;
}

TEST_F(RoomServiceTest, ValidatesTemplatesAndRoles) {
  const Role base = SimpleRole("speaker");
  const TemplateCase cases[] = {
      {"valid", "t.1_x-y", base, nullptr},
      {"template name with ':'", "a:b", base, "'name'"},
      {"template name empty", "", base, "'name'"},
      {"template name 129", std::string(129, 't'), base, "'name'"},
      {"role name with '.'", "t", SimpleRole("a.b"), "role names"},
      {"role name 64", "t", SimpleRole(std::string(64, 'r')), nullptr},
      {"role name 65", "t", SimpleRole(std::string(65, 'r')), "role names"},
      {"publish simulcast", "t",
       With(base,
            [](Role& r) {
              r.publish_allowed = {"audio", "simulcast"};
            }),
       nullptr},
      {"publish unknown kind", "t", With(base, [](Role& r) { r.publish_allowed = {"data"}; }),
       "'publishParams.allowed'"},
      {"publish twice", "t",
       With(base,
            [](Role& r) {
              r.publish_allowed = {"audio", "audio"};
            }),
       "'publishParams.allowed'"},
      {"subscribes to itself", "t", SimpleRole("speaker", Names({"speaker"})), nullptr},
      {"subscribes to unknown role", "t", SimpleRole("speaker", Names({"ghost"})),
       "'subscribeParams.subscribeToRoles'"},
      {"priority 0", "t", With(base, [](Role& r) { r.priority = 0; }), "'priority'"},
      {"priority 5", "t", With(base, [](Role& r) { r.priority = 5; }), nullptr},
      {"priority 6", "t", With(base, [](Role& r) { r.priority = 6; }), "'priority'"},
      {"maxPeerCount -1", "t", With(base, [](Role& r) { r.max_peer_count = -1; }), nullptr},
      {"maxPeerCount -2", "t", With(base, [](Role& r) { r.max_peer_count = -2; }),
       "'maxPeerCount'"},
  };
  for (const TemplateCase& c : cases) {
    ExpectOutcome(
        service_.CreateTemplate({.name = c.name, .roles = {{{c.role.name.str(), c.role}}}}),
        c.error, c.label);
  }
}

TEST_F(RoomServiceTest, TemplateRoleKeyMustBeTheRoleName) {
  auto t = service_.CreateTemplate({.name = "t", .roles = {{{"other", SimpleRole("speaker")}}}});
  EXPECT_EQ(CodeOf(t), Code::kInvalidArgument);
}

TEST_F(RoomServiceTest, TemplateSettingsMustBeJsonObjects) {
  EXPECT_EQ(CodeOf(service_.CreateTemplate({.name = "t", .settings_json = "[]"})),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(service_.CreateTemplate({.name = "t", .destinations_json = "1"})),
            Code::kInvalidArgument);
  EXPECT_TRUE(service_.CreateTemplate({.name = "t", .settings_json = R"({"region":"eu"})"}).ok());
}

// ---- Roles ----

TEST_F(RoomServiceTest, PutRoleAddsThenReplacesARole) {
  Template t = MustCreateTemplate("t", {{"host", SimpleRole("host")}});
  clock_.Advance(1);
  Role listener = SimpleRole("listener", Names({"host", "listener"}));
  ASSERT_TRUE(service_.PutRole(t.id, listener).ok());
  listener.priority = 4;
  auto put = service_.PutRole(t.id, listener);
  ASSERT_TRUE(put.ok());
  ExpectSameRole(listener, *put);
  auto got = service_.GetRole(t.id, RoleName("listener"));
  ASSERT_TRUE(got.ok());
  ExpectSameRole(listener, *got);
  EXPECT_EQ(service_.GetTemplate(t.id)->updated_at, kT0 + 1);
}

TEST_F(RoomServiceTest, PutRoleSubscribingToAnUnknownRoleChangesNothing) {
  Template t = MustCreateTemplate("t", {{"host", SimpleRole("host")}});
  auto put = service_.PutRole(t.id, SimpleRole("listener", Names({"ghost"})));
  ASSERT_EQ(CodeOf(put), Code::kInvalidArgument);
  EXPECT_EQ(service_.GetTemplate(t.id)->roles.size(), 1u);
}

TEST_F(RoomServiceTest, DeleteRoleRemovesItAndOtherRolesSubscriptionsToIt) {
  Template t = MustCreateTemplate("t", {{"host", SimpleRole("host", Names({"host", "guest"}))},
                                        {"guest", SimpleRole("guest", Names({"host"}))}});
  ASSERT_TRUE(service_.DeleteRole(t.id, RoleName("guest")).ok());
  auto after = service_.GetTemplate(t.id);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->roles.count("guest"));
  EXPECT_EQ(after->roles.at("host").subscribe_to_roles, Names({"host"}));
}

TEST_F(RoomServiceTest, MissingRoleOrTemplateIsNotFound) {
  Template t = MustCreateTemplate("t", {{"host", SimpleRole("host")}});
  EXPECT_EQ(service_.DeleteRole(t.id, RoleName("ghost")).code(), Code::kNotFound);
  EXPECT_EQ(CodeOf(service_.GetRole(t.id, RoleName("ghost"))), Code::kNotFound);
  EXPECT_EQ(CodeOf(service_.PutRole(TemplateId("nope"), SimpleRole("x"))), Code::kNotFound);
  EXPECT_EQ(CodeOf(service_.GetTemplate(TemplateId("nope"))), Code::kNotFound);
}

TEST_F(RoomServiceTest, UpdateTemplateKeepsUnsetFields) {
  Template t = MustCreateTemplate("t", {{"host", SimpleRole("host")}});
  auto u = service_.UpdateTemplate(t.id, {.settings_json = R"({"region":"in"})"});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->name, "t");
  EXPECT_EQ(u->roles.size(), 1u);
  EXPECT_EQ(u->settings_json, R"({"region":"in"})");
}

}  // namespace
}  // namespace roomgate::rooms
