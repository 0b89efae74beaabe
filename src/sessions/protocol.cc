#include "sessions/protocol.h"

#include "rooms/role_json.h"

namespace roomgate::sessions {

using nlohmann::json;

std::string_view ErrorName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTokenInvalid:
      return "token_invalid";
    case ErrorCode::kTokenExpired:
      return "token_expired";
    case ErrorCode::kTokenNotYetValid:
      return "token_not_yet_valid";
    case ErrorCode::kTokenWrongType:
      return "token_wrong_type";
    case ErrorCode::kRoomNotFound:
      return "room_not_found";
    case ErrorCode::kRoomDisabled:
      return "room_disabled";
    case ErrorCode::kRoleNotFound:
      return "role_not_found";
    case ErrorCode::kRoleNotAllowed:
      return "role_not_allowed";
    case ErrorCode::kRoleFull:
      return "role_full";
    case ErrorCode::kRoomFull:
      return "room_full";
    case ErrorCode::kDuplicateUser:
      return "duplicate_user";
    case ErrorCode::kJoinTimeout:
      return "join_timeout";
    case ErrorCode::kUnsupportedProtocol:
      return "unsupported_protocol";
    case ErrorCode::kBadMessage:
      return "bad_message";
    case ErrorCode::kUnknownType:
      return "unknown_type";
    case ErrorCode::kNotJoined:
      return "not_joined";
    case ErrorCode::kAlreadyJoined:
      return "already_joined";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kPeerNotFound:
      return "peer_not_found";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kRequestNotFound:
      return "request_not_found";
    case ErrorCode::kTokenMismatch:
      return "token_mismatch";
    case ErrorCode::kInvalidTarget:
      return "invalid_target";
    case ErrorCode::kBadSdp:
      return "bad_sdp";
    case ErrorCode::kAlreadyPublishing:
      return "already_publishing";
    case ErrorCode::kMediaNotFound:
      return "media_not_found";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kMediaUnavailable:
      return "media_unavailable";
  }
  return "internal";
}

std::span<const ErrorCode> AllErrorCodes() {
  static constexpr ErrorCode kAll[] = {ErrorCode::kTokenInvalid,
                                       ErrorCode::kTokenExpired,
                                       ErrorCode::kTokenNotYetValid,
                                       ErrorCode::kTokenWrongType,
                                       ErrorCode::kRoomNotFound,
                                       ErrorCode::kRoomDisabled,
                                       ErrorCode::kRoleNotFound,
                                       ErrorCode::kRoleNotAllowed,
                                       ErrorCode::kRoleFull,
                                       ErrorCode::kRoomFull,
                                       ErrorCode::kDuplicateUser,
                                       ErrorCode::kJoinTimeout,
                                       ErrorCode::kUnsupportedProtocol,
                                       ErrorCode::kBadMessage,
                                       ErrorCode::kUnknownType,
                                       ErrorCode::kNotJoined,
                                       ErrorCode::kAlreadyJoined,
                                       ErrorCode::kPermissionDenied,
                                       ErrorCode::kPeerNotFound,
                                       ErrorCode::kRateLimited,
                                       ErrorCode::kRequestNotFound,
                                       ErrorCode::kTokenMismatch,
                                       ErrorCode::kInvalidTarget,
                                       ErrorCode::kBadSdp,
                                       ErrorCode::kAlreadyPublishing,
                                       ErrorCode::kMediaNotFound,
                                       ErrorCode::kInternal,
                                       ErrorCode::kMediaUnavailable};
  return kAll;
}

std::span<const std::string_view> RequestTypes() {
  static constexpr std::string_view kTypes[] = {
      "join",          "leave",    "ping",         "update-self",      "send-message",
      "remove-peer",   "end-room", "request-mute", "change-role",      "accept-role-change",
      "refresh-token", "publish",  "unpublish",    "subscribe-answer", "mute-track"};
  return kTypes;
}

std::string_view LeaveReasonName(LeaveReason reason) {
  switch (reason) {
    case LeaveReason::kLeft:
      return "left";
    case LeaveReason::kDisconnected:
      return "disconnected";
    case LeaveReason::kRemoved:
      return "removed";
    case LeaveReason::kTokenExpired:
      return "token_expired";
    case LeaveReason::kReplaced:
      return "replaced";
  }
  return "left";
}

std::string ErrorMessage(const json& id, const Error& error) {
  return json{{"type", "error"},
              {"id", id},
              {"code", static_cast<int>(error.code)},
              {"error", ErrorName(error.code)},
              {"message", error.message}}
      .dump(-1, ' ', false, kReplaceInvalid);
}

std::string ReplyMessage(const json& id, const json& result) {
  return json{{"type", "reply"}, {"id", id}, {"result", result}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string ReplyWithPeers(const json& id, const json& result, const std::string& peers_array) {
  const std::string rest = result.dump(-1, ' ', false, kReplaceInvalid);  // "{...}", not empty
  return R"({"type":"reply","id":)" + id.dump() + R"(,"result":{"peers":)" + peers_array + "," +
         rest.substr(1) + "}";
}

json PolicyJson(const Template& tmpl, const Role& role) {
  json known = json::object();
  for (const auto& [name, r] : tmpl.roles) known[name] = rooms::RoleToJson(r);
  return {{"name", role.name.str()},
          {"role", rooms::RoleToJson(role)},
          {"known_roles", std::move(known)}};
}

}  // namespace roomgate::sessions
