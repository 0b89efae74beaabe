// POST /v2/token on bare node:http + fast-jwt's createSigner: the fastest
// plain Node variant of the token endpoint (same Map lookup and claims as
// express_jsonwebtoken.mjs). One of the Node baselines of
// bench/run_token_endpoint_bench.sh; same environment and output.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import { codesFromEnv } from './common.mjs';

const { accessKey, secret, codes } = codesFromEnv();
const sign = createSigner({ key: secret, algorithm: 'HS256' });

function reply(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function mint(entry) {
  const now = Math.floor(Date.now() / 1000);
  const token = sign({
    access_key: accessKey,
    room_id: entry.roomId,
    user_id: randomUUID(),
    role: entry.role,
    type: 'app',
    version: 2,
    iat: now,
    nbf: now,
    exp: now + 86400,
    jti: randomUUID(),
  });
  return { token, expiresAt: new Date((now + 86400) * 1000).toISOString() };
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v2/token') {
    req.resume();
    reply(res, 404, { code: 404, message: 'not found' });
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let code;
    try {
      code = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.code;
    } catch {
      reply(res, 400, { code: 400, message: 'body is not JSON' });
      return;
    }
    const entry = codes.get(code);
    if (!entry) {
      reply(res, 404, { code: 404, message: 'room code not found' });
      return;
    }
    reply(res, 200, mint(entry));
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
