// Load generator of bench/run_signalling_bench.sh: drives a signalling server
// (roomgate's /v2/signal or bench/signalling/node_room_server.mjs) over
// WebSockets on 127.0.0.1 with the `ws` client (perMessageDeflate off).
//
//   node bench/signalling/loadgen.mjs MODE [options]
//
// Modes:
//   rooms      create --count rooms through roomgate's REST API (--api) with a
//              management token and write their ids (a JSON array) to --out.
//              Checks that the default template's --role has no peer cap
//              (maxPeerCount 0) and makes its own template otherwise.
//   joins      --peers connections (default 5000), --concurrency in flight
//              (default 256), each sends `join` with a pre-minted token (all
//              minted before timing), peers spread over rooms of --room-size
//              (default 100) so join fan-out stays O(room). joins/s =
//              completed joins / (last join reply - first connect).
//   hold       join --peers (default 10000) the same way and keep them open;
//              waits until the server has gone quiet, prints a
//              {"event":"hold_ready"} line, then holds until SIGUSR2 (or
//              --hold-seconds, default 120), checks every connection is still
//              open and closes them all.
//   broadcast  one room of --peers (default 100); --senders (default 10)
//              peers take turns sending `send-message` at --rate messages/s
//              in total (default 50) for --seconds (default 10) after
//              --warmup seconds (default 1, not recorded); the message text
//              carries process.hrtime.bigint() in ns, and every other peer
//              records receive time - send time. Each sender sends rate /
//              senders messages/s, far below roomgate's per-peer limit
//              (20/s, burst 50).
//   all        joins, hold (released at once) and broadcast in sequence.
//   tokens     mint --peers app tokens (rooms of --room-size, default 100,
//              from --rooms-file or synthetic ids) and write them to --out,
//              one per line, peer i on line i: the input of the C++ load
//              generator (signal_loadgen), which mints nothing itself.
//
// Options: --url ws://127.0.0.1:PORT/v2/signal (required except for rooms),
//   --rooms-file FILE (room ids from `rooms`; default: synthetic ids, fine for
//   the Node anchor, which accepts any room), --role guest, --label NAME,
//   --smoke (tiny sizes and durations: a quick end-to-end check).
// Credentials: ROOMGATE_ACCESS_KEY, ROOMGATE_SECRET (tokens are HS256 app
// tokens with version 2, exp 1 h, unique user_id and jti).
//
// Output: one JSON object per line on stdout (results and events), a
// human-readable summary on stderr. Exit status 0 when every join succeeded
// and every message was delivered, 1 otherwise (the run is not a result), 2
// on bad usage.
import { randomUUID, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSigner } from 'fast-jwt';
import WebSocket from 'ws';
import { credentialsFromEnv } from './common.mjs';

// ------------------------------------------------------------------ options

const SMOKE_DEFAULTS = {
  joins: { peers: 200, 'room-size': 20, concurrency: 32, workers: 2 },
  hold: { peers: 200, 'room-size': 20, concurrency: 32, 'hold-seconds': 30, workers: 2 },
  broadcast: { peers: 20, seconds: 2, rate: 20, senders: 5, warmup: 0.5 },
};
const DEFAULTS = {
  joins: { peers: 5000, 'room-size': 100, concurrency: 256, workers: 2 },
  hold: { peers: 10000, 'room-size': 100, concurrency: 256, 'hold-seconds': 120, workers: 2 },
  broadcast: { peers: 100, seconds: 10, rate: 50, senders: 10, warmup: 1 },
};

function usage(msg) {
  console.error(`loadgen: ${msg}\nusage: node bench/signalling/loadgen.mjs rooms|tokens|joins|hold|broadcast|all [options] (see the header of this file)`);
  process.exit(2);
}

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  if (!['rooms', 'tokens', 'joins', 'hold', 'broadcast', 'all'].includes(mode)) usage(`unknown mode '${mode ?? ''}'`);
  const o = { mode };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) usage(`unexpected argument '${a}'`);
    const k = a.slice(2);
    if (k === 'smoke') { o.smoke = true; continue; }
    if (i + 1 >= rest.length) usage(`${a} needs a value`);
    o[k] = rest[++i];
  }
  const known = ['mode', 'smoke', 'url', 'api', 'count', 'out', 'rooms-file', 'role', 'label', 'peers', 'room-size',
    'concurrency', 'hold-seconds', 'seconds', 'rate', 'senders', 'warmup', 'join-timeout', 'workers'];
  for (const k of Object.keys(o)) if (!known.includes(k)) usage(`unknown option --${k}`);
  for (const k of ['count', 'peers', 'room-size', 'concurrency', 'hold-seconds', 'seconds', 'rate', 'senders', 'warmup',
    'join-timeout', 'workers']) {
    if (o[k] !== undefined) {
      const n = Number(o[k]);
      if (!Number.isFinite(n) || n <= 0) usage(`--${k} must be a positive number`);
      o[k] = n;
    }
  }
  if (o.url !== undefined && !/^ws:\/\/127\.0\.0\.1:\d+\//.test(o.url)) usage('--url must be ws://127.0.0.1:PORT/...');
  if (o.api !== undefined && !/^http:\/\/127\.0\.0\.1:\d+$/.test(o.api)) usage('--api must be http://127.0.0.1:PORT');
  o.role ??= 'guest';
  o.label ??= 'server';
  o['join-timeout'] ??= 20;
  return o;
}

function modeOptions(o, mode) {
  return { ...(o.smoke ? SMOKE_DEFAULTS : DEFAULTS)[mode], ...Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined)) };
}

// ------------------------------------------------------------------ helpers

const { accessKey, secret } = credentialsFromEnv();
const sign = createSigner({ key: secret, algorithm: 'HS256' });
const nowSec = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Every line carries cpu_s: this process's CPU seconds (all threads) so far,
// so the runner can split the machine's CPU between server, load and others.
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const out = (obj) => process.stdout.write(`${JSON.stringify({ ...obj, cpu_s: round(cpuSeconds() + childCpu, 3) })}\n`);
const say = (s) => process.stderr.write(`${s}\n`);
const hr = () => process.hrtime.bigint();
const msSince = (t0) => Number(hr() - t0) / 1e6;

function appToken(roomId, role) {
  const now = nowSec();
  return sign({
    access_key: accessKey, room_id: roomId, user_id: randomUUID(), role, type: 'app', version: 2,
    iat: now, nbf: now, exp: now + 3600, jti: randomUUID(),
  });
}

function managementToken() {
  const now = nowSec();
  return sign({ access_key: accessKey, type: 'management', version: 2, iat: now, nbf: now, exp: now + 3600, jti: randomUUID() });
}

function loadRooms(o, needed) {
  let rooms;
  if (o['rooms-file']) {
    rooms = JSON.parse(readFileSync(o['rooms-file'], 'utf8'));
    if (!Array.isArray(rooms) || rooms.some((r) => typeof r !== 'string')) usage('--rooms-file must hold a JSON array of ids');
  } else {
    rooms = Array.from({ length: needed }, () => randomBytes(12).toString('hex')); // roomgate-like 24-hex ids
  }
  if (rooms.length < needed) usage(`need ${needed} rooms, --rooms-file has ${rooms.length}`);
  return rooms;
}

// Tokens for peers 0..peers-1, room k holding peers k*roomSize ...
// (k+1)*roomSize-1; with `keep`, only for the peers keep(i) selects. Returns
// [{i, token}].
function mintTokens(o, peers, roomSize, keep = () => true) {
  const rooms = loadRooms(o, Math.ceil(peers / roomSize));
  const t0 = hr();
  const items = [];
  for (let i = 0; i < peers; i++) if (keep(i)) items.push({ i, token: appToken(rooms[Math.floor(i / roomSize)], o.role) });
  say(`  minted ${items.length} tokens in ${msSince(t0).toFixed(0)} ms (before timing)`);
  return items;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x, d = 3) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);

// ------------------------------------------------------------------ joining

// Opens a connection and joins; resolves {ws, ms} on the join reply, rejects
// with an Error whose message is the failure class. After the reply, further
// messages are only counted (never parsed) unless `onEvent` is given.
function joinOne(url, token, name, timeoutMs, stats, onEvent) {
  return new Promise((resolve, reject) => {
    const t0 = hr();
    // skipUTF8Validation: the load generator's own CPU is the scarce resource
    // on 2 cores; the server's frames are not what is being tested here.
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, skipUTF8Validation: true });
    let settled = false;
    const timer = setTimeout(() => finish(new Error('timeout')), timeoutMs);
    function finish(err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        ws.closedByUs = true;
        ws.removeAllListeners('message');
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      } else {
        resolve({ ws, ms: msSince(t0) });
      }
    }
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'join', id: 1, protocol: 1, token, name }));
    });
    const onJoinMessage = (data) => {
      let m;
      try {
        m = JSON.parse(data);
      } catch {
        return finish(new Error('non-JSON message'));
      }
      if (m.type === 'reply' && m.id === 1) {
        if (!m.result?.peer?.peer_id || !Array.isArray(m.result.peers)) return finish(new Error('bad join reply'));
        ws.off('message', onJoinMessage);
        ws.peerId = m.result.peer.peer_id;
        ws.on('message', onEvent ?? (() => { stats.events++; }));
        return finish(null);
      }
      if (m.type === 'error') return finish(new Error(`error ${m.code} ${m.error}`));
      return undefined; // an event before our reply: ignore
    };
    ws.on('message', onJoinMessage);
    ws.on('error', (e) => finish(new Error(`socket ${e.code ?? e.message}`)));
    ws.on('close', (code) => {
      if (settled && !ws.closedByUs) stats.closedEarly++;
      finish(new Error(`closed ${code}`));
    });
  });
}

// Joins items ({i, token}) with `concurrency` in flight. Returns the open
// sockets and timing (t0: first connect, lastReply: last join reply, both
// process.hrtime.bigint(), which is CLOCK_MONOTONIC: comparable across the
// worker processes).
async function joinMany(o, items, concurrency, label, onEventFor) {
  const stats = { events: 0, closedEarly: 0 };
  const sockets = [];
  const latencies = [];
  const failures = {};
  let next = 0;
  let lastReply = null;
  let cpuAtLast = null;
  const cpu0 = process.cpuUsage();
  const t0 = hr();
  const timeoutMs = o['join-timeout'] * 1000;
  async function worker() {
    while (next < items.length) {
      const { i, token } = items[next++];
      try {
        const { ws, ms } = await joinOne(o.url, token, `peer-${i}`, timeoutMs, stats, onEventFor?.(i));
        ws.index = i;
        sockets.push(ws);
        latencies.push(ms);
        lastReply = hr();
      } catch (e) {
        failures[e.message] = (failures[e.message] ?? 0) + 1;
      }
    }
  }
  const progress = setInterval(() => {
    say(`  ${label}: ${sockets.length} joined, ${Object.values(failures).reduce((a, b) => a + b, 0)} failed, ${msSince(t0).toFixed(0)} ms`);
  }, 2000);
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  cpuAtLast = process.cpuUsage(cpu0); // the last join (reply or failure) has just finished
  clearInterval(progress);
  const elapsedMs = lastReply === null ? NaN : Number(lastReply - t0) / 1e6;
  latencies.sort((a, b) => a - b);
  // CPU of this load generator (all its threads) over the timed span, in cores.
  const cpuCores = cpuAtLast ? (cpuAtLast.user + cpuAtLast.system) / 1000 / elapsedMs : NaN;
  return { sockets, stats, failures, elapsedMs, latencies, cpuCores, t0, lastReply };
}

// Waits until no socket has received anything for quietMs (bounded).
async function settle(stats, quietMs, maxMs) {
  const t0 = Date.now();
  let last = stats.events;
  let quietSince = Date.now();
  while (Date.now() - t0 < maxMs) {
    await sleep(50);
    if (stats.events !== last) {
      last = stats.events;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return true;
    }
  }
  return false;
}

async function closeAll(sockets, maxMs = 15000) {
  await Promise.race([
    Promise.all(sockets.map((ws) => new Promise((resolve) => {
      ws.closedByUs = true;
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', resolve);
      ws.on('error', () => {});
      try {
        ws.close(1000);
      } catch {
        resolve();
      }
      return undefined;
    }))),
    new Promise((resolve) => setTimeout(resolve, maxMs).unref()),
  ]);
  for (const ws of sockets) {
    ws.closedByUs = true;
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }
}

const failCount = (failures) => Object.values(failures).reduce((a, b) => a + b, 0);

// ------------------------------------------------------------------ modes

function modeTokens(o) {
  if (!o.out || !o.peers) usage('tokens needs --peers and --out');
  const items = mintTokens(o, o.peers, o['room-size'] ?? 100);
  writeFileSync(o.out, `${items.map((t) => t.token).join('\n')}\n`, { mode: 0o600 });
  out({ mode: 'tokens', count: items.length });
  return true;
}

async function modeRooms(o) {
  if (!o.api || !o.out) usage('rooms needs --api and --out');
  const count = o.count ?? 1;
  const headers = { Authorization: `Bearer ${managementToken()}`, 'Content-Type': 'application/json' };
  const call = async (method, path, body) => {
    const res = await fetch(o.api + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  // A room made without template_id gets the default template: its role must
  // exist and be uncapped (maxPeerCount 0), and rooms must not be size-capped.
  const templates = await call('GET', '/v2/templates?limit=100');
  const probe = await call('POST', '/v2/rooms', { name: 'bench-signalling-probe' });
  const dflt = templates.data.find((t) => t.id === probe.template_id);
  let templateId;
  if (!dflt?.roles?.[o.role] || dflt.roles[o.role].maxPeerCount !== 0) {
    say(`  default template's role '${o.role}' is capped or missing: making template bench-signalling`);
    const t = await call('POST', '/v2/templates', {
      name: 'bench-signalling',
      roles: { [o.role]: { name: o.role, publishParams: { allowed: ['audio', 'video', 'screen'] },
        subscribeParams: { subscribeToRoles: [o.role] }, priority: 1, maxPeerCount: 0 } },
    });
    templateId = t.id;
  }
  const ids = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < count) {
      const i = next++;
      const r = await call('POST', '/v2/rooms', {
        name: `bench-signalling-${i}`, ...(templateId ? { template_id: templateId } : {}),
      });
      if (r.size && r.size > 0 && r.size < 100) throw new Error(`room ${r.id} has size ${r.size}`);
      ids[i] = r.id;
    }
  }));
  writeFileSync(o.out, `${JSON.stringify(ids)}\n`);
  say(`  ${count} rooms created (template ${templateId ?? probe.template_id}), ids in ${o.out}`);
  out({ mode: 'rooms', count, template_id: templateId ?? probe.template_id });
  return true;
}

// joins and hold run in --workers child processes (default 2): one Node
// thread cannot open and serve thousands of ws connections a second, and the
// server under test must not be measured through that ceiling. Each worker
// takes whole rooms (room k goes to worker k mod W), mints its tokens, and
// starts joining when the parent says so; the parent aggregates.
const SELF = fileURLToPath(import.meta.url);

function startWorkers(o, mode, p) {
  const n = Math.max(1, Math.min(p.workers, Math.ceil(p.peers / p['room-size'])));
  const args = process.argv.slice(2);
  return Array.from({ length: n }, (_, w) => {
    const child = fork(SELF, args, {
      env: { ...process.env, LOADGEN_WORKER: `${mode}:${w}:${n}` }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const queue = [];
    const waiters = [];
    child.on('message', (m) => (waiters.length ? waiters.shift()(m) : queue.push(m)));
    child.on('exit', (code) => {
      const m = { type: 'exit', code };
      if (waiters.length) waiters.shift()(m); else queue.push(m);
    });
    child.next = () => new Promise((resolve) => (queue.length ? resolve(queue.shift()) : waiters.push(resolve)));
    return child;
  });
}

async function expectAll(children, type) {
  const ms = await Promise.all(children.map((c) => c.next()));
  const bad = ms.find((m) => m.type !== type);
  if (bad) throw new Error(`a worker sent ${JSON.stringify(bad).slice(0, 300)} instead of ${type}`);
  return ms;
}

let childCpu = 0; // CPU seconds of finished workers, added to cpu_s

async function finishWorkers(children) {
  const ends = await Promise.all(children.map((c) => c.next()));
  for (const e of ends) if (e.type === 'done') childCpu += e.cpu_s;
  const exits = await Promise.all(children.map((c) => (c.exitCode !== null ? { code: c.exitCode } : c.next())));
  return ends.every((e) => e.type === 'done') && exits.every((e) => e.code === 0);
}

// Combines the workers' 'joined' reports.
function aggregate(reports) {
  const t0 = reports.reduce((a, r) => (a === null || BigInt(r.t0) < a ? BigInt(r.t0) : a), null);
  const last = reports.reduce((a, r) => (r.lastReply !== null && (a === null || BigInt(r.lastReply) > a) ? BigInt(r.lastReply) : a), null);
  const failures = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const joined = reports.reduce((a, r) => a + r.joined, 0);
  const elapsedMs = last === null ? NaN : Number(last - t0) / 1e6;
  const cpuCores = reports.reduce((a, r) => a + r.cpuSpan, 0) / (elapsedMs / 1000);
  return { joined, failures, failed: failCount(failures), elapsedMs, latencies, cpuCores,
    events: reports.reduce((a, r) => a + r.events, 0), closedEarly: reports.reduce((a, r) => a + r.closedEarly, 0) };
}

async function workerMain(o, spec) {
  const [mode, w, n] = spec.split(':');
  const index = Number(w);
  const workers = Number(n);
  const p = modeOptions(o, mode);
  const roomSize = p['room-size'];
  const items = mintTokens(o, p.peers, roomSize, (i) => Math.floor(i / roomSize) % workers === index);
  const inbox = [];
  const waiters = [];
  process.on('message', (m) => (waiters.length ? waiters.shift()(m) : inbox.push(m)));
  const orphaned = () => process.exit(3); // the parent is gone
  process.on('disconnect', orphaned);
  const next = () => new Promise((resolve) => (inbox.length ? resolve(inbox.shift()) : waiters.push(resolve)));
  process.send({ type: 'ready' });
  await next(); // go
  const r = await joinMany(o, items, Math.ceil(p.concurrency / workers), `${mode} worker ${index}`);
  const cpuSpan = Number.isFinite(r.cpuCores) ? (r.cpuCores * r.elapsedMs) / 1000 : 0;
  process.send({
    type: 'joined', t0: r.t0.toString(), lastReply: r.lastReply === null ? null : r.lastReply.toString(),
    joined: r.sockets.length, failures: r.failures, latencies: r.latencies, cpuSpan, events: r.stats.events,
    closedEarly: r.stats.closedEarly,
  });
  const quiet = await settle(r.stats, mode === 'hold' ? 500 : 300, mode === 'hold' ? 15000 : 5000);
  process.send({ type: 'settled', quiet, events: r.stats.events, closedEarly: r.stats.closedEarly });
  let open = r.sockets.length;
  if (mode === 'hold') {
    await next(); // release
    open = r.sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }
  await closeAll(r.sockets);
  process.send({ type: 'done', open, cpu_s: cpuSeconds() });
  process.off('disconnect', orphaned);
  process.disconnect();
}

async function modeJoins(o) {
  const p = modeOptions(o, 'joins');
  say(`${o.label}: joins — ${p.peers} peers in rooms of ${p['room-size']}, ${p.concurrency} in flight, ${p.workers} workers`);
  const children = startWorkers(o, 'joins', p);
  await expectAll(children, 'ready');
  for (const c of children) c.send({ type: 'go' });
  const a = aggregate(await expectAll(children, 'joined'));
  const settled = await expectAll(children, 'settled');
  const ok = await finishWorkers(children);
  const events = settled.reduce((x, m) => x + m.events, 0);
  const closedEarly = settled.reduce((x, m) => x + m.closedEarly, 0);
  const res = {
    mode: 'joins', server: o.label, peers: p.peers, room_size: p['room-size'], concurrency: p.concurrency,
    workers: children.length, joined: a.joined, failed: a.failed, failures: a.failures, elapsed_ms: round(a.elapsedMs, 1),
    joins_per_s: round(a.joined / (a.elapsedMs / 1000), 1), join_p50_ms: round(percentile(a.latencies, 50)),
    join_p99_ms: round(percentile(a.latencies, 99)), events_received: events, closed_early: closedEarly,
    loadgen_cpu_cores: round(a.cpuCores, 2),
  };
  out(res);
  say(`  ${res.joined}/${p.peers} joined in ${res.elapsed_ms} ms = ${res.joins_per_s} joins/s ` +
      `(join latency p50 ${res.join_p50_ms} ms, p99 ${res.join_p99_ms} ms), failed ${a.failed}${a.failed ? ` ${JSON.stringify(a.failures)}` : ''}` +
      `, peer events received ${events}, closed early ${closedEarly}; loadgen used ${res.loadgen_cpu_cores} cores`);
  return ok && a.failed === 0 && closedEarly === 0 && a.joined === p.peers;
}

async function modeHold(o, { release = false } = {}) {
  const p = modeOptions(o, 'hold');
  say(`${o.label}: hold — ${p.peers} peers in rooms of ${p['room-size']}, ${p.concurrency} in flight, ${p.workers} workers`);
  let released = release;
  const onSignal = () => { released = true; };
  process.on('SIGUSR2', onSignal);
  const children = startWorkers(o, 'hold', p);
  await expectAll(children, 'ready');
  for (const c of children) c.send({ type: 'go' });
  const a = aggregate(await expectAll(children, 'joined'));
  const settled = await expectAll(children, 'settled');
  const quiet = settled.every((m) => m.quiet);
  out({ event: 'hold_ready', server: o.label, peers: p.peers, joined: a.joined, failed: a.failed, quiet,
    joins_per_s: round(a.joined / (a.elapsedMs / 1000), 1) });
  say(`  holding ${a.joined} peers (failed ${a.failed}${a.failed ? ` ${JSON.stringify(a.failures)}` : ''}); ` +
      `${release ? 'releasing' : `waiting for SIGUSR2 (at most ${p['hold-seconds']} s)`}`);
  const t0 = Date.now();
  while (!released && Date.now() - t0 < p['hold-seconds'] * 1000) await sleep(50);
  process.off('SIGUSR2', onSignal);
  for (const c of children) c.send({ type: 'release' });
  const ends = await Promise.all(children.map((c) => c.next()));
  const open = ends.reduce((x, m) => x + (m.open ?? 0), 0);
  for (const e of ends) if (e.type === 'done') childCpu += e.cpu_s;
  const exits = await Promise.all(children.map((c) => (c.exitCode !== null ? { code: c.exitCode } : c.next())));
  const ok = ends.every((e) => e.type === 'done') && exits.every((e) => e.code === 0);
  const res = { mode: 'hold', server: o.label, peers: p.peers, joined: a.joined, failed: a.failed, failures: a.failures,
    still_open_at_release: open, released_by_signal: released && !release, held_ms: Date.now() - t0 };
  out(res);
  say(`  ${open}/${a.joined} still open at release after ${res.held_ms} ms`);
  return ok && a.failed === 0 && open === p.peers;
}

async function modeBroadcast(o) {
  const p = modeOptions(o, 'broadcast');
  const n = p.peers;
  const senders = Math.min(p.senders, n);
  say(`${o.label}: broadcast — 1 room of ${n} peers, ${p.rate} msg/s over ${senders} senders ` +
      `(${(p.rate / senders).toFixed(1)}/s each), ${p.warmup} s warm-up + ${p.seconds} s`);
  const items = mintTokens(o, n, n);
  const samples = new Float64Array(Math.ceil(p.rate * p.seconds + 10) * n);
  let nsamples = 0;
  let delivered = 0; // measured deliveries to non-senders
  let errors = 0;
  const errorKinds = {};
  const stats = { events: 0, closedEarly: 0 };
  const onEventFor = (i) => (data) => {
    const t1 = hr();
    stats.events++;
    const m = JSON.parse(data);
    if (m.type === 'message') {
      const b = JSON.parse(m.message);
      if (b.s === i || !b.m) return; // own echo, or warm-up
      delivered++;
      if (nsamples < samples.length) samples[nsamples++] = Number(t1 - BigInt(b.t)) / 1e6;
    } else if (m.type === 'error') {
      errors++;
      errorKinds[m.error] = (errorKinds[m.error] ?? 0) + 1;
    }
  };
  const r = await joinMany(o, items, Math.min(32, n), 'broadcast', onEventFor);
  const failed = failCount(r.failures);
  if (failed) {
    say(`  ${failed} joins failed: ${JSON.stringify(r.failures)}`);
    await closeAll(r.sockets);
    out({ mode: 'broadcast', server: o.label, failed, failures: r.failures });
    return false;
  }
  await settle(stats, 300, 5000);
  const byIndex = new Array(n);
  for (const ws of r.sockets) byIndex[ws.index] = ws;
  const interval = 1000 / p.rate;
  const warm = Math.round(p.warmup * p.rate);
  const total = warm + Math.round(p.seconds * p.rate);
  let measured = 0;
  const t0 = performance.now();
  for (let q = 0; q < total; q++) {
    const due = t0 + q * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait - 0.5);
    while (performance.now() < due) await new Promise((res) => setImmediate(res));
    const s = q % senders;
    const m = q >= warm ? 1 : 0;
    measured += m;
    byIndex[s].send(JSON.stringify({
      type: 'send-message', message: JSON.stringify({ s, q, m, t: hr().toString() }),
    }));
  }
  const sendMs = performance.now() - t0;
  const expected = measured * (n - 1);
  const tEnd = Date.now();
  while (delivered < expected && Date.now() - tEnd < 3000) await sleep(20);
  const open = r.sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  await closeAll(r.sockets);
  const lat = samples.subarray(0, nsamples).sort();
  let sum = 0;
  for (const x of lat) sum += x;
  const res = {
    mode: 'broadcast', server: o.label, peers: n, senders, rate: p.rate, seconds: p.seconds,
    messages: measured, send_ms: round(sendMs, 1), expected, delivered, lost: expected - delivered, errors, error_kinds: errorKinds,
    still_open: open, p50_ms: round(percentile(lat, 50)), p95_ms: round(percentile(lat, 95)),
    p99_ms: round(percentile(lat, 99)), max_ms: round(lat[lat.length - 1]), mean_ms: round(sum / lat.length),
  };
  out(res);
  say(`  ${measured} messages, ${delivered}/${expected} deliveries, errors ${errors}${errors ? ` ${JSON.stringify(errorKinds)}` : ''}; ` +
      `latency p50 ${res.p50_ms} ms, p95 ${res.p95_ms} ms, p99 ${res.p99_ms} ms, max ${res.max_ms} ms`);
  return res.lost === 0 && errors === 0 && open === n;
}

// ------------------------------------------------------------------ main

const o = parseArgs(process.argv.slice(2));
if (o.mode !== 'rooms' && o.mode !== 'tokens' && !o.url) usage('--url is required');
if (process.env.LOADGEN_WORKER) {
  try {
    await workerMain(o, process.env.LOADGEN_WORKER);
  } catch (e) {
    say(`loadgen worker: ${e.stack ?? e}`);
    process.exit(1);
  }
  process.exitCode = 0;
} else {
let ok;
try {
  if (o.mode === 'rooms') ok = await modeRooms(o);
  else if (o.mode === 'tokens') ok = modeTokens(o);
  else if (o.mode === 'joins') ok = await modeJoins(o);
  else if (o.mode === 'hold') ok = await modeHold(o);
  else if (o.mode === 'broadcast') ok = await modeBroadcast(o);
  else {
    ok = await modeJoins(o);
    ok = (await modeHold(o, { release: true })) && ok;
    ok = (await modeBroadcast(o)) && ok;
  }
} catch (e) {
  say(`loadgen: ${e.stack ?? e}`);
  ok = false;
}
say(ok ? `loadgen ${o.mode}: OK` : `loadgen ${o.mode}: FAILED`);
process.exit(ok ? 0 : 1);
}
