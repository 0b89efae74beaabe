// signal_loadgen: the C++ load generator of bench/run_signalling_bench.sh's
// `joins`, `hold` and `broadcast` phases (broadcast: loadgen_broadcast.cc).
//
// Why it exists: in rooms of 100 every join fans out ~50 peer-joined events on
// average, and the Node `ws` client spent ~680 us of CPU per join receiving
// them, on the same 2 cores as the server. This one runs on one thread and one
// io_context, never parses events (it only counts frames) and checks the join
// reply by substring, so the join-rate figure is about the server.
//
//   signal_loadgen joins|hold|broadcast --url ws://127.0.0.1:PORT/v2/signal
//       --tokens-file F [--concurrency 256] [--join-timeout 20]
//       [--label NAME] [--room-size N] [--hold-seconds 120]
//       [--seconds 10] [--rate 50] [--senders 10] [--warmup 1]   (broadcast)
//
// F holds one pre-minted app token per line (`loadgen.mjs tokens` writes it);
// line i is peer i (name "peer-i"). Each peer connects, upgrades, sends
// `join` with id 1 and waits for its first frame, which the server guarantees
// is the join's answer; then it keeps reading and discards what comes.
//
//   joins  joins/s = completed joins / (last join reply - first connect),
//          after which it waits for the events to go quiet and closes all.
//   hold   the same, then prints {"event":"hold_ready",...} and holds until
//          SIGUSR2 (or --hold-seconds), counts the connections still open
//          and closes them (as loadgen.mjs does: the runner's protocol).
//   broadcast  the tokens file's peers (one room) join, then timed
//          send-message fan-out latency: see loadgen_broadcast.cc.
//
// Output matches loadgen.mjs: JSON lines on stdout, each with cpu_s (this
// process's CPU seconds so far), a summary on stderr. Exit status 0 when every
// join succeeded and no connection was dropped, 1 otherwise, 2 on bad usage.
// Only ws://127.0.0.1 is accepted.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loadgen_broadcast.h"
#include "loadgen_close.h"
#include "loadgen_report.h"
#include "net/boost.h"

namespace {

using namespace roomgate::net;  // NOLINT: asio, beast, websocket, tcp
using Clock = std::chrono::steady_clock;
using Socket = tcp::socket::rebind_executor<asio::io_context::executor_type>::other;
using Ws = websocket::stream<Socket>;
using loadgen::ClassifyReply;
using loadgen::CpuSeconds;
using loadgen::Options;
using loadgen::ParseArgs;
using loadgen::ReadTokens;

// SIGUSR2 releases the held peers (the runner sends it once it has read the
// server's VmRSS). A plain flag polled by Hold()'s timer: Asio's signal_set is
// not among the headers net/boost.h provides. SIGTERM/SIGINT keep their
// default action (the process dies, the kernel closes every socket).
volatile std::sig_atomic_t g_release = 0;
extern "C" void OnRelease(int) { g_release = 1; }

// One simulated peer. Lives until the run ends (owned by Run::peers_), so
// handlers capture a raw pointer.
struct Peer {
  enum class State { kIdle, kJoining, kJoined, kFailed, kClosing };
  explicit Peer(asio::io_context& io) : ws(io.get_executor()) {}
  Ws ws;
  beast::flat_buffer buf;
  State state = State::kIdle;
  size_t index = 0;
  Clock::time_point started;
};

class Run {
 public:
  Run(Options o, std::vector<std::string> tokens) : o_(std::move(o)), tokens_(std::move(tokens)) {}

  int Execute();

 private:
  void StartNext();
  void Connect(Peer* p);
  void OnJoinFrame(Peer* p, beast::error_code ec);
  void ReadEvents(Peer* p);
  void Fail(Peer* p, const std::string& reason);
  void JoinFinished();
  void Sweep();
  void Settle(Clock::time_point begin, uint64_t last_events, Clock::time_point quiet_since);
  void Hold();
  void PollHold();
  void CloseAll();
  loadgen::Result Summarize() const;

  Options o_;
  std::vector<std::string> tokens_;
  asio::io_context io_;
  asio::steady_timer sweep_{io_};
  asio::steady_timer phase_{io_};
  asio::steady_timer poll_{io_};
  tcp::endpoint endpoint_;
  std::vector<std::unique_ptr<Peer>> peers_;
  size_t next_ = 0, finished_ = 0, joined_ = 0;
  uint64_t events_ = 0, closed_early_ = 0;
  bool releasing_ = false, released_by_signal_ = false, quiet_ = false;
  std::map<std::string, uint64_t> failures_;
  std::vector<double> latencies_ms_;
  Clock::time_point t0_, last_reply_, hold_began_, released_at_;
  double cpu0_ = 0, cpu_span_ = 0;
  size_t open_at_release_ = 0;
};

int Run::Execute() {
  endpoint_ = tcp::endpoint(asio::ip::make_address("127.0.0.1"), o_.port);
  std::fprintf(stderr, "%s: %s (C++) - %zu peers, %ld in flight\n", o_.label.c_str(),
               o_.mode.c_str(), tokens_.size(), o_.concurrency);
  peers_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    peers_.push_back(std::make_unique<Peer>(io_));
    peers_.back()->index = i;
  }
  t0_ = Clock::now();
  cpu0_ = CpuSeconds();
  for (long i = 0; i < o_.concurrency && next_ < peers_.size(); ++i) StartNext();
  Sweep();
  io_.run();
  loadgen::Result r = Summarize();
  loadgen::PrintResult(o_, r, CpuSeconds());
  bool ok = r.failed == 0 && r.closed_early == 0 && r.joined == peers_.size();
  if (o_.mode == "hold") ok = r.failed == 0 && open_at_release_ == peers_.size();
  std::fprintf(stderr, "signal_loadgen %s: %s\n", o_.mode.c_str(), ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

void Run::StartNext() {
  Peer* p = peers_[next_++].get();
  p->state = Peer::State::kJoining;
  p->started = Clock::now();
  Connect(p);
}

// connect -> upgrade -> write join -> read the first frame.
void Run::Connect(Peer* p) {
  p->ws.next_layer().async_connect(endpoint_, [this, p](beast::error_code ec) {
    if (p->state != Peer::State::kJoining) return;  // timed out meanwhile
    if (ec) return Fail(p, "connect " + ec.message());
    p->ws.next_layer().set_option(tcp::no_delay(true), ec);
    p->ws.async_handshake(o_.host, o_.target, [this, p](beast::error_code hec) {
      if (p->state != Peer::State::kJoining) return;
      if (hec) return Fail(p, "handshake " + hec.message());
      // The request outlives the write: keep it in the peer's buffer.
      std::string join = R"({"type":"join","id":1,"protocol":1,"token":")" + tokens_[p->index] +
                         R"(","name":"peer-)" + std::to_string(p->index) + "\"}";
      auto text = std::make_shared<std::string>(std::move(join));
      p->ws.async_write(asio::buffer(*text), [this, p, text](beast::error_code wec, size_t) {
        if (p->state != Peer::State::kJoining) return;
        if (wec) return Fail(p, "write " + wec.message());
        p->ws.async_read(p->buf, [this, p](beast::error_code rec, size_t) { OnJoinFrame(p, rec); });
      });
    });
  });
}

void Run::OnJoinFrame(Peer* p, beast::error_code ec) {
  if (p->state != Peer::State::kJoining) return;
  if (ec == websocket::error::closed)
    return Fail(p, "closed " + std::to_string(p->ws.reason().code));
  if (ec) return Fail(p, "socket " + ec.message());
  auto data = p->buf.cdata();
  std::string reason = ClassifyReply({static_cast<const char*>(data.data()), data.size()});
  if (!reason.empty()) return Fail(p, reason);
  auto now = Clock::now();
  latencies_ms_.push_back(std::chrono::duration<double, std::milli>(now - p->started).count());
  last_reply_ = now;
  p->state = Peer::State::kJoined;
  ++joined_;
  // The reply (up to ~30 KiB with 99 peers) would otherwise pin that much per
  // held peer; events are a few hundred bytes.
  p->buf = beast::flat_buffer();
  ReadEvents(p);
  JoinFinished();
}

// Events are counted, never parsed: this is the loop the Node client spent
// most of its CPU in.
void Run::ReadEvents(Peer* p) {
  p->ws.async_read(p->buf, [this, p](beast::error_code ec, size_t) {
    if (!ec) {
      ++events_;
      p->buf.consume(p->buf.size());
      return ReadEvents(p);
    }
    if (p->state == Peer::State::kJoined && !releasing_) {
      ++closed_early_;
      std::fprintf(stderr, "  peer %zu dropped: %s (close code %d)\n", p->index,
                   ec.message().c_str(), static_cast<int>(p->ws.reason().code));
    }
    if (p->state == Peer::State::kJoined) p->state = Peer::State::kFailed;
  });
}

void Run::Fail(Peer* p, const std::string& reason) {
  p->state = Peer::State::kFailed;
  ++failures_[reason];
  beast::error_code ignored;
  p->ws.next_layer().close(ignored);  // completes any pending operation with an error
  JoinFinished();
}

// One join attempt ended (either way): keep `concurrency` in flight, and when
// the last one ends, settle.
void Run::JoinFinished() {
  ++finished_;
  if (next_ < peers_.size()) return StartNext();
  if (finished_ < peers_.size()) return;
  cpu_span_ = CpuSeconds() - cpu0_;
  auto now = Clock::now();
  Settle(now, events_, now);
}

// Times out joiners stuck past --join-timeout; runs until all joins ended.
void Run::Sweep() {
  sweep_.expires_after(std::chrono::milliseconds(100));
  sweep_.async_wait([this](beast::error_code ec) {
    if (ec || finished_ == peers_.size()) return;
    auto limit = Clock::now() - std::chrono::seconds(o_.join_timeout_s);
    for (size_t i = 0; i < next_; ++i) {
      Peer* p = peers_[i].get();
      if (p->state == Peer::State::kJoining && p->started < limit) Fail(p, "timeout");
    }
    Sweep();
  });
}

// Waits until no event has arrived for a while (300 ms for joins, 500 ms for
// hold; bounded at 5 s / 15 s), as loadgen.mjs does, so the fan-out is over
// before memory is read or sockets are closed.
void Run::Settle(Clock::time_point begin, uint64_t last_events, Clock::time_point quiet_since) {
  bool hold = o_.mode == "hold";
  auto quiet_for = std::chrono::milliseconds(hold ? 500 : 300);
  auto bound = std::chrono::seconds(hold ? 15 : 5);
  phase_.expires_after(std::chrono::milliseconds(50));
  phase_.async_wait(
      [this, begin, last_events, quiet_since, quiet_for, bound](beast::error_code ec) {
        if (ec) return;
        auto now = Clock::now();
        if (events_ != last_events) return Settle(begin, events_, now);
        quiet_ = now - quiet_since >= quiet_for;
        if (!quiet_ && now - begin < bound) return Settle(begin, last_events, quiet_since);
        if (o_.mode == "hold") return Hold();
        CloseAll();
      });
}

void Run::Hold() {
  loadgen::PrintHoldReady(o_, Summarize(), quiet_, CpuSeconds());
  hold_began_ = Clock::now();
  PollHold();
}

void Run::PollHold() {
  phase_.expires_after(std::chrono::milliseconds(50));
  phase_.async_wait([this](beast::error_code ec) {
    if (ec) return;
    bool due = Clock::now() - hold_began_ >= std::chrono::seconds(o_.hold_seconds);
    released_by_signal_ = g_release != 0;
    if (!released_by_signal_ && !due) return PollHold();
    CloseAll();
  });
}

// Counts the connections still open, then closes them all with a close frame,
// bounded at 15 s (then the io_context is stopped and the process exits).
void Run::CloseAll() {
  released_at_ = Clock::now();
  releasing_ = true;
  sweep_.cancel();
  for (auto& p : peers_) {
    if (p->state != Peer::State::kJoined) continue;
    ++open_at_release_;
    p->state = Peer::State::kClosing;
    p->ws.async_close(websocket::close_code::normal, [p = p.get()](beast::error_code) {
      beast::error_code ignored;
      p->ws.next_layer().close(ignored);
    });
  }
  phase_.expires_after(std::chrono::seconds(15));
  phase_.async_wait([this](beast::error_code ec) {
    if (!ec) io_.stop();
  });
  loadgen::StopWhenAllClosed(poll_, peers_, io_);
}

loadgen::Result Run::Summarize() const {
  loadgen::Result r;
  r.peers = peers_.size();
  r.joined = joined_;
  r.failures = failures_;
  for (auto& [k, v] : failures_) r.failed += v;
  r.elapsed_ms =
      joined_ ? std::chrono::duration<double, std::milli>(last_reply_ - t0_).count() : NAN;
  r.latencies_ms = latencies_ms_;
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  r.events = events_;
  r.closed_early = closed_early_;
  r.cpu_cores = cpu_span_ / (r.elapsed_ms / 1000);
  r.open_at_release = open_at_release_;
  r.released_by_signal = released_by_signal_;
  if (released_at_ > hold_began_ && hold_began_ != Clock::time_point()) {
    r.held_ms = std::chrono::duration<double, std::milli>(released_at_ - hold_began_).count();
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  std::vector<std::string> tokens = ReadTokens(o.tokens_file);
  struct sigaction sa {};
  sa.sa_handler = OnRelease;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, nullptr);
  if (o.mode == "broadcast") return loadgen::RunBroadcast(o, std::move(tokens));
  Run run(std::move(o), std::move(tokens));
  return run.Execute();
}
