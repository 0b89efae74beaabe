// signal_loadgen broadcast: the send-message fan-out latency phase of
// bench/run_signalling_bench.sh, the C++ port of loadgen.mjs's `broadcast`
// (same options, defaults, message schedule and result fields).
//
// The tokens file's peers (all for one room; 100 in the runner) join, at most
// 32 in flight, and the joins' peer-joined fan-out is left to go quiet (no
// frame for 300 ms, at most 5 s). Then message q (q = 0, 1, ...) is sent at
// t0 + q / rate by peer q mod senders: --warmup seconds of messages that are
// not recorded, then --seconds of measured ones. The send times are absolute
// (t0 + q / rate on the steady clock), so a late timer does not push the
// rest of the schedule back. Each message is
//
//   {"type":"send-message","message":"t:<steady_clock ns at send>,s:<sender>,m:<1|0>"}
//
// and every peer other than its sender records receive time - send time (the
// sender's own echo and warm-up messages are skipped). A received frame is
// never parsed as JSON: the stamp is found by the substring `"message":"t:`
// (the text has nothing to escape, so it appears verbatim in the `message`
// event, whichever order the server writes its keys in) and read with
// std::from_chars; frames with `"type":"error"` are counted as errors under
// their `error` name. After the last send it waits for the outstanding
// deliveries (at most 3 s), counts the peers still open and closes them all.
//
// One thread and one io_context serve all the sockets, like loadgen.mjs's
// single Node thread but without its GC and JSON parsing: a message's 99
// receipts are still handled one after another, so the later receivers' times
// include the handling of the earlier ones (a few microseconds each).
#include "loadgen_broadcast.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "loadgen_close.h"
#include "net/boost.h"

namespace loadgen {
namespace {

using namespace roomgate::net;  // NOLINT: asio, beast, websocket, tcp
using Clock = std::chrono::steady_clock;
using Socket = tcp::socket::rebind_executor<asio::io_context::executor_type>::other;
using Ws = websocket::stream<Socket>;

int64_t Ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

double MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Stamp {
  int64_t sent_ns = 0;
  uint64_t sender = 0;
  bool measured = false;
};

// Reads the stamp of one of our messages out of a `message` event, or nothing
// when the frame carries none.
std::optional<Stamp> FindStamp(std::string_view f) {
  constexpr std::string_view kKey = "\"message\":\"t:";
  size_t at = f.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  const char* p = f.data() + at + kKey.size();
  const char* end = f.data() + f.size();
  Stamp s;
  auto field = [&](auto& value, std::string_view next) {
    auto [ptr, ec] = std::from_chars(p, end, value);
    if (ec != std::errc() || static_cast<size_t>(end - ptr) < next.size() ||
        std::string_view(ptr, next.size()) != next)
      return false;
    p = ptr + next.size();
    return true;
  };
  int measured = 0;
  if (!field(s.sent_ns, ",s:") || !field(s.sender, ",m:") || !field(measured, "\""))
    return std::nullopt;
  s.measured = measured == 1;
  return s;
}

struct Peer {
  explicit Peer(asio::io_context& io) : ws(io.get_executor()) {}
  Ws ws;
  beast::flat_buffer buf;
  size_t index = 0;
  bool ended = false;  // the join attempt is over (either way)
  bool open = false;   // joined and not dropped since
  // Frames to write; front() is being written. A deque keeps front()'s
  // address while more are queued behind it.
  std::deque<std::string> out;
};

class Broadcast {
 public:
  Broadcast(const Options& o, std::vector<std::string> tokens)
      : o_(o), tokens_(std::move(tokens)) {}

  int Execute();

 private:
  void JoinNext();
  void OnJoinFrame(Peer* p, beast::error_code ec);
  void JoinEnded(Peer* p, const std::string& failure);
  void Read(Peer* p);
  void OnFrame(Peer* p, std::string_view f, Clock::time_point at);
  void Settle(Clock::time_point begin, uint64_t last_frames, Clock::time_point quiet_since);
  void SendNext();
  void Send(Peer* p, std::string text);
  void WriteFront(Peer* p);
  void Drain(Clock::time_point since);
  void CloseAll();

  const Options& o_;
  std::vector<std::string> tokens_;
  asio::io_context io_;
  asio::steady_timer deadline_{io_};  // the joins' timeout, later the close bound
  asio::steady_timer timer_{io_};     // settle, send schedule, drain
  asio::steady_timer poll_{io_};
  tcp::endpoint endpoint_;
  std::vector<std::unique_ptr<Peer>> peers_;
  size_t next_ = 0, ended_ = 0, in_flight_ = 0;
  std::map<std::string, uint64_t> failures_;
  uint64_t frames_ = 0, warm_ = 0, total_ = 0, q_ = 0;
  Clock::time_point t0_;
  bool closing_ = false;
  BroadcastResult r_;
};

int Broadcast::Execute() {
  endpoint_ = tcp::endpoint(asio::ip::make_address("127.0.0.1"), o_.port);
  size_t n = tokens_.size();
  r_.peers = n;
  r_.senders = std::min<uint64_t>(static_cast<uint64_t>(o_.senders), n);
  warm_ = static_cast<uint64_t>(std::llround(o_.warmup * static_cast<double>(o_.rate)));
  total_ = warm_ + static_cast<uint64_t>(o_.seconds * o_.rate);
  r_.messages = total_ - warm_;
  r_.expected = r_.messages * (n - 1);
  r_.latencies_ms.reserve(r_.expected);
  std::fprintf(stderr,
               "%s: broadcast (C++) - 1 room of %zu peers, %ld msg/s over %llu senders "
               "(%.1f/s each), %g s warm-up + %ld s\n",
               o_.label.c_str(), n, o_.rate, static_cast<unsigned long long>(r_.senders),
               static_cast<double>(o_.rate) / static_cast<double>(r_.senders), o_.warmup,
               o_.seconds);
  for (size_t i = 0; i < n; ++i) {
    peers_.push_back(std::make_unique<Peer>(io_));
    peers_.back()->index = i;
  }
  in_flight_ = std::min<size_t>({32, n, static_cast<size_t>(o_.concurrency)});
  for (size_t i = 0; i < in_flight_; ++i) JoinNext();
  deadline_.expires_after(std::chrono::seconds(o_.join_timeout_s));
  deadline_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    for (size_t i = 0; i < next_; ++i)
      if (!peers_[i]->ended) JoinEnded(peers_[i].get(), "timeout");
  });
  io_.run();
  if (!failures_.empty()) {
    PrintBroadcastJoinFailure(o_, failures_, CpuSeconds());
    std::fprintf(stderr, "signal_loadgen broadcast: FAILED\n");
    return 1;
  }
  std::sort(r_.latencies_ms.begin(), r_.latencies_ms.end());
  PrintBroadcast(o_, r_, CpuSeconds());
  bool ok = r_.delivered == r_.expected && r_.errors == 0 && r_.still_open == n;
  std::fprintf(stderr, "signal_loadgen broadcast: %s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

// connect -> upgrade -> write join -> read the first frame (the join's answer).
void Broadcast::JoinNext() {
  Peer* p = peers_[next_++].get();
  p->ws.next_layer().async_connect(endpoint_, [this, p](beast::error_code ec) {
    if (p->ended) return;  // timed out meanwhile
    if (ec) return JoinEnded(p, "connect " + ec.message());
    p->ws.next_layer().set_option(tcp::no_delay(true), ec);
    p->ws.async_handshake(o_.host, o_.target, [this, p](beast::error_code hec) {
      if (p->ended) return;
      if (hec) return JoinEnded(p, "handshake " + hec.message());
      Send(p, R"({"type":"join","id":1,"protocol":1,"token":")" + tokens_[p->index] +
                  R"(","name":"peer-)" + std::to_string(p->index) + "\"}");
      p->ws.async_read(p->buf, [this, p](beast::error_code rec, size_t) { OnJoinFrame(p, rec); });
    });
  });
}

void Broadcast::OnJoinFrame(Peer* p, beast::error_code ec) {
  if (p->ended) return;
  if (ec == websocket::error::closed)
    return JoinEnded(p, "closed " + std::to_string(p->ws.reason().code));
  if (ec) return JoinEnded(p, "socket " + ec.message());
  auto data = p->buf.cdata();
  std::string failure = ClassifyReply({static_cast<const char*>(data.data()), data.size()});
  p->buf.consume(p->buf.size());
  if (failure.empty()) {
    p->open = true;
    Read(p);
  }
  JoinEnded(p, failure);
}

// One join attempt is over: keep the joins in flight; once all are over,
// stop on any failure (as loadgen.mjs does), else let the fan-out settle.
void Broadcast::JoinEnded(Peer* p, const std::string& failure) {
  p->ended = true;
  if (!failure.empty()) {
    ++failures_[failure];
    beast::error_code ignored;
    p->ws.next_layer().close(ignored);  // completes any pending operation with an error
  }
  ++ended_;
  if (next_ < peers_.size()) return JoinNext();
  if (ended_ < peers_.size()) return;
  deadline_.cancel();
  if (!failures_.empty()) return CloseAll();
  auto now = Clock::now();
  Settle(now, frames_, now);
}

void Broadcast::Read(Peer* p) {
  p->ws.async_read(p->buf, [this, p](beast::error_code ec, size_t) {
    auto at = Clock::now();  // first thing: the receipt time
    if (ec) {
      if (p->open && !closing_) {
        ++r_.closed_early;
        std::fprintf(stderr, "  peer %zu dropped: %s (close code %d)\n", p->index,
                     ec.message().c_str(), static_cast<int>(p->ws.reason().code));
      }
      p->open = false;
      return;
    }
    ++frames_;
    auto data = p->buf.cdata();
    OnFrame(p, {static_cast<const char*>(data.data()), data.size()}, at);
    p->buf.consume(p->buf.size());
    Read(p);
  });
}

void Broadcast::OnFrame(Peer* p, std::string_view f, Clock::time_point at) {
  if (std::optional<Stamp> s = FindStamp(f)) {
    if (s->sender == p->index || !s->measured) return;  // own echo, or warm-up
    ++r_.delivered;
    r_.latencies_ms.push_back(static_cast<double>(Ns(at) - s->sent_ns) / 1e6);
  } else if (f.find("\"type\":\"error\"") != std::string_view::npos) {
    ++r_.errors;
    ++r_.error_kinds[FieldAfter(f, "\"error\":\"")];
  }
}

// Waits until no frame has arrived for 300 ms (at most 5 s), as loadgen.mjs's
// settle, so the peer-joined fan-out is over before the first message.
void Broadcast::Settle(Clock::time_point begin, uint64_t last_frames,
                       Clock::time_point quiet_since) {
  timer_.expires_after(std::chrono::milliseconds(50));
  timer_.async_wait([this, begin, last_frames, quiet_since](beast::error_code ec) {
    if (ec) return;
    auto now = Clock::now();
    if (frames_ != last_frames) return Settle(begin, frames_, now);
    bool quiet = now - quiet_since >= std::chrono::milliseconds(300);
    if (!quiet && now - begin < std::chrono::seconds(5))
      return Settle(begin, last_frames, quiet_since);
    t0_ = Clock::now();
    SendNext();
  });
}

// Message q is due at t0 + q / rate: absolute times, so lateness never
// accumulates (an overdue timer fires at once and the next is on schedule).
void Broadcast::SendNext() {
  if (q_ == total_) {
    r_.send_ms = MsBetween(t0_, Clock::now());
    return Drain(Clock::now());
  }
  auto due = t0_ + std::chrono::nanoseconds(static_cast<int64_t>(q_) * 1'000'000'000 / o_.rate);
  timer_.expires_at(due);
  timer_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    Peer* sender = peers_[q_ % r_.senders].get();
    int measured = q_ >= warm_ ? 1 : 0;
    ++q_;
    Send(sender, R"({"type":"send-message","message":"t:)" + std::to_string(Ns(Clock::now())) +
                     ",s:" + std::to_string(sender->index) + ",m:" + std::to_string(measured) +
                     "\"}");
    SendNext();
  });
}

void Broadcast::Send(Peer* p, std::string text) {
  p->out.push_back(std::move(text));
  if (p->out.size() == 1) WriteFront(p);
}

void Broadcast::WriteFront(Peer* p) {
  p->ws.async_write(asio::buffer(p->out.front()), [this, p](beast::error_code ec, size_t) {
    if (ec) {
      if (p->open && !closing_) {
        ++r_.errors;
        ++r_.error_kinds["write " + ec.message()];
      }
      p->out.clear();
      return;
    }
    p->out.pop_front();
    if (!p->out.empty()) WriteFront(p);
  });
}

// Waits for the outstanding deliveries, at most 3 s after the last send.
void Broadcast::Drain(Clock::time_point since) {
  if (r_.delivered >= r_.expected || Clock::now() - since >= std::chrono::seconds(3))
    return CloseAll();
  timer_.expires_after(std::chrono::milliseconds(20));
  timer_.async_wait([this, since](beast::error_code ec) {
    if (!ec) Drain(since);
  });
}

// Counts the peers still open, then closes every socket with a close frame,
// bounded at 15 s (then the io_context is stopped).
void Broadcast::CloseAll() {
  closing_ = true;
  for (auto& p : peers_) {
    if (p->open && p->ws.next_layer().is_open()) ++r_.still_open;
    // A close frame may not overtake a write still in progress (Beast allows
    // one write-like operation at a time): such a peer just closes its socket.
    if (!p->open || !p->out.empty()) {
      beast::error_code ignored;
      p->ws.next_layer().close(ignored);
      continue;
    }
    p->ws.async_close(websocket::close_code::normal, [p = p.get()](beast::error_code) {
      beast::error_code ignored;
      p->ws.next_layer().close(ignored);
    });
  }
  deadline_.expires_after(std::chrono::seconds(15));
  deadline_.async_wait([this](beast::error_code ec) {
    if (!ec) io_.stop();
  });
  StopWhenAllClosed(poll_, peers_, io_);
}

}  // namespace

int RunBroadcast(const Options& o, std::vector<std::string> tokens) {
  Broadcast b(o, std::move(tokens));
  return b.Execute();
}

}  // namespace loadgen
