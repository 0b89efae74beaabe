#include "media/videoroom.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "media/fake_janus.h"

namespace roomgate::media {
namespace {

using namespace std::chrono_literals;
using Code = Status::Code;

Json PluginReply(const Json& request, Json data) {
  return {{"janus", "success"},
          {"transaction", request.at("transaction")},
          {"sender", request.value("handle_id", 0)},
          {"plugindata", {{"plugin", "janus.plugin.videoroom"}, {"data", std::move(data)}}}};
}

class VideoRoomAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    JanusConnectionOptions options;
    options.port = fake_.port();
    auto connection = JanusConnection::Connect(options);
    ASSERT_TRUE(connection.ok()) << connection.error().message();
    connection_ = std::move(*connection);
    auto admin = std::async(std::launch::async, [&] { return VideoRoomAdmin::Open(*connection_); });
    Json create = Next();
    fake_.Send(
        {{"janus", "success"}, {"transaction", create["transaction"]}, {"data", {{"id", 7}}}});
    Json attach = Next();
    EXPECT_EQ(attach["plugin"], "janus.plugin.videoroom");
    fake_.Send(
        {{"janus", "success"}, {"transaction", attach["transaction"]}, {"data", {{"id", 9}}}});
    auto opened = admin.get();
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    admin_ = std::move(*opened);
  }

  void TearDown() override {
    // ~VideoRoomAdmin detaches and destroys the session; answer both.
    auto closing = std::async(std::launch::async, [&] { admin_.reset(); });
    for (int i = 0; i < 2; ++i) {
      Json request = Next();
      fake_.Send({{"janus", "success"}, {"transaction", request["transaction"]}});
    }
    closing.get();
  }

  Json Next() {
    auto request = fake_.NextRequest();
    EXPECT_TRUE(request.has_value());
    return request.value_or(Json{{"transaction", ""}});
  }

  FakeJanus fake_;
  std::unique_ptr<JanusConnection> connection_;
  std::unique_ptr<VideoRoomAdmin> admin_;
};

TEST_F(VideoRoomAdminTest, CreatesNonPermanentRoomWithSecret) {
  auto created = std::async(std::launch::async, [&] {
    return admin_->CreateRoom({.room = JanusRoom{1234},
                               .secret = "room-secret",
                               .publishers = 4,
                               .description = "standup"});
  });
  Json request = Next();
  EXPECT_EQ(request["session_id"], 7);
  EXPECT_EQ(request["handle_id"], 9);
  const Json& body = request["body"];
  EXPECT_EQ(body["request"], "create");
  EXPECT_EQ(body["room"], 1234);
  EXPECT_EQ(body["secret"], "room-secret");
  EXPECT_EQ(body["publishers"], 4);
  EXPECT_EQ(body["permanent"], false);
  fake_.Send(PluginReply(request, {{"videoroom", "created"}, {"room", 1234}}));
  auto room = created.get();
  ASSERT_TRUE(room.ok()) << room.error().message();
  EXPECT_EQ(*room, JanusRoom{1234});
}

TEST_F(VideoRoomAdminTest, RefusesRoomWithoutSecret) {
  auto room = admin_->CreateRoom({});
  ASSERT_FALSE(room.ok());
  EXPECT_EQ(room.error().code(), Code::kInvalidArgument);
}

TEST_F(VideoRoomAdminTest, MapsRoomExistsAndWrongSecret) {
  auto created = std::async(std::launch::async, [&] {
    VideoRoomSpec spec;
    spec.room = JanusRoom{5};
    spec.secret = "s";
    return admin_->CreateRoom(spec);
  });
  fake_.Send(PluginReply(
      Next(), {{"videoroom", "event"}, {"error_code", 427}, {"error", "Room 5 already exists"}}));
  auto room = created.get();
  ASSERT_FALSE(room.ok());
  EXPECT_EQ(room.error().code(), Code::kAlreadyExists);
  EXPECT_EQ(room.error().message(), "Janus error 427: Room 5 already exists");

  auto destroyed =
      std::async(std::launch::async, [&] { return admin_->DestroyRoom(JanusRoom{5}, "wrong"); });
  fake_.Send(PluginReply(
      Next(),
      {{"videoroom", "event"}, {"error_code", 433}, {"error", "Unauthorized (wrong secret)"}}));
  EXPECT_EQ(destroyed.get().code(), Code::kPermissionDenied);
}

TEST_F(VideoRoomAdminTest, ListsNumericRooms) {
  auto listed = std::async(std::launch::async, [&] { return admin_->ListRooms(); });
  Json request = Next();
  EXPECT_EQ(request["body"]["request"], "list");
  fake_.Send(PluginReply(
      request,
      {{"videoroom", "success"},
       {"list",
        {{{"room", 1234}, {"description", "a"}, {"max_publishers", 4}, {"num_participants", 2}},
         {{"room", "text-id"}, {"description", "skipped"}}}}}));
  auto rooms = listed.get();
  ASSERT_TRUE(rooms.ok()) << rooms.error().message();
  ASSERT_EQ(rooms->size(), 1u);
  EXPECT_EQ((*rooms)[0].room, JanusRoom{1234});
  EXPECT_EQ((*rooms)[0].description, "a");
  EXPECT_EQ((*rooms)[0].max_publishers, 4);
  EXPECT_EQ((*rooms)[0].participants, 2);
}

}  // namespace
}  // namespace roomgate::media
