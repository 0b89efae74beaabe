// Templates and roles REST API (reference §9), all behind a management token:
//   POST   /v2/templates                                 create; an existing name is updated
//   GET    /v2/templates                                 ?limit=&start=
//   GET    /v2/templates/:template_id
//   POST   /v2/templates/:template_id                    update
//   GET    /v2/templates/:template_id/roles/:role_name
//   POST   /v2/templates/:template_id/roles/:role_name   create or replace one role
//   DELETE /v2/templates/:template_id/roles/:role_name   204
//   GET|POST /v2/templates/:template_id/settings         the settings object
//   GET|POST /v2/templates/:template_id/destinations     the destinations object
//
// A template body takes name, roles, settings and destinations; anything
// else is a 400 (see rooms_api.cc for why bodies are strict). Roles are read
// by RoleFromJson, which keys each role by its name in the `roles` map.
#include "api/api.h"
#include "api/errors.h"
#include "api/json_body.h"
#include "api/json_model.h"
#include "api/reply.h"

namespace roomgate::api {
namespace {

using rooms::TemplateChanges;

TemplateId TemplateOf(const PathParams& p) { return TemplateId(p.at("template_id")); }

Status ReadRoles(const JsonBody& body, std::optional<std::map<std::string, Role>>& out) {
  auto it = body.json().find("roles");
  if (it == body.json().end() || it->is_null()) return Status::Ok();
  if (!it->is_object())
    return Status::InvalidArgument("'roles' must be an object of roles by name");
  std::map<std::string, Role> roles;
  for (const auto& [name, value] : it->items()) {
    auto role = RoleFromJson(name, value);
    if (!role.ok()) return role.error();
    roles.emplace(name, std::move(*role));
  }
  out = std::move(roles);
  return Status::Ok();
}

// settings and destinations are stored whole, as the JSON object given.
Status ReadObject(const JsonBody& body, const char* name, std::optional<std::string>& out) {
  auto it = body.json().find(name);
  if (it == body.json().end() || it->is_null()) return Status::Ok();
  if (!it->is_object())
    return Status::InvalidArgument(std::string("'") + name + "' must be an object");
  out = Dump(*it);
  return Status::Ok();
}

Result<TemplateChanges> TemplateChangesFrom(const Request& r) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return body.error();
  if (Status s = body->OnlyFields({"name", "roles", "settings", "destinations"}); !s.ok()) return s;
  TemplateChanges c;
  auto name = body->String("name");
  if (!name.ok()) return name.error();
  c.name = *name;
  const Status reads[] = {ReadRoles(*body, c.roles), ReadObject(*body, "settings", c.settings_json),
                          ReadObject(*body, "destinations", c.destinations_json)};
  for (const Status& s : reads) {
    if (!s.ok()) return s;
  }
  return c;
}

Response Create(ApiServices& s, const Request& r) {
  auto changes = TemplateChangesFrom(r);
  if (!changes.ok()) return ErrorFrom(changes.error());
  return Reply(s.rooms.CreateTemplate(*changes));
}

Response List(ApiServices& s, const Request& r) {
  auto page = PageFromQuery(r.query);
  if (!page.ok()) return ErrorFrom(page.error());
  auto templates = s.rooms.ListTemplates(*page);
  if (!templates.ok()) return ErrorFrom(templates.error());
  return JsonResponse(PageJson(*templates, page->limit));
}

Response Update(ApiServices& s, const Request& r, const PathParams& p) {
  auto changes = TemplateChangesFrom(r);
  if (!changes.ok()) return ErrorFrom(changes.error());
  return Reply(s.rooms.UpdateTemplate(TemplateOf(p), *changes));
}

Response PutRole(ApiServices& s, const Request& r, const PathParams& p) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  auto role = RoleFromJson(p.at("role_name"), body->json());
  if (!role.ok()) return ErrorFrom(role.error());
  return Reply(s.rooms.PutRole(TemplateOf(p), *role));
}

Response DeleteRole(ApiServices& s, const PathParams& p) {
  Status st = s.rooms.DeleteRole(TemplateOf(p), RoleName(p.at("role_name")));
  if (!st.ok()) return ErrorFrom(st);
  Response r;
  r.status = 204;  // no body, as 100ms
  return r;
}

// /settings and /destinations: one member of the template, read and written
// as a whole object.
struct TemplatePart {
  const char* key;  // the member's name in the template JSON
  std::optional<std::string> TemplateChanges::*change;
};

Response GetPart(ApiServices& s, const PathParams& p, TemplatePart part) {
  auto t = s.rooms.GetTemplate(TemplateOf(p));
  if (!t.ok()) return ErrorFrom(t.error());
  return JsonResponse(ToJson(*t)[part.key]);
}

Response PostPart(ApiServices& s, const Request& r, const PathParams& p, TemplatePart part) {
  auto body = JsonBody::Parse(r.body);
  if (!body.ok()) return ErrorFrom(body.error());
  TemplateChanges c;
  c.*part.change = Dump(body->json());
  auto t = s.rooms.UpdateTemplate(TemplateOf(p), c);
  if (!t.ok()) return ErrorFrom(t.error());
  return JsonResponse(ToJson(*t)[part.key]);
}

void AddPartRoutes(Router& router, ApiServices& s, TemplatePart part) {
  const std::string path = std::string("/v2/templates/:template_id/") + part.key;
  router.Add("GET", path,
             WithManagementToken(s.verifier, [&s, part](const Request&, const PathParams& p) {
               return GetPart(s, p, part);
             }));
  router.Add("POST", path,
             WithManagementToken(s.verifier, [&s, part](const Request& r, const PathParams& p) {
               return PostPart(s, r, p, part);
             }));
}

}  // namespace

void AddTemplateRoutes(Router& router, ApiServices& s) {
  auto guarded = [&](RouteHandler h) { return WithManagementToken(s.verifier, std::move(h)); };
  router.Add("POST", "/v2/templates",
             guarded([&s](const Request& r, const PathParams&) { return Create(s, r); }));
  router.Add("GET", "/v2/templates",
             guarded([&s](const Request& r, const PathParams&) { return List(s, r); }));
  router.Add("GET", "/v2/templates/:template_id",
             guarded([&s](const Request&, const PathParams& p) {
               return Reply(s.rooms.GetTemplate(TemplateOf(p)));
             }));
  router.Add("POST", "/v2/templates/:template_id",
             guarded([&s](const Request& r, const PathParams& p) { return Update(s, r, p); }));
  const std::string role_path = "/v2/templates/:template_id/roles/:role_name";
  router.Add("GET", role_path, guarded([&s](const Request&, const PathParams& p) {
               return Reply(s.rooms.GetRole(TemplateOf(p), RoleName(p.at("role_name"))));
             }));
  router.Add("POST", role_path,
             guarded([&s](const Request& r, const PathParams& p) { return PutRole(s, r, p); }));
  router.Add("DELETE", role_path,
             guarded([&s](const Request&, const PathParams& p) { return DeleteRole(s, p); }));
  AddPartRoutes(router, s, {"settings", &TemplateChanges::settings_json});
  AddPartRoutes(router, s, {"destinations", &TemplateChanges::destinations_json});
}

}  // namespace roomgate::api
