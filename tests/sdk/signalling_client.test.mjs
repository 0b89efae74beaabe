// Unit tests of the JS signalling client (sdk/src/signalling.mjs) against a tiny in-test
// server built on the `ws` package that speaks just enough of docs/signalling.md: request/reply
// correlation by id, errors, silence (timeouts), closes, and pushed events.
// No roomgate binary is needed. Only 127.0.0.1 is contacted.
//
// Run:  node --test tests/sdk/signalling_client.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { SignallingClient, SignallingError, PROTOCOL_VERSION } from '../../sdk/src/signalling.mjs';

const WAIT_MS = 3000;

const peer = (id, extra = {}) => ({
  peer_id: id,
  name: `name-${id}`,
  user_id: `user-${id}`,
  role: 'guest',
  metadata: '',
  joined_at: '2026-01-01T00:00:00Z',
  ...extra,
});
const role = (name) => ({ name, permissions: {}, publishParams: { allowed: [] }, subscribeParams: { subscribeToRoles: [] } });
const SELF = peer('self', { role: 'host' });
const OTHER = peer('p2');

// ------------------------------------------------------------ the fake server

let wss;
let url;
/** Connections in arrival order; each is {ws, frames: [parsed requests]} . */
const conns = [];

/** What the fake server does with one request; `c` is the connection record. */
function handle(c, msg) {
  const reply = (result) => c.ws.send(JSON.stringify({ type: 'reply', id: msg.id, result }));
  const error = (code, err, message) => c.ws.send(JSON.stringify({ type: 'error', id: msg.id, code, error: err, message }));
  switch (msg.type) {
    case 'join':
      if (msg.token === 'burst') {
        // The reply and the events behind it in one TCP segment, so the client reads them in
        // one go: state from the reply must not overwrite what the events say.
        c.ws._socket.cork();
        handle(c, { ...msg, token: 'good' });
        c.ws.send(JSON.stringify({ type: 'peer-joined', peer: peer('p9') }));
        c.ws.send(JSON.stringify({ type: 'peer-left', peer_id: 'p2', reason: 'left' }));
        c.ws.send(JSON.stringify({ type: 'policy', policy: { name: 'guest', role: role('guest'), known_roles: {} } }));
        process.nextTick(() => c.ws._socket.uncork());
        return;
      }
      if (msg.token === 'bad') {
        error(4001, 'token_invalid', 'bad signature');
        c.ws.close(4001, 'token_invalid');
        return;
      }
      reply({
        protocol: 1,
        session_id: 'sess-1',
        room: { id: 'room-1', name: 'r' },
        peer: { ...SELF, name: msg.name ?? SELF.name },
        policy: { name: 'host', role: role('host'), known_roles: { host: role('host'), guest: role('guest') } },
        peers: [OTHER],
        token_expires_at: '2030-01-01T00:00:00Z',
        server_time: '2026-01-01T00:00:00Z',
      });
      return;
    case 'ping':
      reply({ server_time: '2026-01-01T00:00:01Z' });
      return;
    case 'remove-peer':
      if (msg.peer_id === 'nobody') error(4105, 'peer_not_found', 'no such peer');
      else reply({});
      return;
    case 'slow': // answers after a later request, to check correlation by id
      setTimeout(() => reply({ which: 'slow' }), 150);
      return;
    case 'silent':
      return; // never answers: timeouts
    case 'update-self':
      reply({ peer: { ...SELF, name: msg.name, metadata: msg.metadata } });
      return;
    case 'refresh-token':
      reply({ expires_at: '2031-01-01T00:00:00Z' });
      return;
    case 'leave':
      reply({});
      c.ws.close(1000, 'left');
      return;
    case 'hang-up':
      c.ws.close(4201, 'room ended');
      return;
    default:
      reply({ echo: msg });
  }
}

before(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${wss.address().port}/v2/signal`;
  wss.on('connection', (ws) => {
    const c = { ws, frames: [] };
    conns.push(c);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      c.frames.push(msg);
      handle(c, msg);
    });
  });
});

after(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

/** A client for `url` plus the server side of its connection once joined. */
async function joined(options = {}) {
  const client = new SignallingClient({ url, WebSocket, requestTimeoutMs: WAIT_MS, ...options });
  const before = conns.length;
  await client.join({ token: 'good', name: 'Ada' });
  const c = conns[before];
  assert.ok(c, 'the fake server saw the connection');
  return { client, c, push: (ev) => c.ws.send(JSON.stringify(ev)) };
}

/** Resolves once the server has seen `n` frames on `c`. */
async function framesSeen(c, n) {
  const deadline = Date.now() + WAIT_MS;
  while (c.frames.length < n) {
    if (Date.now() > deadline) throw new Error(`server saw ${c.frames.length} frames, wanted ${n}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ------------------------------------------------------------ tests

describe('SignallingClient', { timeout: 20_000 }, () => {
  test('join sends protocol 1 with the token first and keeps the joined state', async () => {
    const { client, c } = await joined();
    try {
      assert.deepEqual(c.frames[0], { type: 'join', id: 1, protocol: PROTOCOL_VERSION, token: 'good', name: 'Ada' });
      assert.equal(client.state, 'joined');
      assert.equal(client.sessionId, 'sess-1');
      assert.deepEqual(client.room, { id: 'room-1', name: 'r' });
      assert.equal(client.self.peer_id, 'self');
      assert.equal(client.self.name, 'Ada');
      assert.equal(client.policy.name, 'host');
      assert.deepEqual([...client.peers.keys()], ['p2']);
      assert.equal(client.tokenExpiresAt, '2030-01-01T00:00:00Z');
    } finally {
      await client.close();
    }
  });

  test('events read together with the join reply are applied after it, not lost', async () => {
    const client = new SignallingClient({ url, WebSocket, requestTimeoutMs: WAIT_MS });
    try {
      await client.join({ token: 'burst' });
      await client.ping(); // every frame before the pong has been handled
      assert.deepEqual([...client.peers.keys()], ['p9']);
      assert.equal(client.policy.name, 'guest');
      assert.equal(client.self.role, 'guest');
    } finally {
      await client.close();
    }
  });

  test('a refused join rejects with the server code, then the close carries the same code', async () => {
    const client = new SignallingClient({ url, WebSocket, requestTimeoutMs: WAIT_MS });
    const closed = client.waitFor('close', () => true, WAIT_MS);
    const err = await client.join({ token: 'bad' }).then(
      () => assert.fail('join must reject'),
      (e) => e,
    );
    assert.ok(err instanceof SignallingError);
    assert.equal(err.code, 4001);
    assert.equal(err.error, 'token_invalid');
    assert.equal(err.message, 'bad signature');
    assert.deepEqual(await closed, { code: 4001, reason: 'token_invalid' });
    assert.equal(client.state, 'closed');
    assert.deepEqual(await client.closed, { code: 4001, reason: 'token_invalid' });
  });

  test('ids auto-increment and answers are matched by id, whatever their order', async () => {
    const { client, c } = await joined();
    try {
      const slow = client.request('slow');
      const fast = client.ping();
      assert.deepEqual(await fast, { server_time: '2026-01-01T00:00:01Z' });
      assert.deepEqual(await slow, { which: 'slow' });
      assert.deepEqual(
        c.frames.map((f) => f.id),
        [1, 2, 3],
      );
    } finally {
      await client.close();
    }
  });

  test('an error answer rejects only its own request and the connection stays usable', async () => {
    const { client } = await joined();
    try {
      const [bad, good] = await Promise.allSettled([client.removePeer('nobody'), client.removePeer('p2', 'spam')]);
      assert.equal(bad.status, 'rejected');
      assert.ok(bad.reason instanceof SignallingError);
      assert.equal(bad.reason.code, 4105);
      assert.equal(bad.reason.error, 'peer_not_found');
      assert.equal(good.status, 'fulfilled');
      assert.deepEqual(good.value, {});
      assert.ok(await client.ping());
    } finally {
      await client.close();
    }
  });

  test('every request method puts the documented type and field names on the wire', async () => {
    const { client, c } = await joined();
    try {
      const cases = [
        [() => client.sendMessage({ message: 'hi' }), { type: 'send-message', message: 'hi' }],
        [
          () => client.sendMessage({ message: 'x', type: 'emoji', peerId: 'p2' }),
          { type: 'send-message', message: 'x', message_type: 'emoji', peer_id: 'p2' },
        ],
        [() => client.sendMessage({ message: 'y', roles: ['guest'] }), { type: 'send-message', message: 'y', roles: ['guest'] }],
        [() => client.removePeer('p2'), { type: 'remove-peer', peer_id: 'p2' }],
        [() => client.endRoom(), { type: 'end-room' }],
        [() => client.endRoom({ reason: 'bye', lock: true }), { type: 'end-room', reason: 'bye', lock: true }],
        [
          () => client.requestMute({ peerId: 'p2', track: 'audio', mute: true }),
          { type: 'request-mute', peer_id: 'p2', track: 'audio', mute: true },
        ],
        [
          () => client.requestMute({ roles: ['guest'], track: 'video', mute: false }),
          { type: 'request-mute', roles: ['guest'], track: 'video', mute: false },
        ],
        [() => client.changeRole('p2', 'viewer'), { type: 'change-role', peer_id: 'p2', role: 'viewer' }],
        [() => client.changeRole('p2', 'viewer', { force: true }), { type: 'change-role', peer_id: 'p2', role: 'viewer', force: true }],
        [() => client.acceptRoleChange('rq-1'), { type: 'accept-role-change', request_id: 'rq-1' }],
        [() => client.ping(), { type: 'ping' }],
      ];
      for (const [call, wire] of cases) {
        const n = c.frames.length;
        await call();
        const { id, ...rest } = c.frames[n];
        assert.equal(typeof id, 'number');
        assert.deepEqual(rest, wire);
      }
    } finally {
      await client.close();
    }
  });

  test('updateSelf and refreshToken keep self and tokenExpiresAt current', async () => {
    const { client, c } = await joined();
    try {
      const r = await client.updateSelf({ name: 'Bea', metadata: '{"a":1}' });
      assert.equal(r.peer.name, 'Bea');
      assert.equal(client.self.name, 'Bea');
      assert.equal(client.self.metadata, '{"a":1}');
      assert.deepEqual(c.frames.at(-1), { type: 'update-self', id: c.frames.at(-1).id, name: 'Bea', metadata: '{"a":1}' });
      await client.refreshToken('fresh');
      assert.equal(client.tokenExpiresAt, '2031-01-01T00:00:00Z');
      assert.equal(c.frames.at(-1).token, 'fresh');
    } finally {
      await client.close();
    }
  });

  test('a request with no answer times out, and its late answer is ignored', async () => {
    const { client } = await joined({ requestTimeoutMs: 200 });
    try {
      const t0 = Date.now();
      const err = await client.request('silent').catch((e) => e);
      assert.ok(err instanceof SignallingError);
      assert.equal(err.error, 'timeout');
      assert.equal(err.code, null);
      assert.ok(Date.now() - t0 >= 190, 'not before the timeout');
      // Per-request override, and the connection still works.
      const err2 = await client.request('silent', {}, { timeoutMs: 50 }).catch((e) => e);
      assert.equal(err2.error, 'timeout');
      assert.ok(await client.ping());
    } finally {
      await client.close();
    }
  });

  test('a close rejects every pending request, and later requests fail fast', async () => {
    const { client } = await joined();
    const pending = [client.request('silent'), client.request('silent'), client.request('hang-up')];
    const results = await Promise.allSettled(pending);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.error, 'closed');
      assert.equal(r.reason.closeCode, 4201);
    }
    assert.equal(client.state, 'closed');
    assert.deepEqual(client.closeEvent, { code: 4201, reason: 'room ended' });
    const late = await client.ping().catch((e) => e);
    assert.equal(late.error, 'closed');
    assert.throws(() => client.send({ type: 'ping' }), /not connected/);
    await client.close(); // idempotent
  });

  test('leave resolves once the server has answered and closed with 1000', async () => {
    const { client } = await joined();
    assert.deepEqual(await client.leave(), {});
    assert.equal(client.state, 'closed');
    assert.equal(client.closeEvent.code, 1000);
  });

  test('events keep the peer map, self and policy current before listeners run', async () => {
    const { client, push } = await joined();
    try {
      const seen = [];
      client.on('*', (ev, type) => seen.push(type));
      client.on('peer-joined', (ev) => assert.ok(client.peers.has(ev.peer.peer_id), 'state is updated first'));

      let ev = client.waitFor('peer-joined', () => true, WAIT_MS);
      push({ type: 'peer-joined', peer: peer('p3') });
      await ev;
      assert.deepEqual([...client.peers.keys()].sort(), ['p2', 'p3']);

      ev = client.waitFor('peer-updated', (e) => e.peer.peer_id === 'p2', WAIT_MS);
      push({ type: 'peer-updated', peer: peer('p2', { name: 'renamed' }), changed: ['name'] });
      await ev;
      assert.equal(client.peers.get('p2').name, 'renamed');

      ev = client.waitFor('peer-updated', (e) => e.peer.peer_id === 'self', WAIT_MS);
      push({ type: 'peer-updated', peer: { ...SELF, role: 'guest' }, changed: ['role'] });
      await ev;
      assert.equal(client.self.role, 'guest');
      assert.ok(!client.peers.has('self'), 'self is not one of the peers');

      ev = client.waitFor('policy', () => true, WAIT_MS);
      push({ type: 'policy', policy: { name: 'viewer', role: role('viewer'), known_roles: {} } });
      await ev;
      assert.equal(client.policy.name, 'viewer');
      assert.equal(client.self.role, 'viewer');

      ev = client.waitFor('peer-left', () => true, WAIT_MS);
      push({ type: 'peer-left', peer_id: 'p2', reason: 'left' });
      assert.equal((await ev).reason, 'left');
      assert.deepEqual([...client.peers.keys()], ['p3']);

      ev = client.waitFor('some-future-event', () => true, WAIT_MS);
      push({ type: 'some-future-event', x: 1 });
      assert.equal((await ev).x, 1);
      assert.deepEqual(seen, ['peer-joined', 'peer-updated', 'peer-updated', 'policy', 'peer-left', 'some-future-event']);
    } finally {
      await client.close();
    }
  });

  test('an error with id null is an error-event; junk frames are ignored', async () => {
    const { client, c, push } = await joined();
    try {
      const ev = client.waitFor('error-event', () => true, WAIT_MS);
      c.ws.send('not json');
      c.ws.send('[1,2]');
      c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
      push({ type: 'error', id: null, code: 4100, error: 'bad_message', message: 'x' });
      assert.equal((await ev).code, 4100);
      assert.ok(await client.ping());
      assert.equal(client.state, 'joined');
    } finally {
      await client.close();
    }
  });

  test('waitFor honours its predicate and times out', async () => {
    const { client, push } = await joined();
    try {
      const want = client.waitFor('message', (m) => m.message === 'second', WAIT_MS);
      push({ type: 'message', message: 'first' });
      push({ type: 'message', message: 'second' });
      assert.equal((await want).message, 'second');
      const err = await client.waitFor('message', () => true, 50).catch((e) => e);
      assert.equal(err.error, 'timeout');
      // once / off
      let n = 0;
      client.once('message', () => n++);
      const off = client.on('message', () => n++);
      off();
      const last = client.waitFor('message', () => true, WAIT_MS);
      push({ type: 'message', message: 'a' });
      push({ type: 'message', message: 'b' });
      await last;
      await client.ping(); // both frames were handled before the reply
      assert.equal(n, 1);
    } finally {
      await client.close();
    }
  });

  test('a local close resolves closed and fires the close event', async () => {
    const { client } = await joined();
    const ev = client.waitFor('close', () => true, WAIT_MS);
    const closed = await client.close(1000, 'bye');
    assert.equal(closed.code, 1000);
    assert.equal((await ev).code, 1000);
    assert.equal(client.state, 'closed');
  });

  test('joining where nothing listens rejects instead of hanging', async () => {
    const srv = net.createServer();
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    const port = srv.address().port;
    await new Promise((r) => srv.close(r)); // now nothing listens there
    const client = new SignallingClient({ url: `ws://127.0.0.1:${port}/v2/signal`, WebSocket, requestTimeoutMs: WAIT_MS });
    const err = await client.join({ token: 'good' }).catch((e) => e);
    assert.ok(err instanceof SignallingError);
    assert.equal(err.error, 'connect_failed');
    assert.equal(client.state, 'closed');
  });

  test('requests before connecting fail fast; options are checked', async () => {
    const client = new SignallingClient({ url, WebSocket });
    assert.equal((await client.ping().catch((e) => e)).error, 'not_connected');
    assert.throws(() => new SignallingClient({ WebSocket }), /url/);
    assert.throws(() => new SignallingClient({ url, WebSocket: null }), /WebSocket/);
    await client.close();
  });
});
