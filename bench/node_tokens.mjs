// Single-threaded throughput of the Node tooling 100ms customers use to mint
// and verify HS256 app tokens, as the baseline roomgate is compared against.
//
//   node bench/node_tokens.mjs > node.jsonl          # ~2 s per case
//   BENCH_SECONDS=5 node bench/node_tokens.mjs       # longer runs
//
// Output: one JSON object per line,
//   {"name": ..., "kind": "mint"|"verify", "ops_per_sec": ..., "iterations": ..., "seconds": ...}
// Progress/diagnostics go to stderr so stdout stays machine-readable.
// bench/compare_tokens.mjs reads this output.

import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import HMS from '@100mslive/server-sdk';
import { createSigner, createVerifier } from 'fast-jwt';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
if (!(SECONDS > 0)) {
  console.error(`BENCH_SECONDS must be a positive number, got ${JSON.stringify(process.env.BENCH_SECONDS)}`);
  process.exit(2);
}
const WARMUP_SECONDS = Math.min(1, Math.max(0.2, SECONDS / 4));

// Same shape of credentials as roomgate's benchmarks: 24-hex key, 64-char secret.
const ACCESS_KEY = '65f1a2b3c4d5e6f708192a3b';
const SECRET = 'Zq3+T0p/8wXvK1yLmN2oPqR4sT6uV8wX0yZ2aB4cD6eF8gH0iJ2kL4mN6oP8qR==';
const ROOM_ID = '6620d1c2e3f4a5b6c7d8e9f0';
const USER_ID = 'user-42';
const ROLE = 'host';

let sink = 0; // consumed at the end so no work can be optimised away

const nowNs = () => process.hrtime.bigint();

/** Runs `fn` (sync) in growing batches for `seconds`; returns [iterations, elapsedSeconds]. */
function runSync(fn, seconds) {
  const budget = BigInt(Math.round(seconds * 1e9));
  let iterations = 0;
  let batch = 16;
  const start = nowNs();
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink += fn().length;
    iterations += batch;
    elapsed = nowNs() - start;
    if (elapsed < budget / 50n) batch *= 2; // keep clock reads rare, overshoot small
  }
  return [iterations, Number(elapsed) / 1e9];
}

/** Same, awaiting each call of an async `fn` one at a time. */
async function runAsync(fn, seconds) {
  const budget = BigInt(Math.round(seconds * 1e9));
  let iterations = 0;
  let batch = 16;
  const start = nowNs();
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink += (await fn()).length;
    iterations += batch;
    elapsed = nowNs() - start;
    if (elapsed < budget / 50n) batch *= 2;
  }
  return [iterations, Number(elapsed) / 1e9];
}

async function bench(name, kind, fn, { async = false } = {}) {
  const run = async ? runAsync : runSync;
  await run(fn, WARMUP_SECONDS);
  const [iterations, seconds] = await run(fn, SECONDS);
  const opsPerSec = iterations / seconds;
  console.log(JSON.stringify({ name, kind, ops_per_sec: Math.round(opsPerSec), iterations, seconds: +seconds.toFixed(4) }));
  console.error(`${name.padEnd(44)} ${Math.round(opsPerSec).toLocaleString('en-US').padStart(12)} ops/s`);
}

// ---- minting ---------------------------------------------------------------

// Exactly the 100ms docs recipe (crypto.randomUUID stands in for the docs' uuid4()).
function docsSign(secret) {
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
    },
    secret,
    { algorithm: 'HS256', expiresIn: '24h', jwtid: randomUUID() },
  );
}

const secretKeyObject = createSecretKey(Buffer.from(SECRET, 'utf8'));

const hms = new HMS.SDK(ACCESS_KEY, SECRET);
hms.setLogLevel('silent');
const sdkMint = async () => (await hms.auth.getAuthToken({ roomId: ROOM_ID, role: ROLE, userId: USER_ID })).token;

const fastSign = createSigner({ key: SECRET, algorithm: 'HS256' });
function fastJwtSign() {
  const now = Math.floor(Date.now() / 1000);
  return fastSign({
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
  });
}

// ---- verifying ---------------------------------------------------------------

const token = docsSign(SECRET);
const jwtVerify = () => {
  const claims = jwt.verify(token, SECRET, { algorithms: ['HS256'] });
  return claims.jti;
};
const fastVerify = createVerifier({ key: SECRET, algorithms: ['HS256'], cache: false });
const fastJwtVerify = () => fastVerify(token).jti;

// Sanity: every variant produces tokens the others accept, with the same claim set.
{
  const expectKeys = 'access_key,exp,iat,jti,nbf,role,room_id,type,user_id,version';
  for (const t of [docsSign(SECRET), docsSign(secretKeyObject), await sdkMint(), fastJwtSign()]) {
    const claims = fastVerify(t);
    jwt.verify(t, SECRET, { algorithms: ['HS256'] });
    if (Object.keys(claims).sort().join(',') !== expectKeys || claims.exp - claims.iat !== 86400) {
      throw new Error(`benchmark variant mints unexpected claims: ${JSON.stringify(claims)}`);
    }
  }
}

console.error(`node ${process.version}, ${SECONDS}s per case after ${WARMUP_SECONDS}s warm-up, single thread`);

await bench('jsonwebtoken.sign (string secret, docs recipe)', 'mint', () => docsSign(SECRET));
await bench('jsonwebtoken.sign (KeyObject)', 'mint', () => docsSign(secretKeyObject));
await bench('server-sdk getAuthToken', 'mint', sdkMint, { async: true });
await bench('fast-jwt createSigner', 'mint', fastJwtSign);
await bench('jsonwebtoken.verify (string secret)', 'verify', jwtVerify);
await bench('fast-jwt createVerifier', 'verify', fastJwtVerify);

if (sink === 0) console.error('impossible'); // keep `sink` observable
