#include "media/videoroom.h"

#include "media/janus_errors.h"

namespace roomgate::media {
namespace {

constexpr const char* kPlugin = "janus.plugin.videoroom";

// VideoRoom answers management requests with `videoroom: <expected>`; anything
// else is a protocol surprise worth surfacing with the whole answer.
Status Expect(const Json& data, std::string_view expected) {
  if (data.value("videoroom", std::string()) == expected) return Status::Ok();
  return Status::Internal("unexpected VideoRoom answer (wanted '" + std::string(expected) +
                          "'): " + data.dump());
}

}  // namespace

Result<std::unique_ptr<VideoRoomAdmin>> VideoRoomAdmin::Open(JanusConnection& connection) {
  Result<JanusSession> session = connection.CreateSession();
  if (!session.ok()) return session.error();
  Result<JanusHandle> handle = connection.Attach(*session, kPlugin);
  if (!handle.ok()) {
    (void)connection.DestroySession(*session);
    return handle.error();
  }
  return std::unique_ptr<VideoRoomAdmin>(new VideoRoomAdmin(connection, *session, *handle));
}

VideoRoomAdmin::~VideoRoomAdmin() {
  if (!connection_.connected()) return;
  (void)connection_.Detach(session_, handle_);
  (void)connection_.DestroySession(session_);
}

Result<Json> VideoRoomAdmin::Request(Json body) {
  Result<Json> reply = connection_.Message(session_, handle_, std::move(body));
  if (!reply.ok()) return reply.error();
  return PluginData(*reply);
}

Result<JanusRoom> VideoRoomAdmin::CreateRoom(const VideoRoomSpec& spec) {
  if (spec.secret.empty()) {
    return Status::InvalidArgument(
        "a VideoRoom room needs a secret, or any client could destroy it");
  }
  Json body = {{"request", "create"},
               {"secret", spec.secret},
               {"publishers", spec.publishers},
               {"description", spec.description},
               {"permanent", false}};
  if (spec.room) body["room"] = static_cast<uint64_t>(*spec.room);
  Result<Json> data = Request(std::move(body));
  if (!data.ok()) return data.error();
  if (Status s = Expect(*data, "created"); !s.ok()) return s;
  const auto room = data->find("room");
  if (room == data->end() || !room->is_number_unsigned()) {
    return Status::Internal("VideoRoom created a room without a numeric id: " + data->dump());
  }
  return JanusRoom{room->get<uint64_t>()};
}

Status VideoRoomAdmin::DestroyRoom(JanusRoom room, const std::string& secret) {
  Result<Json> data = Request({{"request", "destroy"},
                               {"room", static_cast<uint64_t>(room)},
                               {"secret", secret},
                               {"permanent", false}});
  if (!data.ok()) return data.error();
  return Expect(*data, "destroyed");
}

Status VideoRoomAdmin::Moderate(JanusRoom room, const std::string& secret, uint64_t feed,
                                const std::string& mid, bool mute) {
  Result<Json> data = Request({{"request", "moderate"},
                               {"room", static_cast<uint64_t>(room)},
                               {"secret", secret},
                               {"id", feed},
                               {"mid", mid},
                               {"mute", mute}});
  if (!data.ok()) return data.error();
  return Expect(*data, "success");
}

Result<std::vector<VideoRoomInfo>> VideoRoomAdmin::ListRooms() {
  Result<Json> data = Request({{"request", "list"}});
  if (!data.ok()) return data.error();
  if (Status s = Expect(*data, "success"); !s.ok()) return s;
  std::vector<VideoRoomInfo> rooms;
  for (const Json& entry : data->value("list", Json::array())) {
    if (!entry.is_object() || !entry.contains("room") || !entry["room"].is_number_unsigned()) {
      continue;  // string room ids are not used by roomgate
    }
    rooms.push_back({JanusRoom{entry["room"].get<uint64_t>()},
                     entry.value("description", std::string()), entry.value("max_publishers", 0),
                     entry.value("num_participants", 0)});
  }
  return rooms;
}

}  // namespace roomgate::media
