// The store conformance suite's fixture: one StoreConformanceTest suite,
// value-parameterised over the backends, whose cases are split by aggregate
// across store_conformance_test.cc (templates, rooms; the instantiation) and
// room_code_conformance_test.cc.
//
// Thread-safety: test code.
#ifndef ROOMGATE_STORE_STORE_CONFORMANCE_TEST_H_
#define ROOMGATE_STORE_STORE_CONFORMANCE_TEST_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_util.h"

namespace roomgate::store::testing {

struct Backend {
  const char* name;
  std::unique_ptr<Store> (*open)(const TempDir& dir);
};

class StoreConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
  }

  Store& store() { return *store_; }

  // Rooms r0..r{n-1}, named Room0.., created at 1000, 1010, ...
  void CreateRooms(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string n_str = std::to_string(i);
      ASSERT_TRUE(store().CreateRoom(MakeRoom("r" + n_str, "Room" + n_str, 1000 + 10 * i)).ok());
    }
  }

  std::vector<std::string> ListRoomIds(const RoomFilter& filter, const PageRequest& page = {100}) {
    auto listed = store().ListRooms(filter, page);
    EXPECT_TRUE(listed.ok()) << listed.error().message();
    std::vector<std::string> ids;
    if (listed.ok()) {
      for (const Room& r : listed->data) ids.push_back(r.id.str());
    }
    return ids;
  }

  std::vector<std::string> ListCodes(const RoomCodeFilter& filter,
                                     const PageRequest& page = {100}) {
    auto listed = store().ListRoomCodes(RoomId("r1"), filter, page);
    EXPECT_TRUE(listed.ok()) << listed.error().message();
    std::vector<std::string> codes;
    if (listed.ok()) {
      for (const RoomCode& c : listed->data) codes.push_back(c.code.str());
    }
    return codes;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

using Ids = std::vector<std::string>;

}  // namespace roomgate::store::testing

#endif  // ROOMGATE_STORE_STORE_CONFORMANCE_TEST_H_
