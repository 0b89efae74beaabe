// JanusConnection: roomgate's client for the Janus WebRTC server's API over
// WebSocket (ws://127.0.0.1:<port>/, subprotocol `janus-protocol`). It is the
// lowest layer of the media backend: it knows Janus's envelope (`janus`,
// `transaction`, `session_id`, `handle_id`, `apisecret`), not any plugin.
//
// Requests and replies. Every request gets a fresh `transaction` (a random
// prefix from the injected SecureRandom plus a counter) and the first reply
// carrying it completes the call: `success`, `error`, or `ack`. For plugin
// `message` requests an `ack` only means "queued": the call then completes
// with the `event` carrying the same transaction. Every call is bounded by
// `request_timeout`; a call Janus never answers fails with kUnavailable.
//
// Events. Messages without a pending transaction (`event`, `webrtcup`,
// `hangup`, `media`, `slowlink`, `detached`, `timeout`, ...) go to the listener
// registered for their (session, handle), else to the session's listener.
//
// Keepalives. Janus destroys a session that is silent for its
// `session_timeout` (60 s by default), so every session created through this
// connection gets a `keepalive` every `keepalive_interval` (25 s) until it is
// destroyed, times out, or the connection ends.
//
// Connection loss. When the socket fails or closes, every pending call fails
// with kUnavailable ("Janus is unreachable at ws://127.0.0.1:PORT") and every
// listener receives that Status once. The connection does not reconnect: a
// Janus restart loses every session and room anyway (rooms are created
// non-permanent), so recovering means rebuilding media state one layer up,
// which is the media backend's job, not this transport's.
//
// Threading. The connection runs its own io_context on one thread that it
// owns, rather than borrowing the server's executor: Janus traffic then never
// competes with (or is delayed by) client HTTP/WebSocket handling, every piece
// of state below is touched by that one thread only (no locks on the hot
// path), and the blocking helpers cannot deadlock a server thread that the
// reply would need. Public methods are safe to call from any thread.
// Callbacks and listeners run on the connection's thread: they must not
// block, must not call the blocking helpers (those return
// kFailedPrecondition there), and must not destroy the connection.
#ifndef ROOMGATE_MEDIA_JANUS_CONNECTION_H_
#define ROOMGATE_MEDIA_JANUS_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "roomgate/secure_random.h"
#include "roomgate/status.h"

namespace roomgate::media {

using Json = nlohmann::json;

// Janus's numeric ids, kept apart from each other and from plain integers.
enum class JanusSession : uint64_t {};
enum class JanusHandle : uint64_t {};

struct JanusConnectionOptions {
  // Janus's WebSocket transport on 127.0.0.1 (scripts/janus: 8188).
  uint16_t port = 8188;
  // Janus's `api_secret`; sent as `apisecret` on every request when not
  // empty. Never logged and never put into a Status message.
  std::string api_secret;
  // Bound on connect + WebSocket handshake.
  std::chrono::milliseconds connect_timeout{5000};
  // Bound on every request, from send to its completing reply.
  std::chrono::milliseconds request_timeout{5000};
  // Keepalive period per live session; must stay well below Janus's
  // session_timeout (60 s default). Injectable so tests need not wait.
  std::chrono::milliseconds keepalive_interval{25000};
};

// An asynchronous Janus message for a session or one of its handles.
struct JanusEvent {
  JanusSession session{};
  std::optional<JanusHandle> handle;  // Janus's `sender`, when it names one
  std::string kind;                   // Janus's `janus` field: "event", "hangup", ...
  Json message;                       // the whole message as Janus sent it
};

class JanusConnection {
 public:
  using Callback = std::function<void(Result<Json>)>;
  // Receives events, or once a non-ok Status when the connection is lost.
  using Listener = std::function<void(Result<JanusEvent>)>;

  // Connects and performs the WebSocket handshake. kUnavailable when Janus
  // does not accept within connect_timeout. `random` must outlive the
  // connection.
  static Result<std::unique_ptr<JanusConnection>> Connect(JanusConnectionOptions options,
                                                          SecureRandom& random = OpenSslRandom());

  // Closes the socket, fails pending calls with kUnavailable and joins the
  // connection's thread. Must not run on that thread (i.e. in a callback).
  ~JanusConnection();
  JanusConnection(const JanusConnection&) = delete;
  JanusConnection& operator=(const JanusConnection&) = delete;

  // Sends `request` (a JSON object with at least `janus`; `transaction` and
  // `apisecret` are filled in) and calls `done` exactly once, on the
  // connection's thread, with the completing reply or an error Status.
  void Call(Json request, Callback done);
  // Call, waiting for the result. kFailedPrecondition on the connection's
  // own thread (waiting there would deadlock).
  Result<Json> CallAndWait(Json request);

  // Blocking helpers over CallAndWait (same thread rule).
  Result<JanusSession> CreateSession();  // also starts its keepalives
  Result<JanusHandle> Attach(JanusSession session, std::string_view plugin);
  // A plugin request; the result is the completing `success` or `event`
  // message (plugin-level errors inside `plugindata` are the caller's to map).
  Result<Json> Message(JanusSession session, JanusHandle handle, Json body,
                       std::optional<Json> jsep = std::nullopt);
  Status Detach(JanusSession session, JanusHandle handle);
  Status DestroySession(JanusSession session);  // also stops its keepalives

  // Registers (or with nullptr removes) the listener for a session's own
  // events (no handle) or for one handle's. Events that arrive while no
  // listener matches are dropped.
  void SetListener(JanusSession session, std::optional<JanusHandle> handle, Listener listener);

  // Closes the socket now, from any thread without waiting: pending calls
  // and every later one fail at once with kUnavailable, listeners hear it.
  // For shutting down past an unresponsive Janus.
  void Disconnect();

  // False once the connection is lost or closed.
  bool connected() const;
  // "ws://127.0.0.1:PORT", for messages.
  const std::string& url() const;

  class Impl;  // public only so the .cc files can name it

 private:
  explicit JanusConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_JANUS_CONNECTION_H_
