// SessionRecorder: where the live sessions send their history (session
// started / peer joined, updated, left / session ended) on its way to the
// store.
//
// Why batched and asynchronous: a join must not wait for an fsync (the store
// commits with synchronous=FULL), or the join rate would be the disk's
// commit rate. History is written in batches, one transaction each, a few
// milliseconds behind the live state. The cost is that a crash loses the
// last batch; SessionStore::EndActiveSessions at start-up closes what the
// crash left open. Readers that need what happened so far call Flush first.
//
// Thread-safety: every method may be called from any thread concurrently.
#ifndef ROOMGATE_SESSIONS_SESSION_RECORDER_H_
#define ROOMGATE_SESSIONS_SESSION_RECORDER_H_

#include "rooms/session_record.h"

namespace roomgate::sessions {

class SessionRecorder {
 public:
  virtual ~SessionRecorder() = default;
  // Queues one event; never blocks on the store. Events of one session must
  // be recorded in the order they happened (callers hold the room's lock).
  virtual void Record(SessionEvent event) = 0;
  // Returns once every event recorded before the call is in the store (or
  // has failed to get there, which was logged).
  virtual void Flush() = 0;
};

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_SESSION_RECORDER_H_
