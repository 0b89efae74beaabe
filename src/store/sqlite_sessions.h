// SqliteSessions: the sessions and session_peers tables behind SqliteStore's
// SessionStore methods. Peers reference their session by its integer seq, so
// a page of sessions and all their peers come back from one joined query.
// Internal to src/store.
//
// Thread-safety: none; SqliteStore calls it under its lock.
#ifndef ROOMGATE_STORE_SQLITE_SESSIONS_H_
#define ROOMGATE_STORE_SQLITE_SESSIONS_H_

#include <vector>

#include "store/sqlite_connection.h"
#include "store/store.h"

namespace roomgate::store {

class SqliteSessions {
 public:
  explicit SqliteSessions(SqliteConnection& db) : db_(db) {}

  Status Record(const std::vector<SessionEvent>& events);
  Result<SessionRecord> Get(const SessionId& id);
  Result<Page<SessionRecord>> List(const SessionFilter& filter, const PageRequest& page);
  Result<size_t> EndActive(UnixSeconds now);

 private:
  // Applies one event inside Record's transaction; an event for an unknown
  // session or peer changes no row and is thereby skipped.
  Status Apply(const SessionEvent& event);
  Status Start(const SessionEvent& event);
  // Runs the peer statement `sql` (?1 session id, ?2 peer id, ?3.. as
  // `bind` sets them); touches the session's updated_at if a row changed.
  template <typename Bind>
  Status ChangePeer(const char* sql, const SessionEvent& event, Bind bind);
  Status End(const SessionEvent& event);
  // Sets the session's updated_at to the event's time.
  Status Touch(const SessionEvent& event);

  SqliteConnection& db_;
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_SESSIONS_H_
