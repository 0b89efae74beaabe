// The access model: templates with roles, rooms built from a template, and
// room codes that stand for one (room, role). Field names follow 100ms's v2
// REST objects (reference §4, §8, §9) so the API layer maps them one to one.
//
// These are plain values. Fields 100ms defines but roomgate does not act on
// (recording, destinations, simulcast layers...) travel as opaque JSON text in
// the `extra_json` members, so a client that sets them reads them back.
//
// Thread-safety: values.
#ifndef ROOMGATE_ROOMS_MODEL_H_
#define ROOMGATE_ROOMS_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "roomgate/ids.h"

namespace roomgate {

using TemplateId = Id<struct TemplateIdTag>;
using RoomCodeText = Id<struct RoomCodeTag>;

// Seconds since the epoch; serialised as RFC 3339 UTC by the API.
using UnixSeconds = int64_t;

// What a role may do to others in a live session. Unset means NOT allowed
// (unlike livekit's grants): a role gets a power only when it says so.
struct Permissions {
  bool end_room = false;       // endRoom
  bool remove_others = false;  // removeOthers
  bool mute = false;           // mute: ask others to mute
  bool unmute = false;         // unmute: ask others to unmute
  bool change_role = false;    // changeRole
  bool send_room_state = false;
  bool poll_read = false;
  bool poll_write = false;
  bool browser_recording = true;  // 100ms defaults these three to true
  bool rtmp_streaming = true;
  bool hls_streaming = true;
};

struct Role {
  RoleName name;
  // publishParams.allowed: subset of "audio", "video", "screen", "simulcast".
  std::vector<std::string> publish_allowed;
  // subscribeParams.subscribeToRoles.
  std::vector<RoleName> subscribe_to_roles;
  Permissions permissions;
  int priority = 1;  // 1 (highest) .. 5
  // maxPeerCount: 0 unlimited, n a cap per session, -1 nobody may join.
  int max_peer_count = 0;
  // The rest of publishParams / subscribeParams as given, JSON objects ("{}"
  // when empty), merged back on output.
  std::string publish_extra_json = "{}";
  std::string subscribe_extra_json = "{}";
};

struct Template {
  TemplateId id;
  std::string name;  // unique per workspace; create with an existing name overwrites
  std::map<std::string, Role> roles;  // by role name (case-sensitive)
  std::string settings_json = "{}";
  std::string destinations_json = "{}";
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct Room {
  RoomId id;
  std::string name;  // unique, compared case-insensitively; [a-zA-Z0-9.:_-]
  std::string description;
  bool enabled = true;
  TemplateId template_id;
  std::string region;  // "", "eu", "in", "us", "auto"
  bool large_room = false;
  int size = 0;                   // 0: no cap
  int max_duration_seconds = 0;   // 0: not set
  std::string extra_json = "{}";  // recording_info, webhook, polls, ... as given
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
};

struct RoomCode {
  RoomCodeText code;  // "abc-defg-hij"
  RoomId room_id;
  RoleName role;
  bool enabled = true;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;  // last change of `enabled`
};

}  // namespace roomgate

#endif  // ROOMGATE_ROOMS_MODEL_H_
