// SqliteTemplates: the templates table behind SqliteStore's TemplateStore
// methods. Roles, settings and destinations are JSON text columns: they are
// read and written whole with their template, never queried into.
// Internal to src/store.
//
// Thread-safety: none; SqliteStore calls it under its lock.
#ifndef ROOMGATE_STORE_SQLITE_TEMPLATES_H_
#define ROOMGATE_STORE_SQLITE_TEMPLATES_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/sqlite_connection.h"
#include "store/store.h"

namespace roomgate::store {

class SqliteTemplates {
 public:
  explicit SqliteTemplates(SqliteConnection& db) : db_(db) {}

  Status Create(const Template& t);
  Result<Template> Get(const TemplateId& id);
  Result<std::optional<Template>> FindByName(const std::string& name);
  Result<Page<Template>> List(const PageRequest& page);
  Result<Template> Modify(const TemplateId& id, const std::function<Status(Template&)>& fn);

 private:
  // Roles as parsed from one template's roles_json text.
  struct ParsedRoles {
    std::string json;
    std::map<std::string, Role> roles;
  };
  // Templates are few; past this many cached entries the cache restarts.
  static constexpr size_t kMaxParsed = 1024;

  // Runs the INSERT or UPDATE `sql`, whose parameters ?1..?7 are the columns
  // in schema order.
  Status Write(const char* sql, const Template& t);
  Result<Template> Read(const SqliteStatement& st);
  Result<std::map<std::string, Role>> Roles(const std::string& id, std::string json);

  SqliteConnection& db_;
  // Parsing the roles JSON dominates a template read (tens of microseconds
  // for a few roles, against a few for the row itself), and GetTemplate is
  // on the token endpoint's path. A hit requires the stored text to be
  // byte-identical to what was parsed, so a change by any writer — this
  // process or another — is seen at once, with no invalidation to get wrong.
  std::unordered_map<std::string, ParsedRoles> parsed_;  // by template id
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_SQLITE_TEMPLATES_H_
