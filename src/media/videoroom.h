// VideoRoomAdmin: room management in Janus's VideoRoom plugin (create,
// destroy, list) over one JanusConnection, through one Janus session and one
// "admin" plugin handle that it owns. It proves the layering above
// JanusConnection; publishing and subscribing (JSEP) come later and will use
// handles of their own.
//
// Rooms are created non-permanent (never written to Janus's config) and with
// a `secret` that only roomgate knows, so no other Janus client can destroy
// or reconfigure them. Plugin errors are mapped by janus_errors.h: e.g.
// 427 room exists → kAlreadyExists, 426 no such room → kNotFound, 433 wrong
// secret → kPermissionDenied.
//
// Thread-safety: every method blocks on the connection (JanusConnection's
// blocking helpers) and is safe from any thread except the connection's own.
#ifndef ROOMGATE_MEDIA_VIDEOROOM_H_
#define ROOMGATE_MEDIA_VIDEOROOM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/janus_connection.h"
#include "roomgate/status.h"

namespace roomgate::media {

// VideoRoom's numeric room id (the plugin's default; string ids are off).
enum class JanusRoom : uint64_t {};

struct VideoRoomSpec {
  std::optional<JanusRoom> room;  // unset: Janus picks a free id
  std::string secret;             // required to destroy or edit the room
  int publishers = 3;             // VideoRoom's own default
  std::string description;
};

struct VideoRoomInfo {
  JanusRoom room{};
  std::string description;
  int max_publishers = 0;
  int participants = 0;
};

class VideoRoomAdmin {
 public:
  // Creates a Janus session and attaches janus.plugin.videoroom.
  // `connection` must outlive the result.
  static Result<std::unique_ptr<VideoRoomAdmin>> Open(JanusConnection& connection);
  // Detaches and destroys the session (best effort: Janus drops both anyway
  // when the connection ends).
  ~VideoRoomAdmin();

  Result<JanusRoom> CreateRoom(const VideoRoomSpec& spec);
  Status DestroyRoom(JanusRoom room, const std::string& secret);
  Result<std::vector<VideoRoomInfo>> ListRooms();
  // Stops (mute) or resumes forwarding stream `mid` of publisher `feed`.
  Status Moderate(JanusRoom room, const std::string& secret, uint64_t feed, const std::string& mid,
                  bool mute);

  JanusSession session() const { return session_; }
  JanusHandle handle() const { return handle_; }

 private:
  VideoRoomAdmin(JanusConnection& connection, JanusSession session, JanusHandle handle)
      : connection_(connection), session_(session), handle_(handle) {}
  // Sends a VideoRoom request and returns plugindata.data (errors mapped).
  Result<Json> Request(Json body);

  JanusConnection& connection_;
  const JanusSession session_;
  const JanusHandle handle_;
};

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_VIDEOROOM_H_
