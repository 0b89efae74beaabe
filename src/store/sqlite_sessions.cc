#include "store/sqlite_sessions.h"

#include <utility>

#include "store/sqlite_queries.h"
#include "store/sqlite_transaction.h"
#include "store/store_errors.h"

namespace roomgate::store {
namespace {

// A repeated start (a retried batch) keeps the session recorded first.
constexpr char kInsertSession[] =
    "INSERT INTO sessions (id, room_id, active, created_at, updated_at) "
    "VALUES (?1, ?2, 1, ?3, ?3) ON CONFLICT (id) DO NOTHING";
// Inserts nothing when the session is unknown (the SELECT finds no row); a
// join of a known peer id replaces it: the latest join wins.
constexpr char kUpsertPeer[] =
    "INSERT INTO session_peers (session_seq, id, name, role, user_id, joined_at, left_at) "
    "SELECT seq, ?2, ?3, ?4, ?5, ?6, NULL FROM sessions WHERE id = ?1 "
    "ON CONFLICT (session_seq, id) DO UPDATE SET name = excluded.name, role = excluded.role, "
    "user_id = excluded.user_id, joined_at = excluded.joined_at, left_at = NULL";
constexpr char kUpdatePeer[] =
    "UPDATE session_peers SET name = ?3, role = ?4 "
    "WHERE session_seq = (SELECT seq FROM sessions WHERE id = ?1) AND id = ?2";
constexpr char kPeerLeft[] =
    "UPDATE session_peers SET left_at = ?3 "
    "WHERE session_seq = (SELECT seq FROM sessions WHERE id = ?1) AND id = ?2";
constexpr char kTouch[] = "UPDATE sessions SET updated_at = ?2 WHERE id = ?1";
constexpr char kEndSession[] = "UPDATE sessions SET active = 0, updated_at = ?2 WHERE id = ?1";
constexpr char kEndPeers[] =
    "UPDATE session_peers SET left_at = ?2 "
    "WHERE session_seq = (SELECT seq FROM sessions WHERE id = ?1) AND left_at IS NULL";
constexpr char kEndActivePeers[] =
    "UPDATE session_peers SET left_at = ?1 "
    "WHERE left_at IS NULL AND session_seq IN (SELECT seq FROM sessions WHERE active = 1)";
constexpr char kEndActiveSessions[] =
    "UPDATE sessions SET active = 0, updated_at = ?1 WHERE active = 1";

// Sessions joined with their peers, one row per peer (or one peer-less row
// for a session without peers). The statement has no column-is-NULL test,
// so the query computes the two that matter.
constexpr char kSelectById[] =
    "SELECT s.seq, s.id, s.room_id, s.active, s.created_at, s.updated_at, p.id IS NOT NULL, "
    "p.id, p.name, p.role, p.user_id, p.joined_at, p.left_at IS NOT NULL, p.left_at "
    "FROM sessions s LEFT JOIN session_peers p ON p.session_seq = s.seq "
    "WHERE s.id = ?1 ORDER BY p.seq";
// One query per page: the page of sessions (a NULL parameter switches its
// filter off), then their peers joined on the integer key.
constexpr char kSelectPage[] =
    "WITH s AS (SELECT seq, id, room_id, active, created_at, updated_at FROM sessions "
    "WHERE seq > ?1 AND (?2 IS NULL OR room_id = ?2) AND (?3 IS NULL OR active = ?3) "
    "AND (?4 IS NULL OR created_at > ?4) AND (?5 IS NULL OR created_at < ?5) "
    "ORDER BY seq LIMIT ?6) "
    "SELECT s.seq, s.id, s.room_id, s.active, s.created_at, s.updated_at, p.id IS NOT NULL, "
    "p.id, p.name, p.role, p.user_id, p.joined_at, p.left_at IS NOT NULL, p.left_at "
    "FROM s LEFT JOIN session_peers p ON p.session_seq = s.seq ORDER BY s.seq, p.seq";
constexpr char kSeqOf[] = "SELECT seq FROM sessions WHERE id = ?1";

// Runs `sql` with `now` bound to ?1; returns how many rows it changed.
Result<int64_t> RunAt(SqliteConnection& db, const char* sql, UnixSeconds now) {
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.error();
  st->BindInt(1, now);
  if (Status s = st->Run(); !s.ok()) return s;
  return st->Changes();
}

SessionPeerRecord ReadPeer(const SqliteStatement& st, const SessionId& session) {
  SessionPeerRecord p;
  p.id = PeerId(st.ColumnText(7));
  p.session_id = session;
  p.name = st.ColumnText(8);
  p.role = RoleName(st.ColumnText(9));
  p.user_id = UserId(st.ColumnText(10));
  p.joined_at = st.ColumnInt(11);
  if (st.ColumnBool(12)) p.left_at = st.ColumnInt(13);
  return p;
}

// Folds the rows of kSelectById / kSelectPage into sessions, in row order.
Result<std::vector<SessionRecord>> ReadSessions(SqliteStatement& st) {
  std::vector<SessionRecord> sessions;
  int64_t current_seq = 0;  // seqs start at 1
  for (;;) {
    auto row = st.Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    if (sessions.empty() || st.ColumnInt(0) != current_seq) {
      current_seq = st.ColumnInt(0);
      SessionRecord& s = sessions.emplace_back();
      s.id = SessionId(st.ColumnText(1));
      s.room_id = RoomId(st.ColumnText(2));
      s.active = st.ColumnBool(3);
      s.created_at = st.ColumnInt(4);
      s.updated_at = st.ColumnInt(5);
    }
    SessionRecord& s = sessions.back();
    if (st.ColumnBool(6)) {
      SessionPeerRecord peer = ReadPeer(st, s.id);
      s.peers.insert_or_assign(peer.id.str(), std::move(peer));
    }
  }
  return sessions;
}

}  // namespace

Status SqliteSessions::Start(const SessionEvent& event) {
  auto st = db_.Prepare(kInsertSession);
  if (!st.ok()) return st.error();
  st->BindText(1, event.session_id.str());
  st->BindText(2, event.room_id.str());
  st->BindInt(3, event.at);
  return st->Run();
}

Status SqliteSessions::Touch(const SessionEvent& event) {
  auto st = db_.Prepare(kTouch);
  if (!st.ok()) return st.error();
  st->BindText(1, event.session_id.str());
  st->BindInt(2, event.at);
  return st->Run();
}

template <typename Bind>
Status SqliteSessions::ChangePeer(const char* sql, const SessionEvent& event, Bind bind) {
  int64_t changes = 0;
  {
    auto st = db_.Prepare(sql);
    if (!st.ok()) return st.error();
    st->BindText(1, event.session_id.str());
    st->BindText(2, event.peer.id.str());
    bind(*st);
    if (Status s = st->Run(); !s.ok()) return s;
    changes = st->Changes();
  }
  return changes > 0 ? Touch(event) : Status::Ok();
}

Status SqliteSessions::End(const SessionEvent& event) {
  auto st = db_.Prepare(kEndSession);
  if (!st.ok()) return st.error();
  st->BindText(1, event.session_id.str());
  st->BindInt(2, event.at);
  if (Status s = st->Run(); !s.ok()) return s;
  if (st->Changes() == 0) return Status::Ok();  // unknown session: skipped
  auto peers = db_.Prepare(kEndPeers);
  if (!peers.ok()) return peers.error();
  peers->BindText(1, event.session_id.str());
  peers->BindInt(2, event.at);
  return peers->Run();
}

Status SqliteSessions::Apply(const SessionEvent& event) {
  using Kind = SessionEvent::Kind;
  switch (event.kind) {
    case Kind::kStarted:
      return Start(event);
    case Kind::kPeerJoined:
      return ChangePeer(kUpsertPeer, event, [&event](SqliteStatement& st) {
        st.BindText(3, event.peer.name);
        st.BindText(4, event.peer.role.str());
        st.BindText(5, event.peer.user_id.str());
        st.BindInt(6, event.at);
      });
    case Kind::kPeerUpdated:
      return ChangePeer(kUpdatePeer, event, [&event](SqliteStatement& st) {
        st.BindText(3, event.peer.name);
        st.BindText(4, event.peer.role.str());
      });
    case Kind::kPeerLeft:
      return ChangePeer(kPeerLeft, event,
                        [&event](SqliteStatement& st) { st.BindInt(3, event.at); });
    case Kind::kEnded:
      return End(event);
  }
  return Status::Ok();  // an unknown kind (a newer writer): skipped like an unknown session
}

Status SqliteSessions::Record(const std::vector<SessionEvent>& events) {
  if (events.empty()) return Status::Ok();
  auto txn = SqliteTransaction::Begin(db_);
  if (!txn.ok()) return txn.error();
  for (const SessionEvent& event : events) {
    if (Status s = Apply(event); !s.ok()) return s;  // rolls back the whole batch
  }
  return txn->Commit();
}

Result<SessionRecord> SqliteSessions::Get(const SessionId& id) {
  auto st = db_.Prepare(kSelectById);
  if (!st.ok()) return st.error();
  st->BindText(1, id.str());
  auto sessions = ReadSessions(*st);
  if (!sessions.ok()) return sessions.error();
  if (sessions->empty()) return NotFoundError("session");
  return std::move(sessions->front());
}

Result<Page<SessionRecord>> SqliteSessions::List(const SessionFilter& filter,
                                                 const PageRequest& page) {
  auto after = StartSeq(db_, kSeqOf, page.start);
  if (!after.ok()) return after.error();
  auto st = db_.Prepare(kSelectPage);
  if (!st.ok()) return st.error();
  st->BindInt(1, *after);
  if (filter.room_id) st->BindText(2, filter.room_id->str());
  st->BindOptionalBool(3, filter.active);
  st->BindOptionalInt(4, filter.created_after);
  st->BindOptionalInt(5, filter.created_before);
  st->BindInt(6, LimitParam(page.limit));
  auto sessions = ReadSessions(*st);
  if (!sessions.ok()) return sessions.error();
  Page<SessionRecord> result;
  result.data = std::move(*sessions);
  if (!result.data.empty()) result.last = result.data.back().id.str();
  return result;
}

Result<size_t> SqliteSessions::EndActive(UnixSeconds now) {
  auto txn = SqliteTransaction::Begin(db_);
  if (!txn.ok()) return txn.error();
  // Peers first: the subquery finds the sessions by `active`, which the
  // second statement clears.
  auto peers = RunAt(db_, kEndActivePeers, now);
  if (!peers.ok()) return peers.error();
  auto ended = RunAt(db_, kEndActiveSessions, now);
  if (!ended.ok()) return ended.error();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return static_cast<size_t>(*ended);
}

}  // namespace roomgate::store
