// The media benchmark's printed report: machine facts, the first-frame table (median, p95, min,
// max of each stage since page.goto()), the CPU table (% of one core), and warnings when the
// machine was not quiet enough for the figures to mean much.

import os from 'node:os';
import { STAGES } from './first_frame.mjs';
import { summary } from './common.mjs';
import { HZ } from './procs.mjs';

const OTHER_WARN_PCT = 15; // CPU of processes outside the benchmark, % of one core

const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
// Three decimals, or two significant digits below 0.01 (roomgate's share per track is tiny).
const f3 = (x) => (!Number.isFinite(x) ? '-' : x === 0 || x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));
const mib = (kib) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MiB` : '-');
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]) : String(c).padStart(widths[i]))).join(' ');

function header(r, env) {
  const cpu = os.cpus()[0]?.model ?? '?';
  console.log(`\nmedia benchmark: ${env.BENCH_COMMAND}`);
  console.log(`machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average before start ${env.BENCH_LOAD_BEFORE}, CPU busy over 2 s before start ${env.BENCH_BUSY_BEFORE}% of one core`);
  console.log(`software: ${env.BENCH_VERSIONS}; Chromium ${r.chromium ?? '?'} headless (fake camera/mic)`);
  console.log('network: private namespace (scripts/janus/in_private_netns.sh), every ICE pair 127.0.0.1 <-> 127.0.0.1');
  if (r.settings.smoke) console.log('SMOKE RUN (BENCH_SMOKE=1): tiny sizes, checks the benchmark works; the figures mean little');
}

function firstFrameTable(ff, runs) {
  const got = ff?.runs ?? [];
  const res = got.find((x) => x.video)?.video;
  console.log(`\n1. Opening a link -> first remote frame: ${got.length}/${runs} runs (+1 warm-up not counted); each a fresh`);
  console.log('   browser context opening /meeting/<guest code>?name=Bench&skip_preview=true (joins without a click)');
  console.log(`   while the host publishes camera+mic${res ? ` (received ${res.width}x${res.height})` : ''}; stamps taken in-page (performance.timeOrigin).`);
  if (!got.length) return console.log('   (no run completed)');
  const w = [40, 8, 8, 8, 8, 12];
  console.log(`   ${row(['ms since page.goto() started', 'median', 'p95', 'min', 'max', 'step median'], w)}`);
  let prev = null;
  for (const [key, label] of STAGES) {
    const s = summary(got.map((x) => x[key]));
    const step = prev ? summary(got.map((x) => x[key] - x[prev]))?.median : null;
    console.log(`   ${row([label, f1(s?.median), f1(s?.p95), f1(s?.min), f1(s?.max), prev ? `+${f1(step)}` : ''], w)}`);
    prev = key;
  }
  const extra = [
    ['first frame, 4 ms poll (cross-check)', got.map((x) => x.frame_poll)],
    ['navigation start -> first frame', got.map((x) => x.frame - x.nav)],
  ];
  for (const [label, values] of extra) {
    const s = summary(values);
    console.log(`   ${row([label, f1(s?.median), f1(s?.p95), f1(s?.min), f1(s?.max), ''], w)}`);
  }
  const c = ff.cpu;
  if (c) console.log(`   CPU over phase 1 (% of one core): roomgate ${f2(c.roomgate_ns)}, janus ${f1(c.janus)}, chromium ${f1(c.chromium)}, bench ${f1(c.bench)}, kernel irq ${f1(c.irq)}, other processes ${f1(c.other)}, steal ${f1(c.steal)}`);
}

function cpuTable(cc, s) {
  const rows = cc?.rows ?? [];
  console.log(`\n2. CPU while Janus forwards media: rooms of N peers opening guest links (skip_preview: each publishes camera+mic`);
  console.log(`   and receives the others: N*(N-1)*2 forwarded tracks); ${s.warmupS} s warm-up, then a ${s.windowS} s window. % of ONE core;`);
  console.log('   roomgate from its threads\' schedstat (ns), everything else from /proc/PID/stat utime+stime.');
  if (!rows.length) return console.log('   (no room size completed)');
  const w = [5, 6, 8, 8, 8, 13, 8, 8, 5, 4, 5, 5, 7, 6, 8, 9, 14];
  console.log(`   ${row(['peers', 'tracks', 'roomgate', 'rg/peer', 'rg/track', 'Janus', 'rg/Janus', 'chromium', 'bench', 'irq', 'other', 'steal', 'flowing', 'pkt/s', 'rg RSS', 'Janus RSS', 'join rg/Janus'], w)}`);
  for (const r of rows) {
    const c = r.cpu;
    const rg = c.roomgate_ns ?? c.roomgate_stat;
    console.log(`   ${row([
      r.n, r.tracks, f3(rg), f3(rg / r.n), f3(rg / r.tracks), `${f1(c.janus)} (anchor)`, `${f2((100 * rg) / c.janus)}%`,
      f1(c.chromium), f1(c.bench), f1(c.irq), f1(c.other), f1(c.steal), `${r.flowing}/${r.tracks}`, r.packetsPerS.toFixed(0), mib(r.rss.roomgate), mib(r.rss.janus),
      `${f1(r.join.roomgateMs)}/${f1(r.join.janusMs)} ms`,
    ], w)}`);
  }
  console.log(`   roomgate from /proc/PID/stat instead (${1000 / HZ} ms ticks): ${rows.map((r) => `${r.n} peers ${f3(r.cpu.roomgate_stat)}`).join(', ')}`);
  console.log('   rg/Janus: roomgate\'s CPU as a share of Janus\'s in the same window (Janus is the media plane, the named anchor).');
  console.log('   irq: the kernel\'s interrupt time (charged to no process; mostly the media\'s packets on loopback);');
  console.log('   other: processes outside the benchmark; steal: time the hypervisor gave to other guests.');
  console.log('   flowing: inbound RTP streams (audio+video) whose packet count grew over the window, of those expected;');
  console.log('   pkt/s: RTP packets/s all pages received over the window (what Janus forwarded).');
  console.log('   join rg/Janus: CPU ms per joining peer (join, publish, N-1 subscriptions each way), roomgate / Janus, from the');
  console.log(`   first page's goto until every page decoded all others' video (Janus from stat ticks: ${1000 / HZ} ms granularity).`);
}

function warnings(r, env) {
  const warn = [];
  const busyBefore = Number(env.BENCH_BUSY_BEFORE);
  if (busyBefore > OTHER_WARN_PCT) warn.push(`the machine was busy before the start: ${busyBefore}% of one core over 2 s`);
  const spans = [['phase 1', r.firstFrame?.cpu], ...(r.cpuCost?.rows ?? []).map((x) => [`${x.n} peers`, x.cpu])];
  for (const [what, key] of [['processes outside the benchmark took', 'other'], ['the hypervisor stole', 'steal']]) {
    const over = spans.filter(([, c]) => c?.[key] > OTHER_WARN_PCT).map(([k, c]) => `${k} ${f1(c[key])}%`);
    if (over.length) warn.push(`${what} CPU (% of one core): ${over.join(', ')}`);
  }
  for (const x of r.cpuCost?.rows ?? []) {
    const ours = ['chromium', 'janus', 'roomgate_stat', 'bench', 'irq', 'other', 'steal'].reduce((sum, k) => sum + (x.cpu[k] ?? 0), 0);
    if (ours > 90 * os.availableParallelism()) warn.push(`${x.n} peers: the machine was saturated (${f1(ours)}% of ${os.availableParallelism() * 100}%); Chromium's encoders and decoders compete with Janus`);
    if (x.flowing < x.tracks) warn.push(`${x.n} peers: only ${x.flowing} of ${x.tracks} forwarded tracks flowed during the window`);
  }
  if (warn.length) console.log('');
  for (const w of warn) console.log(`WARNING: ${w}`);
  for (const f of r.failures) console.log(`FAILED: ${f}`);
}

export function printReport(r, env) {
  header(r, env);
  firstFrameTable(r.firstFrame, r.settings.runs);
  cpuTable(r.cpuCost, r.settings);
  warnings(r, env);
}
