// Unit tests of getAuthTokenByRoomCode (sdk/src/token.mjs) and the SDK's default endpoints
// (sdk/src/endpoints.mjs), against a tiny node:http server that plays the token endpoint with
// a script of answers per test. No roomgate binary is needed. Only 127.0.0.1 is contacted.
//
// Run:  node --test tests/sdk/token_by_room_code.test.mjs

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { getAuthTokenByRoomCode, RoomgateError } from '../../sdk/src/roomgate.mjs';
import { defaultSignalUrl, defaultTokenEndpoint, normalizeSignalUrl } from '../../sdk/src/endpoints.mjs';

// ------------------------------------------------------------ the scripted endpoint

let server;
let base;
/** Every request seen: {method, url, headers, body}. */
let seen;
/** What to do with the n-th request (the last entry repeats); each is (req, res) => void. */
let script;

const json = (status, body) => (req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const text = (status, body) => (req, res) => {
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(body);
};
const hangUp = () => (req) => req.socket.destroy(); // a network error for the client
const ok = (token = 'tok-123') => json(200, { token, expiresAt: '2030-01-01T00:00:00Z' });

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      script[Math.min(seen.length - 1, script.length - 1)](req, res);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  script = [ok()];
});

/** The rejection of `promise` (fails the test if it resolves). */
async function rejection(promise) {
  return promise.then(
    (v) => assert.fail(`expected a rejection, got ${JSON.stringify(v)}`),
    (e) => e,
  );
}

// ------------------------------------------------------------ tests

describe('getAuthTokenByRoomCode', { timeout: 20_000 }, () => {
  test('posts {code, user_id} as the body and resolves the token', async () => {
    const token = await getAuthTokenByRoomCode({ roomCode: 'abc-defg-hij', userId: 'u-1' }, { endpoint: `${base}/v2/token` });
    assert.equal(token, 'tok-123');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'POST');
    assert.equal(seen[0].url, '/v2/token');
    assert.equal(seen[0].body, JSON.stringify({ code: 'abc-defg-hij', user_id: 'u-1' }));
  });

  test('leaves user_id out of the body when none is given', async () => {
    await getAuthTokenByRoomCode({ roomCode: 'abc-defg-hij' }, { endpoint: `${base}/v2/token` });
    assert.equal(seen[0].body, '{"code":"abc-defg-hij"}');
  });

  test('sets no headers of its own: the body goes as fetch labels a string, text/plain', async () => {
    await getAuthTokenByRoomCode({ roomCode: 'abc-defg-hij' }, { endpoint: `${base}/v2/token` });
    const { headers } = seen[0];
    assert.match(headers['content-type'], /^text\/plain/);
    assert.equal(headers.authorization, undefined);
    assert.deepEqual(
      Object.keys(headers).filter((h) => h.startsWith('x-')),
      [],
    );
  });

  test('uses the endpoint verbatim, path and query included', async () => {
    await getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/some/prefix/token?region=eu` });
    assert.equal(seen[0].url, '/some/prefix/token?region=eu');
  });

  test('an unknown code rejects with the body code 404 after one attempt', async () => {
    script = [json(404, { code: 404, message: 'room code not found' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'nope' }, { endpoint: `${base}/v2/token` }));
    assert.ok(e instanceof RoomgateError);
    assert.equal(e.code, 404);
    assert.equal(e.name, 'not_found');
    assert.equal(e.action, 'GET_TOKEN');
    assert.equal(e.message, 'room code not found');
    assert.equal(seen.length, 1, 'a 404 is not retried');
  });

  test('a disabled code rejects with 403 after one attempt', async () => {
    script = [json(403, { code: 403, message: 'room code disabled' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'off' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 403);
    assert.equal(e.name, 'forbidden');
    assert.equal(seen.length, 1, 'a 403 is not retried');
  });

  test('the code comes from the JSON body, not the HTTP status', async () => {
    script = [json(400, { code: 4242, message: 'odd' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'x' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 4242);
    assert.equal(seen.length, 1);
  });

  test('a 500 is retried, and a later success wins', async () => {
    script = [json(500, { code: 500, message: 'store down' }), ok('tok-after-500')];
    assert.equal(await getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }), 'tok-after-500');
    assert.equal(seen.length, 2);
    assert.equal(seen[1].body, seen[0].body, 'the retry sends the same body');
  });

  test('gives up after 4 attempts and rejects with the last code', async () => {
    script = [json(503, { code: 503, message: 'busy' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 503);
    assert.equal(e.name, 'server_error');
    assert.equal(seen.length, 4);
  });

  test('a 429 is retried like 100ms does', async () => {
    script = [json(429, { code: 429, message: 'too many failed attempts' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 429);
    assert.equal(e.name, 'rate_limited');
    assert.equal(seen.length, 4);
  });

  test('a body that is not JSON is retried', async () => {
    script = [text(200, '<html>proxy says hi</html>'), ok('tok-after-html')];
    assert.equal(await getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }), 'tok-after-html');
    assert.equal(seen.length, 2);
  });

  test('an error page that is not JSON keeps its HTTP status after the retries', async () => {
    script = [text(502, '<html>bad gateway</html>')];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 502);
    assert.equal(seen.length, 4);
  });

  test('a 200 that is never JSON means no token endpoint there: 2003', async () => {
    script = [text(200, 'not json')];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 2003);
    assert.equal(seen.length, 4);
  });

  test('a dropped connection is retried', async () => {
    script = [hangUp(), ok('tok-after-hangup')];
    assert.equal(await getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }), 'tok-after-hangup');
    assert.equal(seen.length, 2);
  });

  test('an endpoint that is never reachable rejects with 2003 after 4 attempts', async () => {
    script = [hangUp()];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.code, 2003);
    assert.equal(e.name, 'endpoint_unreachable');
    assert.equal(e.action, 'GET_TOKEN');
    assert.equal(seen.length, 4);
  });

  test('a closed port rejects with 2003', async () => {
    const closed = http.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `http://127.0.0.1:${port}/v2/token` }));
    assert.equal(e.code, 2003);
  });

  test('a success without a token rejects and is not retried', async () => {
    script = [json(200, { message: 'no token here' })];
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token` }));
    assert.equal(e.action, 'GET_TOKEN');
    assert.equal(e.name, 'bad_response');
    assert.equal(seen.length, 1);
  });

  test('a hung attempt times out and counts as unreachable', async () => {
    script = [() => {}, ok('tok-after-hang')]; // the first request is never answered
    const token = await getAuthTokenByRoomCode({ roomCode: 'c' }, { endpoint: `${base}/v2/token`, timeoutMs: 200 });
    assert.equal(token, 'tok-after-hang');
    assert.equal(seen.length, 2);
  });

  test('without an endpoint outside a web page it rejects with 2003 and sends nothing', async () => {
    // This test file is loaded from file:, so there is no roomgate to derive the URL from.
    const e = await rejection(getAuthTokenByRoomCode({ roomCode: 'c' }));
    assert.equal(e.code, 2003);
    assert.equal(seen.length, 0);
  });
});

describe('default endpoints', () => {
  test('are derived from where the SDK was served', () => {
    assert.equal(defaultTokenEndpoint('http://127.0.0.1:8080/sdk/roomgate.mjs'), 'http://127.0.0.1:8080/v2/token');
    assert.equal(defaultTokenEndpoint('https://rooms.example.com/sdk/roomgate.mjs?v=3'), 'https://rooms.example.com/v2/token');
    assert.equal(defaultSignalUrl('http://127.0.0.1:8080/sdk/roomgate.mjs'), 'ws://127.0.0.1:8080/v2/signal');
    assert.equal(defaultSignalUrl('https://rooms.example.com/sdk/roomgate.mjs#x'), 'wss://rooms.example.com/v2/signal');
  });

  test('do not exist for a file: or data: module', () => {
    assert.equal(defaultTokenEndpoint('file:///srv/sdk/roomgate.mjs'), null);
    assert.equal(defaultSignalUrl('file:///srv/sdk/roomgate.mjs'), null);
    assert.equal(defaultSignalUrl('data:text/javascript,1'), null);
    assert.equal(defaultSignalUrl(), null, 'this test imports the SDK from file:');
  });

  test('an explicit server URL may be given as http(s) and is kept otherwise', () => {
    assert.equal(normalizeSignalUrl('https://rooms.example.com/v2/signal'), 'wss://rooms.example.com/v2/signal');
    assert.equal(normalizeSignalUrl('http://127.0.0.1:9/v2/signal'), 'ws://127.0.0.1:9/v2/signal');
    assert.equal(normalizeSignalUrl('ws://127.0.0.1:9/v2/signal'), 'ws://127.0.0.1:9/v2/signal');
  });
});
