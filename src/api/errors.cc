#include "api/errors.h"

namespace roomgate::api {

int HttpStatusOf(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kUnauthenticated:
      return 401;
    case Status::Code::kPermissionDenied:
      return 403;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kAlreadyExists:
      return 409;
    case Status::Code::kFailedPrecondition:
      return 409;
    case Status::Code::kResourceExhausted:
      return 429;
    case Status::Code::kUnavailable:
      return 503;
    case Status::Code::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorFrom(const Status& status) {
  const int http = HttpStatusOf(status.code());
  if (http >= 500) return ErrorResponse(http, "internal error");
  return ErrorResponse(http, status.message());
}

}  // namespace roomgate::api
