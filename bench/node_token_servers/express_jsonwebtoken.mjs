// POST /v2/token as a 100ms customer would write it from 100ms's docs:
// express 5 + express.json() + jsonwebtoken, room codes looked up in a Map.
// One of the Node baselines of bench/run_token_endpoint_bench.sh.
//
//   ROOMGATE_ACCESS_KEY=... ROOMGATE_SECRET=... BENCH_CODE=abc-defg-hij \
//   BENCH_ROOM_ID=... BENCH_ROLE=guest node bench/node_token_servers/express_jsonwebtoken.mjs
//
// Listens on 127.0.0.1 with an ephemeral port and prints
// "listening on http://127.0.0.1:PORT" on stdout.
import { randomUUID } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { codesFromEnv } from './common.mjs';

const { accessKey, secret, codes } = codesFromEnv();

const app = express();
app.use(express.json());

app.post('/v2/token', (req, res) => {
  const entry = codes.get(req.body?.code);
  if (!entry) {
    res.status(404).json({ code: 404, message: 'room code not found' });
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const token = jwt.sign(
    {
      access_key: accessKey,
      room_id: entry.roomId,
      user_id: randomUUID(),
      role: entry.role,
      type: 'app',
      version: 2,
      iat: now,
      nbf: now,
    },
    secret,
    { algorithm: 'HS256', expiresIn: '24h', jwtid: randomUUID() },
  );
  res.json({ token, expiresAt: new Date((now + 86400) * 1000).toISOString() });
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
