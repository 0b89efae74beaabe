#include "api/json_body.h"

#include <algorithm>

#include "common/json_depth.h"

namespace roomgate::api {

using nlohmann::json;

Result<JsonBody> JsonBody::Parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return JsonBody(json::object());
  }
  if (JsonNestsDeeperThan(body)) {
    return Status::InvalidArgument("request body nests deeper than 32 levels");
  }
  nlohmann::json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  return JsonBody(std::move(j));
}

Result<std::optional<std::string>> JsonBody::String(const char* name) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return Status::InvalidArgument(std::string("'") + name + "' must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<bool>> JsonBody::Bool(const char* name) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean())
    return Status::InvalidArgument(std::string("'") + name + "' must be a boolean");
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<int64_t>> JsonBody::Int(const char* name) const {
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) {
    return Status::InvalidArgument(std::string("'") + name + "' must be an integer");
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

Status JsonBody::OnlyFields(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : json_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Status::InvalidArgument("unexpected field '" + key + "'");
    }
  }
  return Status::Ok();
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace roomgate::api
