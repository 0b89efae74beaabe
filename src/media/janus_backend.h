// JanusBackend: the media backend (sessions/media_backend.h) on Janus's
// VideoRoom plugin. Per live session: one Janus session holding a VideoRoom
// room created with a random secret only roomgate knows; per publication a
// publisher handle (`joinandconfigure` with the browser's offer); per
// (receiver, publication) a subscriber handle (`join` → Janus's offer,
// `start` with the browser's answer). Destroying a room destroys the
// VideoRoom room and the Janus session, which detaches every handle in it.
//
// Connection. One JanusConnection to Janus's WebSocket API on 127.0.0.1,
// opened at the first need and reopened when it was lost (Janus restarted):
// rooms opened on the old connection keep it until they close, and their
// calls fail with kUnavailable, which the session layer answers by
// withdrawing that room's media and opening a fresh room at the next
// publish. While Janus is down every call fails fast with kUnavailable
// ("Janus is unreachable at ws://127.0.0.1:8188").
//
// Feeds. Each publisher handle's Janus events are watched: `webrtcup`
// (the publisher's PeerConnection is up — only then does VideoRoom accept
// subscribers to it) and `hangup` (it died) go to the room's FeedListener.
//
// SDP travels whole (no trickle from roomgate's clients): every offer and
// answer roomgate hands Janus says `trickle: false`, so Janus takes the
// candidates in it as complete.
//
// Thread-safety: OpenRoom from any thread; a room is used by one thread at
// a time (its session's media queue), never the connection's own thread.
#ifndef ROOMGATE_MEDIA_JANUS_BACKEND_H_
#define ROOMGATE_MEDIA_JANUS_BACKEND_H_

#include <memory>
#include <mutex>
#include <string>

#include "media/janus_connection.h"
#include "roomgate/secure_random.h"
#include "sessions/media_backend.h"

namespace roomgate::media {

class JanusBackend final : public sessions::MediaBackend {
 public:
  // `random` (for room secrets and transactions) must outlive the backend.
  JanusBackend(JanusConnectionOptions options, SecureRandom& random);

  Result<std::unique_ptr<sessions::MediaRoom>> OpenRoom(const std::string& label,
                                                        int max_publishers,
                                                        sessions::FeedListener feeds) override;
  // Connects now (e.g. at start-up, to log whether Janus is there).
  Status Probe();
  // The connection is open (it is reopened on the next need otherwise).
  bool connected();
  // Drops the connection for good (shutdown): every call in flight or to
  // come fails at once instead of waiting on Janus.
  void Close();

 private:
  Result<std::shared_ptr<JanusConnection>> Connection();

  const JanusConnectionOptions options_;
  SecureRandom& random_;
  std::mutex mu_;
  std::shared_ptr<JanusConnection> connection_;
  bool closed_ = false;
};

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_JANUS_BACKEND_H_
