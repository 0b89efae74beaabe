// Reading JSON request bodies with clear 400 errors: the body must be a JSON
// object; fields are read with their expected type; unknown fields can be
// refused where 100ms refuses them.
//
// Thread-safety: a JsonBody is a value used by one request.
#ifndef ROOMGATE_API_JSON_BODY_H_
#define ROOMGATE_API_JSON_BODY_H_

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "roomgate/status.h"

namespace roomgate::api {

class JsonBody {
 public:
  // An empty body counts as {} (the server SDK posts "{}" or nothing).
  static Result<JsonBody> Parse(std::string_view body);

  const nlohmann::json& json() const { return json_; }
  bool Has(const char* name) const { return json_.contains(name); }

  // Each returns nullopt when the field is absent (or null), and an
  // InvalidArgument naming the field when it has another type.
  Result<std::optional<std::string>> String(const char* name) const;
  Result<std::optional<bool>> Bool(const char* name) const;
  Result<std::optional<int64_t>> Int(const char* name) const;

  // InvalidArgument naming the first field not in `allowed`.
  Status OnlyFields(std::initializer_list<std::string_view> allowed) const;

 private:
  explicit JsonBody(nlohmann::json j) : json_(std::move(j)) {}
  nlohmann::json json_;
};

// Serialises without ever throwing (invalid UTF-8 is replaced).
std::string Dump(const nlohmann::json& j);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_JSON_BODY_H_
