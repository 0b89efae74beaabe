// The one place where a Status becomes an HTTP status and a JSON error body
// (STYLE.md rule 4). Every error the API returns goes through here or
// through ErrorResponse directly for HTTP-level problems.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_API_ERRORS_H_
#define ROOMGATE_API_ERRORS_H_

#include "api/http.h"
#include "roomgate/status.h"

namespace roomgate::api {

int HttpStatusOf(Status::Code code);
// {"code": <http status>, "message": status.message()}; internal errors get a
// generic message so backend details never reach a client.
Response ErrorFrom(const Status& status);

}  // namespace roomgate::api

#endif  // ROOMGATE_API_ERRORS_H_
