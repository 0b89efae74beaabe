#include "codes/rate_limiter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

namespace roomgate::codes {

FailureRateLimiter::Shard& FailureRateLimiter::ShardFor(std::string_view address) {
  return shards_[std::hash<std::string_view>{}(address) % shards_.size()];
}

double FailureRateLimiter::Refilled(const Bucket& b, int64_t now_ms) const {
  const double elapsed_min =
      static_cast<double>(std::max<int64_t>(0, now_ms - b.updated_ms)) / 60000.0;
  return std::min(options_.burst, b.tokens + elapsed_min * options_.per_minute);
}

std::optional<std::chrono::seconds> FailureRateLimiter::Reserve(std::string_view address,
                                                                int64_t now_ms) {
  Shard& shard = ShardFor(address);
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(address));
  if (it == shard.buckets.end()) {
    EvictIfFull(shard, now_ms);
    it = shard.buckets.emplace(std::string(address), Bucket{options_.burst, now_ms}).first;
  }
  Bucket& b = it->second;
  const double tokens = Refilled(b, now_ms);
  if (tokens < 1.0) {
    const double wait_min = (1.0 - tokens) / options_.per_minute;
    return std::chrono::seconds(static_cast<int64_t>(std::ceil(wait_min * 60.0)));
  }
  b.tokens = tokens - 1.0;
  b.updated_ms = now_ms;
  return std::nullopt;
}

void FailureRateLimiter::Refund(std::string_view address, int64_t now_ms) {
  Shard& shard = ShardFor(address);
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(address));
  if (it == shard.buckets.end()) return;  // evicted meanwhile: nothing to give back
  it->second.tokens = std::min(options_.burst, Refilled(it->second, now_ms) + 1.0);
  it->second.updated_ms = now_ms;
}

size_t FailureRateLimiter::tracked() {
  size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

void FailureRateLimiter::EvictIfFull(Shard& shard, int64_t now_ms) {
  const size_t per_shard = std::max<size_t>(1, options_.max_tracked / shards_.size());
  if (shard.buckets.size() < per_shard) return;
  std::erase_if(shard.buckets,
                [&](const auto& kv) { return Refilled(kv.second, now_ms) >= options_.burst; });
  if (shard.buckets.size() < per_shard) return;
  auto oldest = std::min_element(
      shard.buckets.begin(), shard.buckets.end(),
      [](const auto& a, const auto& b) { return a.second.updated_ms < b.second.updated_ms; });
  shard.buckets.erase(oldest);
}

std::string RateLimitKey(std::string_view address) {
  const std::string text(address);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;  // IPv4 or unparsable
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof(v4)) ? std::string(v4) : text;
  }
  std::memset(&v6.s6_addr[8], 0, 8);  // keep the /64
  char out[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, &v6, out, sizeof(out))) return text;
  return std::string(out) + "/64";
}

std::string ClientAddress(std::string_view peer, std::optional<std::string_view> forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view a) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), a) != trusted_proxies.end();
  };
  if (!forwarded_for || !trusted(peer)) return std::string(peer);
  std::string_view chain = *forwarded_for;
  std::string_view hop = peer;
  while (!chain.empty() && trusted(hop)) {
    const size_t comma = chain.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? chain : chain.substr(comma + 1);
    chain = comma == std::string_view::npos ? std::string_view() : chain.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.empty()) break;
    hop = entry;
  }
  return std::string(hop);
}

}  // namespace roomgate::codes
