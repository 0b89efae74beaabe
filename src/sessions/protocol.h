// The signalling protocol's vocabulary (docs/signalling.md, version 1): the
// error and close codes, and the JSON shapes of the objects the server
// sends. Parsing of requests is in signalling_connection.cc, next to the
// dispatch that uses it.
//
// Thread-safety: pure functions and constants.
#ifndef ROOMGATE_SESSIONS_PROTOCOL_H_
#define ROOMGATE_SESSIONS_PROTOCOL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "rooms/model.h"
#include "rooms/session_record.h"

namespace roomgate::sessions {

inline constexpr int kProtocolVersion = 1;

// Every message is dumped with this: text from clients is valid UTF-8 (the
// transport and the parser check), but a stored name from an older version
// might not be, and a throwing dump() would cut a whole fan-out short.
inline constexpr auto kReplaceInvalid = nlohmann::json::error_handler_t::replace;

// Every refusal and request error has its own code; admission refusals are
// also the WebSocket close code that follows them.
enum class ErrorCode : uint16_t {
  kTokenInvalid = 4001,
  kTokenExpired = 4002,
  kTokenNotYetValid = 4003,
  kTokenWrongType = 4004,
  kRoomNotFound = 4005,
  kRoomDisabled = 4006,
  kRoleNotFound = 4007,
  kRoleNotAllowed = 4008,
  kRoleFull = 4009,
  kRoomFull = 4010,
  kDuplicateUser = 4011,
  kJoinTimeout = 4012,
  kUnsupportedProtocol = 4013,
  kBadMessage = 4100,
  kUnknownType = 4101,
  kNotJoined = 4102,
  kAlreadyJoined = 4103,
  kPermissionDenied = 4104,
  kPeerNotFound = 4105,
  kRateLimited = 4107,
  kRequestNotFound = 4108,
  kTokenMismatch = 4109,
  kInvalidTarget = 4110,
  kBadSdp = 4111,
  kAlreadyPublishing = 4112,
  kMediaNotFound = 4113,
  kInternal = 4500,
  kMediaUnavailable = 4501,
};

// Closes the server starts (besides admission refusals and the transport's
// own 1001/1003/1008/1009).
inline constexpr uint16_t kCloseLeft = 1000;
inline constexpr uint16_t kCloseRemoved = 4200;
inline constexpr uint16_t kCloseRoomEnded = 4201;
inline constexpr uint16_t kCloseTokenExpired = 4202;
inline constexpr uint16_t kCloseReplaced = 4203;

// "token_invalid", "room_full", ...
std::string_view ErrorName(ErrorCode code);
// Every code, in the order of docs/signalling.md's table.
std::span<const ErrorCode> AllErrorCodes();
// Every request type a client may send ("join", "leave", ...).
std::span<const std::string_view> RequestTypes();

// A refusal or request error on its way to the client.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// Why a peer left, as peer-left's `reason`.
// (Ending a room sends room-ended to everyone instead of peer-left events.)
enum class LeaveReason { kLeft, kDisconnected, kRemoved, kTokenExpired, kReplaced };
std::string_view LeaveReasonName(LeaveReason reason);

// {"type":"error","id":...,"code":...,"error":...,"message":...}; `id` is
// the request's id, or null.
std::string ErrorMessage(const nlohmann::json& id, const Error& error);
// {"type":"reply","id":...,"result":...}
std::string ReplyMessage(const nlohmann::json& id, const nlohmann::json& result);
// The same, with a "peers" member added to `result` (an object) from the
// ready JSON text `peers_array`.
std::string ReplyWithPeers(const nlohmann::json& id, const nlohmann::json& result,
                           const std::string& peers_array);

// {"name", "role", "known_roles"} for a peer of `role`; roles as the REST
// API shows them (rooms/role_json.h).
nlohmann::json PolicyJson(const Template& tmpl, const Role& role);

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_PROTOCOL_H_
