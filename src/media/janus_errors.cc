#include "media/janus_errors.h"

#include <string>

namespace roomgate::media {
namespace {

using Code = Status::Code;

struct ErrorRow {
  int janus_code;
  Code code;
};

// Janus 1.1 core (janus/apierror.h) and VideoRoom (plugins/janus_videoroom.c)
// codes. Anything not listed is kInternal: an unexpected answer from Janus is
// roomgate's bug or Janus's, never the caller's.
constexpr ErrorRow kErrors[] = {
    // core
    {403, Code::kUnauthenticated},     // unauthorized (wrong or missing apisecret)
    {405, Code::kPermissionDenied},    // plugin not allowed for this token
    {452, Code::kInvalidArgument},     // missing request
    {453, Code::kInvalidArgument},     // unknown request
    {454, Code::kInvalidArgument},     // invalid JSON
    {455, Code::kInvalidArgument},     // invalid JSON object
    {456, Code::kInvalidArgument},     // missing mandatory element
    {457, Code::kInvalidArgument},     // invalid request path
    {458, Code::kNotFound},            // no such session
    {459, Code::kNotFound},            // no such handle
    {460, Code::kNotFound},            // no such plugin
    {461, Code::kInternal},            // plugin attach failed
    {462, Code::kInternal},            // plugin message failed
    {463, Code::kInternal},            // plugin detach failed
    {464, Code::kInvalidArgument},     // unknown JSEP type
    {465, Code::kInvalidArgument},     // invalid SDP
    {467, Code::kInvalidArgument},     // invalid element type
    {468, Code::kAlreadyExists},       // session id conflict
    {469, Code::kFailedPrecondition},  // unexpected answer
    {470, Code::kUnauthenticated},     // token not found
    {471, Code::kFailedPrecondition},  // wrong WebRTC state
    {472, Code::kUnavailable},         // not accepting new sessions
    // VideoRoom
    {421, Code::kInvalidArgument},     // no message
    {422, Code::kInvalidArgument},     // invalid JSON
    {423, Code::kInvalidArgument},     // invalid request
    {424, Code::kFailedPrecondition},  // join first
    {425, Code::kFailedPrecondition},  // already joined
    {426, Code::kNotFound},            // no such room
    {427, Code::kAlreadyExists},       // room exists
    {428, Code::kNotFound},            // no such feed
    {429, Code::kInvalidArgument},     // missing element
    {430, Code::kInvalidArgument},     // invalid element
    {431, Code::kInvalidArgument},     // invalid SDP type
    {432, Code::kResourceExhausted},   // publishers full
    {433, Code::kPermissionDenied},    // unauthorized (wrong room secret / PIN)
    {434, Code::kFailedPrecondition},  // already published
    {435, Code::kFailedPrecondition},  // not published
    {436, Code::kAlreadyExists},       // id exists
    {437, Code::kInvalidArgument},     // invalid SDP
};

}  // namespace

Status JanusErrorToStatus(int code, std::string_view reason) {
  Code mapped = Code::kInternal;
  for (const ErrorRow& row : kErrors) {
    if (row.janus_code == code) mapped = row.code;
  }
  return Status(mapped, "Janus error " + std::to_string(code) + ": " + std::string(reason));
}

Status StatusFromJanusError(const Json& message) {
  const auto error = message.find("error");
  if (error == message.end() || !error->is_object() || !error->contains("code")) {
    return Status::Internal("Janus sent a malformed error: " + message.dump());
  }
  const Json& code = (*error)["code"];
  const std::string reason = error->value("reason", std::string("(no reason given)"));
  return JanusErrorToStatus(code.is_number_integer() ? code.get<int>() : 0, reason);
}

Result<Json> PluginData(const Json& reply) {
  const auto plugindata = reply.find("plugindata");
  if (plugindata == reply.end() || !plugindata->is_object() || !plugindata->contains("data") ||
      !(*plugindata)["data"].is_object()) {
    return Status::Internal("Janus reply has no plugin data: " + reply.dump());
  }
  const Json& data = (*plugindata)["data"];
  const auto code = data.find("error_code");
  if (code != data.end()) {
    return JanusErrorToStatus(code->is_number_integer() ? code->get<int>() : 0,
                              data.value("error", std::string("(no reason given)")));
  }
  return data;
}

}  // namespace roomgate::media
