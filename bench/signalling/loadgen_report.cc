#include "loadgen_report.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace loadgen {
namespace {

// loadgen.mjs's definition: the ceil(p% * n)-th smallest.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return NAN;
  size_t rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  }
  return out;
}

// A JSON number with `digits` decimals, or null when not finite (as
// loadgen.mjs's round()).
std::string Num(double x, int digits = 3) {
  if (!std::isfinite(x)) return "null";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, x);
  return b;
}

std::string FailuresJson(const Result& r) {
  std::string s = "{";
  for (const auto& [reason, n] : r.failures) {
    if (s.size() > 1) s += ',';
    s += "\"" + Escape(reason) + "\":" + std::to_string(n);
  }
  return s + "}";
}

double JoinsPerSecond(const Result& r) {
  return static_cast<double>(r.joined) / (r.elapsed_ms / 1000);
}

void Line(const std::string& body, double cpu_s) {
  std::printf("{%s,\"cpu_s\":%s}\n", body.c_str(), Num(cpu_s).c_str());
  std::fflush(stdout);  // the runner polls the file for hold_ready
}

}  // namespace

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string FieldAfter(std::string_view f, std::string_view key) {
  size_t at = f.find(key);
  if (at == std::string_view::npos) return "?";
  size_t b = at + key.size();
  size_t e = f.find_first_of(",}\"", b);
  return std::string(f.substr(b, e == std::string_view::npos ? 0 : e - b));
}

// Keys may come in any order (roomgate's nlohmann objects sort them), so this
// searches rather than matching a prefix; nothing else in a reply to *our*
// join carries these exact byte sequences.
std::string ClassifyReply(std::string_view f) {
  if (f.find("\"type\":\"error\"") != std::string_view::npos)
    return "error " + FieldAfter(f, "\"code\":") + " " + FieldAfter(f, "\"error\":\"");
  bool id1 = f.find("\"id\":1,") != std::string_view::npos ||
             f.find("\"id\":1}") != std::string_view::npos;
  if (f.find("\"type\":\"reply\"") == std::string_view::npos || !id1)
    return "unexpected first frame";
  if (f.find("\"peers\":[") == std::string_view::npos) return "bad join reply";
  return "";
}

[[noreturn]] static void Usage(const std::string& msg) {
  std::fprintf(stderr,
               "signal_loadgen: %s\nusage: signal_loadgen joins|hold|broadcast --url "
               "ws://127.0.0.1:PORT/PATH --tokens-file F [--concurrency N] [--join-timeout S] "
               "[--label NAME] [--room-size N] [--hold-seconds S] [--seconds S] [--rate N] "
               "[--senders N] [--warmup S]\n",
               msg.c_str());
  std::exit(2);
}

static long PositiveNumber(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  long n = std::strtol(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || n <= 0) Usage(flag + " must be a positive integer");
  return n;
}

// A non-negative number of seconds, fractions allowed (--warmup 0.5).
static double NonNegativeSeconds(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  double x = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || !(x >= 0) || x > 3600)
    Usage(flag + " must be a number of seconds (0 to 3600)");
  return x;
}

Options ParseArgs(int argc, char** argv) {
  if (argc < 2) Usage("missing mode");
  Options o;
  o.mode = argv[1];
  if (o.mode != "joins" && o.mode != "hold" && o.mode != "broadcast")
    Usage("unknown mode '" + o.mode + "'");
  std::string url;
  for (int i = 2; i < argc; i += 2) {
    std::string k = argv[i];
    if (i + 1 >= argc) Usage(k + " needs a value");
    std::string v = argv[i + 1];
    if (k == "--url")
      url = v;
    else if (k == "--tokens-file")
      o.tokens_file = v;
    else if (k == "--label")
      o.label = v;
    else if (k == "--concurrency")
      o.concurrency = PositiveNumber(k, v);
    else if (k == "--join-timeout")
      o.join_timeout_s = PositiveNumber(k, v);
    else if (k == "--hold-seconds")
      o.hold_seconds = PositiveNumber(k, v);
    else if (k == "--room-size")
      o.room_size = PositiveNumber(k, v);
    else if (k == "--seconds")
      o.seconds = PositiveNumber(k, v);
    else if (k == "--rate")
      o.rate = PositiveNumber(k, v);
    else if (k == "--senders")
      o.senders = PositiveNumber(k, v);
    else if (k == "--warmup")
      o.warmup = NonNegativeSeconds(k, v);
    else
      Usage("unknown option " + k);
  }
  // Only loopback: ws://127.0.0.1:PORT/PATH.
  constexpr std::string_view kPrefix = "ws://127.0.0.1:";
  if (url.rfind(kPrefix, 0) != 0) Usage("--url must be ws://127.0.0.1:PORT/...");
  size_t slash = url.find('/', kPrefix.size());
  if (slash == std::string::npos) Usage("--url needs a path");
  o.port = static_cast<uint16_t>(
      PositiveNumber("--url port", url.substr(kPrefix.size(), slash - kPrefix.size())));
  o.host = "127.0.0.1:" + std::to_string(o.port);
  o.target = url.substr(slash);
  if (o.tokens_file.empty()) Usage("--tokens-file is required");
  return o;
}

std::vector<std::string> ReadTokens(const std::string& path) {
  std::ifstream in(path);
  if (!in) Usage("cannot read " + path);
  std::vector<std::string> tokens;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) tokens.push_back(std::move(line));
  }
  if (tokens.empty()) Usage(path + " holds no tokens");
  return tokens;
}

void PrintHoldReady(const Options& o, const Result& r, bool quiet, double cpu_s) {
  Line("\"event\":\"hold_ready\",\"server\":\"" + Escape(o.label) +
           "\",\"peers\":" + std::to_string(r.peers) + ",\"joined\":" + std::to_string(r.joined) +
           ",\"failed\":" + std::to_string(r.failed) + ",\"quiet\":" + (quiet ? "true" : "false") +
           ",\"joins_per_s\":" + Num(JoinsPerSecond(r), 1) + ",\"loadgen\":\"cpp\"",
       cpu_s);
  std::fprintf(
      stderr,
      "  holding %llu peers (failed %llu %s) at %s joins/s; waiting for SIGUSR2 (at most %ld s)\n",
      static_cast<unsigned long long>(r.joined), static_cast<unsigned long long>(r.failed),
      FailuresJson(r).c_str(), Num(JoinsPerSecond(r), 1).c_str(), o.hold_seconds);
}

void PrintBroadcastJoinFailure(const Options& o, const std::map<std::string, uint64_t>& failures,
                               double cpu_s) {
  Result r;
  r.failures = failures;
  for (const auto& [k, n] : failures) r.failed += n;
  Line("\"mode\":\"broadcast\",\"server\":\"" + Escape(o.label) +
           "\",\"loadgen\":\"cpp\",\"failed\":" + std::to_string(r.failed) +
           ",\"failures\":" + FailuresJson(r),
       cpu_s);
  std::fprintf(stderr, "  %llu joins failed: %s\n", static_cast<unsigned long long>(r.failed),
               FailuresJson(r).c_str());
}

void PrintBroadcast(const Options& o, const BroadcastResult& r, double cpu_s) {
  const std::vector<double>& lat = r.latencies_ms;
  double sum = 0;
  for (double x : lat) sum += x;
  Result kinds;  // FailuresJson's shape: {"rate_limited":3}
  kinds.failures = r.error_kinds;
  auto u = [](uint64_t n) { return std::to_string(n); };
  std::string p50 = Num(Percentile(lat, 50)), p95 = Num(Percentile(lat, 95)),
              p99 = Num(Percentile(lat, 99)), max = Num(lat.empty() ? NAN : lat.back());
  Line("\"mode\":\"broadcast\",\"server\":\"" + Escape(o.label) +
           "\",\"loadgen\":\"cpp\",\"peers\":" + u(r.peers) + ",\"senders\":" + u(r.senders) +
           ",\"rate\":" + std::to_string(o.rate) + ",\"seconds\":" + std::to_string(o.seconds) +
           ",\"messages\":" + u(r.messages) + ",\"send_ms\":" + Num(r.send_ms, 1) +
           ",\"expected\":" + u(r.expected) + ",\"delivered\":" + u(r.delivered) +
           ",\"lost\":" + std::to_string(static_cast<long long>(r.expected - r.delivered)) +
           ",\"errors\":" + u(r.errors) + ",\"error_kinds\":" + FailuresJson(kinds) +
           ",\"still_open\":" + u(r.still_open) + ",\"closed_early\":" + u(r.closed_early) +
           ",\"p50_ms\":" + p50 + ",\"p95_ms\":" + p95 + ",\"p99_ms\":" + p99 + ",\"max_ms\":" +
           max + ",\"mean_ms\":" + Num(lat.empty() ? NAN : sum / static_cast<double>(lat.size())),
       cpu_s);
  std::fprintf(
      stderr,
      "  %llu messages, %llu/%llu deliveries, errors %llu %s, %llu/%llu still open; "
      "latency p50 %s ms, p95 %s ms, p99 %s ms, max %s ms\n",
      static_cast<unsigned long long>(r.messages), static_cast<unsigned long long>(r.delivered),
      static_cast<unsigned long long>(r.expected), static_cast<unsigned long long>(r.errors),
      FailuresJson(kinds).c_str(), static_cast<unsigned long long>(r.still_open),
      static_cast<unsigned long long>(r.peers), p50.c_str(), p95.c_str(), p99.c_str(), max.c_str());
}

void PrintResult(const Options& o, const Result& r, double cpu_s) {
  std::string common = "\"mode\":\"" + o.mode + "\",\"server\":\"" + Escape(o.label) +
                       "\",\"loadgen\":\"cpp\",\"peers\":" + std::to_string(r.peers) +
                       ",\"joined\":" + std::to_string(r.joined) +
                       ",\"failed\":" + std::to_string(r.failed) +
                       ",\"failures\":" + FailuresJson(r);
  if (o.mode == "hold") {
    Line(common + ",\"still_open_at_release\":" + std::to_string(r.open_at_release) +
             ",\"released_by_signal\":" + (r.released_by_signal ? "true" : "false") +
             ",\"held_ms\":" + Num(r.held_ms, 0) +
             ",\"events_received\":" + std::to_string(r.events),
         cpu_s);
    std::fprintf(stderr, "  %llu/%llu still open at release after %s ms\n",
                 static_cast<unsigned long long>(r.open_at_release),
                 static_cast<unsigned long long>(r.joined), Num(r.held_ms, 0).c_str());
    return;
  }
  Line(common + ",\"room_size\":" + std::to_string(o.room_size) + ",\"concurrency\":" +
           std::to_string(o.concurrency) + ",\"elapsed_ms\":" + Num(r.elapsed_ms, 1) +
           ",\"joins_per_s\":" + Num(JoinsPerSecond(r), 1) +
           ",\"join_p50_ms\":" + Num(Percentile(r.latencies_ms, 50)) +
           ",\"join_p99_ms\":" + Num(Percentile(r.latencies_ms, 99)) + ",\"events_received\":" +
           std::to_string(r.events) + ",\"closed_early\":" + std::to_string(r.closed_early) +
           ",\"loadgen_cpu_cores\":" + Num(r.cpu_cores, 2),
       cpu_s);
  std::fprintf(stderr,
               "  %llu/%llu joined in %s ms = %s joins/s (join latency p50 %s ms, p99 %s ms), "
               "failed %llu %s, "
               "peer events received %llu, closed early %llu; loadgen used %s cores\n",
               static_cast<unsigned long long>(r.joined), static_cast<unsigned long long>(r.peers),
               Num(r.elapsed_ms, 1).c_str(), Num(JoinsPerSecond(r), 1).c_str(),
               Num(Percentile(r.latencies_ms, 50)).c_str(),
               Num(Percentile(r.latencies_ms, 99)).c_str(),
               static_cast<unsigned long long>(r.failed), FailuresJson(r).c_str(),
               static_cast<unsigned long long>(r.events),
               static_cast<unsigned long long>(r.closed_early), Num(r.cpu_cores, 2).c_str());
}

}  // namespace loadgen
