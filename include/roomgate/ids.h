// Distinct identifier types (STYLE.md rule 9): a RoomId cannot be passed where
// a RoleName is expected. Each is a thin wrapper over the string that appears
// in tokens and in the REST API.
//
// Thread-safety: values.
#ifndef ROOMGATE_IDS_H_
#define ROOMGATE_IDS_H_

#include <compare>
#include <string>
#include <string_view>
#include <utility>

namespace roomgate {

template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}
  explicit Id(std::string_view value) : value_(value) {}
  explicit Id(const char* value) : value_(value) {}

  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const Id&) const = default;

 private:
  std::string value_;
};

using AccessKey = Id<struct AccessKeyTag>;
using RoomId = Id<struct RoomIdTag>;
using RoleName = Id<struct RoleNameTag>;
using UserId = Id<struct UserIdTag>;

}  // namespace roomgate

#endif  // ROOMGATE_IDS_H_
