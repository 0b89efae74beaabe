// Outbox: the ordered stream of messages (and closes) one live room sends
// to its peers.
//
// Why: events must reach every peer in the order the room's state changed
// (peer-joined before that peer's peer-left), yet sending must happen
// outside the room's lock (STYLE.md rule 8). So state changes Add() under
// the room lock, and Deliver() — called after the lock is released — sends
// in order. Only one thread delivers at a time; a thread that finds another
// delivering leaves its items to it. PeerLink::Send only queues, so a
// delivery round never waits on a socket.
//
// Thread-safety: all methods from any thread. Add may be called with the
// room lock held; Deliver must not be (it takes no room lock itself, but a
// caller holding one would serialise the room behind the sends).
#ifndef ROOMGATE_SESSIONS_OUTBOX_H_
#define ROOMGATE_SESSIONS_OUTBOX_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sessions/peer_link.h"

namespace roomgate::sessions {

class Outbox {
 public:
  using Links = std::vector<std::shared_ptr<PeerLink>>;

  void Send(std::shared_ptr<PeerLink> to, std::string text);
  void Send(Links to, std::string text);
  // Closes `to` after everything added before (see PeerLink::Close).
  void Close(std::shared_ptr<PeerLink> to, uint16_t code, std::string reason);
  void Deliver();

 private:
  struct Item {
    Links to;
    std::shared_ptr<const std::string> text;  // the close reason for a close
    uint16_t close_code = 0;                  // non-zero: a close, `text` is its reason
  };
  static void Perform(Item& item);

  std::mutex mu_;
  std::deque<Item> items_;
  bool delivering_ = false;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_OUTBOX_H_
