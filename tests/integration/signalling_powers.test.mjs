// In-room powers over /v2/signal (docs/signalling.md): remove-peer, end-room (with and without
// lock), request-mute, change-role (forced and requested), send-message, update-self. Each is
// done by a host (all permissions in the default template) and refused to a guest (4104);
// targeting yourself is 4110, an unknown peer 4105.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/signalling_powers.test.mjs

import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RFC3339_UTC, sleep } from './server.mjs';
import { Harness, assertNone, assertRefused, authToken, closeOf, eventOf, settle } from './signalling_helpers.mjs';

let h;
before(async () => {
  h = await Harness.start({ role_request_timeout: '2s' });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

/** A room with a host, two guests and a viewer, all joined. */
async function roomOfFour(body) {
  const room = await h.room(body);
  const host = await h.join(room, { role: 'host', label: 'host' });
  const g1 = await h.join(room, { role: 'guest', label: 'g1' });
  const g2 = await h.join(room, { role: 'guest', label: 'g2' });
  const viewer = await h.join(room, { role: 'viewer', label: 'viewer' });
  const all = [host, g1, g2, viewer];
  await settle(...all);
  return { room, host, g1, g2, viewer, all };
}

const byPeer = (peer) => (e) => e.by?.peer_id === peer.self.peer_id;

describe('remove-peer', { timeout: 30_000 }, () => {
  test('host removes a guest: removed + 4200 to the target, peer-left(removed) to the others', async () => {
    const { host, g1, g2, viewer } = await roomOfFour();
    const target = g1.self.peer_id;
    assert.deepEqual(await host.removePeer(target, 'spamming'), {});
    const removed = await eventOf(g1, 'removed');
    assert.equal(removed.reason, 'spamming');
    assert.equal(removed.by?.peer_id, host.self.peer_id, 'by is the host Peer');
    assert.equal((await closeOf(g1)).code, 4200);
    for (const c of [host, g2, viewer]) {
      const left = await eventOf(c, 'peer-left', (e) => e.peer_id === target);
      assert.equal(left.reason, 'removed', c.label);
      assert.ok(!c.peers.has(target), `${c.label} peer map`);
    }
  });

  test('guest may not remove (4104); self 4110; unknown peer 4105', async () => {
    const { host, g1, g2 } = await roomOfFour();
    await assertRefused(g1.removePeer(g2.self.peer_id), 4104, 'permission_denied', 'guest removes');
    await assertRefused(host.removePeer(host.self.peer_id), 4110, 'invalid_target', 'remove self');
    await assertRefused(host.removePeer(randomUUID()), 4105, 'peer_not_found', 'unknown peer');
    await settle(host, g1, g2);
    assertNone(g2, 'removed');
    assert.equal(g2.state, 'joined');
  });
});

// The peer that sends end-room gets its reply {} before room-ended and the 4201 close (a request
// with an id gets exactly one answer). The rest of each test runs first, the reply is checked last.
function assertEndRoomReplied({ r, e }) {
  assert.ok(!e, `end-room must be answered with a reply before the close; got ${e?.error} (${e?.message})`);
  assert.deepEqual(r, {});
}

describe('end-room', { timeout: 30_000 }, () => {
  test('without lock: everyone gets room-ended + 4201; the room can be joined again (new session)', async () => {
    const { room, host, all } = await roomOfFour();
    const session = host.sessionId;
    const answer = host.endRoom({ reason: 'done' }).then((r) => ({ r }), (e) => ({ e }));
    for (const c of all) {
      const ev = await eventOf(c, 'room-ended');
      assert.equal(ev.reason, 'done', c.label);
      assert.equal(ev.lock, false, c.label);
      assert.equal(ev.by?.peer_id, host.self.peer_id, `${c.label}: by`);
      assert.equal((await closeOf(c)).code, 4201, c.label);
    }
    const again = await h.join(room, { role: 'guest', label: 'again' });
    assert.notEqual(again.sessionId, session, 'an ended session is not resumed');
    assert.equal((await h.rest('GET', `/v2/rooms/${room.id}`)).enabled, true);
    assertEndRoomReplied(await answer);
  });

  test('with lock: everyone closed 4201, a new join gets 4006, the room is disabled', async () => {
    const { room, host, all } = await roomOfFour();
    const answer = host.endRoom({ reason: 'locked', lock: true }).then((r) => ({ r }), (e) => ({ e }));
    for (const c of all) {
      assert.equal((await eventOf(c, 'room-ended')).lock, true, c.label);
      assert.equal((await closeOf(c)).code, 4201, c.label);
    }
    await h.expectRefusal(authToken({ roomId: room.id, role: 'host' }), 4006, 'room_disabled', 'join after lock');
    assert.equal((await h.rest('GET', `/v2/rooms/${room.id}`)).enabled, false, 'REST shows the room disabled');
    assertEndRoomReplied(await answer);
  });

  test('guest may not end the room (4104)', async () => {
    const { g1, all } = await roomOfFour();
    await assertRefused(g1.endRoom({ lock: true }), 4104, 'permission_denied', 'guest ends');
    await settle(...all);
    for (const c of all) assertNone(c, 'room-ended');
  });
});

describe('request-mute', { timeout: 30_000 }, () => {
  test('host asks one peer to mute and to unmute', async () => {
    const { host, g1, g2 } = await roomOfFour();
    assert.deepEqual(await host.requestMute({ peerId: g1.self.peer_id, track: 'audio', mute: true }), { delivered: 1 });
    const ev = await eventOf(g1, 'mute-request', (e) => e.mute === true);
    assert.equal(ev.track, 'audio');
    assert.equal(ev.from?.peer_id, host.self.peer_id);
    assert.deepEqual(await host.requestMute({ peerId: g1.self.peer_id, track: 'video', mute: false }), { delivered: 1 });
    assert.equal((await eventOf(g1, 'mute-request', (e) => e.mute === false)).track, 'video');
    await settle(g2, host);
    assertNone(g2, 'mute-request');
    assertNone(host, 'mute-request');
  });

  test('host asks a role to mute: every peer of the role, nobody else', async () => {
    const { host, g1, g2, viewer } = await roomOfFour();
    assert.deepEqual(await host.requestMute({ roles: ['guest'], track: 'screen', mute: true }), { delivered: 2 });
    for (const c of [g1, g2]) assert.equal((await eventOf(c, 'mute-request')).track, 'screen', c.label);
    await settle(viewer, host);
    assertNone(viewer, 'mute-request');
    assertNone(host, 'mute-request');
  });

  test('refusals: guest 4104 (mute and unmute); self 4110; unknown peer 4105; bad track 4100', async () => {
    const { host, g1, g2 } = await roomOfFour();
    await assertRefused(g1.requestMute({ peerId: g2.self.peer_id, track: 'audio', mute: true }), 4104, 'permission_denied', 'guest mutes');
    await assertRefused(g1.requestMute({ peerId: g2.self.peer_id, track: 'audio', mute: false }), 4104, 'permission_denied', 'guest unmutes');
    await assertRefused(host.requestMute({ peerId: host.self.peer_id, track: 'audio', mute: true }), 4110, 'invalid_target', 'self');
    await assertRefused(host.requestMute({ peerId: randomUUID(), track: 'audio', mute: true }), 4105, 'peer_not_found', 'unknown');
    await assertRefused(host.requestMute({ peerId: g2.self.peer_id, track: 'smell', mute: true }), 4100, 'bad_message', 'bad track');
    await settle(g2);
    assertNone(g2, 'mute-request');
  });
});

describe('change-role', { timeout: 30_000 }, () => {
  test('forced: peer-updated to everyone, policy to the target', async () => {
    const { host, g1, all } = await roomOfFour();
    const target = g1.self.peer_id;
    const r = await host.changeRole(target, 'viewer', { force: true });
    assert.equal(r.peer?.peer_id, target);
    assert.equal(r.peer?.role, 'viewer');
    for (const c of all) {
      const ev = await eventOf(c, 'peer-updated', (e) => e.peer.peer_id === target);
      assert.equal(ev.peer.role, 'viewer', c.label);
      assert.ok(ev.changed.includes('role'), `${c.label}: changed ${JSON.stringify(ev.changed)}`);
    }
    const pol = await eventOf(g1, 'policy');
    assert.equal(pol.policy.name, 'viewer');
    assert.equal(pol.policy.role.name, 'viewer');
    assert.ok(pol.policy.known_roles.host, 'known_roles in the new policy');
    assert.equal(g1.self.role, 'viewer');
    assert.equal(host.peers.get(target).role, 'viewer');
    await settle(...all);
    for (const c of all.filter((x) => x !== g1)) assertNone(c, 'policy', () => true, 'only the target gets a policy');
    // The new role's powers apply at once: a viewer cannot mute.
    await assertRefused(g1.requestMute({ peerId: host.self.peer_id, track: 'audio', mute: true }), 4104, 'permission_denied', 'as viewer');
  });

  test('requested: the target gets role-change-request; only the target can accept', async () => {
    const { host, g1, g2, all } = await roomOfFour();
    const target = g1.self.peer_id;
    const { request_id: rid } = await host.changeRole(target, 'host');
    assert.ok(rid !== undefined && rid !== null, 'a request_id');
    const req = await eventOf(g1, 'role-change-request');
    assert.equal(req.request_id, rid);
    assert.equal(req.role, 'host');
    assert.equal(req.from?.peer_id, host.self.peer_id);
    await settle(...all);
    assertNone(g2, 'role-change-request');
    assert.equal(host.peers.get(target).role, 'guest', 'nothing changes before the answer');

    await assertRefused(g2.acceptRoleChange(rid), 4108, 'request_not_found', 'a non-target accepts');
    const acc = await g1.acceptRoleChange(rid);
    assert.equal(acc.peer?.role, 'host');
    for (const c of all) assert.equal((await eventOf(c, 'peer-updated', (e) => e.peer.peer_id === target)).peer.role, 'host', c.label);
    assert.equal((await eventOf(g1, 'policy')).policy.name, 'host');
    await assertRefused(g1.acceptRoleChange(rid), 4108, 'request_not_found', 'accepted twice');
    // Now a host: g1 may remove.
    await g1.removePeer(g2.self.peer_id);
    assert.equal((await closeOf(g2)).code, 4200);
  });

  test('a newer request replaces the older one; a request expires after role_request_timeout (2s)', async () => {
    const { host, g1 } = await roomOfFour();
    const first = await host.changeRole(g1.self.peer_id, 'viewer');
    const second = await host.changeRole(g1.self.peer_id, 'host');
    assert.notEqual(first.request_id, second.request_id);
    await assertRefused(g1.acceptRoleChange(first.request_id), 4108, 'request_not_found', 'replaced request');
    await sleep(2600);
    await assertRefused(g1.acceptRoleChange(second.request_id), 4108, 'request_not_found', 'expired request');
    assert.equal(g1.self.role, 'guest');
  });

  test('refusals: guest 4104; self 4110; unknown peer 4105; unknown or -1 role; cap 4009', async () => {
    const tpl = await h.template({
      boss: { permissions: { changeRole: true } },
      member: {},
      solo: { maxPeerCount: 1 },
      never: { maxPeerCount: -1 },
    });
    const room = await h.room({ template_id: tpl.id });
    const boss = await h.join(room, { role: 'boss' });
    const m1 = await h.join(room, { role: 'member', label: 'm1' });
    const m2 = await h.join(room, { role: 'member', label: 'm2' });
    await h.join(room, { role: 'solo' });
    await assertRefused(m1.changeRole(m2.self.peer_id, 'boss', { force: true }), 4104, 'permission_denied', 'member changes');
    await assertRefused(boss.changeRole(boss.self.peer_id, 'member', { force: true }), 4110, 'invalid_target', 'self');
    await assertRefused(boss.changeRole(randomUUID(), 'member', { force: true }), 4105, 'peer_not_found', 'unknown peer');
    const unknown = await boss.changeRole(m1.self.peer_id, 'nobody', { force: true }).catch((e) => e);
    assert.ok(unknown.code >= 4000, `unknown role refused: ${JSON.stringify(unknown)}`);
    const never = await boss.changeRole(m1.self.peer_id, 'never', { force: true }).catch((e) => e);
    assert.ok(never.code >= 4000, `maxPeerCount -1 role refused: ${JSON.stringify(never)}`);
    await assertRefused(boss.changeRole(m1.self.peer_id, 'solo', { force: true }), 4009, 'role_full', 'cap of the target role');
    await settle(m1);
    assert.equal(m1.self.role, 'member');
  });
});

describe('send-message', { timeout: 30_000 }, () => {
  test('to everyone: every peer including the sender, with from and to null', async () => {
    const { g1, all } = await roomOfFour();
    const { message_id: id } = await g1.sendMessage({ message: 'hello all' });
    assert.ok(id, 'message_id');
    for (const c of all) {
      const m = await eventOf(c, 'message', (e) => e.message_id === id);
      assert.equal(m.message, 'hello all', c.label);
      assert.equal(m.message_type, 'chat', `${c.label}: default type`);
      assert.equal(m.from?.peer_id, g1.self.peer_id, `${c.label}: from`);
      assert.equal(m.from?.name, 'g1');
      assert.equal(m.to, null, `${c.label}: to`);
      assert.match(m.sent_at, RFC3339_UTC);
    }
  });

  test('to a role: exactly the peers of that role', async () => {
    const { host, g1, g2, viewer } = await roomOfFour();
    const { message_id: id } = await host.sendMessage({ message: 'guests only', type: 'notice', roles: ['guest'] });
    for (const c of [g1, g2]) {
      const m = await eventOf(c, 'message', (e) => e.message_id === id);
      assert.equal(m.message_type, 'notice');
      assert.deepEqual(m.to, { roles: ['guest'] });
    }
    await settle(host, viewer);
    assertNone(viewer, 'message', (e) => e.message_id === id);
    assertNone(host, 'message', (e) => e.message_id === id, 'the sender is not a guest');
  });

  test('to a peer: exactly that peer', async () => {
    const { host, g1, g2, viewer } = await roomOfFour();
    const { message_id: id } = await viewer.sendMessage({ message: 'psst', peerId: g2.self.peer_id });
    const m = await eventOf(g2, 'message', (e) => e.message_id === id);
    assert.deepEqual(m.to, { peer_id: g2.self.peer_id });
    assert.equal(m.from?.peer_id, viewer.self.peer_id);
    await settle(host, g1, viewer);
    for (const c of [host, g1, viewer]) assertNone(c, 'message', (e) => e.message_id === id, c.label);
    await assertRefused(viewer.sendMessage({ message: 'x', peerId: randomUUID() }), 4105, 'peer_not_found', 'unknown peer');
  });
});

describe('update-self', { timeout: 30_000 }, () => {
  test('name and metadata: reply, and peer-updated to everyone (including yourself)', async () => {
    const { g1, all } = await roomOfFour();
    const r = await g1.updateSelf({ name: 'Renamed' });
    assert.equal(r.peer.name, 'Renamed');
    for (const c of all) {
      const ev = await eventOf(c, 'peer-updated', (e) => e.peer.peer_id === g1.self.peer_id && e.peer.name === 'Renamed');
      assert.deepEqual(ev.changed, ['name'], c.label);
    }
    await g1.updateSelf({ metadata: '{"hand":"up"}' });
    for (const c of all) {
      const ev = await eventOf(c, 'peer-updated', (e) => e.peer.metadata === '{"hand":"up"}');
      assert.deepEqual(ev.changed, ['metadata'], c.label);
      assert.equal(ev.peer.name, 'Renamed');
    }
    assert.equal(all[0].peers.get(g1.self.peer_id).metadata, '{"hand":"up"}');
    await assertRefused(g1.updateSelf({ metadata: 'x'.repeat(5000) }), 4100, 'bad_message', 'metadata over 4 KiB');
  });
});
