// REST conventions of `roomgate serve` (reference §2, §3, §4, §8, §9): auth,
// JSON errors (401/404/405/413/400/409), templates and roles, health and
// metrics, access log hygiene.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/rest_api.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import {
  ACCESS_KEY,
  OTHER_SECRET,
  SECRET,
  CODE_RE,
  api,
  appToken,
  assertJsonError,
  mgmtToken,
  ok200,
  rawRequest,
  REQUEST_TIMEOUT_MS,
  show,
  sleep,
  readResponse,
  startServer,
} from './server.mjs';

const NO_SUCH_ID = '000000000000000000000000';

/**
 * POSTs a large body with fetch (Content-Length, or chunked from a stream).
 * A server that answers 413 and closes while the client is still sending can
 * make the client see EPIPE/ECONNRESET instead of the answer; such transport
 * errors are retried (at most 3 attempts) and reported as diagnostics.
 */
async function postBig(t, srv, path, buf, { chunked = false, token = mgmtToken(), contentType = 'application/json' } = {}) {
  let lastErr;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const body = chunked
      ? new ReadableStream({
          start(c) {
            for (let o = 0; o < buf.length; o += 65536) c.enqueue(buf.subarray(o, o + 65536));
            c.close();
          },
        })
      : buf;
    try {
      const res = await fetch(srv.url + path, {
        method: 'POST',
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': contentType },
        body,
        ...(chunked ? { duplex: 'half' } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return readResponse(res);
    } catch (e) {
      lastErr = e;
      t.diagnostic(`attempt ${attempt}: transport error instead of a response: ${e.cause?.code ?? e.message}`);
    }
  }
  throw lastErr;
}

let srv;

before(async () => {
  srv = await startServer({ config: { server: { access_log: true } } });
});

after(async () => {
  await srv?.stop();
});

describe('authentication of /v2 (401 JSON)', { timeout: 30_000 }, () => {
  const now = () => Math.floor(Date.now() / 1000);

  test('control: a docs-style management token is accepted', async () => {
    const res = await api(srv, 'GET', '/v2/rooms');
    const body = ok200(res);
    assert.ok(Array.isArray(body.data));
  });

  const cases = [
    ['no Authorization header', () => ({ token: null })],
    ['Bearer garbage', () => ({ token: 'garbage' })],
    ['Bearer with an empty token', () => ({ token: null, headers: { Authorization: 'Bearer ' } })],
    ['Basic scheme', () => ({ token: null, headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } })],
    ['token without the Bearer scheme', () => ({ token: null, headers: { Authorization: mgmtToken() } })],
    [
      'expired management token (issued 25 h ago)',
      () => ({ token: mgmtToken({ payload: { iat: now() - 25 * 3600, nbf: now() - 25 * 3600 } }) }),
    ],
    ['expired a few seconds ago', () => ({ token: mgmtToken({ expiresIn: false, payload: { iat: now() - 600, nbf: now() - 600, exp: now() - 5 } }) })],
    ['nbf 10 minutes in the future', () => ({ token: mgmtToken({ payload: { nbf: now() + 600 } }) })],
    ['wrong secret', () => ({ token: mgmtToken({ secret: OTHER_SECRET }) })],
    ['unknown access_key', () => ({ token: mgmtToken({ accessKey: 'ffffffffffffffffffffffff' }) })],
    ['an APP token (type app)', () => ({ token: appToken() })],
    ['type management but version 1', () => ({ token: mgmtToken({ payload: { version: 1 } }) })],
    ['HS384 signed', () => ({ token: mgmtToken({ algorithm: 'HS384' }) })],
    ['alg none', () => {
      const p = Buffer.from(JSON.stringify({ access_key: ACCESS_KEY, type: 'management', version: 2, iat: now(), nbf: now(), exp: now() + 3600, jti: randomUUID() })).toString('base64url');
      const h = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return { token: `${h}.${p}.` };
    }],
    ['tampered signature', () => {
      const t = mgmtToken();
      return { token: t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA') };
    }],
  ];
  for (const [name, opts] of cases) {
    test(`${name} -> 401`, async () => {
      for (const [method, path, body] of [
        ['GET', '/v2/rooms'],
        ['POST', '/v2/rooms', { name: 'should-not-exist' }],
        ['GET', '/v2/templates'],
      ]) {
        const res = await api(srv, method, path, { body, ...opts() });
        assertJsonError(res, 401, `${name} ${method} ${path}`);
      }
    });
  }

  test('nothing was created by the refused requests', async () => {
    const body = ok200(await api(srv, 'GET', '/v2/rooms?name=should-not-exist'));
    assert.deepEqual(body.data, []);
  });

  test('management token minted by `jwt.sign` with exp only via expiresIn 1h is fine', async () => {
    ok200(await api(srv, 'GET', '/v2/rooms', { token: mgmtToken({ expiresIn: '1h' }) }));
  });
});

describe('unknown paths and methods', { timeout: 30_000 }, () => {
  test('unknown path -> 404 JSON (under /v2 and outside it)', async () => {
    for (const path of ['/v2/nope', '/v2/rooms/x/y/z', '/nope', '/v3/rooms', '/']) {
      assertJsonError(await api(srv, 'GET', path), 404, path);
    }
  });

  test('known path, wrong method -> 405 JSON with Allow', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'method-room' } }));
    for (const [method, path, allowed] of [
      ['DELETE', '/v2/rooms', ['GET', 'POST']],
      ['PUT', `/v2/rooms/${room.id}`, ['GET', 'POST']],
      ['PATCH', `/v2/rooms/${room.id}`, ['GET', 'POST']],
      ['DELETE', `/v2/rooms/${room.id}`, ['GET', 'POST']],
      ['PUT', '/v2/room-codes/code', ['POST']],
      ['GET', '/v2/room-codes/code', ['POST']],
      ['DELETE', `/v2/room-codes/room/${room.id}`, ['GET', 'POST']],
    ]) {
      const res = await api(srv, method, path);
      assertJsonError(res, 405, `${method} ${path}`);
      const allow = (res.headers.get('allow') ?? '').toUpperCase();
      for (const m of allowed) assert.match(allow, new RegExp(`\\b${m}\\b`), `${method} ${path}: Allow ${JSON.stringify(allow)} lacks ${m}`);
      assert.doesNotMatch(allow, new RegExp(`\\b${method}\\b`), `${method} ${path}: Allow must not list ${method}`);
    }
  });
});

describe('request bodies', { timeout: 60_000 }, () => {
  test('2 MiB body (Content-Length) -> 413 JSON, server keeps serving', async (t) => {
    const big = Buffer.from(JSON.stringify({ name: 'big', description: 'x'.repeat(2 * 1024 * 1024) }));
    assertJsonError(await postBig(t, srv, '/v2/rooms', big), 413, 'Content-Length 2 MiB');
    ok200(await api(srv, 'GET', '/healthz', { token: null }));
  });

  test('2 MiB body (chunked) -> 413 JSON', async (t) => {
    const big = Buffer.from(JSON.stringify({ name: 'big2', description: 'y'.repeat(2 * 1024 * 1024) }));
    assertJsonError(await postBig(t, srv, '/v2/rooms', big, { chunked: true }), 413, 'chunked 2 MiB');
  });

  test('2 MiB body to the unauthenticated token endpoint -> 413 JSON (with CORS)', async (t) => {
    const big = Buffer.from(JSON.stringify({ code: 'abc-defg-hij', user_id: 'u'.repeat(2 * 1024 * 1024) }));
    const res = await postBig(t, srv, '/v2/token', big, { token: null, contentType: 'text/plain;charset=UTF-8' });
    assertJsonError(res, 413, 'token 2 MiB');
  });

  test('a body just under 1 MiB (JSON padded with whitespace) is accepted', async () => {
    const head = JSON.stringify({ name: 'near-limit' });
    const body = head.slice(0, -1) + ' '.repeat(1024 * 1024 - head.length) + '}';
    assert.equal(Buffer.byteLength(body), 1024 * 1024);
    const res = await api(srv, 'POST', '/v2/rooms', { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200, show(res));
    assert.equal(res.json.name, 'near-limit');
  });

  test('nothing of the refused big bodies was stored', async () => {
    for (const n of ['big', 'big2']) assert.deepEqual(ok200(await api(srv, 'GET', `/v2/rooms?name=${n}`)).data, []);
  });

  test('malformed JSON -> 400 JSON', async () => {
    for (const [path, body] of [
      ['/v2/rooms', '{"name":'],
      ['/v2/rooms', 'not json'],
      ['/v2/rooms', '{"name":"a",}'],
      ['/v2/room-codes/code', '{"code":"abc-defg-hij","enabled":fals}'],
      ['/v2/templates', '{'],
    ]) {
      assertJsonError(await api(srv, 'POST', path, { body, headers: { 'Content-Type': 'application/json' } }), 400, `${path} ${body}`);
    }
  });

  test('non-object JSON body -> 400', async () => {
    for (const body of ['[]', '"room"', '42', 'null']) {
      assertJsonError(await api(srv, 'POST', '/v2/rooms', { body, headers: { 'Content-Type': 'application/json' } }), 400, body);
    }
  });

  test('wrong types -> 400', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'types-room' } }));
    const codes = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} })).data;
    for (const [path, body] of [
      ['/v2/rooms', { name: 123 }],
      ['/v2/rooms', { name: 'ok-name', description: ['x'] }],
      ['/v2/rooms', { name: 'ok-name', template_id: 7 }],
      ['/v2/rooms', { name: 'ok-name', size: 'big' }],
      ['/v2/rooms', { name: 'ok-name', large_room: 'yes' }],
      [`/v2/rooms/${room.id}`, { enabled: 'false' }],
      [`/v2/rooms/${room.id}`, { enabled: 0 }],
      ['/v2/room-codes/code', { code: codes[0].code, enabled: 'false' }],
      ['/v2/room-codes/code', { code: 5, enabled: false }],
      ['/v2/room-codes/code', { code: codes[0].code }], // enabled required
      ['/v2/room-codes/code', { enabled: false }], // code required
      [`/v2/room-codes/code/${codes[0].code}`, { enabled: 'no' }],
    ]) {
      assertJsonError(await api(srv, 'POST', path, { body }), 400, `${path} ${JSON.stringify(body)}`);
    }
    // nothing changed
    const got = ok200(await api(srv, 'GET', `/v2/rooms/${room.id}`));
    assert.equal(got.enabled, true);
    assert.deepEqual(ok200(await api(srv, 'GET', '/v2/rooms?name=ok-name')).data, []);
  });

  test('`template` instead of `template_id` -> 400', async () => {
    const tpl = ok200(await api(srv, 'GET', '/v2/templates')).data.find((t) => t.name === 'default');
    assertJsonError(await api(srv, 'POST', '/v2/rooms', { body: { name: 'tpl-room', template: tpl.id } }), 400, 'template');
    assertJsonError(await api(srv, 'POST', '/v2/rooms', { body: { name: 'tpl-room', template: 'default' } }), 400, 'template');
  });

  test('unknown template_id -> 400; invalid room name -> 400', async () => {
    assertJsonError(await api(srv, 'POST', '/v2/rooms', { body: { name: 'x-room', template_id: NO_SUCH_ID } }), 400, 'template_id');
    for (const name of ['bad name', 'semi;colon', 'slash/room', 'ümlaut']) {
      assertJsonError(await api(srv, 'POST', '/v2/rooms', { body: { name } }), 400, `name ${JSON.stringify(name)}`);
    }
  });

  test('POST /v2/room-codes/code with an unexpected field -> 400', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'extra-field-room' } }));
    const code = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/host`)).code;
    assertJsonError(await api(srv, 'POST', '/v2/room-codes/code', { body: { code, enabled: false, role: 'guest' } }), 400, 'extra field');
    const list = ok200(await api(srv, 'GET', `/v2/room-codes/room/${room.id}`));
    assert.equal(list.data[0].enabled, true, 'refused request must not change the code');
  });

  test('bad query parameters -> 400', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'query-room' } }));
    for (const path of [
      '/v2/rooms?limit=abc',
      '/v2/rooms?limit=0',
      '/v2/rooms?limit=101',
      '/v2/rooms?limit=-5',
      `/v2/room-codes/room/${room.id}?limit=0`,
      `/v2/room-codes/room/${room.id}?limit=101`,
      '/v2/rooms?after=yesterday',
      '/v2/rooms?enabled=maybe',
      `/v2/room-codes/room/${room.id}?enabled=maybe`,
      `/v2/room-codes/room/${room.id}?limit=abc`,
    ]) {
      assertJsonError(await api(srv, 'GET', path), 400, path);
    }
  });
});

describe('rooms and codes over raw REST', { timeout: 60_000 }, () => {
  test('room object shape and list envelope {limit, data, last}', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'Shape-Room', description: 'd' } }));
    for (const k of ['id', 'name', 'enabled', 'template_id', 'created_at', 'updated_at']) assert.ok(k in room, `room lacks ${k}`);
    assert.equal(room.name, 'Shape-Room');
    const list = ok200(await api(srv, 'GET', '/v2/rooms?name=shape-room'));
    assert.ok('limit' in list && 'data' in list && 'last' in list, `envelope: ${JSON.stringify(Object.keys(list))}`);
    assert.equal(list.data.length, 1, 'name filter is case-insensitive');
    assert.equal(list.data[0].id, room.id);
    const small = ok200(await api(srv, 'GET', '/v2/rooms?limit=2'));
    assert.equal(small.limit, 2);
    assert.ok(small.data.length <= 2);
  });

  test('list filters: template_id, after/before', async () => {
    const tplId = ok200(await api(srv, 'GET', '/v2/templates')).data.find((t) => t.name === 'default').id;
    const all = ok200(await api(srv, 'GET', `/v2/rooms?limit=100&template_id=${tplId}`));
    assert.ok(all.data.length > 0);
    assert.ok(all.data.every((r) => r.template_id === tplId));
    assert.deepEqual(ok200(await api(srv, 'GET', `/v2/rooms?template_id=${NO_SUCH_ID}`)).data, []);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    assert.deepEqual(ok200(await api(srv, 'GET', `/v2/rooms?after=${encodeURIComponent(future)}`)).data, []);
    assert.deepEqual(ok200(await api(srv, 'GET', `/v2/rooms?before=${encodeURIComponent(past)}`)).data, []);
    assert.equal(ok200(await api(srv, 'GET', `/v2/rooms?limit=100&after=${encodeURIComponent(past)}`)).data.length, all.data.length);
  });

  test('limit bounds 1 and 100 are accepted', async () => {
    assert.equal(ok200(await api(srv, 'GET', '/v2/rooms?limit=1')).limit, 1);
    assert.equal(ok200(await api(srv, 'GET', '/v2/rooms?limit=100')).limit, 100);
  });

  test('disabled rooms are left out of GET /v2/rooms by default (enabled defaults to true)', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'hidden-room' } }));
    ok200(await api(srv, 'POST', `/v2/rooms/${room.id}`, { body: { enabled: false } }));
    assert.deepEqual(ok200(await api(srv, 'GET', '/v2/rooms?name=hidden-room')).data, []);
    assert.deepEqual(ok200(await api(srv, 'GET', '/v2/rooms?name=hidden-room&enabled=false')).data.map((r) => r.id), [room.id]);
  });

  test('non-ASCII text fields round-trip', async () => {
    const description = 'Zoë\'s room ✓ "quoted" \\ 会议室 \u{1F600}';
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'unicode-room', description } }));
    assert.equal(room.description, description);
    assert.equal(ok200(await api(srv, 'GET', `/v2/rooms/${room.id}`)).description, description);
  });

  test('a small chunked request body is read normally', async () => {
    const res = await rawRequest(srv, {
      method: 'POST',
      path: '/v2/rooms',
      headers: { Authorization: `Bearer ${mgmtToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'chunked-room' }),
      chunked: true,
    });
    assert.equal(res.status, 200, show(res));
    assert.equal(res.json.name, 'chunked-room');
  });

  test('renaming a room onto another room\'s name (other case) does not create a duplicate name', async () => {
    const a = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'name-a' } }));
    const b = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'name-b' } }));
    const res = await api(srv, 'POST', `/v2/rooms/${b.id}`, { body: { name: 'NAME-A' } });
    assert.ok(res.status >= 400 && res.status < 500, `expected a 4xx refusal, got ${show(res)}`);
    assertJsonError(res, res.status, 'rename conflict');
    const hits = ok200(await api(srv, 'GET', '/v2/rooms?name=name-a')).data;
    assert.deepEqual(hits.map((r) => r.id), [a.id]);
    assert.equal(ok200(await api(srv, 'GET', `/v2/rooms/${b.id}`)).name, 'name-b');
  });

  test('concurrent creates of one name (different case) yield one room', async () => {
    const names = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'Race-Room' : 'race-room'));
    const results = await Promise.all(names.map((name) => api(srv, 'POST', '/v2/rooms', { body: { name } })));
    for (const r of results) assert.equal(r.status, 200, show(r));
    const ids = new Set(results.map((r) => r.json.id));
    assert.equal(ids.size, 1, `one room expected, got ${ids.size} ids`);
    assert.equal(ok200(await api(srv, 'GET', '/v2/rooms?name=race-room')).data.length, 1);
  });

  test('unknown room -> 404 everywhere', async () => {
    for (const [method, path, body] of [
      ['GET', `/v2/rooms/${NO_SUCH_ID}`],
      ['POST', `/v2/rooms/${NO_SUCH_ID}`, { enabled: false }],
      ['POST', `/v2/rooms/${NO_SUCH_ID}`, { description: 'x' }],
      ['POST', `/v2/room-codes/room/${NO_SUCH_ID}`, {}],
      ['POST', `/v2/room-codes/room/${NO_SUCH_ID}/role/host`, {}],
      ['GET', `/v2/room-codes/room/${NO_SUCH_ID}`],
      ['GET', '/v2/rooms/not-an-id'],
    ]) {
      assertJsonError(await api(srv, method, path, { body }), 404, `${method} ${path}`);
    }
  });

  test('unknown role -> 404; unknown code -> 404', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'role-404-room' } }));
    assertJsonError(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/nobody`, { body: {} }), 404, 'role');
    assertJsonError(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: 'zzz-zzzz-zzz', enabled: false } }), 404, 'code');
    assertJsonError(await api(srv, 'POST', '/v2/room-codes/code/zzz-zzzz-zzz', { body: { enabled: false } }), 404, 'legacy code');
  });

  test('disabled room -> 403 on code creation', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'disabled-room' } }));
    ok200(await api(srv, 'POST', `/v2/rooms/${room.id}`, { body: { enabled: false } }));
    assertJsonError(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} }), 403, 'all roles');
    assertJsonError(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/host`, { body: {} }), 403, 'one role');
  });

  test('legacy POST /v2/room-codes/code/<code> {enabled}', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'legacy-room' } }));
    const c = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/guest`));
    assert.match(c.code, CODE_RE);
    const off = ok200(await api(srv, 'POST', `/v2/room-codes/code/${c.code}`, { body: { enabled: false } }));
    assert.equal(off.code, c.code);
    assert.equal(off.enabled, false);
    const list = ok200(await api(srv, 'GET', `/v2/room-codes/room/${room.id}?enabled=false`));
    assert.deepEqual(list.data.map((x) => x.code), [c.code]);
    const on = ok200(await api(srv, 'POST', `/v2/room-codes/code/${c.code}`, { body: { enabled: true } }));
    assert.equal(on.enabled, true);
  });

  test('POST with no body at all (SDK sends {}, curl may send nothing) is accepted for code creation', async () => {
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'nobody-room' } }));
    const all = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`));
    assert.equal(all.data.length, 3);
    const one = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/host`));
    assert.match(one.code, CODE_RE);
  });
});

describe('code limit per room (max_codes_per_room 5) and body limit (max_body_bytes 2048)', { timeout: 60_000 }, () => {
  let s;
  before(async () => {
    s = await startServer({ config: { server: { max_codes_per_room: 5, max_body_bytes: 2048, threads: 8 } } });
  });

  test('concurrent code creation cannot overrun the limit: exactly 5 succeed, the rest 409', async (t) => {
    const room = ok200(await api(s, 'POST', '/v2/rooms', { body: { name: 'limited-race' } }));
    const token = mgmtToken();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api(s, 'POST', `/v2/room-codes/room/${room.id}/role/${['host', 'guest', 'viewer'][i % 3]}`, { body: {}, token })),
    );
    const counts = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    t.diagnostic(`statuses of 30 concurrent code creations: ${JSON.stringify(counts)}`);
    for (const r of results) if (r.status !== 200) assertJsonError(r, 409, 'over the limit');
    assert.equal(counts[200], 5, JSON.stringify(counts));
    assert.equal(ok200(await api(s, 'GET', `/v2/room-codes/room/${room.id}?limit=100`)).data.length, 5);
  });

  test('body of exactly max_body_bytes is read; one byte more -> 413', async (t) => {
    // Valid JSON of exactly n bytes: whitespace padding inside the object.
    const make = (n) => {
      const head = JSON.stringify({ name: 'size-room' });
      return head.slice(0, -1) + ' '.repeat(n - head.length) + '}';
    };
    const exact = make(2048);
    assert.equal(Buffer.byteLength(exact), 2048);
    const okRes = await api(s, 'POST', '/v2/rooms', { body: exact, headers: { 'Content-Type': 'application/json' } });
    assert.equal(okRes.status, 200, show(okRes));
    const res = await postBig(t, s, '/v2/rooms', Buffer.from(make(2049)));
    assertJsonError(res, 413, '2049 bytes');
  });
  after(async () => {
    await s?.stop();
  });

  test('3 (all roles) + 2 (one role) are fine, the 6th -> 409 JSON; another room is unaffected', async () => {
    const room = ok200(await api(s, 'POST', '/v2/rooms', { body: { name: 'limited' } }));
    assert.equal(ok200(await api(s, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} })).data.length, 3);
    ok200(await api(s, 'POST', `/v2/room-codes/room/${room.id}/role/guest`, { body: {} }));
    ok200(await api(s, 'POST', `/v2/room-codes/room/${room.id}/role/viewer`, { body: {} }));
    assertJsonError(await api(s, 'POST', `/v2/room-codes/room/${room.id}/role/host`, { body: {} }), 409, '6th code');
    assert.equal(ok200(await api(s, 'GET', `/v2/room-codes/room/${room.id}?limit=100`)).data.length, 5, 'no 6th code stored');

    const other = ok200(await api(s, 'POST', '/v2/rooms', { body: { name: 'other' } }));
    ok200(await api(s, 'POST', `/v2/room-codes/room/${other.id}/role/host`, { body: {} }));
  });

  test('a full room refuses create-for-all-roles that would exceed the limit with 409', async () => {
    const room = ok200(await api(s, 'POST', '/v2/rooms', { body: { name: 'limited-2' } }));
    for (let i = 0; i < 4; i++) ok200(await api(s, 'POST', `/v2/room-codes/room/${room.id}/role/host`, { body: {} }));
    // 4 host codes exist; guest and viewer have none -> 2 more would be 6 > 5.
    assertJsonError(await api(s, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} }), 409, 'all roles over limit');
    assert.equal(ok200(await api(s, 'GET', `/v2/room-codes/room/${room.id}?limit=100`)).data.length, 4, 'nothing partially created');
  });
});

describe('templates and roles', { timeout: 60_000 }, () => {
  let tpl;

  test('the seeded "default" template has roles host, guest, viewer', async () => {
    const list = ok200(await api(srv, 'GET', '/v2/templates'));
    assert.ok(Array.isArray(list.data));
    tpl = list.data.find((t) => t.name === 'default');
    assert.ok(tpl, `no default template in ${JSON.stringify(list.data.map((t) => t.name))}`);
    const got = ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}`));
    assert.equal(got.id, tpl.id);
    assert.equal(got.name, 'default');
    assert.deepEqual(Object.keys(got.roles).sort(), ['guest', 'host', 'viewer']);
    for (const [name, role] of Object.entries(got.roles)) assert.equal(role.name, name);
    const host = ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}/roles/host`));
    assert.equal(host.name, 'host');
    assert.equal(typeof host.permissions, 'object');
    // rooms made without template_id use it
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'default-tpl-room' } }));
    assert.equal(room.template_id, tpl.id);
  });

  test('unknown template / role -> 404', async () => {
    assertJsonError(await api(srv, 'GET', `/v2/templates/${NO_SUCH_ID}`), 404, 'template');
    assertJsonError(await api(srv, 'GET', `/v2/templates/${tpl.id}/roles/nobody`), 404, 'role');
    assertJsonError(await api(srv, 'DELETE', `/v2/templates/${tpl.id}/roles/nobody`), 404, 'delete role');
  });

  test('role create -> get -> update -> delete (204) roundtrip', async () => {
    const path = `/v2/templates/${tpl.id}/roles/moderator`;
    const created = ok200(
      await api(srv, 'POST', path, {
        body: {
          name: 'moderator',
          publishParams: { allowed: ['audio', 'video'] },
          subscribeParams: { subscribeToRoles: ['host', 'guest'] },
          permissions: { mute: true, endRoom: false },
          priority: 2,
        },
      }),
    );
    assert.equal(created.name, 'moderator');
    let got = ok200(await api(srv, 'GET', path));
    assert.equal(got.name, 'moderator');
    assert.deepEqual([...got.publishParams.allowed].sort(), ['audio', 'video']);
    assert.deepEqual([...got.subscribeParams.subscribeToRoles].sort(), ['guest', 'host']);
    assert.equal(got.permissions.mute, true);
    assert.equal(got.permissions.endRoom, false);
    assert.equal(got.priority, 2);
    assert.ok(Object.keys(ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}`)).roles).includes('moderator'));

    ok200(await api(srv, 'POST', path, { body: { name: 'moderator', permissions: { mute: false, endRoom: true }, priority: 3 } }));
    got = ok200(await api(srv, 'GET', path));
    assert.equal(got.permissions.mute, false);
    assert.equal(got.permissions.endRoom, true);
    assert.equal(got.priority, 3);

    // a code can now be made for the new role
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'mod-room' } }));
    assert.equal(ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/moderator`)).role, 'moderator');

    const del = await api(srv, 'DELETE', path);
    assert.equal(del.status, 204, show(del));
    assert.equal(del.text, '');
    assertJsonError(await api(srv, 'GET', path), 404, 'deleted role');
    assertJsonError(await api(srv, 'DELETE', path), 404, 'deleted twice');
    assert.deepEqual(Object.keys(ok200(await api(srv, 'GET', `/v2/templates/${tpl.id}`)).roles).sort(), ['guest', 'host', 'viewer']);
    assertJsonError(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/moderator`), 404, 'code for deleted role');
  });

  /** A template with roles keep + drop, a room on it, a code per role; then role `drop` is deleted. */
  async function roomWithDeletedRole(tag) {
    const t = ok200(
      await api(srv, 'POST', '/v2/templates', { body: { name: `sync-tpl-${tag}`, roles: { keep: { name: 'keep' }, drop: { name: 'drop' } } } }),
    );
    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: `sync-room-${tag}`, template_id: t.id } }));
    const codes = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} })).data;
    const drop = codes.find((c) => c.role === 'drop');
    assert.ok(drop, JSON.stringify(codes));
    assert.equal((await api(srv, 'DELETE', `/v2/templates/${t.id}/roles/drop`)).status, 204);
    return { room, drop };
  }

  test('deleting a role: its codes stop redeeming (403); disabling is allowed, re-enabling -> 403 (ref §4.5)', async () => {
    const { drop } = await roomWithDeletedRole('a');
    const redeem = await api(srv, 'POST', '/v2/token', { body: JSON.stringify({ code: drop.code }), token: null });
    assertJsonError(redeem, 403, 'redeeming a code of a deleted role');
    const off = ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: drop.code, enabled: false } }), 'disable');
    assert.equal(off.enabled, false);
    const reenable = await api(srv, 'POST', '/v2/room-codes/code', { body: { code: drop.code, enabled: true } });
    assertJsonError(reenable, 403, 're-enabling a code whose role no longer exists (ref §4.5)');
  });

  test('create-all after a role was deleted returns current roles only and disables the deleted role\'s codes (ref §4.2)', async () => {
    const { room, drop } = await roomWithDeletedRole('b');
    const synced = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} })).data;
    assert.deepEqual(synced.map((c) => c.role), ['keep'], 'create-all returns codes for current roles only');
    const dropped = ok200(await api(srv, 'GET', `/v2/room-codes/room/${room.id}?role=drop`)).data;
    assert.deepEqual(dropped.map((c) => c.code), [drop.code]);
    assert.equal(dropped[0].enabled, false, 'create-all must disable codes of deleted roles (ref §4.2)');
  });

  test('role body with wrong types -> 400', async () => {
    const path = `/v2/templates/${tpl.id}/roles/typed`;
    for (const body of [{ priority: 'high' }, { permissions: { mute: 'yes' } }, { publishParams: { allowed: 'audio' } }]) {
      assertJsonError(await api(srv, 'POST', path, { body }), 400, JSON.stringify(body));
    }
    assertJsonError(await api(srv, 'GET', path), 404, 'nothing created');
  });

  test('create a template with its own roles; rooms on it get codes for exactly those roles', async () => {
    const created = ok200(
      await api(srv, 'POST', '/v2/templates', {
        body: {
          name: 'webinar',
          roles: {
            speaker: { name: 'speaker', publishParams: { allowed: ['audio', 'video', 'screen'] }, permissions: { endRoom: true } },
            attendee: { name: 'attendee', publishParams: { allowed: [] } },
          },
        },
      }),
    );
    assert.equal(typeof created.id, 'string');
    assert.equal(created.name, 'webinar');
    assert.deepEqual(Object.keys(created.roles).sort(), ['attendee', 'speaker']);
    assert.equal(ok200(await api(srv, 'GET', `/v2/templates/${created.id}`)).name, 'webinar');
    assert.ok(ok200(await api(srv, 'GET', '/v2/templates')).data.some((t) => t.id === created.id));

    const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'webinar-room', template_id: created.id } }));
    assert.equal(room.template_id, created.id);
    const codes = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} })).data;
    assert.deepEqual(codes.map((c) => c.role).sort(), ['attendee', 'speaker']);
    assertJsonError(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/host`, { body: {} }), 404, 'host not in webinar');

    // update (POST /v2/templates/<id>) keeps the id
    const upd = ok200(await api(srv, 'POST', `/v2/templates/${created.id}`, { body: { name: 'webinar-2' } }));
    assert.equal(upd.id, created.id);
    assert.equal(ok200(await api(srv, 'GET', `/v2/templates/${created.id}`)).name, 'webinar-2');
  });
});

describe('health, metrics, access log', { timeout: 30_000 }, () => {
  test('GET /healthz -> 200 {"status":"ok"} without auth', async () => {
    const res = await api(srv, 'GET', '/healthz', { token: null });
    assert.equal(res.status, 200, show(res));
    assert.deepEqual(res.json, { status: 'ok' });
  });

  test('GET /metrics -> Prometheus text with roomgate_http_requests_total', async () => {
    const res = await api(srv, 'GET', '/metrics', { token: null });
    assert.equal(res.status, 200, show(res));
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(res.text, /^roomgate_http_requests_total(\{[^}]*\})? \d+(\.\d+)?(e[+-]?\d+)?$/m);
    assert.match(res.text, /^# TYPE roomgate_http_requests_total counter$/m);
  });

  test('access log: one line per request on stderr, no query string, no headers/tokens', async () => {
    const token = mgmtToken();
    const secretName = `needle${Date.now()}`;
    ok200(await api(srv, 'GET', `/v2/rooms?name=${secretName}`, { token }));
    const code = await api(srv, 'POST', '/v2/token', { body: JSON.stringify({ code: 'qqq-qqqq-qqq' }), token: null });
    assert.equal(code.status, 404);
    await sleep(300);
    const lines = srv.stderr.split('\n');
    assert.ok(
      lines.some((l) => /^access 127\.0\.0\.1 GET \/v2\/rooms 200 \d+us$/.test(l)),
      `no access line for GET /v2/rooms in stderr tail:\n${srv.stderr.slice(-2000)}`,
    );
    assert.ok(lines.some((l) => /^access 127\.0\.0\.1 POST \/v2\/token 404 \d+us$/.test(l)), 'no access line for POST /v2/token');
    assert.ok(!srv.stderr.includes(secretName), 'query string leaked into the log');
    assert.ok(!srv.stderr.includes(token), 'management token leaked into the log');
    assert.ok(!srv.stderr.includes(token.split('.')[2]), 'token signature leaked into the log');
    assert.ok(!srv.stderr.includes('qqq-qqqq-qqq'), 'room code leaked into the log');
    assert.ok(!srv.stdout.includes(token) && !srv.stdout.includes(SECRET), 'secrets on stdout');
    assert.ok(!srv.stderr.includes(SECRET), 'secret in the log');
  });

  test('a request refused for its size (413, Content-Length known up front) is logged with method and path', async (t) => {
    const mark = srv.stderr.length;
    const big = Buffer.from(JSON.stringify({ name: 'big-logged', description: 'x'.repeat(2 * 1024 * 1024) }));
    assertJsonError(await postBig(t, srv, '/v2/rooms', big), 413);
    await sleep(300);
    const lines = srv.stderr.slice(mark).split('\n').filter((l) => l.startsWith('access '));
    assert.ok(
      lines.some((l) => /^access 127\.0\.0\.1 POST \/v2\/rooms 413 \d+us$/.test(l)),
      `expected "access 127.0.0.1 POST /v2/rooms 413 <N>us", got ${JSON.stringify(lines)}`,
    );
  });

  test('access log cannot be forged or split through the request path (%0A, %0D, spaces, control characters)', async () => {
    const mark = srv.stderr.length;
    const forged = 'access 203.0.113.9 GET /forged 200 1us';
    for (const path of [
      `/v2/x%0A${encodeURIComponent(forged)}`,
      '/v2/y%0D%0Aforged-cr-line',
      '/v2/z%20two%20words',
      '/v2/q%1B%5B31mred',
    ]) {
      const res = await api(srv, 'GET', path, { token: null });
      assertJsonError(res, res.status, path);
    }
    await sleep(300);
    const lines = srv.stderr.slice(mark).split(/\r?\n|\r/);
    const bad = lines.filter((l) => l.startsWith('access 203.0.113.9'));
    assert.deepEqual(bad, [], 'a forged access line was written to the log');
    assert.ok(!lines.some((l) => l.startsWith('forged-cr-line')), 'CR/LF from the path split the log line');
    assert.ok(!srv.stderr.slice(mark).includes('\x1b'), 'raw ESC (terminal escape) from the path written to the log');
    for (const l of lines.filter((x) => x.startsWith('access '))) {
      assert.match(l, /^access 127\.0\.0\.1 [A-Z]+ \/\S* \d{3} \d+us$/, `malformed access log line ${JSON.stringify(l)}`);
    }
  });

  test('metrics count requests', async () => {
    const sum = (text) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('roomgate_http_requests_total'))
        .reduce((a, l) => a + Number(l.split(' ').pop()), 0);
    const a = sum((await api(srv, 'GET', '/metrics', { token: null })).text);
    for (let i = 0; i < 5; i++) await api(srv, 'GET', '/healthz', { token: null });
    const b = sum((await api(srv, 'GET', '/metrics', { token: null })).text);
    assert.ok(b - a >= 5, `requests_total grew by ${b - a}, expected >= 5`);
  });
});

test('server stops cleanly (exit 0, "stopped")', { timeout: 30_000 }, async () => {
  const r = await srv.stop();
  assert.equal(r.forced, false, 'SIGTERM did not stop the server in time');
  assert.equal(r.code, 0, `exit code; stderr tail: ${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, /^roomgate: stopped$/m);
});
