// Shared helpers for the integration tests: start/stop a real `roomgate serve`
// on 127.0.0.1 with a fresh data folder, mint management tokens the way the
// 100ms docs do, and make HTTP requests with bounded timeouts.
//
// Every server started here is killed (SIGKILL) when the test process exits,
// whatever happened, and its temporary folders are removed (set
// ROOMGATE_KEEP_DATA=1 to keep them for debugging).
//
// Only 127.0.0.1 is ever contacted.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';

export const BIN = process.env.ROOMGATE_BIN;

// A 24-hex access key and a 64-char, base64-looking secret (like the ones the
// 100ms dashboard hands out, including '+', '/' and '=').
export const ACCESS_KEY = '65f1a2b3c4d5e6f708192a3b';
export const SECRET = 'Zq3+T0p/8wXvK1yLmN2oPqR4sT6uV8wX0yZ2aB4cD6eF8gH0iJ2kL4mN6oP8qR==';
export const OTHER_SECRET = 'wrong-secret-wrong-secret-wrong-secret-wrong-secret!!';

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const CODE_RE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
const MAX_CAPTURE = 4 * 1024 * 1024; // per stream; older output is dropped

const LISTEN_RE = /^roomgate: listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/m;

// ------------------------------------------------------------ cleanup safety

const liveProcs = new Set();
const tempDirs = new Set();

function killAllSync() {
  for (const p of liveProcs) {
    try {
      p.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveProcs.clear();
  if (!process.env.ROOMGATE_KEEP_DATA) {
    for (const d of tempDirs) {
      try {
        rmSync(d, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  }
}

process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killAllSync();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[sig]);
  });
}

export function makeTempDir(prefix = 'roomgate-it-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

// ------------------------------------------------------------ binary + env

export function requireBin() {
  if (!BIN) {
    throw new Error(
      'ROOMGATE_BIN is not set: point it at the roomgate CLI binary, e.g. ' +
        'ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/<file>',
    );
  }
  try {
    accessSync(BIN, fsConstants.X_OK);
  } catch (e) {
    throw new Error(`ROOMGATE_BIN=${BIN} is not an executable file (${e.code})`);
  }
  return BIN;
}

/** Environment for a child: inherited env minus any ROOMGATE_* settings, plus `extra`. */
export function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ROOMGATE_')) delete env[k];
  return { ...env, ...extra };
}

/** Runs a short roomgate CLI command (e.g. `token verify`) synchronously, bounded. */
export function rgCli(args, env = { ROOMGATE_ACCESS_KEY: ACCESS_KEY, ROOMGATE_SECRET: SECRET }) {
  const r = spawnSync(requireBin(), args, {
    encoding: 'utf8',
    timeout: 10_000,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw new Error(`spawning roomgate ${args.join(' ')} failed: ${r.error.message}`);
  return r;
}

// ------------------------------------------------------------ server

/**
 * Starts `roomgate serve --listen 127.0.0.1:0 --data DIR`.
 *
 * options:
 *   config       object: written (as JSON) to a temp file passed with --config
 *   credentials  true (default): ROOMGATE_ACCESS_KEY/SECRET in the env; false: none
 *   env          extra environment
 *   dataDir      reuse a data folder (default: a fresh mkdtemp folder)
 *   args         extra CLI arguments
 *
 * Returns a handle; `url`, `port`, `proc` change on restart().
 */
export async function startServer(options = {}) {
  const bin = requireBin();
  const dataDir = options.dataDir ?? makeTempDir('roomgate-data-');
  let configPath = null;
  if (options.config) {
    configPath = join(makeTempDir('roomgate-cfg-'), 'roomgate.json');
    writeFileSync(configPath, JSON.stringify(options.config, null, 2), { mode: 0o600 });
  }
  const credentials = options.credentials ?? true;
  const env = childEnv({
    ...(credentials ? { ROOMGATE_ACCESS_KEY: ACCESS_KEY, ROOMGATE_SECRET: SECRET } : {}),
    ...(options.env ?? {}),
  });
  const args = [
    'serve',
    '--listen',
    '127.0.0.1:0',
    '--data',
    dataDir,
    ...(configPath ? ['--config', configPath] : []),
    ...(options.args ?? []),
  ];

  const handle = {
    dataDir,
    configPath,
    url: null,
    port: null,
    proc: null,
    /** All stdout / stderr of the current process (tail, bounded). */
    stdout: '',
    stderr: '',
    /** Output of previous processes on this data dir (restart()). */
    history: [],
    exit: null, // {code, signal} once the current process has exited
    exited: null, // promise resolving to {code, signal}
    closed: null, // promise resolving when stdio has closed too
  };

  async function launch() {
    handle.stdout = '';
    handle.stderr = '';
    handle.exit = null;
    const proc = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    handle.proc = proc;
    liveProcs.add(proc);
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      if (handle.proc === proc) handle.stdout = (handle.stdout + d).slice(-MAX_CAPTURE);
    });
    proc.stderr.on('data', (d) => {
      if (handle.proc === proc) handle.stderr = (handle.stderr + d).slice(-MAX_CAPTURE);
    });
    handle.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        liveProcs.delete(proc);
        if (handle.proc === proc) handle.exit = { code, signal };
        resolve({ code, signal });
      });
    });
    handle.closed = new Promise((resolve) => proc.once('close', resolve));
    const spawnError = new Promise((resolve) => proc.once('error', resolve));

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const m = LISTEN_RE.exec(handle.stdout);
      if (m) {
        handle.url = m[1];
        handle.port = Number(m[2]);
        return handle;
      }
      if (handle.exit) {
        await Promise.race([handle.closed, bound(1000)]);
        throw new Error(
          `roomgate serve exited before listening (code ${handle.exit.code}, signal ${handle.exit.signal})\n` +
            `  args: ${args.join(' ')}\n  stdout: ${JSON.stringify(handle.stdout)}\n  stderr: ${JSON.stringify(handle.stderr)}`,
        );
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(
          `roomgate serve printed no listening line within ${START_TIMEOUT_MS} ms\n` +
            `  stdout: ${JSON.stringify(handle.stdout)}\n  stderr: ${JSON.stringify(handle.stderr)}`,
        );
      }
      const err = await Promise.race([spawnError, sleep(20).then(() => null)]);
      if (err) throw new Error(`spawning ${bin} failed: ${err.message}`);
    }
  }

  async function waitExit(ms) {
    const r = await Promise.race([handle.exited, bound(ms).then(() => null)]);
    if (r) await Promise.race([handle.closed, bound(2000)]);
    return r;
  }

  /** SIGTERM, wait (bounded), SIGKILL fallback. Returns {code, signal, stdout, stderr, forced}. */
  handle.stop = async (signal = 'SIGTERM') => {
    const proc = handle.proc;
    if (!proc) return null;
    let forced = false;
    if (!handle.exit) {
      proc.kill(signal);
      if (!(await waitExit(STOP_TIMEOUT_MS))) {
        forced = true;
        proc.kill('SIGKILL');
        await waitExit(KILL_TIMEOUT_MS);
      }
    } else {
      await Promise.race([handle.closed, bound(2000)]);
    }
    return { ...handle.exit, stdout: handle.stdout, stderr: handle.stderr, forced };
  };

  /** kill -9 right now; resolves once the process is gone. */
  handle.kill9 = async () => {
    const proc = handle.proc;
    if (!proc || handle.exit) return handle.exit;
    proc.kill('SIGKILL');
    await waitExit(KILL_TIMEOUT_MS);
    return handle.exit;
  };

  /** Starts a new process on the same data dir / config (stopping the old one first). Port changes. */
  handle.restart = async () => {
    if (handle.proc && !handle.exit) await handle.stop();
    handle.history.push({ stdout: handle.stdout, stderr: handle.stderr, exit: handle.exit });
    await launch();
    return handle;
  };

  handle.isRunning = () => !!handle.proc && !handle.exit;

  await launch();
  return handle;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Like sleep() but does not keep the process alive (for bounding races). */
function bound(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// ------------------------------------------------------------ tokens

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * A management token exactly as the 100ms docs mint one with jsonwebtoken.
 * `payload` overrides/extends claims; `expiresIn` may be false to omit it.
 */
export function mgmtToken({ accessKey = ACCESS_KEY, secret = SECRET, payload = {}, expiresIn = '24h', algorithm = 'HS256' } = {}) {
  return jwt.sign(
    {
      access_key: accessKey,
      type: 'management',
      version: 2,
      iat: nowSec(),
      nbf: nowSec(),
      ...payload,
    },
    secret,
    { algorithm, jwtid: randomUUID(), ...(expiresIn ? { expiresIn } : {}) },
  );
}

/** An app (auth) token as the docs mint it. */
export function appToken({ roomId = '6620d1c2e3f4a5b6c7d8e9f0', role = 'host', secret = SECRET } = {}) {
  return jwt.sign(
    { access_key: ACCESS_KEY, room_id: roomId, user_id: 'u1', role, type: 'app', version: 2, iat: nowSec(), nbf: nowSec() },
    secret,
    { algorithm: 'HS256', expiresIn: '24h', jwtid: randomUUID() },
  );
}

// ------------------------------------------------------------ HTTP

/**
 * fetch() against the server with a timeout. `body` objects are JSON-encoded
 * (Content-Type: application/json); strings/Buffers are sent as given.
 * `token`: management token (default: a fresh one); pass null for none.
 * Returns {status, headers, text, json} (json undefined when not JSON).
 */
export async function api(srv, method, path, { body, token, headers = {}, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const h = { ...headers };
  if (token === undefined) token = mgmtToken();
  if (token !== null) h.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(srv.url + path, { method, headers: h, body: payload, signal: AbortSignal.timeout(timeoutMs) });
  return readResponse(res);
}

/** Describes a response for assertion messages. */
export function show(res) {
  return `HTTP ${res.status} ${JSON.stringify(res.text?.slice(0, 500))}`;
}

/** Asserts HTTP `status` and that the body is JSON {code: status, message: non-empty string}. */
export function assertJsonError(res, status, what = '') {
  const ctx = `${what ? what + ': ' : ''}${show(res)}`;
  assert.equal(res.status, status, `expected HTTP ${status}; ${ctx}`);
  const ct = res.headers.get('content-type') ?? '';
  assert.match(ct, /application\/json/i, `error Content-Type must be JSON (got ${JSON.stringify(ct)}); ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `error body must be a JSON object; ${ctx}`);
  assert.equal(res.json.code, status, `body.code must equal the HTTP status; ${ctx}`);
  assert.equal(typeof res.json.message, 'string', `body.message must be a string; ${ctx}`);
  assert.ok(res.json.message.length > 0, `body.message must not be empty; ${ctx}`);
}

/** Asserts HTTP 200 with a JSON body; returns the body. */
export function ok200(res, what = '') {
  assert.equal(res.status, 200, `${what ? what + ': ' : ''}expected 200; ${show(res)}`);
  assert.ok(res.json !== undefined, `${what}: body must be JSON; ${show(res)}`);
  return res.json;
}

/**
 * A raw HTTP/1.1 request over a plain TCP socket (for things fetch can't
 * express: arbitrary methods/headers, huge bodies where the server answers
 * 413 and closes while we are still writing). The response is read eagerly;
 * write errors (EPIPE/ECONNRESET) after the server has answered are ignored.
 * One request per connection (Connection: close).
 * Resolves {status, headers: {get(name)}, text, json, writeError?}.
 */
export function rawRequest(srv, { method = 'GET', path = '/', headers = {}, body, chunked = false, timeoutMs = REQUEST_TIMEOUT_MS }) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: srv.port });
    const received = [];
    let writeError;
    let done = false;
    const timer = setTimeout(() => finish(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);

    function finish(fatal) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const parsed = parseHttpResponse(Buffer.concat(received));
      if (!parsed) {
        reject(fatal ?? writeError ?? new Error(`no complete HTTP response (got ${Buffer.concat(received).length} bytes)`));
        return;
      }
      resolve({ ...parsed, writeError });
    }

    sock.on('data', (d) => {
      received.push(d);
      const parsed = parseHttpResponse(Buffer.concat(received));
      if (parsed?.complete) finish();
    });
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    sock.on('error', (e) => {
      writeError = e;
      // Give already-arrived response bytes a moment to be read.
      setTimeout(() => finish(e), 100);
    });

    const h = { Host: `127.0.0.1:${srv.port}`, Connection: 'close', ...headers };
    if (body !== undefined) {
      if (chunked) h['Transfer-Encoding'] = 'chunked';
      else if (h['Content-Length'] === undefined) h['Content-Length'] = Buffer.byteLength(body);
    }
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(h)) head += `${k}: ${v}\r\n`;
    sock.write(head + '\r\n');
    if (body === undefined) return;
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const step = 64 * 1024;
    let off = 0;
    const pump = () => {
      while (off < buf.length && !done && !sock.destroyed) {
        const piece = buf.subarray(off, off + step);
        off += step;
        const ok = chunked
          ? sock.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]))
          : sock.write(piece);
        if (!ok) {
          sock.once('drain', pump);
          return;
        }
      }
      if (off >= buf.length && chunked && !done && !sock.destroyed) sock.write('0\r\n\r\n');
    };
    pump();
  });
}

/** Parses a (possibly partial) HTTP/1.1 response; null until the head is complete. */
function parseHttpResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) return null;
  const hdrs = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) {
      const k = l.slice(0, i).trim().toLowerCase();
      const v = l.slice(i + 1).trim();
      hdrs[k] = k in hdrs ? `${hdrs[k]}, ${v}` : v;
    }
  }
  let rest = buf.subarray(end + 4);
  let bodyBuf;
  let complete;
  if (/chunked/i.test(hdrs['transfer-encoding'] ?? '')) {
    const parts = [];
    complete = false;
    for (;;) {
      const nl = rest.indexOf('\r\n');
      if (nl < 0) break;
      const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) {
        complete = true;
        break;
      }
      if (rest.length < nl + 2 + size + 2) break;
      parts.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    bodyBuf = Buffer.concat(parts);
  } else if (hdrs['content-length'] !== undefined) {
    const n = Number(hdrs['content-length']);
    complete = rest.length >= n;
    bodyBuf = rest.subarray(0, n);
  } else {
    const noBody = m[1] === '204' || m[1] === '304';
    complete = noBody;
    bodyBuf = noBody ? Buffer.alloc(0) : rest;
  }
  const text = bodyBuf.toString('utf8');
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(m[1]), headers: { get: (k) => hdrs[k.toLowerCase()] ?? null, raw: hdrs }, text, json, complete };
}

/** A fetch Response as {status, headers, text, json} (json undefined when the body is not JSON). */
export async function readResponse(res) {
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
