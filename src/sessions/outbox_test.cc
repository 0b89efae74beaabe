// Outbox: items reach each link in the order they were added, each exactly
// once, whichever thread happens to deliver them.
#include "sessions/outbox.h"

#include <gtest/gtest.h>

#include <thread>

#include "sessions/hub_test_util.h"

namespace roomgate::sessions::testing {
namespace {

using nlohmann::json;

std::string Msg(int n) { return json({{"n", n}}).dump(); }

std::vector<int> Numbers(const FakePeerLink& link) {
  std::vector<int> out;
  for (const json& m : link.Log()) out.push_back(m.value("n", -1));
  return out;
}

TEST(OutboxTest, SendsNothingBeforeDeliver) {
  Outbox outbox;
  auto link = std::make_shared<FakePeerLink>();
  outbox.Send(link, Msg(1));
  outbox.Close(link, 4200, "removed");
  EXPECT_TRUE(link->Log().empty());
  outbox.Deliver();
  EXPECT_EQ(link->Log().size(), 2u);
}

TEST(OutboxTest, DeliversInAddOrderWithCloseAfterEarlierItems) {
  Outbox outbox;
  auto a = std::make_shared<FakePeerLink>();
  auto b = std::make_shared<FakePeerLink>();
  outbox.Send(a, Msg(1));
  outbox.Send(Outbox::Links{a, b}, Msg(2));
  outbox.Close(a, 4200, "removed");
  outbox.Send(b, Msg(3));
  outbox.Send(Outbox::Links{}, Msg(4));  // nobody: dropped
  outbox.Deliver();
  EXPECT_EQ(
      a->Log(),
      (std::vector<json>{
          {{"n", 1}}, {{"n", 2}}, {{"type", "close"}, {"code", 4200}, {"reason", "removed"}}}));
  EXPECT_EQ(Numbers(*b), (std::vector<int>{2, 3}));
  outbox.Deliver();
  EXPECT_EQ(a->Log().size(), 3u) << "each item once";
}

// Producers add under a test lock that numbers the items (so the numbers
// are the Add order) and each delivers afterwards; whichever thread ends up
// sending, every link must get exactly its items, in increasing order, by
// the time every producer has returned from Deliver.
TEST(OutboxTest, ConcurrentDeliverSendsEveryItemOnceInAddOrderPerLink) {
  constexpr int kThreads = 8, kItems = 400, kLinks = 4;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    Outbox outbox;
    std::vector<std::shared_ptr<FakePeerLink>> links;
    for (int i = 0; i < kLinks; ++i) links.push_back(std::make_shared<FakePeerLink>());
    std::mutex order_mu;
    int next = 0;
    std::vector<std::vector<int>> expected(kLinks);
    std::vector<std::thread> pool;
    for (int t = 0; t < kThreads; ++t) {
      pool.emplace_back([&] {
        for (int i = 0; i < kItems; ++i) {
          {
            std::lock_guard lock(order_mu);
            const int n = next++;
            Outbox::Links to;
            for (int l = 0; l < kLinks; ++l) {
              if ((n >> l) % 2 == 1 || l == n % kLinks) {
                to.push_back(links[l]);
                expected[l].push_back(n);
              }
            }
            outbox.Send(std::move(to), Msg(n));
          }
          outbox.Deliver();
        }
      });
    }
    for (std::thread& th : pool) th.join();
    for (int l = 0; l < kLinks; ++l) {
      SCOPED_TRACE(l);
      EXPECT_EQ(Numbers(*links[l]), expected[l]);
    }
  }
}

}  // namespace
}  // namespace roomgate::sessions::testing
