// @100mslive/server-sdk 0.3.0 against a real `roomgate serve`: every call goes
// through the SDK's own wrappers (rooms.*, roomCodes.*, its list iterators and
// its APIService), only the base URL is pointed at 127.0.0.1 (reference §7).
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/server_sdk.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import HMS from '@100mslive/server-sdk';
import { ACCESS_KEY, SECRET, CODE_RE, RFC3339_UTC, startServer } from './server.mjs';

const ROLES = ['guest', 'host', 'viewer'];

let srv;
let hms;

function sdkFor(url) {
  const h = new HMS.SDK(ACCESS_KEY, SECRET);
  h.setLogLevel('silent'); // the SDK logs at debug level by default
  h.api.axios.defaults.baseURL = `${url}/v2`;
  return h;
}

/** Collects an SDK QueryObjectIterator (bounded so a broken `last` can't loop forever). */
async function collect(iterable, max = 2000) {
  const out = [];
  for await (const x of iterable) {
    out.push(x);
    if (out.length > max) throw new Error(`iterator yielded more than ${max} items (pagination loop?)`);
  }
  return out;
}

/** Asserts a rejected SDK call carries the HTTP status (SDK error shape {code, name, message}). */
async function rejectsWith(promise, status, what) {
  await assert.rejects(promise, (e) => {
    assert.equal(e?.code, status, `${what}: expected SDK error code ${status}, got ${JSON.stringify(e)}`);
    assert.equal(typeof e.message, 'string');
    return true;
  });
}

function assertDate(v, what) {
  assert.ok(v instanceof Date, `${what}: SDK should have cast it to a Date, got ${JSON.stringify(v)}`);
  assert.ok(!Number.isNaN(v.getTime()), `${what}: invalid date`);
  assert.ok(Math.abs(v.getTime() - Date.now()) < 10 * 60_000, `${what}: ${v.toISOString()} is not close to now`);
}

function assertRoom(room, what) {
  assert.equal(typeof room.id, 'string', `${what}: id`);
  assert.ok(room.id.length > 0, `${what}: id`);
  assert.equal(typeof room.name, 'string', `${what}: name`);
  assert.equal(typeof room.enabled, 'boolean', `${what}: enabled`);
  assert.equal(typeof room.template_id, 'string', `${what}: template_id`);
  assert.ok(room.template_id.length > 0, `${what}: template_id`);
}

function assertCodeObject(c, roomId, role, what) {
  assert.match(c.code, CODE_RE, `${what}: code format`);
  assert.equal(c.room_id, roomId, `${what}: room_id`);
  if (role) assert.equal(c.role, role, `${what}: role`);
  assert.equal(typeof c.enabled, 'boolean', `${what}: enabled`);
  for (const k of ['created_at', 'updated_at']) {
    // Items inside data[] are not cast by the SDK (only top-level *_at keys are).
    if (c[k] instanceof Date) assertDate(c[k], `${what}: ${k}`);
    else assert.match(String(c[k]), RFC3339_UTC, `${what}: ${k}`);
  }
}

before(async () => {
  srv = await startServer();
  hms = sdkFor(srv.url);
});

after(async () => {
  await srv?.stop();
});

describe('rooms through the server SDK', { timeout: 60_000 }, () => {
  let room;

  test('rooms.create returns a room object (top-level *_at cast to Date)', async () => {
    room = await hms.rooms.create({ name: 'sdk-room-1', description: 'first' });
    assertRoom(room, 'create');
    assert.equal(room.name, 'sdk-room-1');
    assert.equal(room.description, 'first');
    assert.equal(room.enabled, true);
    assertDate(room.created_at, 'created_at');
    assertDate(room.updated_at, 'updated_at');
  });

  test('rooms.create with the same name (other case) is an upsert: same id, new config applied', async () => {
    const again = await hms.rooms.create({ name: 'SDK-Room-1', description: 'second' });
    assert.equal(again.id, room.id);
    assert.equal(again.description, 'second');
    const got = await hms.rooms.retrieveById(room.id);
    assert.equal(got.description, 'second');
  });

  test('rooms.create without a name generates one', async () => {
    const r = await hms.rooms.create();
    assertRoom(r, 'create without name');
    assert.ok(r.name.length > 0);
    assert.notEqual(r.id, room.id);
  });

  test('rooms.retrieveById', async () => {
    const got = await hms.rooms.retrieveById(room.id);
    assertRoom(got, 'retrieveById');
    assert.equal(got.id, room.id);
    assert.equal(got.name, 'sdk-room-1');
    assert.equal(got.template_id, room.template_id);
    assertDate(got.created_at, 'created_at');
  });

  test('rooms.retrieveByName', async () => {
    const got = await hms.rooms.retrieveByName('sdk-room-1');
    assert.equal(got.id, room.id);
    assert.equal(got.name, 'sdk-room-1');
  });

  test('rooms.retrieveByName of an unknown name throws (no data)', async () => {
    await assert.rejects(hms.rooms.retrieveByName('no-such-room-here'), /No Room found/);
  });

  test('rooms.retrieveById of an unknown id -> 404', async () => {
    await rejectsWith(hms.rooms.retrieveById('000000000000000000000000'), 404, 'retrieveById unknown');
  });

  test('rooms.update changes description and name', async () => {
    const upd = await hms.rooms.update(room.id, { description: 'updated', name: 'sdk-room-renamed' });
    assert.equal(upd.id, room.id);
    assert.equal(upd.description, 'updated');
    assert.equal(upd.name, 'sdk-room-renamed');
    assertDate(upd.updated_at, 'updated_at');
    const byName = await hms.rooms.retrieveByName('sdk-room-renamed');
    assert.equal(byName.id, room.id);
    await assert.rejects(hms.rooms.retrieveByName('sdk-room-1'), /No Room found/);
  });

  test('rooms.enableOrDisable(false/true) and the enabled list filter', async () => {
    const off = await hms.rooms.enableOrDisable(room.id, false);
    assert.equal(off.id, room.id);
    assert.equal(off.enabled, false);
    assert.equal((await hms.rooms.retrieveById(room.id)).enabled, false);

    const disabledIds = (await collect(hms.rooms.list({ enabled: false }))).map((r) => r.id);
    assert.ok(disabledIds.includes(room.id), 'disabled room missing from enabled=false list');
    const enabledIds = (await collect(hms.rooms.list({ enabled: true }))).map((r) => r.id);
    assert.ok(!enabledIds.includes(room.id), 'disabled room listed with enabled=true');

    // Codes cannot be made for a disabled room (the SDK retries 403 once, then throws).
    await rejectsWith(hms.roomCodes.create(room.id), 403, 'roomCodes.create on disabled room');
    await rejectsWith(hms.roomCodes.createForRole(room.id, 'host'), 403, 'createForRole on disabled room');

    const on = await hms.rooms.enableOrDisable(room.id, true);
    assert.equal(on.enabled, true);
    assert.equal((await hms.rooms.retrieveById(room.id)).enabled, true);
  });

  test('rooms.list iterates every room across pages, no duplicates', async () => {
    const created = [];
    for (let i = 0; i < 23; i++) created.push((await hms.rooms.create({ name: `sdk-list-${i}` })).id);

    const all = await collect(hms.rooms.list());
    const ids = all.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rooms across pages');
    for (const id of created) assert.ok(ids.includes(id), `room ${id} missing from rooms.list()`);
    for (const r of all) {
      assertRoom(r, 'list item');
      assert.match(String(r.created_at), RFC3339_UTC, 'list item created_at');
    }
    // Exactly the rooms of this (fresh) server: 2 + 23.
    assert.equal(ids.length, 25);

    // Explicit page size through the iterator.
    const paged = await collect(hms.rooms.list({ limit: 10 }));
    assert.deepEqual(paged.map((r) => r.id).sort(), [...ids].sort());
  });

  test('rooms list pages by hand through the SDK APIService (limit/start/last)', async () => {
    const seen = [];
    let start;
    for (let page = 0; page < 10; page++) {
      const res = await hms.api.get('/rooms', { limit: 10, ...(start ? { start } : {}) });
      assert.equal(res.limit, 10);
      assert.ok(Array.isArray(res.data));
      assert.ok(res.data.length <= 10);
      seen.push(...res.data.map((r) => r.id));
      if (res.data.length < 10 || !res.last) break;
      assert.equal(res.last, res.data[res.data.length - 1].id, '`last` is the id of the last object');
      start = res.last;
    }
    assert.equal(new Set(seen).size, seen.length, 'duplicates across pages');
    assert.equal(seen.length, 25);
  });

  test('rooms.list name filter', async () => {
    const hits = await collect(hms.rooms.list({ name: 'sdk-list-7' }));
    assert.equal(hits.length, 1);
    assert.equal(hits[0].name, 'sdk-list-7');
  });
});

describe('room codes through the server SDK', { timeout: 60_000 }, () => {
  let room;
  let allCodes;

  before(async () => {
    room = await hms.rooms.create({ name: 'sdk-codes-room' });
  });

  test('roomCodes.create makes one code per role of the default template', async () => {
    allCodes = await hms.roomCodes.create(room.id);
    assert.ok(Array.isArray(allCodes));
    assert.deepEqual(allCodes.map((c) => c.role).sort(), ROLES);
    for (const c of allCodes) {
      assertCodeObject(c, room.id, null, `code for ${c.role}`);
      assert.equal(c.enabled, true);
    }
    assert.equal(new Set(allCodes.map((c) => c.code)).size, allCodes.length, 'codes must be distinct');
  });

  test('roomCodes.createForRole returns one code object', async () => {
    const c = await hms.roomCodes.createForRole(room.id, 'guest');
    assertCodeObject(c, room.id, 'guest', 'createForRole');
    assert.equal(c.enabled, true);
    assertDate(c.created_at, 'created_at'); // top-level: cast by the SDK
    assert.ok(!allCodes.some((x) => x.code === c.code), 'a new, different code');
  });

  test('roomCodes.createForRole: unknown role -> 404, unknown room -> 404', async () => {
    await rejectsWith(hms.roomCodes.createForRole(room.id, 'no-such-role'), 404, 'unknown role');
    await rejectsWith(hms.roomCodes.createForRole('000000000000000000000000', 'host'), 404, 'unknown room');
    await rejectsWith(hms.roomCodes.create('000000000000000000000000'), 404, 'unknown room (all roles)');
  });

  test('roomCodes.list returns every code of the room; role filter', async () => {
    const listed = await collect(hms.roomCodes.list(room.id));
    assert.equal(listed.length, 4);
    for (const c of listed) assertCodeObject(c, room.id, null, 'listed');
    for (const c of allCodes) assert.ok(listed.some((x) => x.code === c.code), `code ${c.code} missing`);

    const guests = await collect(hms.roomCodes.list(room.id, { role: 'guest' }));
    assert.equal(guests.length, 2);
    for (const c of guests) assert.equal(c.role, 'guest');
    const hosts = await collect(hms.roomCodes.list(room.id, { role: 'host' }));
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].code, allCodes.find((c) => c.role === 'host').code);
  });

  test('roomCodes.enableOrDisable: disable, enabled filter, re-enable', async () => {
    const target = allCodes.find((c) => c.role === 'viewer');
    const off = await hms.roomCodes.enableOrDisable(target.code, false);
    assertCodeObject(off, room.id, 'viewer', 'disabled code');
    assert.equal(off.code, target.code);
    assert.equal(off.enabled, false);
    assertDate(off.updated_at, 'updated_at');
    assertDate(off.created_at, 'created_at');
    assert.ok(off.updated_at.getTime() >= off.created_at.getTime(), 'updated_at >= created_at');

    const disabled = await collect(hms.roomCodes.list(room.id, { enabled: false }));
    assert.deepEqual(disabled.map((c) => c.code), [target.code]);
    assert.equal(disabled[0].enabled, false);
    const enabled = await collect(hms.roomCodes.list(room.id, { enabled: true }));
    assert.equal(enabled.length, 3);
    assert.ok(enabled.every((c) => c.enabled === true && c.code !== target.code));
    const disabledViewers = await collect(hms.roomCodes.list(room.id, { role: 'viewer', enabled: false }));
    assert.deepEqual(disabledViewers.map((c) => c.code), [target.code]);
    assert.deepEqual(await collect(hms.roomCodes.list(room.id, { role: 'host', enabled: false })), []);

    const on = await hms.roomCodes.enableOrDisable(target.code, true);
    assert.equal(on.code, target.code);
    assert.equal(on.enabled, true);
    assert.equal((await collect(hms.roomCodes.list(room.id, { enabled: false }))).length, 0);
    assert.equal((await collect(hms.roomCodes.list(room.id, { enabled: true }))).length, 4);
  });

  test('roomCodes.enableOrDisable of an unknown code -> 404', async () => {
    await rejectsWith(hms.roomCodes.enableOrDisable('zzz-zzzz-zzz', false), 404, 'unknown code');
  });

  test('more than 10 codes: iterator with limit 10 and hand paging with limit/start/last', async () => {
    const extra = [];
    for (let i = 0; i < 13; i++) extra.push((await hms.roomCodes.createForRole(room.id, 'viewer')).code);
    const expected = (await collect(hms.roomCodes.list(room.id))).map((c) => c.code);
    assert.equal(expected.length, 4 + 13);
    assert.equal(new Set(expected).size, expected.length, 'duplicates in list');
    for (const c of extra) assert.ok(expected.includes(c), `new code ${c} missing from list`);

    const iter = (await collect(hms.roomCodes.list(room.id, { limit: 10 }))).map((c) => c.code);
    assert.deepEqual([...iter].sort(), [...expected].sort());

    // Hand paging via the SDK's own APIService.get.
    const p1 = await hms.api.get(`/room-codes/room/${room.id}`, { limit: 10 });
    assert.equal(p1.limit, 10);
    assert.equal(p1.data.length, 10);
    assert.equal(typeof p1.last, 'string');
    assert.ok(p1.last.length > 0, 'a full page must carry a `last` cursor');
    const p2 = await hms.api.get(`/room-codes/room/${room.id}`, { limit: 10, start: p1.last });
    assert.equal(p2.data.length, 7);
    const paged = [...p1.data, ...p2.data].map((c) => c.code);
    assert.equal(new Set(paged).size, 17, 'pages must not overlap');
    assert.deepEqual([...paged].sort(), [...expected].sort());

    // Role filter combined with paging: 14 viewer codes -> 10 + 4.
    const v1 = await hms.api.get(`/room-codes/room/${room.id}`, { role: 'viewer', limit: 10 });
    assert.equal(v1.data.length, 10);
    const v2 = await hms.api.get(`/room-codes/room/${room.id}`, { role: 'viewer', limit: 10, start: v1.last });
    assert.equal(v2.data.length, 4);
    assert.ok([...v1.data, ...v2.data].every((c) => c.role === 'viewer'));
    assert.equal(new Set([...v1.data, ...v2.data].map((c) => c.code)).size, 14);
  });

  test('roomCodes.list of an unknown room -> 404', async () => {
    await rejectsWith(collect(hms.roomCodes.list('000000000000000000000000')), 404, 'list unknown room');
  });
});

describe('SDK authentication', { timeout: 30_000 }, () => {
  test('an SDK built with a wrong secret gets 401 (after its one retry)', async () => {
    const bad = new HMS.SDK(ACCESS_KEY, 'this-is-not-the-secret-this-is-not-the-secret');
    bad.setLogLevel('silent');
    bad.api.axios.defaults.baseURL = `${srv.url}/v2`;
    await rejectsWith(bad.rooms.retrieveByName('anything'), 401, 'wrong secret');
  });
});

test('server still healthy and stops cleanly (exit 0, "stopped")', { timeout: 30_000 }, async () => {
  const r = await srv.stop();
  assert.equal(r.forced, false, 'SIGTERM did not stop the server in time');
  assert.equal(r.code, 0, `exit code; stderr tail: ${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, /^roomgate: stopped$/m);
});
