// MemoryTable<T>: values in creation order, indexed by id and by a name key.
// What MemoryStore keeps its templates and rooms in (both have an id and a
// unique name; they differ in how names compare, hence `name_key`).
// Internal to src/store.
//
// Thread-safety: none; MemoryStore calls it under its lock.
#ifndef ROOMGATE_STORE_MEMORY_TABLE_H_
#define ROOMGATE_STORE_MEMORY_TABLE_H_

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "roomgate/status.h"
#include "store/store.h"
#include "store/store_errors.h"

namespace roomgate::store {

// Up to `limit` of the items at positions [begin, end) that `match`, with
// `at(i)` giving the item at position i and `key(item)` its cursor id.
template <typename T, typename At, typename Match, typename Key>
Page<T> CollectPage(size_t begin, size_t end, size_t limit, At at, Match match, Key key) {
  Page<T> page;
  for (size_t i = begin; i < end && page.data.size() < limit; ++i) {
    const T& item = at(i);
    if (match(item)) page.data.push_back(item);
  }
  if (!page.data.empty()) page.last = key(page.data.back()).str();
  return page;
}

template <typename T>
class MemoryTable {
 public:
  // `what` names the object in errors; `name_key` maps a name to the key
  // two names collide under.
  MemoryTable(std::string what, std::string (*name_key)(const std::string&))
      : what_(std::move(what)), name_key_(name_key) {}

  Status Insert(const T& value) {
    if (by_id_.count(value.id.str()) > 0 || by_name_.count(name_key_(value.name)) > 0) {
      return AlreadyExistsError(what_ + " id or name");
    }
    by_id_.emplace(value.id.str(), items_.size());
    by_name_.emplace(name_key_(value.name), items_.size());
    items_.push_back(value);
    return Status::Ok();
  }

  Result<T> Get(const std::string& id) const {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return NotFoundError(what_);
    return items_[it->second];
  }

  std::optional<T> FindByName(const std::string& name) const {
    auto it = by_name_.find(name_key_(name));
    if (it == by_name_.end()) return std::nullopt;
    return items_[it->second];
  }

  // Up to `page.limit` items after `page.start` that `match`.
  template <typename Match>
  Result<Page<T>> List(const PageRequest& page, Match match) const {
    size_t begin = 0;
    if (!page.start.empty()) {
      auto it = by_id_.find(page.start);
      if (it == by_id_.end()) return UnknownCursorError();
      begin = it->second + 1;
    }
    return CollectPage<T>(
        begin, items_.size(), page.limit, [this](size_t i) -> const T& { return items_[i]; }, match,
        [](const T& v) { return v.id; });
  }

  Result<T> Modify(const std::string& id, const std::function<Status(T&)>& fn) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return NotFoundError(what_);
    const size_t index = it->second;
    T value = items_[index];
    if (Status s = fn(value); !s.ok()) return s;
    if (value.id != items_[index].id) return IdChangedError(what_);
    const std::string old_key = name_key_(items_[index].name);
    const std::string new_key = name_key_(value.name);
    if (new_key != old_key) {
      if (by_name_.count(new_key) > 0) return AlreadyExistsError(what_ + " id or name");
      by_name_.erase(old_key);
      by_name_.emplace(new_key, index);
    }
    items_[index] = value;
    return value;
  }

 private:
  std::string what_;
  std::string (*name_key_)(const std::string&);
  std::vector<T> items_;                             // creation order
  std::unordered_map<std::string, size_t> by_id_;    // id -> position in items_
  std::unordered_map<std::string, size_t> by_name_;  // name_key_(name) -> position
};

}  // namespace roomgate::store

#endif  // ROOMGATE_STORE_MEMORY_TABLE_H_
