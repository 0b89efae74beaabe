// FailureRateLimiter: the brute-force guard of the token endpoint. Each
// client address has a token bucket of failed redemptions: `burst` failures
// at once, refilled at `per_minute`. An empty bucket means 429 with
// Retry-After until the next token is due. Every attempt reserves a token
// and successful ones give it back, so legitimate users are never slowed.
//
// With the defaults (burst 10, 10/min) one address gets at most
// 10 + 10 * 60 * 24 = 14,410 guesses a day; against 26^10 ≈ 1.4e14 codes, and
// say 1,000 live codes, the chance of hitting any one in a day is ~1e-7.
//
// Memory is bounded: at most `max_tracked` addresses; when full, buckets that
// have refilled completely are dropped first (they carry no state), then the
// oldest.
//
// Thread-safety: all methods may be called concurrently (sharded mutexes).
#ifndef ROOMGATE_CODES_RATE_LIMITER_H_
#define ROOMGATE_CODES_RATE_LIMITER_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace roomgate::codes {

struct RateLimitOptions {
  double burst = 10;       // failures allowed at once
  double per_minute = 10;  // refill rate
  size_t max_tracked = 100000;
};

class FailureRateLimiter {
 public:
  explicit FailureRateLimiter(RateLimitOptions options) : options_(options) {}

  // Checks and takes a token in one step, before the attempt, so concurrent
  // attempts from one address cannot all pass before any of them failed.
  // nullopt: a token was taken, go ahead; otherwise how long to wait.
  // `now_ms` is a monotonic time in milliseconds (injected for tests).
  std::optional<std::chrono::seconds> Reserve(std::string_view address, int64_t now_ms);
  // Gives back a token taken by Reserve (the attempt succeeded).
  void Refund(std::string_view address, int64_t now_ms);
  // Addresses currently tracked (for metrics and tests).
  size_t tracked();

 private:
  struct Bucket {
    double tokens;
    int64_t updated_ms;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  Shard& ShardFor(std::string_view address);
  double Refilled(const Bucket& b, int64_t now_ms) const;
  void EvictIfFull(Shard& shard, int64_t now_ms);

  RateLimitOptions options_;
  std::array<Shard, 16> shards_;
};

// The bucket a client address is charged to. IPv4: the address. IPv6: its
// /64, because one subscriber routinely holds a whole /64 and could otherwise
// rotate through 2^64 fresh budgets. IPv4-mapped IPv6 counts as IPv4.
std::string RateLimitKey(std::string_view address);

// The client's address. `peer` is the TCP peer; when it is one of the
// `trusted_proxies`, the X-Forwarded-For chain is read from the right and
// the first address that is not a trusted proxy is the client (entries to
// its left were written by the client itself and prove nothing). Without
// trusted proxies the header is ignored: anyone can send it.
std::string ClientAddress(std::string_view peer, std::optional<std::string_view> forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace roomgate::codes

#endif  // ROOMGATE_CODES_RATE_LIMITER_H_
