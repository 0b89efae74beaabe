// PeerLink: the session layer's handle on one peer's connection — queue a
// message, or close with a code. The server adapts a WebSocket connection to
// it (src/server/signalling_endpoint.cc); tests use a recording fake. Keeps
// src/sessions free of network types.
//
// Thread-safety: implementations must accept calls from any thread, and
// must not block (Send only queues).
#ifndef ROOMGATE_SESSIONS_PEER_LINK_H_
#define ROOMGATE_SESSIONS_PEER_LINK_H_

#include <cstdint>
#include <memory>
#include <string>

namespace roomgate::sessions {

class PeerLink {
 public:
  virtual ~PeerLink() = default;
  // Queues one message. False once the link is closing or closed, or when
  // the peer is too far behind (the link then closes itself).
  virtual bool Send(std::string text) = 0;
  // The same text for many peers (a broadcast): a link that can queue the
  // shared buffer itself overrides this to skip the copy.
  virtual bool SendShared(std::shared_ptr<const std::string> text) { return Send(*text); }
  // Sends what is queued, then closes with `code` and `reason`. Idempotent.
  virtual void Close(uint16_t code, std::string reason) = 0;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_PEER_LINK_H_
