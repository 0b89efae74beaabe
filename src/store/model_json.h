// model_json: the JSON text a template's roles are stored as. Internal to
// src/store (the API layer has its own, 100ms-shaped, JSON mapping).
//
// The format is roomgate's own and versionless: every Role field under its
// C++ name. Decoding fills a missing field with the model's default, so a
// field added to Role later reads old rows without a schema migration.
// publish_extra_json / subscribe_extra_json are kept as JSON *strings*, not
// parsed, so they come back byte for byte as the client gave them.
//
// Thread-safety: free functions without shared state.
#ifndef ROOMGATE_STORE_MODEL_JSON_H_
#define ROOMGATE_STORE_MODEL_JSON_H_

#include <map>
#include <string>
#include <string_view>

#include "roomgate/status.h"
#include "rooms/model.h"

namespace roomgate::store {

// kInvalidArgument when a string is not valid UTF-8 (JSON cannot hold it).
Result<std::string> RolesToJson(const std::map<std::string, Role>& roles);

// kInternal when `json` is not what RolesToJson writes (a corrupt row).
Result<std::map<std::string, Role>> RolesFromJson(std::string_view json);

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_MODEL_JSON_H_
