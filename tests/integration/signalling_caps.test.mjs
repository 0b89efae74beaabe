// Role caps (maxPeerCount, 4009) and room size (4010) under 50 concurrent joins: exactly the cap
// is admitted, everyone else is refused with the code and closed with it; a freed slot admits
// again. (docs/signalling.md, error codes.)
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/signalling_caps.test.mjs

import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, WAIT_MS, authToken, closeOf, settle, within } from './signalling_helpers.mjs';

const JOINERS = 50;

let h;
before(async () => {
  h = await Harness.start({ join_timeout: '10s' });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

/** Starts JOINERS joins at once; resolves {admitted: [client], refused: [{client, err}]}. */
async function stampede(roomId, role) {
  const clients = Array.from({ length: JOINERS }, (_, i) => h.client(`j${i}`, { requestTimeoutMs: 15_000 }));
  const results = await within(
    Promise.allSettled(clients.map((c, i) => c.join({ token: authToken({ roomId, role, userId: `u${i}` }), name: `p${i}` }))),
    30_000,
    'concurrent joins',
  );
  const admitted = [];
  const refused = [];
  results.forEach((r, i) => (r.status === 'fulfilled' ? admitted.push(clients[i]) : refused.push({ client: clients[i], err: r.reason })));
  return { admitted, refused };
}

async function assertRefusedAll(refused, code, error) {
  const codes = {};
  for (const { err } of refused) codes[`${err.code} ${err.error}`] = (codes[`${err.code} ${err.error}`] ?? 0) + 1;
  assert.deepEqual(codes, { [`${code} ${error}`]: refused.length }, 'every refusal has the cap code');
  const closes = await Promise.all(refused.map(({ client }) => closeOf(client)));
  assert.ok(closes.every((c) => c.code === code), `close codes: ${JSON.stringify(closes.map((c) => c.code))}`);
}

describe('caps under concurrency', { timeout: 60_000 }, () => {
  test('role maxPeerCount 5: 50 concurrent joins -> exactly 5 admitted, 45 refused 4009', async () => {
    const tpl = await h.template({ capped: { maxPeerCount: 5 }, free: {} });
    const room = await h.room({ template_id: tpl.id });
    const { admitted, refused } = await stampede(room.id, 'capped');
    assert.equal(admitted.length, 5, `admitted ${admitted.length}`);
    assert.equal(refused.length, JOINERS - 5);
    await assertRefusedAll(refused, 4009, 'role_full');

    // The live room agrees, and the cap is per role: another role still joins.
    const live = await h.rest('GET', `/v2/active-rooms/${room.id}/peers?role=capped`);
    assert.equal(Object.keys(live.peers).length, 5, 'REST shows 5 capped peers');
    await h.join(room, { role: 'free' });
    await settle(...admitted);
    assert.ok(admitted.every((c) => c.peers.size === 5), 'each admitted peer sees the 4 others and the free one');

    // A freed slot admits again; the next one is refused again.
    await admitted[0].leave();
    await h.join(room, { role: 'capped', label: 'after-leave' });
    await h.expectRefusal(authToken({ roomId: room.id, role: 'capped' }), 4009, 'role_full', 'full again');
  });

  test('room size 7: 50 concurrent joins -> exactly 7 admitted, 43 refused 4010', async () => {
    const room = await h.room({ size: 7 });
    assert.equal(room.size, 7, 'the rooms API keeps size');
    const { admitted, refused } = await stampede(room.id, 'host');
    assert.equal(admitted.length, 7, `admitted ${admitted.length}`);
    await assertRefusedAll(refused, 4010, 'room_full');
    const live = await h.rest('GET', `/v2/active-rooms/${room.id}`);
    assert.equal(Object.keys(live.session.peers).length, 7);
    await within(Promise.all(admitted.map((c) => c.ping())), WAIT_MS, 'admitted peers still answer');
  });
});
