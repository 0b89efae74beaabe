/**
 * @roomgate/sdk/signalling — the client core of roomgate's signalling protocol, version 1
 * (docs/signalling.md is the contract). No dependencies; runs in browsers and in Node ≥ 20.
 *
 *   import { SignallingClient } from '@roomgate/sdk/signalling';
 *   const client = new SignallingClient({ url: 'wss://rooms.example.com/v2/signal' });
 *   client.on('peer-joined', ({ peer }) => console.log(peer.name, 'joined'));
 *   const joined = await client.join({ token, name: 'Ada' });  // rejects with a SignallingError
 *   await client.sendMessage({ message: 'hello' });
 *   await client.leave();
 *
 * Options: `url` (…/v2/signal), `WebSocket` (the constructor; default globalThis.WebSocket, in
 * Node pass the `ws` package's class), `requestTimeoutMs` (default 10000: how long a request,
 * or opening the socket, may take).
 *
 * Methods: `join({token, name, metadata})`, `leave()`, `ping()`, `updateSelf({name, metadata})`,
 * `sendMessage({message, type, peerId, roles})`, `removePeer(peerId, reason)`,
 * `endRoom({reason, lock})`, `requestMute({peerId, roles, track, mute})`,
 * `changeRole(peerId, role, {force})`, `acceptRoleChange(requestId)`, `refreshToken(token)`;
 * lower level `connect()`, `request(type, fields)`, `send(frame)` (raw, no bookkeeping) and
 * `close(code, reason)` (idempotent).
 *
 * Requests: every method that talks to the server sends one request with a fresh numeric `id`
 * and returns a promise settled by the server's `reply` (resolves with its `result`) or `error`
 * (rejects with a SignallingError carrying the server's `code`, `error` and `message`). A
 * request that gets no answer in `requestTimeoutMs` rejects with `error: 'timeout'`; when the
 * connection closes, every pending request rejects with `error: 'closed'`. Local errors have
 * `code: null`.
 *
 * State kept live from the join result and the events: `sessionId`, `room`, `self` (own Peer),
 * `policy`, `peers` (Map peer_id → Peer of the *other* peers), `tokenExpiresAt`, `media` (the
 * join result's `{available, ice_servers}`, or null from a server without it), `state`
 * ('idle' | 'connecting' | 'open' | 'joined' | 'closed'). State is updated before listeners run.
 *
 * Events (`on(type, fn)`, `off(type, fn)`, `once(type, fn)`, `waitFor(type, predicate,
 * timeoutMs)`): every server event type by its `type` ('peer-joined', 'peer-left',
 * 'peer-updated', 'policy', 'message', 'mute-request', 'role-change-request', 'token-expiring',
 * 'removed', 'room-ended', 'token-expired', 'replaced', 'server-shutdown', and any future type),
 * each with the server's message object; 'error-event' for an `error` with `id: null` (a failed
 * request without id, or a frame the server could not parse); 'close' with `{code, reason}`;
 * '*' receives every event as (payload, type). `client.closed` is a promise of the close event.
 *
 * One client is one connection: after a close, make a new client to join again.
 */

export const PROTOCOL_VERSION = 1;

const OPEN = 1;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** A refusal from the server (`code` is the protocol code) or a local failure (`code` null). */
export class SignallingError extends Error {
  constructor({ code = null, error, message, id, closeCode, closeReason } = {}) {
    super(message || error || 'signalling error');
    this.name = 'SignallingError';
    this.code = code;
    this.error = error;
    if (id !== undefined) this.id = id;
    if (closeCode !== undefined) this.closeCode = closeCode;
    if (closeReason !== undefined) this.closeReason = closeReason;
  }
}

/**
 * The smallest emitter that does the job: listeners per type plus '*' for all. Exported so the
 * browser SDK (roomgate.mjs) offers the same on/off/once/waitFor.
 */
export class Emitter {
  #listeners = new Map();

  /** Adds `fn` for `type`; returns a function that removes it. */
  on(type, fn) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(fn);
    return () => this.off(type, fn);
  }

  off(type, fn) {
    this.#listeners.get(type)?.delete(fn);
  }

  once(type, fn) {
    const off = this.on(type, (...args) => {
      off();
      fn(...args);
    });
    return off;
  }

  /**
   * Resolves with the next `type` event whose payload satisfies `predicate` (default: any);
   * rejects with a SignallingError `timeout` after `timeoutMs` (default 10 s). Only events that
   * arrive after the call count: call it before the action that causes the event.
   */
  waitFor(type, predicate = () => true, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new SignallingError({ error: 'timeout', message: `no '${type}' event within ${timeoutMs} ms` }));
      }, timeoutMs);
      const off = this.on(type, (payload) => {
        let hit;
        try {
          hit = predicate(payload);
        } catch (e) {
          hit = false;
        }
        if (!hit) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
  }

  emit(type, payload) {
    for (const fn of [...(this.#listeners.get(type) ?? [])]) callSafely(fn, payload, type);
    for (const fn of [...(this.#listeners.get('*') ?? [])]) callSafely(fn, payload, type);
  }
}

// A throwing listener must not break the client's own bookkeeping or other listeners.
function callSafely(fn, payload, type) {
  try {
    fn(payload, type);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}

/** Drops undefined fields so optional arguments are simply absent on the wire. */
function compact(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

export class SignallingClient extends Emitter {
  #url;
  #WebSocket;
  #ws = null;
  #nextId = 1;
  #pending = new Map(); // id → {resolve, reject, timer, type}
  #opening = null;
  #resolveClosed;

  constructor({ url, WebSocket = globalThis.WebSocket, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS } = {}) {
    super();
    if (!url) throw new TypeError('SignallingClient: `url` is required');
    if (typeof WebSocket !== 'function') throw new TypeError('SignallingClient: no WebSocket constructor');
    this.#url = url;
    this.#WebSocket = WebSocket;
    this.requestTimeoutMs = requestTimeoutMs;
    this.state = 'idle';
    this.sessionId = null;
    this.room = null;
    this.self = null;
    this.policy = null;
    this.peers = new Map();
    this.tokenExpiresAt = null;
    this.media = null;
    this.closeEvent = null;
    /** Resolves with {code, reason} once the connection has closed. */
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  /** Opens the WebSocket (join() does this for you). Resolves when open. */
  connect() {
    if (this.#opening) return this.#opening;
    if (this.state === 'closed') return Promise.reject(this.#closedError('connect'));
    this.state = 'connecting';
    this.#opening = new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new this.#WebSocket(this.#url);
      } catch (e) {
        this.state = 'closed';
        reject(new SignallingError({ error: 'connect_failed', message: e.message }));
        return;
      }
      this.#ws = ws;
      const timer = setTimeout(() => {
        reject(new SignallingError({ error: 'timeout', message: `no connection within ${this.requestTimeoutMs} ms` }));
        this.close(1000, 'connect timeout');
      }, this.requestTimeoutMs);
      ws.addEventListener('open', () => {
        clearTimeout(timer);
        if (this.state === 'connecting') this.state = 'open';
        resolve();
      });
      ws.addEventListener('message', (ev) => this.#onFrame(ev.data));
      ws.addEventListener('error', () => {}); // a close event follows; it carries what we report
      ws.addEventListener('close', (ev) => {
        clearTimeout(timer);
        reject(new SignallingError({ error: 'connect_failed', message: `closed before open (${ev.code})`, closeCode: ev.code }));
        this.#onClose(ev.code, ev.reason);
      });
    });
    return this.#opening;
  }

  /**
   * Connects if needed and joins with an auth token. Resolves with the join result
   * ({protocol, session_id, room, peer, policy, peers, token_expires_at, server_time}).
   * `protocol` is only for testing servers; leave it alone.
   */
  async join({ token, name, metadata, protocol = PROTOCOL_VERSION } = {}) {
    await this.connect();
    return this.request('join', { protocol, token, name, metadata }, { apply: (r) => this.#applyJoin(r) });
  }

  /** Leaves the room; resolves once the server has answered and closed (or after a timeout). */
  async leave() {
    const result = await this.request('leave');
    await boundedWait(this.closed, this.requestTimeoutMs);
    if (this.state !== 'closed') await this.close(1000, 'left');
    return result;
  }

  ping() {
    return this.request('ping');
  }

  updateSelf({ name, metadata } = {}) {
    return this.request('update-self', { name, metadata }, { apply: (r) => r.peer && (this.self = r.peer) });
  }

  /** To everyone (neither `peerId` nor `roles`), one peer, or every peer of `roles`. */
  sendMessage({ message, type, peerId, roles } = {}) {
    return this.request('send-message', { message, message_type: type, peer_id: peerId, roles });
  }

  removePeer(peerId, reason) {
    return this.request('remove-peer', { peer_id: peerId, reason });
  }

  endRoom({ reason, lock } = {}) {
    return this.request('end-room', { reason, lock });
  }

  /** `track`: 'audio' | 'video' | 'screen'; `mute`: true asks to mute, false to unmute. */
  requestMute({ peerId, roles, track, mute } = {}) {
    return this.request('request-mute', { peer_id: peerId, roles, track, mute });
  }

  /** Forced: resolves {peer}; otherwise asks the target and resolves {request_id}. */
  changeRole(peerId, role, { force } = {}) {
    return this.request('change-role', { peer_id: peerId, role, force });
  }

  acceptRoleChange(requestId) {
    return this.request('accept-role-change', { request_id: requestId });
  }

  refreshToken(token) {
    return this.request('refresh-token', { token }, { apply: (r) => r.expires_at && (this.tokenExpiresAt = r.expires_at) });
  }

  /**
   * Sends any request type with `fields` (undefined ones dropped); settles on its answer.
   * `apply(result)` runs as the reply is read, before any later frame: several frames can
   * arrive in one read, and state kept from a reply must not overwrite the events behind it.
   */
  request(type, fields = {}, { timeoutMs = this.requestTimeoutMs, apply } = {}) {
    if (!this.#ws || this.#ws.readyState !== OPEN) {
      return Promise.reject(this.state === 'closed' ? this.#closedError(type) : notConnected(type));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignallingError({ error: 'timeout', id, message: `no answer to '${type}' within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, type, apply });
      try {
        this.#ws.send(JSON.stringify({ ...compact(fields), type, id }));
      } catch (e) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new SignallingError({ error: 'send_failed', id, message: e.message }));
      }
    });
  }

  /** Sends a raw frame (an object is JSON-encoded) with no bookkeeping. */
  send(frame) {
    if (!this.#ws || this.#ws.readyState !== OPEN) throw notConnected('send');
    this.#ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Closes the connection (idempotent); resolves with the close event, bounded by the timeout. */
  close(code = 1000, reason = '') {
    if (this.#ws && this.state !== 'closed') {
      try {
        this.#ws.close(code, reason);
      } catch {
        this.#ws.close();
      }
    } else if (!this.#ws && this.state !== 'closed') {
      this.#onClose(code, reason);
    }
    return boundedWait(this.closed, this.requestTimeoutMs).then(() => this.closeEvent);
  }

  #onFrame(data) {
    if (typeof data !== 'string') return; // the protocol is text only
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string') return;
    if (msg.type === 'reply' || msg.type === 'error') {
      this.#settle(msg);
      return;
    }
    this.#apply(msg);
    this.emit(msg.type, msg);
  }

  #settle(msg) {
    const waiter = msg.id === null || msg.id === undefined ? undefined : this.#pending.get(msg.id);
    if (!waiter) {
      if (msg.type === 'error') this.emit('error-event', msg);
      return; // a late answer to a request that already timed out
    }
    this.#pending.delete(msg.id);
    clearTimeout(waiter.timer);
    if (msg.type !== 'reply') {
      waiter.reject(new SignallingError(msg));
      return;
    }
    const result = msg.result ?? {};
    if (waiter.apply) callSafely(waiter.apply, result);
    waiter.resolve(result);
  }

  #applyJoin(result) {
    this.sessionId = result.session_id ?? null;
    this.room = result.room ?? null;
    this.self = result.peer ?? null;
    this.policy = result.policy ?? null;
    this.tokenExpiresAt = result.token_expires_at ?? null;
    // Kept here, not read from the awaited result: offers right behind the reply need the ICE
    // servers before the caller's `await join()` resumes.
    this.media = result.media ?? null;
    this.peers = new Map((result.peers ?? []).map((p) => [p.peer_id, p]));
    if (this.state === 'open') this.state = 'joined';
  }

  /** Keeps self / peers / policy in step with the room. */
  #apply(msg) {
    switch (msg.type) {
      case 'peer-joined':
        if (msg.peer?.peer_id) this.peers.set(msg.peer.peer_id, msg.peer);
        break;
      case 'peer-left':
        this.peers.delete(msg.peer_id);
        break;
      case 'peer-updated':
        if (!msg.peer?.peer_id) break;
        if (this.self && msg.peer.peer_id === this.self.peer_id) this.self = msg.peer;
        else this.peers.set(msg.peer.peer_id, msg.peer);
        break;
      case 'policy':
        this.policy = msg.policy ?? this.policy;
        if (this.self && this.policy?.name) this.self = { ...this.self, role: this.policy.name };
        break;
      default:
        break;
    }
  }

  #onClose(code, reason) {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeEvent = { code, reason };
    for (const [id, waiter] of this.#pending) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#closedError(waiter.type, id));
    }
    this.#pending.clear();
    this.#resolveClosed(this.closeEvent);
    this.emit('close', this.closeEvent);
  }

  #closedError(type, id) {
    const ev = this.closeEvent ?? {};
    return new SignallingError({
      error: 'closed',
      id,
      closeCode: ev.code,
      closeReason: ev.reason,
      message: `connection closed (${ev.code ?? 'never opened'}${ev.reason ? ` ${ev.reason}` : ''}) before '${type}' was answered`,
    });
  }
}

/** Waits for `promise` at most `ms` (resolving undefined then), leaving no timer behind. */
function boundedWait(promise, ms) {
  let timer;
  const expiry = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function notConnected(type) {
  return new SignallingError({ error: 'not_connected', message: `cannot send '${type}': not connected` });
}
