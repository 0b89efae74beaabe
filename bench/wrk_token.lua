-- wrk script for POST /v2/token (bench/run_token_endpoint_bench.sh).
--
--   BENCH_CODE=abc-defg-hij wrk -t2 -c64 -d10s --latency -s bench/wrk_token.lua URL
--   wrk ... -s bench/wrk_token.lua URL -- abc-defg-hij      (code as a script argument)
--
-- Every request is the same keep-alive POST with the JSON body {"code": ...}
-- and Content-Type: application/json (express.json() ignores other types).
-- The path is taken from URL when it has one, else /v2/token.
--
-- done() prints one machine-readable line (latencies in microseconds):
--   WRK_RESULT requests=N duration_us=N rps=N p50_us=N p90_us=N p99_us=N
--              max_us=N non2xx=N connect_errors=N read_errors=N write_errors=N
--              timeouts=N
-- non2xx is wrk's summary.errors.status: responses with status > 399 (wrk
-- does not count 1xx/3xx there; none of the benchmarked servers sends them).
-- The runner treats any non2xx or socket error as a failed run.

local code = os.getenv("BENCH_CODE")

function init(args)
  if args[1] ~= nil and args[1] ~= "" then code = args[1] end
  if code == nil or code == "" then
    error("wrk_token.lua: set BENCH_CODE or pass the room code after --")
  end
  wrk.method = "POST"
  if wrk.path == nil or wrk.path == "" or wrk.path == "/" then wrk.path = "/v2/token" end
  wrk.body = '{"code":"' .. code .. '"}'
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
