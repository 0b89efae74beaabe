// Interop tests: roomgate's tokens vs. the 100ms ecosystem's Node tooling.
//
// Both directions are covered:
//   * tokens minted by jsonwebtoken (exactly as the 100ms docs show) and by
//     @100mslive/server-sdk must pass `roomgate token verify`, which must print
//     the very same payload;
//   * tokens minted by `roomgate token ...` must pass jsonwebtoken.verify and
//     carry exactly the claims 100ms tokens carry.
// Plus negatives (wrong key/alg/time/version/type/claim types) through
// `roomgate token verify`.
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/interop/token_interop.test.mjs

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import HMS from '@100mslive/server-sdk';

const BIN = process.env.ROOMGATE_BIN;
const SPAWN_TIMEOUT_MS = 10_000;

// A 24-hex access key and a 64-char, base64-looking secret (like the ones the
// 100ms dashboard hands out, including '+', '/' and '=').
const ACCESS_KEY = '65f1a2b3c4d5e6f708192a3b';
const SECRET = 'Zq3+T0p/8wXvK1yLmN2oPqR4sT6uV8wX0yZ2aB4cD6eF8gH0iJ2kL4mN6oP8qR==';
const OTHER_SECRET = 'wrong-secret-wrong-secret-wrong-secret-wrong-secret!!';
const ROOM_ID = '6620d1c2e3f4a5b6c7d8e9f0';
const ROLE = 'host';
const USER_ID = 'user-42@example';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const APP_KEYS = ['access_key', 'exp', 'iat', 'jti', 'nbf', 'role', 'room_id', 'type', 'version'];
const APP_KEYS_USER = [...APP_KEYS, 'user_id'].sort();
const MGMT_KEYS = ['access_key', 'exp', 'iat', 'jti', 'nbf', 'type', 'version'];

const nowSec = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- helpers

function requireBin() {
  if (!BIN) {
    throw new Error(
      'ROOMGATE_BIN is not set: point it at the roomgate CLI binary, e.g. ' +
        'ROOMGATE_BIN=build/src/cli/roomgate node --test tests/interop/token_interop.test.mjs',
    );
  }
  try {
    accessSync(BIN, fsConstants.X_OK);
  } catch (e) {
    throw new Error(`ROOMGATE_BIN=${BIN} is not an executable file (${e.code})`);
  }
  return BIN;
}

/** Environment for the child: inherited env minus any ROOMGATE_* settings (credentials, config file), plus `extra`. */
function childEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ROOMGATE_') && k !== 'ROOMGATE_BIN') delete env[k];
  return { ...env, ...extra };
}

/**
 * Runs roomgate with `args`. By default credentials come from the environment
 * (ACCESS_KEY/SECRET); pass `env` to override (e.g. `{}` for none).
 */
function rg(args, { env = { ROOMGATE_ACCESS_KEY: ACCESS_KEY, ROOMGATE_SECRET: SECRET } } = {}) {
  const bin = requireBin();
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw new Error(`spawning roomgate ${args.join(' ')} failed: ${r.error.message}`);
  if (r.signal) throw new Error(`roomgate ${args.join(' ')} killed by ${r.signal}; stderr: ${r.stderr}`);
  return r;
}

function describeRun(args, r) {
  return `roomgate ${args.join(' ')} -> exit ${r.status}\n  stdout: ${JSON.stringify(r.stdout)}\n  stderr: ${JSON.stringify(r.stderr)}`;
}

/** Asserts exit 0 and returns stdout. */
function rgOk(args, opts) {
  const r = rg(args, opts);
  assert.equal(r.status, 0, `expected success:\n${describeRun(args, r)}`);
  return r.stdout;
}

/**
 * Asserts failure (exit `code`, or any non-zero exit when code is null), nothing on stdout and a
 * one-line reason on stderr; when `reason` (a RegExp) is given, the reason must match it - loose
 * keywords only, so the negative is known to fail for the intended cause.
 */
function rgFails(args, { code = 1, reason: reasonRe, ...opts } = {}) {
  const r = rg(args, opts);
  if (code === null) assert.notEqual(r.status, 0, `expected failure:\n${describeRun(args, r)}`);
  else assert.equal(r.status, code, `expected exit ${code}:\n${describeRun(args, r)}`);
  assert.equal(r.stdout.trim(), '', `nothing expected on stdout:\n${describeRun(args, r)}`);
  const reason = r.stderr.trim();
  assert.ok(reason.length > 0, `expected a reason on stderr:\n${describeRun(args, r)}`);
  assert.ok(!reason.includes('\n'), `expected a one-line reason on stderr:\n${describeRun(args, r)}`);
  if (reasonRe) assert.match(reason, reasonRe, `reason does not name the expected cause:\n${describeRun(args, r)}`);
  return reason;
}

/** `roomgate token ...` that must print one token on one line; returns the token. */
function mint(args, opts) {
  const out = rgOk(['token', ...args], opts);
  assert.match(out, /^[^\n]*\n?$/, `token output must be a single line: ${JSON.stringify(out)}`);
  const token = out.trim();
  assert.match(token, JWT_SHAPE, `not a compact JWS: ${JSON.stringify(out)}`);
  return token;
}

/** `roomgate token verify` that must succeed; returns the parsed claims. */
function verifyOk(token, type) {
  const args = ['token', 'verify', ...(type ? ['--type', type] : []), token];
  const out = rgOk(args);
  let claims;
  try {
    claims = JSON.parse(out);
  } catch (e) {
    assert.fail(`verify output is not JSON (${e.message}):\n${describeRun(args, { status: 0, stdout: out, stderr: '' })}`);
  }
  assert.equal(typeof claims, 'object');
  assert.ok(claims !== null && !Array.isArray(claims), 'verify must print a JSON object');
  return claims;
}

/** `roomgate token verify` that must fail with exit 1 and a one-line reason (matching `reason`, if given). */
function verifyFails(token, { type, reason } = {}) {
  return rgFails(['token', 'verify', ...(type ? ['--type', type] : []), token], { reason });
}

const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const hs256 = (input, key) => createHmac('sha256', Buffer.from(key, 'utf8')).update(input).digest('base64url');

/** Hand-crafted compact JWS: the JSON is serialized as given, signed with HMAC-SHA256 (or not at all). */
function craft(header, payload, { key = SECRET, sign = true } = {}) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign ? hs256(input, key) : ''}`;
}

function decodeHeader(token) {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
}

/** Valid app claims as the docs' jsonwebtoken snippet would produce, for hand-crafting. */
function appClaims(overrides = {}) {
  const now = nowSec();
  return {
    access_key: ACCESS_KEY,
    room_id: ROOM_ID,
    user_id: USER_ID,
    role: ROLE,
    type: 'app',
    version: 2,
    iat: now,
    nbf: now,
    exp: now + 86400,
    jti: randomUUID(),
    ...overrides,
  };
}

/** Exactly what the 100ms docs tell customers to do. */
function docsMint({ secret = SECRET, algorithm = 'HS256', payload = {} } = {}) {
  return jwt.sign(
    {
      access_key: ACCESS_KEY,
      room_id: ROOM_ID,
      user_id: USER_ID,
      role: ROLE,
      type: 'app',
      version: 2,
      iat: Math.floor(Date.now() / 1000),
      nbf: Math.floor(Date.now() / 1000),
      ...payload,
    },
    secret,
    { algorithm, expiresIn: '24h', jwtid: randomUUID() },
  );
}

function assertTimes(claims, ttl) {
  for (const k of ['iat', 'nbf', 'exp']) {
    assert.ok(Number.isInteger(claims[k]), `${k} must be an integer NumericDate, got ${JSON.stringify(claims[k])}`);
  }
  const now = nowSec();
  assert.ok(Math.abs(claims.iat - now) <= 60, `iat ${claims.iat} too far from now ${now}`);
  assert.ok(Math.abs(claims.nbf - now) <= 60, `nbf ${claims.nbf} too far from now ${now}`);
  assert.equal(claims.exp - claims.iat, ttl, 'exp - iat');
}

function hmsSdk() {
  const hms = new HMS.SDK(ACCESS_KEY, SECRET);
  hms.setLogLevel('silent'); // the SDK logs at debug level by default
  return hms;
}

// ---------------------------------------------------------------- tests

test('ROOMGATE_BIN points at an executable roomgate CLI', () => {
  requireBin();
});

describe('a) jsonwebtoken-minted tokens (100ms docs recipe) -> roomgate verify', () => {
  test('docs token verifies (default --type app) and the printed claims equal the payload', () => {
    const token = docsMint();
    const claims = verifyOk(token);
    assert.deepEqual(claims, jwt.decode(token));
    assert.deepEqual(claims, jwt.verify(token, SECRET, { algorithms: ['HS256'] }));
  });

  test('explicit --type app works the same', () => {
    const token = docsMint();
    assert.deepEqual(verifyOk(token, 'app'), jwt.decode(token));
  });

  test('unknown extra claims are printed too (full payload, nested values intact)', () => {
    const token = docsMint({
      payload: { custom: { tier: 'gold', tags: ['a', 'b'], n: 3, ok: true, nil: null }, note: 'héllo ✓ "q"\\' },
    });
    assert.deepEqual(verifyOk(token), jwt.decode(token));
  });

  test('a hand-crafted (node:crypto) HS256 token verifies - control for the crafted negatives', () => {
    const payload = appClaims();
    const token = craft({ alg: 'HS256', typ: 'JWT' }, payload);
    assert.deepEqual(jwt.verify(token, SECRET, { algorithms: ['HS256'] }), payload);
    assert.deepEqual(verifyOk(token), payload);
  });
});

describe('b) @100mslive/server-sdk getAuthToken -> roomgate verify', () => {
  test('with userId', async () => {
    const { token } = await hmsSdk().auth.getAuthToken({ roomId: ROOM_ID, role: ROLE, userId: USER_ID });
    const claims = verifyOk(token);
    assert.deepEqual(claims, jwt.decode(token));
    assert.equal(claims.user_id, USER_ID);
    assert.equal(claims.type, 'app');
  });

  test('without userId (no user_id key at all)', async () => {
    const { token } = await hmsSdk().auth.getAuthToken({ roomId: ROOM_ID, role: ROLE });
    const claims = verifyOk(token);
    assert.deepEqual(claims, jwt.decode(token));
    assert.ok(!('user_id' in claims), 'user_id must be absent');
    assert.deepEqual(Object.keys(claims).sort(), APP_KEYS);
  });
});

describe('c) server-sdk management token and --type checking', () => {
  test('server-sdk management token verifies with --type management', async () => {
    const { token } = await hmsSdk().auth.getManagementToken({ forceNew: true });
    const claims = verifyOk(token, 'management');
    assert.deepEqual(claims, jwt.decode(token));
    assert.equal(claims.type, 'management');
    assert.deepEqual(Object.keys(claims).sort(), MGMT_KEYS);
  });

  test('server-sdk management token is rejected as an app token (explicit and default --type)', async () => {
    const { token } = await hmsSdk().auth.getManagementToken({ forceNew: true });
    verifyFails(token, { type: 'app', reason: /type/i });
    verifyFails(token, { reason: /type/i });
  });

  test('roomgate app token is rejected with --type management', () => {
    verifyFails(mint(['app', '--room-id', ROOM_ID, '--role', ROLE]), { type: 'management', reason: /type/i });
  });

  test('server-sdk app token is rejected with --type management', async () => {
    const { token } = await hmsSdk().auth.getAuthToken({ roomId: ROOM_ID, role: ROLE });
    verifyFails(token, { type: 'management', reason: /type/i });
  });
});

describe('d) roomgate token app -> jsonwebtoken', () => {
  for (const withUser of [true, false]) {
    test(`${withUser ? 'with' : 'without'} --user-id`, () => {
      const args = ['app', '--room-id', ROOM_ID, '--role', ROLE, ...(withUser ? ['--user-id', USER_ID] : [])];
      const token = mint(args);
      const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
      assert.deepEqual(decodeHeader(token), { alg: 'HS256', typ: 'JWT' });
      assert.deepEqual(Object.keys(claims).sort(), withUser ? APP_KEYS_USER : APP_KEYS);
      assert.equal(claims.access_key, ACCESS_KEY);
      assert.equal(claims.room_id, ROOM_ID);
      assert.equal(claims.role, ROLE);
      if (withUser) assert.equal(claims.user_id, USER_ID);
      else assert.ok(!('user_id' in claims));
      assert.equal(claims.type, 'app');
      assert.equal(claims.version, 2);
      assertTimes(claims, 86400);
      assert.match(claims.jti, UUID_V4);
      // And roomgate reads back exactly what jsonwebtoken sees.
      assert.deepEqual(verifyOk(token), claims);
      assert.deepEqual(verifyOk(token, 'app'), claims);
    });
  }

  test('credentials via --access-key/--secret flags (no env)', () => {
    const token = mint(['app', '--access-key', ACCESS_KEY, '--secret', SECRET, '--room-id', ROOM_ID, '--role', ROLE], {
      env: {},
    });
    const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
    assert.equal(claims.access_key, ACCESS_KEY);
    assert.deepEqual(verifyOk(token), claims);
  });

  test('--ttl 1h gives exp - iat === 3600', () => {
    const claims = jwt.verify(mint(['app', '--room-id', ROOM_ID, '--role', ROLE, '--ttl', '1h']), SECRET, {
      algorithms: ['HS256'],
    });
    assertTimes(claims, 3600);
  });

  for (const [ttl, secs] of [['30s', 30], ['15m', 900], ['24h', 86400], ['7d', 604800], ['90d', 7776000]]) {
    test(`--ttl ${ttl} gives exp - iat === ${secs}`, () => {
      const claims = jwt.verify(mint(['app', '--room-id', ROOM_ID, '--role', ROLE, '--ttl', ttl]), SECRET, {
        algorithms: ['HS256'],
      });
      assertTimes(claims, secs);
    });
  }

  test('--ttl 91d (over the 90-day maximum) is refused', () => {
    rgFails(['token', 'app', '--room-id', ROOM_ID, '--role', ROLE, '--ttl', '91d'], { code: null, reason: /90|ttl|valid|max/i });
  });

  test('a secret shorter than 32 bytes is refused', () => {
    rgFails(['token', 'app', '--room-id', ROOM_ID, '--role', ROLE], {
      code: null,
      reason: /secret|32/i,
      env: { ROOMGATE_ACCESS_KEY: ACCESS_KEY, ROOMGATE_SECRET: 'x'.repeat(31) },
    });
  });

  test('two successive tokens have different jti', () => {
    const a = jwt.decode(mint(['app', '--room-id', ROOM_ID, '--role', ROLE]));
    const b = jwt.decode(mint(['app', '--room-id', ROOM_ID, '--role', ROLE]));
    assert.match(a.jti, UUID_V4);
    assert.match(b.jti, UUID_V4);
    assert.notEqual(a.jti, b.jti);
    const m1 = jwt.decode(mint(['management']));
    const m2 = jwt.decode(mint(['management']));
    assert.notEqual(m1.jti, m2.jti);
  });
});

describe('e) roomgate token management -> jsonwebtoken', () => {
  test('default ttl', () => {
    const token = mint(['management']);
    const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
    assert.deepEqual(decodeHeader(token), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(claims).sort(), MGMT_KEYS);
    for (const k of ['room_id', 'role', 'user_id']) assert.ok(!(k in claims), `${k} must be absent`);
    assert.equal(claims.access_key, ACCESS_KEY);
    assert.equal(claims.type, 'management');
    assert.equal(claims.version, 2);
    assertTimes(claims, 86400);
    assert.match(claims.jti, UUID_V4);
    assert.deepEqual(verifyOk(token, 'management'), claims);
    verifyFails(token, { reason: /type/i }); // default --type is app
  });

  test('--ttl 1h', () => {
    const claims = jwt.verify(mint(['management', '--ttl', '1h']), SECRET, { algorithms: ['HS256'] });
    assertTimes(claims, 3600);
  });
});

describe('f) invalid tokens are rejected by roomgate verify (exit 1, one-line reason)', () => {
  test('wrong secret', () => {
    verifyFails(docsMint({ secret: OTHER_SECRET }), { reason: /signature/i });
  });

  test('tampered payload (signature no longer matches)', () => {
    const [h, , s] = docsMint().split('.');
    verifyFails(`${h}.${b64url(appClaims({ role: 'admin' }))}.${s}`, { reason: /signature/i });
  });

  test('HS384 token (jsonwebtoken algorithm HS384, right secret)', () => {
    const token = docsMint({ algorithm: 'HS384' });
    assert.equal(decodeHeader(token).alg, 'HS384');
    verifyFails(token, { reason: /alg/i });
  });

  test('alg none, empty signature', () => {
    // An empty third part may be rejected as malformed before the header is even looked at.
    verifyFails(craft({ alg: 'none', typ: 'JWT' }, appClaims(), { sign: false }), { reason: /alg|malformed|signature/i });
  });

  test('alg none, carrying a valid HS256 signature', () => {
    verifyFails(craft({ alg: 'none', typ: 'JWT' }, appClaims()), { reason: /alg/i });
  });

  test('expired (docs recipe issued 25 h ago, so exp was an hour ago)', () => {
    const then = nowSec() - 25 * 3600;
    const token = docsMint({ payload: { iat: then, nbf: then } });
    assert.equal(jwt.decode(token).exp, then + 86400);
    verifyFails(token, { reason: /expir/i });
  });

  test('expired a few seconds ago (exp has no leeway)', () => {
    const now = nowSec();
    verifyFails(craft({ alg: 'HS256', typ: 'JWT' }, appClaims({ iat: now - 600, nbf: now - 600, exp: now - 5 })), {
      reason: /expir/i,
    });
  });

  test('nbf 5 minutes in the future', () => {
    const now = nowSec();
    verifyFails(docsMint({ payload: { nbf: now + 300 } }), { reason: /not (yet )?valid|nbf|before|future/i });
  });

  test('nbf and iat 30 s in the future are within the 60 s leeway', () => {
    const now = nowSec();
    const token = craft({ alg: 'HS256', typ: 'JWT' }, appClaims({ iat: now + 30, nbf: now + 30 }));
    assert.deepEqual(verifyOk(token), jwt.decode(token));
  });

  test('iat 5 minutes in the future', () => {
    const now = nowSec();
    verifyFails(craft({ alg: 'HS256', typ: 'JWT' }, appClaims({ iat: now + 300, nbf: now })), { reason: /iat|issued|future/i });
  });

  test('version 1', () => {
    verifyFails(docsMint({ payload: { version: 1 } }), { reason: /version/i });
  });

  test('unknown access_key (right secret)', () => {
    verifyFails(docsMint({ payload: { access_key: 'ffffffffffffffffffffffff' } }), { reason: /access.?key/i });
  });

  test('exp as a string (hand-crafted, correctly signed)', () => {
    const claims = appClaims();
    verifyFails(craft({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: String(claims.exp) }), { reason: /exp\b/i });
  });

  test('app token with empty room_id / missing role', () => {
    verifyFails(craft({ alg: 'HS256', typ: 'JWT' }, appClaims({ room_id: '' })), { reason: /room_id/i });
    const { role, ...noRole } = appClaims();
    verifyFails(craft({ alg: 'HS256', typ: 'JWT' }, noRole), { reason: /role/i });
  });

  test('malformed input', () => {
    verifyFails('not-a-jwt');
    const [h, p] = docsMint().split('.');
    verifyFails(`${h}.${p}`);
  });
});

describe('g) roomgate keys generate', () => {
  function generate() {
    const out = rgOk(['keys', 'generate'], { env: {} });
    const lines = out.replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 2, `expected exactly two lines: ${JSON.stringify(out)}`);
    const ak = /^ROOMGATE_ACCESS_KEY=([0-9a-f]{24})$/.exec(lines[0]);
    const sk = /^ROOMGATE_SECRET=(\S+)$/.exec(lines[1]);
    assert.ok(ak, `bad access key line: ${JSON.stringify(lines[0])}`);
    assert.ok(sk, `bad secret line: ${JSON.stringify(lines[1])}`);
    assert.ok(Buffer.byteLength(sk[1]) >= 32, `generated secret shorter than 32 bytes: ${sk[1].length}`);
    return { accessKey: ak[1], secret: sk[1] };
  }

  test('format, uniqueness, and a token minted with the pair verifies in jsonwebtoken', () => {
    const pair = generate();
    const other = generate();
    assert.notEqual(pair.accessKey, other.accessKey);
    assert.notEqual(pair.secret, other.secret);

    const env = { ROOMGATE_ACCESS_KEY: pair.accessKey, ROOMGATE_SECRET: pair.secret };
    const token = mint(['app', '--room-id', ROOM_ID, '--role', ROLE, '--user-id', USER_ID], { env });
    const claims = jwt.verify(token, pair.secret, { algorithms: ['HS256'] });
    assert.equal(claims.access_key, pair.accessKey);
    assert.equal(claims.room_id, ROOM_ID);
    assert.throws(() => jwt.verify(token, other.secret, { algorithms: ['HS256'] }), /invalid signature/);

    const mgmt = mint(['management'], { env });
    assert.equal(jwt.verify(mgmt, pair.secret, { algorithms: ['HS256'] }).type, 'management');
  });
});
