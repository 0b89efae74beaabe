// Shared helpers for the live-session suites (signalling_*.test.mjs, active_rooms.test.mjs):
// a Harness around one `roomgate serve` with a `session` config, rooms and templates made over
// REST, auth tokens minted like the 100ms docs do (jsonwebtoken, HS256), SDK clients that log
// every event they get, and raw `ws` sockets for what the SDK would never send.
//
// Every wait is bounded; every client a test makes through the Harness is closed by
// h.closeAll() (call it in afterEach). Only 127.0.0.1 is contacted.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { SignallingClient } from '../../sdk/src/signalling.mjs';
import { ACCESS_KEY, SECRET, api, ok200, show, startServer } from './server.mjs';

export { WebSocket };
export const WAIT_MS = 5000;
export const NO_SUCH_ROOM = '000000000000000000000000';
export const nowSec = () => Math.floor(Date.now() / 1000);

/** Resolves with `promise`, or rejects with `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** An app (auth) token as the 100ms docs mint one; any claim can be overridden or dropped (undefined). */
export function authToken({
  roomId,
  userId = `user-${randomUUID().slice(0, 8)}`,
  role = 'host',
  secret = SECRET,
  accessKey = ACCESS_KEY,
  type = 'app',
  version = 2,
  iat = nowSec(),
  nbf = nowSec(),
  exp = nowSec() + 3600,
  extra = {},
} = {}) {
  const claims = { access_key: accessKey, room_id: roomId, user_id: userId, role, type, version, iat, nbf, exp, jti: randomUUID(), ...extra };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}

/** Short text for assertion messages: the types (and codes) a client saw. */
export function summary(log) {
  return log
    .map((e) => (e.type === 'close' ? `close(${e.code})` : e.type === 'error-event' ? `error-event(${e.code})` : e.type))
    .join(', ')
    .slice(0, 1500);
}

/** The first logged `type` event matching `pred`, waiting (bounded) if it has not come yet. */
export function eventOf(client, type, pred = () => true, ms = WAIT_MS) {
  const hit = client.log.find((e) => e.type === type && pred(e));
  if (hit) return Promise.resolve(hit);
  return client.waitFor(type, pred, ms).catch(() => {
    throw new Error(`${client.label}: no matching '${type}' within ${ms} ms; saw: ${summary(client.log)}`);
  });
}

/** Resolves with the close event {code, reason}, failing after `ms`. */
export function closeOf(client, ms = WAIT_MS) {
  return within(client.closed, ms, `${client.label} was not closed; saw: ${summary(client.log)}`);
}

/** Asserts that `client` logged no `type` event matching `pred` (after a round trip, see settle()). */
export function assertNone(client, type, pred = () => true, what = '') {
  const hits = client.log.filter((e) => e.type === type && pred(e));
  assert.equal(hits.length, 0, `${client.label} must not get '${type}'${what ? ` (${what})` : ''}: got ${JSON.stringify(hits).slice(0, 500)}`);
}

/**
 * Waits for a ping round trip on every client: events the server queued for them before the
 * pings (e.g. a broadcast whose sender already has its reply) have then been read.
 */
export async function settle(...clients) {
  await Promise.all(clients.filter((c) => c.state !== 'closed').map((c) => c.ping()));
}

/** Asserts a rejected request: SignallingError with `code` (and `error` name when given). */
export async function assertRefused(promise, code, error, what = '') {
  const err = await promise.then(
    (r) => assert.fail(`${what}: expected error ${code}, got reply ${JSON.stringify(r)}`),
    (e) => e,
  );
  assert.equal(err.code, code, `${what}: expected code ${code}, got ${err.code} ${err.error} (${err.message})`);
  if (error) assert.equal(err.error, error, `${what}: error name`);
  return err;
}

export class Harness {
  /** Starts `roomgate serve` with the given `session` section (and more config). */
  static async start(session = {}, config = {}) {
    const srv = await startServer({ config: { server: { access_log: false }, session, ...config } });
    return new Harness(srv);
  }

  constructor(srv) {
    this.srv = srv;
    this.url = `${srv.url.replace(/^http/, 'ws')}/v2/signal`;
    this.clients = new Set();
    this.raws = new Set();
    this.seq = 0;
  }

  async stop() {
    await this.closeAll();
    return this.srv.stop();
  }

  /** Closes every client and raw socket made through this harness. */
  async closeAll() {
    const closing = [...this.clients].map((c) => c.close().catch(() => {}));
    for (const r of this.raws) r.ws.terminate();
    this.clients.clear();
    this.raws.clear();
    await within(Promise.all(closing), WAIT_MS, 'closing clients').catch(() => {});
  }

  /** A room (default template unless `template_id` is given) with a unique name. */
  async room(body = {}) {
    const name = `room-${process.pid}-${++this.seq}`;
    return ok200(await api(this.srv, 'POST', '/v2/rooms', { body: { name, ...body } }), 'create room');
  }

  /** A template with these roles ({name: partial Role}); returns the template JSON. */
  async template(roles) {
    const full = Object.fromEntries(Object.entries(roles).map(([n, r]) => [n, { name: n, ...r }]));
    const name = `tpl-${process.pid}-${++this.seq}`;
    return ok200(await api(this.srv, 'POST', '/v2/templates', { body: { name, roles: full } }), 'create template');
  }

  async setRoom(roomId, body) {
    return ok200(await api(this.srv, 'POST', `/v2/rooms/${roomId}`, { body }), 'update room');
  }

  /** REST call with a management token; asserts 200 and returns the JSON body. */
  async rest(method, path, body) {
    const res = await api(this.srv, method, path, { body });
    assert.equal(res.status, 200, `${method} ${path}: ${show(res)}`);
    return res.json;
  }

  /** A REST call returning the raw {status, json, text}. */
  restRaw(method, path, body) {
    return api(this.srv, method, path, { body });
  }

  token(opts) {
    return authToken(opts);
  }

  /** An SDK client that logs every event ({type, ...}) in client.log. */
  client(label = `c${++this.seq}`, { requestTimeoutMs = WAIT_MS } = {}) {
    const client = new SignallingClient({ url: this.url, WebSocket, requestTimeoutMs });
    client.label = label;
    client.log = [];
    client.on('*', (ev, type) => client.log.push(type === 'close' || type === 'error-event' ? { ...ev, type } : ev));
    this.clients.add(client);
    return client;
  }

  /** Joins `room` with a fresh token; returns the client (joinResult in client.joinResult). */
  async join(room, { role = 'host', userId, name, metadata, label, exp, token, requestTimeoutMs } = {}) {
    const roomId = typeof room === 'string' ? room : room.id;
    const client = this.client(label ?? name ?? role, requestTimeoutMs ? { requestTimeoutMs } : {});
    const t = token ?? authToken({ roomId, role, userId, ...(exp !== undefined ? { exp } : {}) });
    try {
      client.joinResult = await client.join({ token: t, name: name ?? label ?? role, metadata });
    } catch (e) {
      throw new Error(`${client.label} could not join as ${role}: ${e.code} ${e.error} ${e.message}`);
    }
    return client;
  }

  /** Expects the join with `token` to be refused with `code`/`error`, then a close with `code`. */
  async expectRefusal(token, code, error, what) {
    const client = this.client(what);
    const err = await assertRefused(client.join({ token, name: 'refused' }), code, error, what);
    const closed = await closeOf(client);
    assert.equal(closed.code, code, `${what}: close code after the refusal`);
    return err;
  }

  /** A raw `ws` socket to /v2/signal (open). See RawSocket. */
  async raw(options) {
    const r = new RawSocket(this.url, options);
    this.raws.add(r);
    await r.opened;
    return r;
  }
}

/** A plain `ws` connection that records every frame (parsed when JSON) and the close. */
export class RawSocket {
  constructor(url, options = {}) {
    this.ws = new WebSocket(url, options);
    this.frames = [];
    this.nextId = 1;
    this.waiters = new Set();
    this.closeEvent = null;
    this.opened = within(
      new Promise((resolve, reject) => {
        this.ws.once('open', resolve);
        this.ws.once('error', reject);
      }),
      WAIT_MS,
      'raw socket open',
    );
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        resolve(this.closeEvent);
      });
    });
    this.ws.on('error', () => {}); // the close event reports it
    this.ws.on('message', (data, isBinary) => {
      let msg;
      try {
        msg = isBinary ? { binary: data } : JSON.parse(data.toString());
      } catch {
        msg = { text: data.toString() };
      }
      this.frames.push(msg);
      for (const w of [...this.waiters]) w(msg);
    });
  }

  send(frame, options) {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame), options);
  }

  /** The first frame (already received or coming) matching `pred`. */
  next(pred, ms = WAIT_MS, what = 'frame') {
    const hit = this.frames.find(pred);
    if (hit) return Promise.resolve(hit);
    let waiter;
    const p = new Promise((resolve) => {
      waiter = (msg) => {
        if (pred(msg)) resolve(msg);
      };
      this.waiters.add(waiter);
    });
    return within(p, ms, `${what}; got ${JSON.stringify(this.frames).slice(0, 800)}`).finally(() => this.waiters.delete(waiter));
  }

  /** Sends a request with a fresh id and resolves with its reply or error frame. */
  request(msg, ms = WAIT_MS) {
    const id = this.nextId++;
    this.send({ ...msg, id });
    return this.next((f) => f.id === id && (f.type === 'reply' || f.type === 'error'), ms, `answer to ${msg.type}`);
  }

  closedWithin(ms = WAIT_MS) {
    return within(this.closed, ms, `raw socket not closed; frames: ${JSON.stringify(this.frames).slice(0, 500)}`);
  }
}
