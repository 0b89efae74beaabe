// POST /v2/token (room code -> auth token) against a real `roomgate serve`,
// called the way the 100ms web SDK calls it (reference §5): fetch with a
// string body and no headers, i.e. Content-Type text/plain;charset=UTF-8.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/token_endpoint.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import {
  ACCESS_KEY,
  SECRET,
  UUID_V4,
  CODE_RE,
  REQUEST_TIMEOUT_MS,
  api,
  assertJsonError,
  ok200,
  rawRequest,
  rgCli,
  show,
  sleep,
  readResponse,
  startServer,
} from './server.mjs';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const APP_KEYS = ['access_key', 'exp', 'iat', 'jti', 'nbf', 'role', 'room_id', 'type', 'version'];

/** Exactly what hms-video-store's getAuthTokenByRoomCode does (no headers, string body). */
async function webSdkRedeem(srv, code, userId, extraInit = {}) {
  const res = await fetch(`${srv.url}/v2/token`, {
    method: 'POST',
    body: JSON.stringify({ code, user_id: userId }), // undefined user_id -> key absent
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...extraInit,
  });
  return readResponse(res);
}

/** POST /v2/token with an arbitrary raw body (string), no auth. */
function redeemRaw(srv, body, headers = {}) {
  return api(srv, 'POST', '/v2/token', { body, token: null, headers });
}

function assertCors(res, what) {
  assert.equal(res.headers.get('access-control-allow-origin'), '*', `${what}: Access-Control-Allow-Origin; ${show(res)}`);
}

/** Makes a room (optionally with a name) and returns {room, codes: {role: code}} via the REST API. */
async function roomWithCodes(srv, name) {
  const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: name ? { name } : {} }), 'create room');
  const res = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} }), 'create codes');
  const codes = {};
  for (const c of res.data) codes[c.role] = c.code;
  return { room, codes };
}

function verifyAppToken(token) {
  return jwt.verify(token, SECRET, { algorithms: ['HS256'] });
}

// A server whose brute-force guard will not get in the way of the functional tests.
let srv;
let room;
let codes;

before(async () => {
  srv = await startServer({ config: { server: { redeem_failures_burst: 100000, redeem_failures_per_minute: 100000, threads: 4 } } });
  ({ room, codes } = await roomWithCodes(srv, 'token-room'));
});

after(async () => {
  await srv?.stop();
});

describe('successful redemption', { timeout: 60_000 }, () => {
  test('web-SDK-style request (text/plain body, no headers) with user_id -> app token for the code', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await webSdkRedeem(srv, codes.host, 'user-42@example');
    assert.equal(res.status, 200, show(res));
    assert.match(res.headers.get('content-type') ?? '', /application\/json/i);
    assertCors(res, 'success');
    assert.equal(typeof res.json.token, 'string');
    assert.equal(typeof res.json.expiresAt, 'string');
    assert.match(res.json.expiresAt, RFC3339_UTC, 'expiresAt must be RFC 3339 UTC');

    const claims = verifyAppToken(res.json.token);
    for (const k of [...APP_KEYS, 'user_id']) assert.ok(k in claims, `claim ${k} missing: ${JSON.stringify(claims)}`);
    assert.equal(claims.access_key, ACCESS_KEY);
    assert.equal(claims.room_id, room.id);
    assert.equal(claims.role, 'host');
    assert.equal(claims.user_id, 'user-42@example');
    assert.equal(claims.type, 'app');
    assert.equal(claims.version, 2);
    assert.match(claims.jti, UUID_V4);
    assert.ok(Math.abs(claims.iat - before) <= 60, 'iat ~ now');
    assert.equal(claims.exp - claims.iat, 24 * 3600, 'default lifetime 24 h');
    assert.equal(Date.parse(res.json.expiresAt) / 1000, claims.exp, 'expiresAt == exp');

    // roomgate's own verifier accepts it as an app token too.
    const v = rgCli(['token', 'verify', '--type', 'app', res.json.token]);
    assert.equal(v.status, 0, `roomgate token verify: ${v.stderr}`);
    assert.deepEqual(JSON.parse(v.stdout), claims);
  });

  test('without user_id a uuid v4 user_id is generated (fresh each time)', async () => {
    const a = await webSdkRedeem(srv, codes.guest);
    const b = await webSdkRedeem(srv, codes.guest);
    assert.equal(a.status, 200, show(a));
    assert.equal(b.status, 200, show(b));
    const ca = verifyAppToken(a.json.token);
    const cb = verifyAppToken(b.json.token);
    assert.equal(ca.role, 'guest');
    assert.equal(ca.room_id, room.id);
    assert.match(ca.user_id, UUID_V4);
    assert.match(cb.user_id, UUID_V4);
    assert.notEqual(ca.user_id, cb.user_id);
    assert.notEqual(ca.jti, cb.jti);
  });

  test('each role code yields a token for its own role', async () => {
    for (const role of ['host', 'guest', 'viewer']) {
      const res = await webSdkRedeem(srv, codes[role], `u-${role}`);
      assert.equal(res.status, 200, show(res));
      const c = verifyAppToken(res.json.token);
      assert.equal(c.role, role);
      assert.equal(c.room_id, room.id);
    }
  });

  test('application/json Content-Type works as well', async () => {
    const res = await api(srv, 'POST', '/v2/token', { body: { code: codes.viewer, user_id: 'json-user' }, token: null });
    assert.equal(res.status, 200, show(res));
    assertCors(res, 'json success');
    const c = verifyAppToken(res.json.token);
    assert.equal(c.user_id, 'json-user');
    assert.equal(c.role, 'viewer');
  });

  test('a browser-like request with an Origin header gets CORS headers too', async () => {
    const res = await rawRequest(srv, {
      method: 'POST',
      path: '/v2/token',
      headers: { Origin: 'https://app.example.test', 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ code: codes.host }),
    });
    assert.equal(res.status, 200, show(res));
    assertCors(res, 'with Origin');
  });

  test('a management token is NOT required and an Authorization header is ignored', async () => {
    const res = await api(srv, 'POST', '/v2/token', {
      body: JSON.stringify({ code: codes.host }),
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      token: 'garbage',
    });
    assert.equal(res.status, 200, show(res));
  });

  test('a per-role code made with createForRole redeems too', async () => {
    const c = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}/role/viewer`, { body: {} }));
    assert.match(c.code, CODE_RE);
    const res = await webSdkRedeem(srv, c.code, 'x');
    assert.equal(res.status, 200, show(res));
    assert.equal(verifyAppToken(res.json.token).role, 'viewer');
  });
});

describe('token lifetime and user ids', { timeout: 30_000 }, () => {
  test('server.code_token_ttl "1h" -> exp - iat = 3600 and expiresAt follows', async () => {
    const s = await startServer({ config: { server: { code_token_ttl: '1h' } } });
    try {
      const { room: r, codes: c } = await roomWithCodes(s, 'ttl-room');
      const res = await webSdkRedeem(s, c.host, 'u');
      assert.equal(res.status, 200, show(res));
      const claims = verifyAppToken(res.json.token);
      assert.equal(claims.room_id, r.id);
      assert.equal(claims.exp - claims.iat, 3600);
      assert.equal(Date.parse(res.json.expiresAt) / 1000, claims.exp);
    } finally {
      await s.stop();
    }
  });

  test('a non-ASCII user_id is carried verbatim', async () => {
    const uid = 'Zoë ✓ "quoted" \\ 用户';
    const res = await webSdkRedeem(srv, codes.guest, uid);
    assert.equal(res.status, 200, show(res));
    assert.equal(verifyAppToken(res.json.token).user_id, uid);
  });
});

describe('state changes take effect for the very next redemption (no stale reads)', { timeout: 60_000 }, () => {
  test('redeemed code, then disabled -> 403 at once; re-enabled -> 200 at once', async () => {
    const { codes: c } = await roomWithCodes(srv);
    for (let i = 0; i < 5; i++) {
      assert.equal((await webSdkRedeem(srv, c.host, 'u')).status, 200, `cycle ${i}: enabled`);
      ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: c.host, enabled: false } }));
      assertJsonError(await webSdkRedeem(srv, c.host, 'u'), 403, `cycle ${i}: just disabled`);
      ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: c.host, enabled: true } }));
    }
    assert.equal((await webSdkRedeem(srv, c.host, 'u')).status, 200);
  });

  test('redeemed code, then its room disabled -> 403 at once; room re-enabled -> 200', async () => {
    const { room: r, codes: c } = await roomWithCodes(srv);
    assert.equal((await webSdkRedeem(srv, c.guest, 'u')).status, 200);
    ok200(await api(srv, 'POST', `/v2/rooms/${r.id}`, { body: { enabled: false } }));
    assertJsonError(await webSdkRedeem(srv, c.guest, 'u'), 403, 'room just disabled');
    ok200(await api(srv, 'POST', `/v2/rooms/${r.id}`, { body: { enabled: true } }));
    assert.equal((await webSdkRedeem(srv, c.guest, 'u')).status, 200);
  });

  test('redeemed code, then its role deleted from the template -> 403 at once', async () => {
    const tpl = ok200(
      await api(srv, 'POST', '/v2/templates', { body: { name: 'stale-tpl', roles: { a: { name: 'a' }, b: { name: 'b' } } } }),
    );
    const r = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name: 'stale-room', template_id: tpl.id } }));
    const code = ok200(await api(srv, 'POST', `/v2/room-codes/room/${r.id}/role/b`, { body: {} })).code;
    assert.equal(verifyAppToken((await webSdkRedeem(srv, code, 'u')).json.token).role, 'b');
    assert.equal((await api(srv, 'DELETE', `/v2/templates/${tpl.id}/roles/b`)).status, 204);
    assertJsonError(await webSdkRedeem(srv, code, 'u'), 403, 'role just deleted');
  });

  test('under concurrent redemption load, a disable/enable is honoured by every request sent after its acknowledgement', async (t) => {
    const { codes: c } = await roomWithCodes(srv);
    let stop = false;
    const log = []; // {sentAt, doneAt, status}
    const worker = async () => {
      while (!stop) {
        const sentAt = performance.now();
        const res = await webSdkRedeem(srv, c.viewer, 'load');
        log.push({ sentAt, doneAt: performance.now(), status: res.status });
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // flips[k] = {sentAt, ackAt, enabled}; the code starts enabled.
    const flips = [{ sentAt: -Infinity, ackAt: -Infinity, enabled: true }];
    await sleep(100);
    for (let i = 0; i < 8; i++) {
      const enabled = i % 2 === 1;
      const sentAt = performance.now();
      ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: c.viewer, enabled } }));
      flips.push({ sentAt, ackAt: performance.now(), enabled });
      await sleep(120);
    }
    flips.push({ sentAt: Infinity, ackAt: Infinity });
    stop = true;
    await Promise.all(workers);
    // A request is checked only when it ran entirely between one flip's acknowledgement
    // and the next flip's request: then it must see exactly that state.
    let checked = 0;
    for (const { sentAt, doneAt, status } of log) {
      const k = flips.findIndex((f, i) => i + 1 < flips.length && f.ackAt < sentAt && doneAt < flips[i + 1].sentAt);
      if (k < 0) continue;
      checked++;
      const f = flips[k];
      assert.equal(status, f.enabled ? 200 : 403, `request sent ${(sentAt - f.ackAt).toFixed(1)} ms after the code was ${f.enabled ? 'enabled' : 'disabled'} (acknowledged) got ${status}`);
    }
    t.diagnostic(`${log.length} redemptions, ${checked} checked against the preceding acknowledged flip`);
    assert.ok(checked > 50, `too few redemptions checked (${checked})`);
  });
});

describe('CORS preflight', { timeout: 30_000 }, () => {
  test('OPTIONS /v2/token -> 204 with Allow-Origin/Methods/Headers', async () => {
    const res = await rawRequest(srv, {
      method: 'OPTIONS',
      path: '/v2/token',
      headers: {
        Origin: 'https://app.example.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(res.status, 204, show(res));
    assertCors(res, 'preflight');
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    assert.match(methods, /\bPOST\b/i, `Allow-Methods: ${methods}`);
    const hdrs = res.headers.get('access-control-allow-headers') ?? '';
    assert.match(hdrs, /content-type|\*/i, `Allow-Headers: ${hdrs}`);
    assert.equal(res.text, '', '204 has no body');
  });
});

describe('refusals (JSON {code, message}, CORS headers present)', { timeout: 60_000 }, () => {
  test('unknown well-formed code -> 404', async () => {
    const res = await webSdkRedeem(srv, 'zzz-zzzz-zzz');
    assertJsonError(res, 404, 'unknown code');
    assertCors(res, 'unknown code');
  });

  test('malformed codes -> 404', async () => {
    for (const code of ['not a code', 'ABC-DEFG-HIJ-', 'abc-def-ghi', '', 'a'.repeat(300)]) {
      const res = await webSdkRedeem(srv, code);
      if (code === '') {
        // an empty code may be treated as missing
        assert.ok([400, 404].includes(res.status), `empty code: ${show(res)}`);
        assertJsonError(res, res.status, 'empty code');
      } else {
        assertJsonError(res, 404, `malformed code ${JSON.stringify(code.slice(0, 20))}`);
      }
      assertCors(res, 'malformed');
    }
  });

  test('a code of another case is not a different valid code', async () => {
    const res = await webSdkRedeem(srv, codes.host.toUpperCase());
    // Codes are lowercase; an uppercase variant either maps to the same code (200) or is unknown (404).
    assert.ok([200, 404].includes(res.status), show(res));
    if (res.status === 200) assert.equal(verifyAppToken(res.json.token).room_id, room.id);
  });

  test('disabled code -> 403; re-enabled -> 200 again', async () => {
    const { codes: c } = await roomWithCodes(srv);
    ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: c.guest, enabled: false } }));
    const res = await webSdkRedeem(srv, c.guest, 'u');
    assertJsonError(res, 403, 'disabled code');
    assertCors(res, 'disabled code');
    // other codes of the room still work
    assert.equal((await webSdkRedeem(srv, c.host)).status, 200);
    ok200(await api(srv, 'POST', '/v2/room-codes/code', { body: { code: c.guest, enabled: true } }));
    assert.equal((await webSdkRedeem(srv, c.guest)).status, 200);
  });

  test('disabled room -> 403 for its (enabled) codes; re-enabled -> 200', async () => {
    const { room: r, codes: c } = await roomWithCodes(srv);
    const off = ok200(await api(srv, 'POST', `/v2/rooms/${r.id}`, { body: { enabled: false } }));
    assert.equal(off.enabled, false);
    const res = await webSdkRedeem(srv, c.host, 'u');
    assertJsonError(res, 403, 'disabled room');
    assertCors(res, 'disabled room');
    ok200(await api(srv, 'POST', `/v2/rooms/${r.id}`, { body: { enabled: true } }));
    const again = await webSdkRedeem(srv, c.host, 'u');
    assert.equal(again.status, 200, show(again));
  });

  test('missing code -> 400', async () => {
    for (const body of ['{}', '{"user_id":"u1"}', '{"code":null}']) {
      const res = await redeemRaw(srv, body, { 'Content-Type': 'text/plain;charset=UTF-8' });
      assertJsonError(res, 400, `body ${body}`);
      assertCors(res, 'missing code');
    }
  });

  test('non-JSON / non-object body -> 400', async () => {
    for (const body of ['hello', '{"code":', 'code=abc-defg-hij', '["abc-defg-hij"]', '"abc-defg-hij"', '']) {
      const res = await redeemRaw(srv, body, { 'Content-Type': 'text/plain;charset=UTF-8' });
      assertJsonError(res, 400, `body ${JSON.stringify(body)}`);
      assertCors(res, 'bad body');
    }
  });

  test('wrong types -> 400', async () => {
    for (const body of [{ code: 123 }, { code: ['abc-defg-hij'] }, { code: codes.host, user_id: 42 }]) {
      const res = await redeemRaw(srv, JSON.stringify(body), { 'Content-Type': 'text/plain;charset=UTF-8' });
      assertJsonError(res, 400, `body ${JSON.stringify(body)}`);
    }
  });

  test('GET /v2/token -> 405 JSON with Allow', async () => {
    const res = await api(srv, 'GET', '/v2/token', { token: null });
    assertJsonError(res, 405, 'GET /v2/token');
    assert.match(res.headers.get('allow') ?? '', /\bPOST\b/);
  });
});

describe('brute-force guard', { timeout: 60_000 }, () => {
  test('burst 3 / 1 per minute: successes do not count; 404 and 403 do; the 4th failure -> 429 + Retry-After', async () => {
    const s = await startServer({ config: { server: { redeem_failures_burst: 3, redeem_failures_per_minute: 1 } } });
    try {
      const { codes: c } = await roomWithCodes(s, 'guarded');
      ok200(await api(s, 'POST', '/v2/room-codes/code', { body: { code: c.viewer, enabled: false } }));

      // Successful redemptions don't use up the budget.
      for (let i = 0; i < 6; i++) {
        const ok = await webSdkRedeem(s, c.host, `u${i}`);
        assert.equal(ok.status, 200, `success #${i + 1}: ${show(ok)}`);
      }
      // Three failures (404, 403, 404) are answered normally...
      assertJsonError(await webSdkRedeem(s, 'aaa-bbbb-ccc'), 404, 'failure 1');
      assertJsonError(await webSdkRedeem(s, c.viewer), 403, 'failure 2 (disabled code)');
      assertJsonError(await webSdkRedeem(s, 'ddd-eeee-fff'), 404, 'failure 3');
      // ...the fourth is refused.
      const limited = await webSdkRedeem(s, 'ggg-hhhh-iii');
      assertJsonError(limited, 429, 'failure 4');
      assertCors(limited, '429');
      const ra = limited.headers.get('retry-after');
      assert.match(ra ?? '', /^\d+$/, `Retry-After must be whole seconds, got ${JSON.stringify(ra)}`);
      assert.ok(Number(ra) > 0 && Number(ra) <= 60, `Retry-After ${ra} should be in 1..60 at 1/minute`);

      // Once limited, even a valid code from the same address is refused (documented).
      const valid = await webSdkRedeem(s, c.host, 'u');
      assertJsonError(valid, 429, 'valid code while limited');
      assert.ok(Number(valid.headers.get('retry-after')) > 0);

      // A client-supplied X-Forwarded-For must not buy a fresh budget.
      const spoofed = await webSdkRedeem(s, 'jjj-kkkk-lll', undefined, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
      assertJsonError(spoofed, 429, 'spoofed X-Forwarded-For');

      // The management API is not affected by the redemption guard.
      ok200(await api(s, 'GET', '/v2/rooms'), 'REST while limited');
      const r = await s.stop();
      assert.equal(r.code, 0);
    } finally {
      await s.stop();
    }
  });

  test('behind a trusted proxy, each X-Forwarded-For client has its own budget', async () => {
    const s = await startServer({
      config: { server: { redeem_failures_burst: 2, redeem_failures_per_minute: 1, trusted_proxies: ['127.0.0.1'] } },
    });
    try {
      const as = (ip) => ({ headers: { 'X-Forwarded-For': `198.51.100.9, ${ip}` } });
      for (let i = 0; i < 2; i++) assertJsonError(await webSdkRedeem(s, 'zzz-zzzz-zzz', undefined, as('203.0.113.1')), 404, 'client A guess');
      assertJsonError(await webSdkRedeem(s, 'zzz-zzzz-zzz', undefined, as('203.0.113.1')), 429, 'client A limited');
      // Another client behind the same proxy is not locked out by A.
      assertJsonError(await webSdkRedeem(s, 'zzz-zzzz-zzz', undefined, as('203.0.113.2')), 404, 'client B unaffected');
    } finally {
      await s.stop();
    }
  });

  test('concurrent bad guesses cannot overrun the budget (burst 3: at most 3 answered, the rest 429)', async (t) => {
    // The race (if any) is timing dependent: several rounds, each on a fresh server (fresh bucket).
    for (let round = 1; round <= 10; round++) {
      const s = await startServer({ config: { server: { redeem_failures_burst: 3, redeem_failures_per_minute: 1, threads: 8 } } });
      try {
        const N = 100;
        const letters = 'abcdefghijklmnopqrstuvwxyz';
        const guesses = Array.from({ length: N }, (_, i) => `zzz-zzzz-${letters[i % 26]}${letters[Math.floor(i / 26)]}z`);
        const results = await Promise.all(guesses.map((g) => webSdkRedeem(s, g)));
        const counts = {};
        for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
        t.diagnostic(`round ${round}: statuses of ${N} concurrent bad guesses: ${JSON.stringify(counts)}`);
        for (const r of results) assert.ok([404, 429].includes(r.status), show(r));
        assert.equal(counts[404] ?? 0, 3, `round ${round}: failures answered (not 429) with burst 3: ${JSON.stringify(counts)}`);
      } finally {
        await s.stop();
      }
    }
  });

  test('defaults: 10 failures are answered, the 11th -> 429', async () => {
    const s = await startServer();
    try {
      for (let i = 0; i < 10; i++) assertJsonError(await webSdkRedeem(s, `zzz-zzzz-zz${'abcdefghij'[i]}`), 404, `failure ${i + 1}`);
      const limited = await webSdkRedeem(s, 'yyy-yyyy-yyy');
      assertJsonError(limited, 429, 'failure 11');
      assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After');
    } finally {
      await s.stop();
    }
  });
});

test('server stops cleanly (exit 0, "stopped")', { timeout: 30_000 }, async () => {
  const r = await srv.stop();
  assert.equal(r.forced, false, 'SIGTERM did not stop the server in time');
  assert.equal(r.code, 0, `exit code; stderr tail: ${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, /^roomgate: stopped$/m);
});
