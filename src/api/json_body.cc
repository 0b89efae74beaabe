#include "api/json_body.h"

#include <algorithm>

namespace roomgate::api {

using nlohmann::json;

namespace {

// nlohmann parses any depth, but dumping and destroying a document recurse
// once per level: a 1 MiB body of '[' would overflow the I/O thread's stack.
// No 100ms object nests deeper than a handful of levels.
constexpr int kMaxDepth = 32;

bool NestsTooDeep(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // skip the escaped character
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

}  // namespace

Result<JsonBody> JsonBody::Parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return JsonBody(json::object());
  }
  if (NestsTooDeep(body)) {
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
