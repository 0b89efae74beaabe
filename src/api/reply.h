// Replies of the REST handlers: 200 with a JSON body, or a service result as
// the 100ms JSON of its value (json_model.h) or as the error body of its
// Status (errors.h). Shared so every resource answers the same way.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_API_REPLY_H_
#define ROOMGATE_API_REPLY_H_

#include <nlohmann/json.hpp>

#include "api/errors.h"
#include "api/http.h"
#include "api/json_body.h"
#include "api/json_model.h"

namespace roomgate::api {

inline Response JsonResponse(const nlohmann::json& j) {
  Response r;
  r.body = Dump(j);
  return r;
}

// `T` is anything json_model.h has a ToJson for.
template <typename T>
Response Reply(const Result<T>& result) {
  return result.ok() ? JsonResponse(ToJson(*result)) : ErrorFrom(result.error());
}

}  // namespace roomgate::api

#endif  // ROOMGATE_API_REPLY_H_
