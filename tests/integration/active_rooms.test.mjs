// The server-side REST API over live sessions (management token), reflected live to peers
// connected over /v2/signal: active room, peers (filters), one peer; update a peer; send a
// message (from null); remove peers by id and by role; end the room with lock. And the recorded
// history: GET /v2/sessions and /v2/sessions/<id> (joined_at / left_at, active).
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/active_rooms.test.mjs

import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RFC3339_UTC, assertJsonError } from './server.mjs';
import { Harness, assertNone, authToken, closeOf, eventOf, settle } from './signalling_helpers.mjs';

let h;
before(async () => {
  h = await Harness.start({ empty_grace: '1s' });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

async function roomOfThree() {
  const room = await h.room();
  const host = await h.join(room, { role: 'host', label: 'host', userId: 'u-host' });
  const g1 = await h.join(room, { role: 'guest', label: 'g1', userId: 'u-g1', metadata: 'm1' });
  const g2 = await h.join(room, { role: 'guest', label: 'g2', userId: 'u-g2' });
  const all = [host, g1, g2];
  await settle(...all);
  return { room, host, g1, g2, all };
}

const base = (room) => `/v2/active-rooms/${room.id}`;

describe('reading live state', { timeout: 30_000 }, () => {
  test('GET active room, peers with filters, one peer', async () => {
    const { room, host, g1, g2 } = await roomOfThree();
    const live = await h.rest('GET', base(room));
    assert.equal(live.id, room.id);
    assert.equal(live.name, room.name);
    assert.equal(live.session.id, host.sessionId);
    assert.match(live.session.created_at, RFC3339_UTC);
    assert.deepEqual(Object.keys(live.session.peers).sort(), [host, g1, g2].map((c) => c.self.peer_id).sort());
    const p = live.session.peers[g1.self.peer_id];
    assert.deepEqual(
      { id: p.id, name: p.name, user_id: p.user_id, role: p.role, metadata: p.metadata },
      { id: g1.self.peer_id, name: 'g1', user_id: 'u-g1', role: 'guest', metadata: 'm1' },
    );
    assert.match(p.joined_at, RFC3339_UTC);

    const all = await h.rest('GET', `${base(room)}/peers`);
    assert.equal(Object.keys(all.peers).length, 3);
    const guests = await h.rest('GET', `${base(room)}/peers?role=guest`);
    assert.deepEqual(Object.keys(guests.peers).sort(), [g1.self.peer_id, g2.self.peer_id].sort());
    const byUser = await h.rest('GET', `${base(room)}/peers?user_id=u-host`);
    assert.deepEqual(Object.keys(byUser.peers), [host.self.peer_id]);
    const none = await h.rest('GET', `${base(room)}/peers?role=viewer`);
    assert.deepEqual(none.peers, {});

    const one = await h.rest('GET', `${base(room)}/peers/${g2.self.peer_id}`);
    assert.equal(one.id, g2.self.peer_id);
    assert.equal(one.role, 'guest');
    assert.deepEqual(one.tracks, {});
    assertJsonError(await h.restRaw('GET', `${base(room)}/peers/${randomUUID()}`), 404, 'unknown peer');
  });

  test('a room nobody is in has no active session (404)', async () => {
    const room = await h.room();
    assertJsonError(await h.restRaw('GET', base(room)), 404, 'empty room');
  });
});

describe('acting on live peers', { timeout: 30_000 }, () => {
  test('update a peer: name/metadata -> peer-updated to all; role -> also policy to the target', async () => {
    const { room, g1, all } = await roomOfThree();
    const path = `${base(room)}/peers/${g1.self.peer_id}`;
    const upd = await h.rest('POST', path, { name: 'Renamed', metadata: '{"x":1}' });
    assert.equal(upd.name, 'Renamed');
    for (const c of all) {
      const ev = await eventOf(c, 'peer-updated', (e) => e.peer.peer_id === g1.self.peer_id && e.peer.name === 'Renamed');
      assert.deepEqual([...ev.changed].sort(), ['metadata', 'name'], c.label);
      assert.equal(ev.peer.metadata, '{"x":1}');
    }
    assert.equal((await h.rest('POST', path, { role: 'viewer' })).role, 'viewer');
    for (const c of all) {
      const ev = await eventOf(c, 'peer-updated', (e) => e.peer.peer_id === g1.self.peer_id && e.peer.role === 'viewer');
      assert.deepEqual(ev.changed, ['role'], c.label);
    }
    assert.equal((await eventOf(g1, 'policy')).policy.name, 'viewer');
    assert.equal((await h.rest('GET', path)).role, 'viewer');
    assertJsonError(await h.restRaw('POST', path, { role: 'nobody' }), 400, 'unknown role');
    assertJsonError(await h.restRaw('POST', `${base(room)}/peers/${randomUUID()}`, { name: 'x' }), 404, 'unknown peer');
  });

  test('send-message: to everyone, to a peer, to a role; from is null', async () => {
    const { room, host, g1, g2, all } = await roomOfThree();
    await h.rest('POST', `${base(room)}/send-message`, { message: 'to all', type: 'announce' });
    for (const c of all) {
      const m = await eventOf(c, 'message', (e) => e.message === 'to all');
      assert.equal(m.from, null, `${c.label}: from`);
      assert.equal(m.message_type, 'announce');
      assert.equal(m.to, null);
    }
    await h.rest('POST', `${base(room)}/send-message`, { message: 'to g1', peer_id: g1.self.peer_id });
    assert.equal((await eventOf(g1, 'message', (e) => e.message === 'to g1')).message_type, 'chat');
    await h.rest('POST', `${base(room)}/send-message`, { message: 'to guests', role: 'guest' });
    for (const c of [g1, g2]) await eventOf(c, 'message', (e) => e.message === 'to guests');
    await settle(...all);
    for (const c of [host, g2]) assertNone(c, 'message', (e) => e.message === 'to g1', c.label);
    assertNone(host, 'message', (e) => e.message === 'to guests');
    assertJsonError(await h.restRaw('POST', `${base(room)}/send-message`, { message: 'x', peer_id: randomUUID() }), 404, 'unknown peer');
  });

  test('remove-peers by peer_id and by role', async () => {
    const { room, host, g1, g2 } = await roomOfThree();
    const g3 = await h.join(room, { role: 'guest', label: 'g3' });
    await h.rest('POST', `${base(room)}/remove-peers`, { peer_id: g1.self.peer_id, reason: 'bye' });
    const removed = await eventOf(g1, 'removed');
    assert.equal(removed.by, null, 'by null: the API acted');
    assert.equal(removed.reason, 'bye');
    assert.equal((await closeOf(g1)).code, 4200);
    assert.equal((await eventOf(host, 'peer-left', (e) => e.peer_id === g1.self.peer_id)).reason, 'removed');

    await h.rest('POST', `${base(room)}/remove-peers`, { role: 'guest' });
    for (const c of [g2, g3]) assert.equal((await closeOf(c)).code, 4200, c.label);
    for (const c of [g2, g3]) await eventOf(host, 'peer-left', (e) => e.peer_id === c.self.peer_id && e.reason === 'removed');
    assert.equal(host.peers.size, 0);
    assert.ok(await host.ping(), 'the host stays');
    assert.deepEqual(Object.keys((await h.rest('GET', `${base(room)}/peers`)).peers), [host.self.peer_id]);
  });

  test('end-room with lock: everyone room-ended (by null) + 4201; rejoin 4006; room disabled', async () => {
    const { room, all } = await roomOfThree();
    await h.rest('POST', `${base(room)}/end-room`, { reason: 'maintenance', lock: true });
    for (const c of all) {
      const ev = await eventOf(c, 'room-ended');
      assert.deepEqual({ reason: ev.reason, lock: ev.lock, by: ev.by }, { reason: 'maintenance', lock: true, by: null }, c.label);
      assert.equal((await closeOf(c)).code, 4201, c.label);
    }
    await h.expectRefusal(authToken({ roomId: room.id }), 4006, 'room_disabled', 'rejoin after lock');
    assert.equal((await h.rest('GET', `/v2/rooms/${room.id}`)).enabled, false);
    assertJsonError(await h.restRaw('GET', base(room)), 404, 'no active session after end-room');
  });
});

describe('recorded sessions', { timeout: 30_000 }, () => {
  test('GET /v2/sessions/<id>: peers with joined_at, left_at once gone; active false after the end', async () => {
    const { room, host, g1, g2 } = await roomOfThree();
    const sid = host.sessionId;
    await g1.leave();
    let s = await h.rest('GET', `/v2/sessions/${sid}`);
    assert.equal(s.id, sid);
    assert.equal(s.room_id, room.id);
    assert.equal(s.active, true);
    assert.match(s.created_at, RFC3339_UTC);
    assert.deepEqual(Object.keys(s.peers).sort(), [host, g1, g2].map((c) => c.self.peer_id).sort());
    const p1 = s.peers[g1.self.peer_id];
    assert.deepEqual({ name: p1.name, role: p1.role, user_id: p1.user_id }, { name: 'g1', role: 'guest', user_id: 'u-g1' });
    assert.match(p1.joined_at, RFC3339_UTC);
    assert.match(p1.left_at ?? '', RFC3339_UTC, 'left_at once the peer left');
    assert.equal(s.peers[host.self.peer_id].left_at, undefined, 'no left_at while present');

    const listed = await h.rest('GET', `/v2/sessions?room_id=${room.id}`);
    assert.deepEqual(listed.data.map((x) => x.id), [sid]);
    assert.ok((await h.rest('GET', '/v2/sessions?active=true')).data.some((x) => x.id === sid));

    await h.rest('POST', `${base(room)}/end-room`, {});
    await closeOf(host);
    s = await h.rest('GET', `/v2/sessions/${sid}`);
    assert.equal(s.active, false, 'ended');
    for (const c of [host, g2]) assert.match(s.peers[c.self.peer_id].left_at ?? '', RFC3339_UTC, `${c.label} left_at`);
    assert.ok(!(await h.rest('GET', '/v2/sessions?active=true')).data.some((x) => x.id === sid));
    assertJsonError(await h.restRaw('GET', `/v2/sessions/${randomUUID()}`), 404, 'unknown session');
  });

  test('a session ends once the room has been empty for empty_grace (1s)', async () => {
    const room = await h.room();
    const a = await h.join(room, { role: 'guest' });
    const sid = a.sessionId;
    await a.leave();
    const deadline = Date.now() + 6000;
    let s;
    do {
      await new Promise((r) => setTimeout(r, 250));
      s = await h.rest('GET', `/v2/sessions/${sid}`);
    } while (s.active && Date.now() < deadline);
    assert.equal(s.active, false, 'inactive after the grace');
    const b = await h.join(room, { role: 'guest' });
    assert.notEqual(b.sessionId, sid, 'a new session');
  });
});
