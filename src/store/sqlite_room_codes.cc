#include "store/sqlite_room_codes.h"

#include <map>

#include "store/sqlite_queries.h"
#include "store/store_errors.h"

namespace roomgate::store {
namespace {

constexpr char kWhat[] = "room code";

constexpr char kInsert[] =
    "INSERT INTO room_codes (code, room_id, role, enabled, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kCountOfRoom[] = "SELECT COUNT(*) FROM room_codes WHERE room_id = ?1";
constexpr char kSelectByCode[] =
    "SELECT code, room_id, role, enabled, created_at, updated_at FROM room_codes "
    "WHERE code = ?1";
constexpr char kSelectPage[] =
    "SELECT code, room_id, role, enabled, created_at, updated_at FROM room_codes "
    "WHERE room_id = ?1 AND seq > ?2 AND (?3 IS NULL OR role = ?3) "
    "AND (?4 IS NULL OR enabled = ?4) ORDER BY seq LIMIT ?5";
constexpr char kSeqOf[] = "SELECT seq FROM room_codes WHERE code = ?1 AND room_id = ?2";
// RETURNING gives the updated row from the same atomic statement.
constexpr char kSetEnabled[] =
    "UPDATE room_codes SET enabled = ?2, updated_at = ?3 WHERE code = ?1 "
    "RETURNING code, room_id, role, enabled, created_at, updated_at";
// `enabled <> ?3` so the count is of codes that changed, and untouched codes
// keep their updated_at.
constexpr char kSetRoleEnabled[] =
    "UPDATE room_codes SET enabled = ?3, updated_at = ?4 "
    "WHERE room_id = ?1 AND role = ?2 AND enabled <> ?3";

Result<RoomCode> ReadRoomCode(const SqliteStatement& st) {
  RoomCode c;
  c.code = RoomCodeText(st.ColumnText(0));
  c.room_id = RoomId(st.ColumnText(1));
  c.role = RoleName(st.ColumnText(2));
  c.enabled = st.ColumnBool(3);
  c.created_at = st.ColumnInt(4);
  c.updated_at = st.ColumnInt(5);
  return c;
}

}  // namespace

Status SqliteRoomCodes::CheckLimits(const std::vector<RoomCode>& codes, size_t max_per_room) {
  std::map<std::string, size_t> added;
  for (const RoomCode& c : codes) ++added[c.room_id.str()];
  for (const auto& [room, count] : added) {
    auto st = db_.Prepare(kCountOfRoom);
    if (!st.ok()) return st.error();
    st->BindText(1, room);
    auto row = st->Step();
    if (!row.ok()) return row.error();
    const auto existing = static_cast<size_t>(*row ? st->ColumnInt(0) : 0);
    if (existing + count > max_per_room) return TooManyCodesError();
  }
  return Status::Ok();
}

Status SqliteRoomCodes::Insert(const RoomCode& code) {
  auto st = db_.Prepare(kInsert);
  if (!st.ok()) return st.error();
  st->BindText(1, code.code.str());
  st->BindText(2, code.room_id.str());
  st->BindText(3, code.role.str());
  st->BindBool(4, code.enabled);
  st->BindInt(5, code.created_at);
  st->BindInt(6, code.updated_at);
  return RunWrite(*st, kWhat);
}

Status SqliteRoomCodes::Create(const std::vector<RoomCode>& codes, size_t max_per_room) {
  auto txn = SqliteTransaction::Begin(db_);
  if (!txn.ok()) return txn.error();
  if (Status s = CheckLimits(codes, max_per_room); !s.ok()) return s;
  for (const RoomCode& code : codes) {
    if (Status s = Insert(code); !s.ok()) return s;  // rolls back the earlier inserts
  }
  return txn->Commit();
}

Result<RoomCode> SqliteRoomCodes::Get(const RoomCodeText& code) {
  return GetOne<RoomCode>(db_, kSelectByCode, code.str(), ReadRoomCode, kWhat);
}

Result<Page<RoomCode>> SqliteRoomCodes::List(const RoomId& room, const RoomCodeFilter& filter,
                                             const PageRequest& page) {
  auto after = StartSeq(db_, kSeqOf, page.start, &room.str());
  if (!after.ok()) return after.error();
  auto st = db_.Prepare(kSelectPage);
  if (!st.ok()) return st.error();
  st->BindText(1, room.str());
  st->BindInt(2, *after);
  if (filter.role) st->BindText(3, filter.role->str());
  st->BindOptionalBool(4, filter.enabled);
  st->BindInt(5, LimitParam(page.limit));
  return ReadPage<RoomCode>(*st, ReadRoomCode, [](const RoomCode& c) { return c.code; });
}

Result<RoomCode> SqliteRoomCodes::SetEnabled(const RoomCodeText& code, bool enabled,
                                             UnixSeconds now) {
  auto st = db_.Prepare(kSetEnabled);
  if (!st.ok()) return st.error();
  st->BindText(1, code.str());
  st->BindBool(2, enabled);
  st->BindInt(3, now);
  auto row = st->Step();
  if (!row.ok()) return row.error();
  if (!*row) return NotFoundError(kWhat);
  RoomCode updated = *ReadRoomCode(*st);
  // Step to the end so the statement's implicit transaction commits here,
  // and a commit failure is reported rather than lost in the reset.
  if (Status s = st->Run(); !s.ok()) return s;
  return updated;
}

Result<size_t> SqliteRoomCodes::SetRoleEnabled(const RoomId& room, const RoleName& role,
                                               bool enabled, UnixSeconds now) {
  auto st = db_.Prepare(kSetRoleEnabled);
  if (!st.ok()) return st.error();
  st->BindText(1, room.str());
  st->BindText(2, role.str());
  st->BindBool(3, enabled);
  st->BindInt(4, now);
  if (Status s = st->Run(); !s.ok()) return s;
  return static_cast<size_t>(st->Changes());
}

}  // namespace roomgate::store
