// The load generator's wind-down, shared by its modes: after every socket
// has been asked to close, stop the io_context as soon as all of them are
// closed (polled every 20 ms) rather than waiting for the 15 s bound.
#ifndef ROOMGATE_BENCH_SIGNALLING_LOADGEN_CLOSE_H_
#define ROOMGATE_BENCH_SIGNALLING_LOADGEN_CLOSE_H_

#include <algorithm>
#include <chrono>

#include "net/boost.h"

namespace loadgen {

// `peers` is a container of pointers to objects with a `ws` member; it must
// outlive the polling (the io_context stops before it goes).
template <class Peers>
void StopWhenAllClosed(roomgate::net::asio::steady_timer& poll, const Peers& peers,
                       roomgate::net::asio::io_context& io) {
  poll.expires_after(std::chrono::milliseconds(20));
  poll.async_wait([&poll, &peers, &io](roomgate::net::beast::error_code ec) {
    if (ec) return;
    auto open = [](const auto& p) { return p->ws.next_layer().is_open(); };
    if (std::none_of(peers.begin(), peers.end(), open)) return io.stop();
    StopWhenAllClosed(poll, peers, io);
  });
}

}  // namespace loadgen

#endif  // ROOMGATE_BENCH_SIGNALLING_LOADGEN_CLOSE_H_
