// The ceiling of Node's HTTP layer for bench/run_token_endpoint_bench.sh:
// bare node:http answering every request with one constant JSON body of the
// token endpoint's shape and size (a token minted once at start-up). No body
// parsing, no lookup, no signing. Same environment and output as the others.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { codesFromEnv } from './common.mjs';

const { accessKey, secret, codes } = codesFromEnv();
const [entry] = codes.values();
const now = Math.floor(Date.now() / 1000);
const token = createSigner({ key: secret, algorithm: 'HS256' })({
  access_key: accessKey, room_id: entry.roomId, user_id: randomUUID(), role: entry.role,
  type: 'app', version: 2, iat: now, nbf: now, exp: now + 86400, jti: randomUUID(),
});
const body = Buffer.from(JSON.stringify({ token, expiresAt: new Date((now + 86400) * 1000).toISOString() }));
const headers = { 'Content-Type': 'application/json', 'Content-Length': body.length };

const server = http.createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
