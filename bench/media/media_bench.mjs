// The media benchmark's driver; run only through bench/run_media_bench.sh, which provides the
// private network namespace (every packet on 127.0.0.1), Janus, and these settings:
//   ROOMGATE_BIN, BENCH_JANUS_WS_PORT, BENCH_JANUS_SECRET, BENCH_JANUS_PID, RUNS, PEERS,
//   WARMUP_S, WINDOW_S, BENCH_SMOKE, BENCH_COMMAND, BENCH_LOAD_BEFORE, BENCH_VERSIONS.
// Starts the real roomgate (tests/integration/server.mjs: port 0, fresh data folder, killed at
// exit) with media through that Janus, one headless Chromium (playwright-core, the browser
// tests' flags), runs phase 1 (first_frame.mjs) and phase 2 (cpu_cost.mjs), prints the report.
// Exit 0: every run measured; 1: a run or a room size failed (reported).

import { createRequire } from 'node:module';
import { startServer } from '../../tests/integration/server.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/browser/browser_helpers.mjs';
import { firstFrame } from './first_frame.mjs';
import { cpuCost } from './cpu_cost.mjs';
import { CpuTracker } from './procs.mjs';
import { printReport } from './report.mjs';

const { chromium } = createRequire(import.meta.url)('playwright-core');
const env = process.env;
const settings = {
  runs: Number(env.RUNS),
  sizes: env.PEERS.trim().split(/\s+/).map(Number),
  warmupS: Number(env.WARMUP_S),
  windowS: Number(env.WINDOW_S),
  smoke: env.BENCH_SMOKE === '1',
};
const pids = { janus: Number(env.BENCH_JANUS_PID), roomgate: null };
const log = (s) => process.stderr.write(`${s}\n`);

function classify(pid, exe) {
  if (pid === pids.roomgate) return 'roomgate';
  if (pid === pids.janus) return 'janus';
  return exe.startsWith('chrom') ? 'chromium' : 'bench';
}

const srv = await startServer({
  config: {
    server: { access_log: false },
    media: { backend: 'janus', janus_port: Number(env.BENCH_JANUS_WS_PORT), janus_api_secret: env.BENCH_JANUS_SECRET },
  },
});
pids.roomgate = srv.proc.pid;
let browser;
const result = { settings, failures: [] };
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  result.chromium = browser.version();
  log(`phase 1: link → first remote frame, ${settings.runs} runs (+1 warm-up)`);
  const cpu = new CpuTracker(classify, pids.roomgate, 100); // pages come and go: sample often
  result.firstFrame = await firstFrame({ srv, browser, runs: settings.runs, log });
  result.firstFrame.cpu = cpu.stop();
  log(`phase 2: CPU while Janus forwards media, rooms of ${settings.sizes.join(', ')} peers`);
  result.cpuCost = await cpuCost({ srv, browser, sizes: settings.sizes, warmupS: settings.warmupS, windowS: settings.windowS, classify, pids, log });
} catch (e) {
  result.failures.push(e.stack ?? e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  const stopped = await srv.stop();
  if (stopped?.code) result.failures.push(`roomgate exited with ${stopped.code}: ${stopped.stderr.slice(-2000)}`);
}
result.failures.push(...(result.firstFrame?.failures ?? []), ...(result.cpuCost?.failures ?? []));
printReport(result, env);
process.exit(result.failures.length ? 1 : 0);
