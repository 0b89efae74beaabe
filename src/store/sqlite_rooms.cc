#include "store/sqlite_rooms.h"

#include "store/sqlite_queries.h"
#include "store/store_errors.h"

namespace roomgate::store {
namespace {

constexpr char kWhat[] = "room";

constexpr char kInsert[] =
    "INSERT INTO rooms (id, name, description, enabled, template_id, region, large_room, size, "
    "max_duration_seconds, extra_json, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr char kUpdate[] =
    "UPDATE rooms SET name = ?2, description = ?3, enabled = ?4, template_id = ?5, region = ?6, "
    "large_room = ?7, size = ?8, max_duration_seconds = ?9, extra_json = ?10, created_at = ?11, "
    "updated_at = ?12 WHERE id = ?1";
constexpr char kSelectById[] =
    "SELECT id, name, description, enabled, template_id, region, large_room, size, "
    "max_duration_seconds, extra_json, created_at, updated_at FROM rooms WHERE id = ?1";
constexpr char kSelectByName[] =
    "SELECT id, name, description, enabled, template_id, region, large_room, size, "
    "max_duration_seconds, extra_json, created_at, updated_at FROM rooms "
    "WHERE name = ?1 COLLATE NOCASE";
// A NULL parameter switches its filter off, so one cached statement serves
// every combination of filters.
constexpr char kSelectPage[] =
    "SELECT id, name, description, enabled, template_id, region, large_room, size, "
    "max_duration_seconds, extra_json, created_at, updated_at FROM rooms WHERE seq > ?1 "
    "AND (?2 IS NULL OR enabled = ?2) AND (?3 IS NULL OR name = ?3 COLLATE NOCASE) "
    "AND (?4 IS NULL OR template_id = ?4) AND (?5 IS NULL OR created_at > ?5) "
    "AND (?6 IS NULL OR created_at < ?6) ORDER BY seq LIMIT ?7";
constexpr char kSeqOf[] = "SELECT seq FROM rooms WHERE id = ?1";

Result<Room> ReadRoom(const SqliteStatement& st) {
  Room r;
  r.id = RoomId(st.ColumnText(0));
  r.name = st.ColumnText(1);
  r.description = st.ColumnText(2);
  r.enabled = st.ColumnBool(3);
  r.template_id = TemplateId(st.ColumnText(4));
  r.region = st.ColumnText(5);
  r.large_room = st.ColumnBool(6);
  r.size = static_cast<int>(st.ColumnInt(7));
  r.max_duration_seconds = static_cast<int>(st.ColumnInt(8));
  r.extra_json = st.ColumnText(9);
  r.created_at = st.ColumnInt(10);
  r.updated_at = st.ColumnInt(11);
  return r;
}

}  // namespace

Status SqliteRooms::Write(const char* sql, const Room& room) {
  auto st = db_.Prepare(sql);
  if (!st.ok()) return st.error();
  st->BindText(1, room.id.str());
  st->BindText(2, room.name);
  st->BindText(3, room.description);
  st->BindBool(4, room.enabled);
  st->BindText(5, room.template_id.str());
  st->BindText(6, room.region);
  st->BindBool(7, room.large_room);
  st->BindInt(8, room.size);
  st->BindInt(9, room.max_duration_seconds);
  st->BindText(10, room.extra_json);
  st->BindInt(11, room.created_at);
  st->BindInt(12, room.updated_at);
  return RunWrite(*st, "room id or name");
}

Status SqliteRooms::Create(const Room& room) { return Write(kInsert, room); }

Result<Room> SqliteRooms::Get(const RoomId& id) {
  return GetOne<Room>(db_, kSelectById, id.str(), ReadRoom, kWhat);
}

Result<std::optional<Room>> SqliteRooms::FindByName(const std::string& name) {
  return FindOne<Room>(db_, kSelectByName, name, ReadRoom);
}

Result<Page<Room>> SqliteRooms::List(const RoomFilter& filter, const PageRequest& page) {
  auto after = StartSeq(db_, kSeqOf, page.start);
  if (!after.ok()) return after.error();
  auto st = db_.Prepare(kSelectPage);
  if (!st.ok()) return st.error();
  st->BindInt(1, *after);
  st->BindOptionalBool(2, filter.enabled);
  st->BindOptionalText(3, filter.name);
  if (filter.template_id) st->BindText(4, filter.template_id->str());
  st->BindOptionalInt(5, filter.created_after);
  st->BindOptionalInt(6, filter.created_before);
  st->BindInt(7, LimitParam(page.limit));
  return ReadPage<Room>(*st, ReadRoom, [](const Room& r) { return r.id; });
}

Result<Room> SqliteRooms::Modify(const RoomId& id, const std::function<Status(Room&)>& fn) {
  return ReadModifyWrite<Room>(
      db_, kWhat, [&] { return Get(id); }, fn, [&](const Room& r) { return Write(kUpdate, r); });
}

}  // namespace roomgate::store
