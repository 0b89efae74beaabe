#include "store/sqlite_templates.h"

#include <functional>

#include "store/model_json.h"
#include "store/sqlite_queries.h"
#include "store/store_errors.h"

namespace roomgate::store {
namespace {

constexpr char kWhat[] = "template";

constexpr char kInsert[] =
    "INSERT INTO templates (id, name, roles_json, settings_json, destinations_json, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kUpdate[] =
    "UPDATE templates SET name = ?2, roles_json = ?3, settings_json = ?4, destinations_json = ?5, "
    "created_at = ?6, updated_at = ?7 WHERE id = ?1";
constexpr char kSelectById[] =
    "SELECT id, name, roles_json, settings_json, destinations_json, created_at, updated_at "
    "FROM templates WHERE id = ?1";
constexpr char kSelectByName[] =
    "SELECT id, name, roles_json, settings_json, destinations_json, created_at, updated_at "
    "FROM templates WHERE name = ?1";
constexpr char kSelectPage[] =
    "SELECT id, name, roles_json, settings_json, destinations_json, created_at, updated_at "
    "FROM templates WHERE seq > ?1 ORDER BY seq LIMIT ?2";
constexpr char kSeqOf[] = "SELECT seq FROM templates WHERE id = ?1";

}  // namespace

Result<std::map<std::string, Role>> SqliteTemplates::Roles(const std::string& id,
                                                           std::string json) {
  auto it = parsed_.find(id);
  if (it != parsed_.end() && it->second.json == json) return it->second.roles;
  auto roles = RolesFromJson(json);
  if (!roles.ok()) return roles.error();
  if (parsed_.size() >= kMaxParsed) parsed_.clear();
  parsed_[id] = ParsedRoles{std::move(json), *roles};
  return roles;
}

Result<Template> SqliteTemplates::Read(const SqliteStatement& st) {
  Template t;
  t.id = TemplateId(st.ColumnText(0));
  auto roles = Roles(t.id.str(), st.ColumnText(2));
  if (!roles.ok()) return roles.error();
  t.name = st.ColumnText(1);
  t.roles = std::move(*roles);
  t.settings_json = st.ColumnText(3);
  t.destinations_json = st.ColumnText(4);
  t.created_at = st.ColumnInt(5);
  t.updated_at = st.ColumnInt(6);
  return t;
}

Status SqliteTemplates::Write(const char* sql, const Template& t) {
  auto roles = RolesToJson(t.roles);
  if (!roles.ok()) return roles.error();
  auto st = db_.Prepare(sql);
  if (!st.ok()) return st.error();
  st->BindText(1, t.id.str());
  st->BindText(2, t.name);
  st->BindText(3, *roles);
  st->BindText(4, t.settings_json);
  st->BindText(5, t.destinations_json);
  st->BindInt(6, t.created_at);
  st->BindInt(7, t.updated_at);
  return RunWrite(*st, "template id or name");
}

Status SqliteTemplates::Create(const Template& t) { return Write(kInsert, t); }

Result<Template> SqliteTemplates::Get(const TemplateId& id) {
  return GetOne<Template>(db_, kSelectById, id.str(), std::bind_front(&SqliteTemplates::Read, this),
                          kWhat);
}

Result<std::optional<Template>> SqliteTemplates::FindByName(const std::string& name) {
  return FindOne<Template>(db_, kSelectByName, name, std::bind_front(&SqliteTemplates::Read, this));
}

Result<Page<Template>> SqliteTemplates::List(const PageRequest& page) {
  auto after = StartSeq(db_, kSeqOf, page.start);
  if (!after.ok()) return after.error();
  auto st = db_.Prepare(kSelectPage);
  if (!st.ok()) return st.error();
  st->BindInt(1, *after);
  st->BindInt(2, LimitParam(page.limit));
  return ReadPage<Template>(*st, std::bind_front(&SqliteTemplates::Read, this),
                            [](const Template& t) { return t.id; });
}

Result<Template> SqliteTemplates::Modify(const TemplateId& id,
                                         const std::function<Status(Template&)>& fn) {
  return ReadModifyWrite<Template>(
      db_, kWhat, [&] { return Get(id); }, fn,
      [&](const Template& t) { return Write(kUpdate, t); });
}

}  // namespace roomgate::store
