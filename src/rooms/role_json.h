// A role as 100ms's JSON (reference §9: camelCase keys, publishParams /
// subscribeParams / permissions). Shared by the REST API, which reads and
// writes roles, and the live sessions, which send them to peers as policy.
//
// Thread-safety: pure functions and constants.
#ifndef ROOMGATE_ROOMS_ROLE_JSON_H_
#define ROOMGATE_ROOMS_ROLE_JSON_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "rooms/model.h"

namespace roomgate::rooms {

struct PermissionField {
  const char* name;  // 100ms's name, e.g. "removeOthers"
  bool Permissions::*member;
};

// Every member of Permissions with its 100ms name, in the order of its docs.
std::span<const PermissionField> PermissionFields();

nlohmann::json RoleToJson(const Role& role);

// Stored extras are JSON objects written by roomgate; anything else (a
// corrupt row) reads as {} rather than failing a whole response.
nlohmann::json ObjectFromText(const std::string& text);

}  // namespace roomgate::rooms

#endif  // ROOMGATE_ROOMS_ROLE_JSON_H_
