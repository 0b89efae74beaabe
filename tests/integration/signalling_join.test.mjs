// Joining a live session over /v2/signal (docs/signalling.md): the join result, every
// admission refusal (error reply with the code, then a close with the same code), the join
// timeout, the protocol version, and duplicate user_ids ("replace" and "refuse").
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/signalling_join.test.mjs

import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_SECRET, RFC3339_UTC, UUID_V4, mgmtToken } from './server.mjs';
import { Harness, NO_SUCH_ROOM, WAIT_MS, authToken, closeOf, eventOf, nowSec, summary, within } from './signalling_helpers.mjs';

let h;
before(async () => {
  h = await Harness.start({ join_timeout: '1s', duplicate_user: 'replace' });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

function assertPeer(p, what) {
  assert.ok(p && typeof p === 'object', `${what}: a Peer object`);
  assert.match(p.peer_id, UUID_V4, `${what}.peer_id`);
  for (const k of ['name', 'user_id', 'role', 'metadata']) assert.equal(typeof p[k], 'string', `${what}.${k}`);
  assert.match(p.joined_at, RFC3339_UTC, `${what}.joined_at`);
}

describe('join', { timeout: 30_000 }, () => {
  test('a valid token joins: result shape, policy, peers, session id', async () => {
    const room = await h.room();
    const exp = nowSec() + 1800;
    const host = h.client('host');
    const r = await host.join({ token: authToken({ roomId: room.id, userId: 'alice', role: 'host', exp }), name: 'Alice', metadata: '{"a":1}' });
    assert.equal(r.protocol, 1);
    assert.match(r.session_id, UUID_V4);
    assert.deepEqual({ id: r.room.id, name: r.room.name }, { id: room.id, name: room.name });
    assertPeer(r.peer, 'peer');
    assert.deepEqual({ name: r.peer.name, user_id: r.peer.user_id, role: r.peer.role, metadata: r.peer.metadata }, {
      name: 'Alice',
      user_id: 'alice',
      role: 'host',
      metadata: '{"a":1}',
    });
    assert.deepEqual(r.peers, [], 'nobody else is in the room');
    assert.equal(r.policy.name, 'host');
    assert.equal(r.policy.role.name, 'host');
    assert.equal(r.policy.role.permissions.endRoom, true);
    assert.ok(Array.isArray(r.policy.role.subscribeParams.subscribeToRoles));
    assert.deepEqual(Object.keys(r.policy.known_roles).sort(), ['guest', 'host', 'viewer']);
    assert.equal(r.policy.known_roles.viewer.name, 'viewer');
    assert.match(r.token_expires_at, RFC3339_UTC);
    assert.equal(Date.parse(r.token_expires_at) / 1000, exp, 'token_expires_at is the token exp');
    assert.match(r.server_time, RFC3339_UTC);
    assert.ok(Math.abs(Date.parse(r.server_time) - Date.now()) < 5000, 'server_time is now');

    const guest = h.client('guest');
    const joined = eventOf(host, 'peer-joined', (e) => e.peer?.user_id === 'bob');
    const g = await guest.join({ token: authToken({ roomId: room.id, userId: 'bob', role: 'guest' }), name: 'Bob' });
    assert.equal(g.session_id, r.session_id, 'same live session');
    assert.equal(g.peers.length, 1);
    assert.equal(g.peers[0].peer_id, r.peer.peer_id, 'peers lists the host, not the joiner');
    assert.equal(g.policy.name, 'guest');
    assert.equal(g.policy.role.permissions.removeOthers, false);
    assert.deepEqual(Object.keys(g.policy.known_roles).sort(), ['guest', 'host', 'viewer']);
    const ev = await joined;
    assertPeer(ev.peer, 'peer-joined.peer');
    assert.equal(ev.peer.peer_id, g.peer.peer_id);
    assert.equal(ev.peer.name, 'Bob');
    assert.equal(host.peers.get(g.peer.peer_id)?.role, 'guest', 'the SDK peer map follows');
    assert.equal(guest.log.filter((e) => e.type === 'peer-joined').length, 0, 'no peer-joined about yourself');
  });

  test('name and metadata are optional', async () => {
    const room = await h.room();
    const c = h.client('bare');
    const r = await c.join({ token: authToken({ roomId: room.id, role: 'viewer' }) });
    assertPeer(r.peer, 'peer');
    assert.equal(r.peer.role, 'viewer');
  });
});

describe('admission refusals: error with the code, then close with the same code', { timeout: 40_000 }, () => {
  test('expired token -> 4002', async () => {
    const room = await h.room();
    await h.expectRefusal(authToken({ roomId: room.id, iat: nowSec() - 600, nbf: nowSec() - 600, exp: nowSec() - 5 }), 4002, 'token_expired', 'expired');
  });

  test('management token -> 4004', async () => {
    const room = await h.room();
    await h.expectRefusal(mgmtToken(), 4004, 'token_wrong_type', 'plain management token');
    await h.expectRefusal(mgmtToken({ payload: { room_id: room.id, role: 'host', user_id: 'x' } }), 4004, 'token_wrong_type', 'management token with room claims');
  });

  test('bad signature, unknown access_key, wrong version, garbage -> 4001', async () => {
    const room = await h.room();
    await h.expectRefusal(authToken({ roomId: room.id, secret: OTHER_SECRET }), 4001, 'token_invalid', 'bad signature');
    await h.expectRefusal(authToken({ roomId: room.id, accessKey: 'ffffffffffffffffffffffff' }), 4001, 'token_invalid', 'unknown key');
    await h.expectRefusal(authToken({ roomId: room.id, version: 1 }), 4001, 'token_invalid', 'version 1');
    await h.expectRefusal('not.a.token', 4001, 'token_invalid', 'garbage');
  });

  test('nbf in the future -> 4003', async () => {
    const room = await h.room();
    await h.expectRefusal(authToken({ roomId: room.id, nbf: nowSec() + 600 }), 4003, 'token_not_yet_valid', 'nbf +10 min');
  });

  test('unknown room -> 4005', async () => {
    await h.expectRefusal(authToken({ roomId: NO_SUCH_ROOM }), 4005, 'room_not_found', 'unknown room');
  });

  test('disabled room -> 4006', async () => {
    const room = await h.room();
    await h.setRoom(room.id, { enabled: false });
    await h.expectRefusal(authToken({ roomId: room.id }), 4006, 'room_disabled', 'disabled room');
    await h.setRoom(room.id, { enabled: true });
    await h.join(room, { role: 'guest', label: 're-enabled' });
  });

  test('unknown role -> 4007', async () => {
    const room = await h.room();
    await h.expectRefusal(authToken({ roomId: room.id, role: 'nobody' }), 4007, 'role_not_found', 'unknown role');
  });

  test('role with maxPeerCount -1 -> 4008', async () => {
    const tpl = await h.template({ speaker: {}, banned: { maxPeerCount: -1 } });
    const room = await h.room({ template_id: tpl.id });
    await h.expectRefusal(authToken({ roomId: room.id, role: 'banned' }), 4008, 'role_not_allowed', 'maxPeerCount -1');
    await h.join(room, { role: 'speaker' });
  });

  test('protocol 2 -> 4013', async () => {
    const room = await h.room();
    const c = h.client('v2');
    const err = await c.join({ token: authToken({ roomId: room.id }), protocol: 2 }).catch((e) => e);
    assert.equal(err.code, 4013, `got ${err.code} ${err.error} ${err.message}`);
    assert.equal(err.error, 'unsupported_protocol');
    assert.equal((await closeOf(c)).code, 4013);
  });

  test('no join within join_timeout (1s) -> close 4012', async () => {
    const raw = await h.raw();
    const t0 = Date.now();
    const closed = await raw.closedWithin(5000);
    const took = Date.now() - t0;
    assert.equal(closed.code, 4012, `close code; frames: ${JSON.stringify(raw.frames)}`);
    assert.ok(took >= 800 && took < 4000, `closed after ${took} ms, join_timeout is 1s`);
    const err = raw.frames.find((f) => f.type === 'error');
    if (err) assert.equal(err.code, 4012, 'an error frame, if any, carries 4012');
  });

  test('a join in time beats the join timeout', async () => {
    const room = await h.room();
    const c = await h.join(room, { role: 'guest' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(await c.ping(), 'still connected after the join timeout');
  });
});

describe('duplicate user_id', { timeout: 30_000 }, () => {
  test('"replace": the old connection gets replaced + 4203; others see peer-left(replaced) then peer-joined', async () => {
    const room = await h.room();
    const old = await h.join(room, { role: 'guest', userId: 'dup', label: 'old' });
    const other = await h.join(room, { role: 'host', userId: 'watcher', label: 'other' });
    const oldId = old.self.peer_id;
    const fresh = await h.join(room, { role: 'guest', userId: 'dup', label: 'new' });
    assert.notEqual(fresh.self.peer_id, oldId, 'a new peer id');
    await eventOf(old, 'replaced');
    assert.equal((await closeOf(old)).code, 4203);

    const left = await eventOf(other, 'peer-left', (e) => e.peer_id === oldId);
    assert.equal(left.reason, 'replaced');
    await eventOf(other, 'peer-joined', (e) => e.peer.peer_id === fresh.self.peer_id);
    const types = other.log.filter((e) => e.peer_id === oldId || e.peer?.peer_id === fresh.self.peer_id).map((e) => e.type);
    assert.deepEqual(types, ['peer-left', 'peer-joined'], `order seen by others: ${summary(other.log)}`);
    assert.ok(!other.peers.has(oldId) && other.peers.has(fresh.self.peer_id));
    assert.deepEqual(
      fresh.joinResult.peers.map((p) => p.peer_id),
      [other.self.peer_id],
      'the replaced peer is not in the new one\'s peers',
    );
  });

  test('"refuse": the second join gets 4011 and the first stays', async () => {
    const r = await Harness.start({ duplicate_user: 'refuse' });
    try {
      const room = await r.room();
      const first = await r.join(room, { role: 'guest', userId: 'dup' });
      await r.expectRefusal(authToken({ roomId: room.id, role: 'guest', userId: 'dup' }), 4011, 'duplicate_user', 'duplicate');
      assert.ok(await first.ping());
      assert.equal(first.state, 'joined');
      assert.equal(first.log.filter((e) => e.type === 'peer-joined').length, 0);
    } finally {
      await r.stop();
    }
  });
});

describe('after a refusal nothing is left behind', { timeout: 20_000 }, () => {
  test('refused joins are not peers', async () => {
    const room = await h.room();
    const host = await h.join(room, { role: 'host' });
    await h.expectRefusal(authToken({ roomId: room.id, role: 'nobody' }), 4007, 'role_not_found', 'unknown role');
    await within(host.ping(), WAIT_MS, 'ping');
    assert.equal(host.peers.size, 0, `no peer-joined for a refused join: ${summary(host.log)}`);
  });
});
