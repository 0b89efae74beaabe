// Janus error codes → roomgate Status. Janus reports failures in two places:
// core errors as `{"janus":"error","error":{"code":N,"reason":"..."}}`, and
// plugin errors inside a successful reply's `plugindata.data` as
// `error_code` / `error` (VideoRoom uses 421–437 and 499). Both code spaces
// are disjoint, so one table maps them; Janus's reason is kept in the message
// because it names the offending room, feed or field.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_MEDIA_JANUS_ERRORS_H_
#define ROOMGATE_MEDIA_JANUS_ERRORS_H_

#include <optional>
#include <string_view>

#include "media/janus_connection.h"
#include "roomgate/status.h"

namespace roomgate::media {

// A Status for Janus error `code` with Janus's `reason`, e.g.
// kAlreadyExists "Janus error 427: Room 1234 already exists".
Status JanusErrorToStatus(int code, std::string_view reason);

// The error in a core `error` message (kInternal if it is malformed).
Status StatusFromJanusError(const Json& message);

// The plugin's answer in `plugindata.data`, or the Status of its
// `error_code`; kInternal when the reply carries no plugin data.
Result<Json> PluginData(const Json& reply);

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_JANUS_ERRORS_H_
