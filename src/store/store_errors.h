// The Status values both store backends return, in one place so the memory
// and SQLite backends answer alike (the conformance suite checks codes; this
// keeps the messages equal too). Internal to src/store.
//
// Messages name the kind of object but never its key: a room code is a
// credential, and ids are echoed by the API layer where it wants them.
//
// Thread-safety: free functions without shared state.
#ifndef ROOMGATE_STORE_STORE_ERRORS_H_
#define ROOMGATE_STORE_STORE_ERRORS_H_

#include <string>

#include "roomgate/status.h"

namespace roomgate::store {

inline Status NotFoundError(const std::string& what) {
  return Status::NotFound(what + " not found");
}

inline Status AlreadyExistsError(const std::string& what) {
  return Status(Status::Code::kAlreadyExists, what + " already exists");
}

inline Status UnknownCursorError() {
  return Status::InvalidArgument("page start does not name an item of this list");
}

inline Status IdChangedError(const std::string& what) {
  return Status::InvalidArgument("the id of a " + what + " cannot change");
}

inline Status TooManyCodesError() {
  return Status(Status::Code::kResourceExhausted, "room has reached its room code limit");
}

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_STORE_ERRORS_H_
