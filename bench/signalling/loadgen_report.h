// Options (command line, tokens file) and results of signal_loadgen
// (loadgen.cc, loadgen_broadcast.cc), and its output: JSON
// lines on stdout with the field names loadgen.mjs uses (so the runner reads
// either), a summary on stderr.
#ifndef ROOMGATE_BENCH_SIGNALLING_LOADGEN_REPORT_H_
#define ROOMGATE_BENCH_SIGNALLING_LOADGEN_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

struct Options {
  std::string mode;  // "joins", "hold" or "broadcast"
  std::string tokens_file;
  std::string label = "server";
  std::string host;    // Host header: 127.0.0.1:PORT
  std::string target;  // request target, e.g. /v2/signal
  uint16_t port = 0;
  long concurrency = 256;
  long join_timeout_s = 20;
  long hold_seconds = 120;
  long room_size = 100;  // reported only: the tokens already name the rooms
  // broadcast only (loadgen.mjs's option names and defaults)
  long seconds = 10;  // measured sending time
  long rate = 50;     // send-message/s in total
  long senders = 10;  // peers 0..senders-1 take turns
  double warmup = 1;  // seconds of sending before measuring (not recorded)
};

struct Result {
  uint64_t peers = 0, joined = 0, failed = 0, events = 0, closed_early = 0, open_at_release = 0;
  std::map<std::string, uint64_t> failures;  // reason -> count
  double elapsed_ms = 0;                     // first connect -> last join reply
  std::vector<double> latencies_ms;          // sorted
  double cpu_cores = 0;                      // own CPU over the joining span, in cores
  double held_ms = 0;
  bool released_by_signal = false;
};

// broadcast's figures (field names as loadgen.mjs's broadcast line).
struct BroadcastResult {
  uint64_t peers = 0, senders = 0, messages = 0, expected = 0, delivered = 0, errors = 0;
  uint64_t still_open = 0, closed_early = 0;
  std::map<std::string, uint64_t> error_kinds;  // error name -> count
  double send_ms = 0;                           // first send -> last send
  std::vector<double> latencies_ms;             // sorted
};

// This process's CPU seconds (user + system) so far.
double CpuSeconds();
// Classifies a joiner's first frame without parsing JSON: "" for a good join
// reply, else the failure reason ("error 4010 room_full", ...).
std::string ClassifyReply(std::string_view frame);
// The value of a JSON string or number field `key` ("\"code\":" or
// "\"error\":\"") found by substring, or "?".
std::string FieldAfter(std::string_view frame, std::string_view key);

// The command line (see loadgen.cc's header); exits with status 2 on misuse.
Options ParseArgs(int argc, char** argv);
// The tokens file: one token per non-empty line; exits with status 2 when
// unreadable or empty.
std::vector<std::string> ReadTokens(const std::string& path);

// The final line: {"mode":"joins",...} or {"mode":"hold",...}.
void PrintResult(const Options& o, const Result& r, double cpu_s);
// broadcast's final line, or (joins failed) a short one with the failures.
void PrintBroadcast(const Options& o, const BroadcastResult& r, double cpu_s);
void PrintBroadcastJoinFailure(const Options& o, const std::map<std::string, uint64_t>& failures,
                               double cpu_s);
// hold's {"event":"hold_ready",...} line, printed (and flushed) once all
// peers are joined and the server has gone quiet.
void PrintHoldReady(const Options& o, const Result& r, bool quiet, double cpu_s);

}  // namespace loadgen

#endif  // ROOMGATE_BENCH_SIGNALLING_LOADGEN_REPORT_H_
