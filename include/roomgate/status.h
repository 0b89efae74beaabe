// Status and Result<T>: roomgate's error values across module boundaries.
//
// roomgate does not let exceptions cross a module boundary (STYLE.md rule 4):
// every fallible call returns a Status, or a Result<T> holding either a value
// or a Status. The Code is coarse and maps to one HTTP status in exactly one
// place (the API layer); the message is for humans and must never contain a
// secret or a token.
//
// Thread-safety: values; safe to copy and move between threads.
#ifndef ROOMGATE_STATUS_H_
#define ROOMGATE_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace roomgate {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // the caller's input is malformed or out of range
    kUnauthenticated,   // a credential (token, key) is missing or not valid
    kPermissionDenied,  // authenticated, but not allowed
    kNotFound,
    kAlreadyExists,
    kResourceExhausted,  // a limit was reached (rate, size, count)
    kFailedPrecondition,
    kUnavailable,
    kInternal,
  };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

// Result<T, E> holds either a T or an error E (a Status unless a module needs
// a richer error, as token verification does). A small stand-in for
// std::expected, which g++ 12's C++20 mode does not have.
template <typename T, typename E = Status>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

}  // namespace roomgate

#endif  // ROOMGATE_STATUS_H_
