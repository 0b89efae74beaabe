// Durability and lifecycle of `roomgate serve`: every acknowledged write
// survives kill -9 (also in the middle of a burst of concurrent writes), a
// restart on the same data folder serves everything, SIGTERM/SIGINT stop
// gracefully (exit 0, "roomgate: stopped"), and first-start key generation.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/durability.test.mjs

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { once } from 'node:events';
import jwt from 'jsonwebtoken';
import { CODE_RE, SECRET, api, mgmtToken, ok200, show, sleep, startServer } from './server.mjs';

const servers = [];
async function start(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}
after(async () => {
  for (const s of servers) await s.stop();
});

/** All rooms (enabled and disabled) by paging GET /v2/rooms. */
async function listAllRooms(srv, token) {
  const out = new Map();
  for (const enabled of ['true', 'false']) {
    let start = '';
    for (let page = 0; page < 1000; page++) {
      const q = `limit=100&enabled=${enabled}${start ? `&start=${encodeURIComponent(start)}` : ''}`;
      const body = ok200(await api(srv, 'GET', `/v2/rooms?${q}`, { token }), 'list rooms');
      for (const r of body.data) out.set(r.id, r);
      if (body.data.length < 100 || !body.last) break;
      start = body.last;
    }
  }
  return out;
}

/** All codes of a room. */
async function listCodes(srv, roomId, token) {
  const out = new Map();
  let start = '';
  for (let page = 0; page < 100; page++) {
    const q = `limit=100${start ? `&start=${encodeURIComponent(start)}` : ''}`;
    const body = ok200(await api(srv, 'GET', `/v2/room-codes/room/${roomId}?${q}`, { token }), 'list codes');
    for (const c of body.data) out.set(c.code, c);
    if (body.data.length < 100 || !body.last) break;
    start = body.last;
  }
  return out;
}

/**
 * Checks that everything in `ledger` is on the server:
 *   rooms: Map id -> {name, enabled}; codes: Map code -> {room_id, role, enabled}
 */
async function assertLedger(srv, ledger, what) {
  const token = mgmtToken();
  for (const [id, r] of ledger.rooms) {
    const res = await api(srv, 'GET', `/v2/rooms/${id}`, { token });
    assert.equal(res.status, 200, `${what}: acknowledged room ${id} (${r.name}) lost: ${show(res)}`);
    assert.equal(res.json.name, r.name, `${what}: room ${id} name`);
    assert.equal(res.json.enabled, r.enabled, `${what}: room ${id} enabled`);
  }
  const listed = await listAllRooms(srv, token);
  for (const id of ledger.rooms.keys()) assert.ok(listed.has(id), `${what}: room ${id} missing from GET /v2/rooms`);

  const byRoom = new Map();
  for (const [code, c] of ledger.codes) {
    if (!byRoom.has(c.room_id)) byRoom.set(c.room_id, []);
    byRoom.get(c.room_id).push([code, c]);
  }
  for (const [roomId, expected] of byRoom) {
    const codes = await listCodes(srv, roomId, token);
    for (const [code, c] of expected) {
      const got = codes.get(code);
      assert.ok(got, `${what}: acknowledged code ${code} of room ${roomId} lost`);
      assert.equal(got.role, c.role, `${what}: code ${code} role`);
      if (c.enabled !== undefined) assert.equal(got.enabled, c.enabled, `${what}: code ${code} enabled`);
    }
  }
}

/** Redeems a code and checks the token names the room. */
async function assertRedeems(srv, code, roomId) {
  const res = await api(srv, 'POST', '/v2/token', { body: JSON.stringify({ code }), token: null, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
  assert.equal(res.status, 200, `redeem ${code}: ${show(res)}`);
  assert.equal(jwt.verify(res.json.token, SECRET, { algorithms: ['HS256'] }).room_id, roomId);
}

function randInt(lo, hi) {
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

describe('kill -9 loses no acknowledged write', { timeout: 180_000 }, () => {
  let srv;
  const ledger = { rooms: new Map(), codes: new Map() };
  const seqRooms = [];

  test('sequential writes, then kill -9, then restart: all there', async () => {
    srv = await start();
    const token = mgmtToken();
    for (let i = 0; i < 15; i++) {
      const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: `seq-${i}`, description: `room ${i}` }, token }));
      ledger.rooms.set(room.id, { name: room.name, enabled: true });
      seqRooms.push(room.id);
      const codes = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {}, token })).data;
      for (const c of codes) {
        assert.match(c.code, CODE_RE);
        ledger.codes.set(c.code, { room_id: room.id, role: c.role, enabled: true });
      }
    }
    // some updates: disable every third room and one code per room
    for (let i = 0; i < seqRooms.length; i += 3) {
      const r = ok200(await api(srv, 'POST', `/v2/rooms/${seqRooms[i]}`, { body: { enabled: false }, token }));
      assert.equal(r.enabled, false);
      ledger.rooms.get(seqRooms[i]).enabled = false;
    }
    for (const [code, c] of [...ledger.codes].filter(([, c]) => c.role === 'viewer')) {
      ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code, enabled: false }, token }));
      c.enabled = false;
    }

    // templates and roles are writes too
    const tpl = ok200(await api(srv, 'POST', '/v2/templates', { body: { name: 'durable-tpl', roles: { speaker: { name: 'speaker' } } }, token }));
    ok200(await api(srv, 'POST', `/v2/templates/${tpl.id}/roles/listener`, { body: { name: 'listener', priority: 4 }, token }));
    const defTpl = ok200(await api(srv, 'GET', '/v2/templates', { token })).data.find((t) => t.name === 'default');
    ok200(await api(srv, 'POST', `/v2/templates/${defTpl.id}/roles/durable-role`, { body: { name: 'durable-role' }, token }));
    assert.equal((await api(srv, 'DELETE', `/v2/templates/${defTpl.id}/roles/durable-role`, { token })).status, 204);

    const exit = await srv.kill9();
    assert.equal(exit.signal, 'SIGKILL');
    await srv.restart();
    await assertLedger(srv, ledger, 'after kill -9 (sequential)');
    const gotTpl = ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}`), 'template after kill -9');
    assert.equal(gotTpl.name, 'durable-tpl');
    assert.deepEqual(Object.keys(gotTpl.roles).sort(), ['listener', 'speaker']);
    assert.equal(ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}/roles/listener`)).priority, 4);
    assert.equal((await api(srv, 'GET', `/v2/templates/${defTpl.id}/roles/durable-role`)).status, 404, 'deleted role came back');
  });

  for (const round of [1, 2]) {
    test(`round ${round}: 200 concurrent writes, kill -9 after ~50 acknowledged, restart: every acknowledged write is there`, async (t) => {
      const token = mgmtToken();
      const killAfter = randInt(30, 70);
      let acked = 0;
      let killed = null;
      const newLedger = { rooms: new Map(), codes: new Map() };
      const enabledRooms = seqRooms.filter((id) => ledger.rooms.get(id).enabled);
      const togglable = [...ledger.codes].filter(([, c]) => ledger.rooms.get(c.room_id).enabled);

      const ack = () => {
        acked++;
        if (acked === killAfter && !killed) killed = srv.kill9();
      };

      const ops = [];
      const pushRoomCreate = (i) => {
        const name = `burst${round}-${i}`;
        ops.push(async () => {
          const res = await api(srv, 'POST', '/v2/rooms', { body: { name }, token });
          if (res.status !== 200) throw new Error(`create room ${name}: ${show(res)}`);
          newLedger.rooms.set(res.json.id, { name: res.json.name, enabled: true });
          ack();
        });
      };
      for (let i = 0; i < 200; i++) {
        const kind = i % 4;
        if (kind === 0 || kind === 1) {
          pushRoomCreate(i);
        } else if (kind === 2) {
          const roomId = enabledRooms[i % enabledRooms.length];
          const role = ['host', 'guest', 'viewer'][i % 3];
          ops.push(async () => {
            const res = await api(srv, 'POST', `/v2/room-codes/room/${roomId}/role/${role}`, { body: {}, token });
            if (res.status !== 200) throw new Error(`create code: ${show(res)}`);
            newLedger.codes.set(res.json.code, { room_id: roomId, role, enabled: res.json.enabled });
            ack();
          });
        } else {
          // flip an existing code (each code at most once per round)
          const [code, c] = togglable[(i >> 2) % togglable.length];
          if (c.inFlight !== undefined || c.enabled === undefined) {
            pushRoomCreate(i);
            continue;
          }
          const want = !c.enabled;
          c.inFlight = want;
          ops.push(async () => {
            const res = await api(srv, 'POST', '/v2/room-codes/code', { body: { code, enabled: want }, token });
            if (res.status !== 200) throw new Error(`toggle ${code}: ${show(res)}`);
            assert.equal(res.json.enabled, want);
            c.enabled = want; // acknowledged: the new state must survive
            delete c.inFlight;
            ack();
          });
        }
      }

      const results = await Promise.allSettled(ops.map((op) => op()));
      if (!killed) killed = srv.kill9(); // everything finished before the threshold (fast machine)
      await killed;
      // A toggle cut off by the kill may or may not have been applied: its state is unknown now.
      for (const [, c] of togglable) {
        if (c.inFlight !== undefined) c.enabled = undefined;
        delete c.inFlight;
      }

      const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
      // Requests cut off by the kill fail at the socket level; an HTTP error status would be a real bug.
      for (const e of failures) assert.ok(!/^(create|toggle)/.test(e.message ?? ''), `unexpected HTTP failure: ${e.message}`);
      assert.ok(acked >= Math.min(killAfter, 150), `only ${acked} writes acknowledged before the kill`);

      t.diagnostic(`kill -9 after ${killAfter}: ${acked} acknowledged, ${failures.length} cut off, ${ops.length} sent`);
      await srv.restart();
      for (const [id, r] of newLedger.rooms) ledger.rooms.set(id, r);
      for (const [code, c] of newLedger.codes) ledger.codes.set(code, c);
      await assertLedger(srv, ledger, `round ${round} after kill -9 (${acked} acked, ${failures.length} cut off)`);
      // Learn the actual state of the cut-off toggles for the next round.
      for (const roomId of new Set([...ledger.codes.values()].filter((c) => c.enabled === undefined).map((c) => c.room_id))) {
        for (const [code, got] of await listCodes(srv, roomId, token)) {
          const c = ledger.codes.get(code);
          if (c && c.enabled === undefined) c.enabled = got.enabled;
        }
      }
    });
  }

  test('the restarted server still serves: new room, new code, token redemption', async () => {
    const token = mgmtToken();
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'after-crash' }, token }));
    const code = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/host`, { body: {}, token })).code;
    await assertRedeems(srv, code, room.id);
    // an old code (acknowledged before the crashes) still redeems if it is enabled and its room too
    const old = [...ledger.codes].find(([, c]) => c.enabled && ledger.rooms.get(c.room_id)?.enabled);
    assert.ok(old, 'no enabled old code to redeem');
    await assertRedeems(srv, old[0], old[1].room_id);
    // upsert by name still finds pre-crash rooms (no duplicate rooms created)
    const again = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'SEQ-1' }, token }));
    assert.equal(again.id, seqRooms[1]);
  });

  test('graceful stop after the crashes: exit 0, "stopped"', async () => {
    const r = await srv.stop();
    assert.equal(r.forced, false);
    assert.equal(r.code, 0, `stderr tail: ${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /^roomgate: stopped$/m);
  });
});

describe('graceful shutdown', { timeout: 60_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal} -> exit 0, "roomgate: stopped" printed, data kept`, async () => {
      const srv = await start();
      assert.match(srv.stdout, /^roomgate: listening on http:\/\/127\.0\.0\.1:\d+$/m);
      const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: `graceful-${signal}` } }));
      const r = await srv.stop(signal);
      assert.equal(r.forced, false, `${signal} did not stop the server within the bound`);
      assert.equal(r.signal, null, `killed by signal ${r.signal}`);
      assert.equal(r.code, 0, `exit code; stderr: ${r.stderr.slice(-2000)}`);
      assert.match(r.stdout, /^roomgate: stopped$/m);
      await srv.restart();
      assert.equal(ok200(await api(srv, 'GET', `/v2/rooms/${room.id}`)).name, `graceful-${signal}`);
    });
  }

  test('SIGTERM while a client holds a half-sent request and an idle keep-alive connection: still stops (bounded), exit 0', async () => {
    const srv = await start();
    const half = net.connect({ host: '127.0.0.1', port: srv.port });
    const idle = net.connect({ host: '127.0.0.1', port: srv.port });
    half.on('error', () => {});
    idle.on('error', () => {});
    await Promise.all([once(half, 'connect'), once(idle, 'connect')]);
    half.write('POST /v2/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"name":');
    idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await once(idle, 'data');
    await sleep(200);
    const t0 = Date.now();
    const r = await srv.stop();
    half.destroy();
    idle.destroy();
    assert.equal(r.forced, false, 'the server did not stop within 10 s of SIGTERM');
    assert.equal(r.code, 0, `stderr: ${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /^roomgate: stopped$/m);
    assert.ok(Date.now() - t0 < 10_000);
  });

  test('SIGTERM with requests in flight: every acknowledged create survives, exit 0', async () => {
    const srv = await start();
    const token = mgmtToken();
    const acked = new Map();
    let stopping = null;
    const ops = Array.from({ length: 60 }, (_, i) => async () => {
      const res = await api(srv, 'POST', '/v2/rooms', { body: { name: `inflight-${i}` }, token });
      if (res.status !== 200) throw new Error(`create: ${show(res)}`);
      acked.set(res.json.id, { name: res.json.name, enabled: true });
      if (acked.size === 10 && !stopping) stopping = srv.stop();
    });
    const results = await Promise.allSettled(ops.map((op) => op()));
    for (const r of results) if (r.status === 'rejected') assert.ok(!/^create/.test(r.reason?.message ?? ''), r.reason?.message);
    const r = await (stopping ?? srv.stop());
    assert.equal(r.forced, false);
    assert.equal(r.code, 0, `stderr: ${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /^roomgate: stopped$/m);
    await srv.restart();
    await assertLedger(srv, { rooms: acked, codes: new Map() }, 'after SIGTERM with requests in flight');
  });
});

describe('store and first start', { timeout: 60_000 }, () => {
  test('the store is DIR/roomgate.db', async () => {
    const srv = await start();
    ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'db-room' } }));
    assert.ok(existsSync(join(srv.dataDir, 'roomgate.db')), 'roomgate.db missing from the data dir');
    await srv.stop();
  });

  test('no credentials + empty data dir: a key pair is generated into DIR/credentials.json (0600) and reused', async () => {
    const srv = await start({ credentials: false });
    const file = join(srv.dataDir, 'credentials.json');
    assert.ok(existsSync(file), `no ${file}; stdout: ${srv.stdout}`);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'credentials.json must be mode 0600');
    const creds = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(Array.isArray(creds.keys) && creds.keys.length === 1, JSON.stringify(Object.keys(creds)));
    const { access_key: ak, secret } = creds.keys[0];
    assert.equal(typeof ak, 'string');
    assert.ok(Buffer.byteLength(secret) >= 32, 'generated secret >= 32 bytes');
    const printed = srv.stdout + srv.stderr;
    assert.ok(printed.includes(ak), `access key not printed: ${printed}`);
    assert.ok(printed.includes(file), `file path not printed: ${printed}`);
    assert.ok(!srv.stdout.includes(secret) && !srv.stderr.includes(secret), 'the secret must not be printed');

    // The generated pair works for the API; the test pair does not.
    ok200(await api(srv, 'GET', '/v2/rooms', { token: mgmtToken({ accessKey: ak, secret }) }), 'generated creds');
    assert.equal((await api(srv, 'GET', '/v2/rooms')).status, 401);

    // Restart on the same dir: the same pair is loaded, not regenerated.
    await srv.restart();
    const again = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(again, creds);
    ok200(await api(srv, 'GET', '/v2/rooms', { token: mgmtToken({ accessKey: ak, secret }) }), 'generated creds after restart');
    await srv.stop();
  });
});
