// Room code JSON and the query helpers shared by list endpoints. Rooms,
// templates and roles are in json_model_rooms.cc.
#include "api/json_model.h"

#include <charconv>

#include "common/time_format.h"

namespace roomgate::api {

nlohmann::json ToJson(const RoomCode& c) {
  return {{"code", c.code.str()},
          {"room_id", c.room_id.str()},
          {"role", c.role.str()},
          {"enabled", c.enabled},
          {"created_at", FormatRfc3339(c.created_at)},
          {"updated_at", FormatRfc3339(c.updated_at)}};
}

Result<store::PageRequest> PageFromQuery(const std::map<std::string, std::string>& query) {
  store::PageRequest page;
  if (auto it = query.find("limit"); it != query.end()) {
    const std::string& v = it->second;
    size_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 1 || n > 100) {
      return Status::InvalidArgument("'limit' must be an integer from 1 to 100");
    }
    page.limit = n;
  }
  if (auto it = query.find("start"); it != query.end()) page.start = it->second;
  return page;
}

Result<std::optional<bool>> BoolFromQuery(const std::map<std::string, std::string>& query,
                                          const std::string& name) {
  auto it = query.find(name);
  if (it == query.end()) return std::optional<bool>();
  if (it->second == "true") return std::optional<bool>(true);
  if (it->second == "false") return std::optional<bool>(false);
  return Status::InvalidArgument("'" + name + "' must be true or false");
}

}  // namespace roomgate::api
