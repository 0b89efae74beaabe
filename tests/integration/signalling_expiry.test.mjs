// Token expiry in a live session (docs/signalling.md, "Expiry"), with expiry_warning 2s:
// token-expiring ahead of exp, then token-expired + close 4202 at exp (on_token_expiry
// "remove"); refresh-token moves exp; refresh tokens for another room or user are 4109; with
// on_token_expiry "keep" the peer stays. Tests run concurrently: each waits a few seconds.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/signalling_expiry.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_SECRET, RFC3339_UTC, sleep } from './server.mjs';
import { Harness, assertRefused, authToken, closeOf, eventOf, nowSec, summary } from './signalling_helpers.mjs';

let h;
let keep;
before(async () => {
  h = await Harness.start({ expiry_warning: '2s', on_token_expiry: 'remove' });
  keep = await Harness.start({ expiry_warning: '2s', on_token_expiry: 'keep' });
});
after(async () => {
  await h?.stop();
  await keep?.stop();
});

describe('token expiry', { timeout: 40_000, concurrency: true }, () => {
  test('token-expiring ahead of exp, then token-expired and close 4202 at exp', async () => {
    const room = await h.room();
    const watcher = await h.join(room, { role: 'host', label: 'watcher' });
    const exp = nowSec() + 4;
    const peer = await h.join(room, { role: 'guest', label: 'expiring', exp });
    const id = peer.self.peer_id;

    const warn = await eventOf(peer, 'token-expiring', () => true, 6000);
    const warnedAt = Date.now();
    assert.match(warn.expires_at, RFC3339_UTC);
    assert.equal(Date.parse(warn.expires_at) / 1000, exp);
    assert.equal(typeof warn.seconds_left, 'number');
    assert.ok(warn.seconds_left >= 0 && warn.seconds_left <= 2, `seconds_left ${warn.seconds_left}`);
    assert.ok(warnedAt >= (exp - 3) * 1000, `warned too early: ${(exp * 1000 - warnedAt) / 1000}s before exp`);

    const expired = await eventOf(peer, 'token-expired', () => true, 6000);
    assert.equal(Date.parse(expired.expires_at) / 1000, exp);
    const closed = await closeOf(peer, 3000);
    assert.equal(closed.code, 4202, summary(peer.log));
    const closedAt = Date.now();
    assert.ok(closedAt >= exp * 1000 - 250, `closed ${(exp * 1000 - closedAt) / 1000}s before exp`);
    assert.ok(closedAt <= exp * 1000 + 2500, `closed ${(closedAt - exp * 1000) / 1000}s after exp`);
    const order = peer.log.map((e) => e.type).filter((t) => t.startsWith('token-') || t === 'close');
    assert.deepEqual(order, ['token-expiring', 'token-expired', 'close']);

    assert.equal((await eventOf(watcher, 'peer-left', (e) => e.peer_id === id)).reason, 'token_expired');
    assert.ok(await watcher.ping());
    await watcher.close();
  });

  test('refresh-token on token-expiring keeps the peer past the first exp', async () => {
    const room = await h.room();
    const exp = nowSec() + 4;
    const peer = await h.join(room, { role: 'guest', userId: 'refresher', exp });
    await eventOf(peer, 'token-expiring', () => true, 6000);
    const freshExp = nowSec() + 3600;
    const r = await peer.refreshToken(authToken({ roomId: room.id, role: 'guest', userId: 'refresher', exp: freshExp }));
    assert.equal(Date.parse(r.expires_at) / 1000, freshExp);
    assert.equal(peer.tokenExpiresAt, r.expires_at);
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 1500);
    assert.equal(peer.state, 'joined', summary(peer.log));
    assert.ok(await peer.ping(), 'still connected 1.5s after the first exp');
    assert.equal(peer.log.filter((e) => e.type === 'token-expired').length, 0);
    await peer.close();
  });

  test('refresh with a token for another room or user -> 4109; invalid or expired tokens refused; the peer stays', async () => {
    const room = await h.room();
    const other = await h.room();
    const peer = await h.join(room, { role: 'guest', userId: 'me' });
    await assertRefused(peer.refreshToken(authToken({ roomId: other.id, role: 'guest', userId: 'me' })), 4109, 'token_mismatch', 'other room');
    await assertRefused(peer.refreshToken(authToken({ roomId: room.id, role: 'guest', userId: 'someone-else' })), 4109, 'token_mismatch', 'other user');
    await assertRefused(peer.refreshToken(authToken({ roomId: room.id, role: 'guest', userId: 'me', secret: OTHER_SECRET })), 4001, 'token_invalid', 'bad signature');
    await assertRefused(
      peer.refreshToken(authToken({ roomId: room.id, role: 'guest', userId: 'me', iat: nowSec() - 600, nbf: nowSec() - 600, exp: nowSec() - 5 })),
      4002,
      'token_expired',
      'expired refresh token',
    );
    await assertRefused(peer.refreshToken(authToken({ roomId: room.id, role: 'nobody', userId: 'me' })), 4007, 'role_not_found', 'role gone');
    // Another role that exists is fine: the peer keeps its live role.
    const ok = await peer.refreshToken(authToken({ roomId: room.id, role: 'host', userId: 'me' }));
    assert.match(ok.expires_at, RFC3339_UTC);
    assert.ok(await peer.ping());
    assert.equal(peer.self.role, 'guest');
    await peer.close();
  });

  test('refresh is refused once the room is disabled (4006)', async () => {
    const room = await h.room();
    const peer = await h.join(room, { role: 'guest', userId: 'me2' });
    await h.setRoom(room.id, { enabled: false });
    await assertRefused(peer.refreshToken(authToken({ roomId: room.id, role: 'guest', userId: 'me2' })), 4006, 'room_disabled', 'disabled room');
    await peer.close();
  });

  test('on_token_expiry "keep": the peer stays past exp', async () => {
    const room = await keep.room();
    const exp = nowSec() + 3;
    const peer = await keep.join(room, { role: 'guest', exp });
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 1500);
    assert.equal(peer.state, 'joined', summary(peer.log));
    assert.ok(await peer.ping(), 'still connected 1.5s after exp');
    assert.equal(peer.log.filter((e) => e.type === 'token-expired').length, 0);
    // The token still never admits a new join.
    await keep.expectRefusal(authToken({ roomId: room.id, role: 'guest', iat: exp - 10, nbf: exp - 10, exp }), 4002, 'token_expired', 'join with the expired token');
    await peer.close();
  });
});
