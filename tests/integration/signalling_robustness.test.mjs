// /v2/signal against bad or hostile clients (docs/signalling.md): frames that are not requests
// (4100 / 4101 with id null or the request's id), requests before a join (4102), a second join
// (4103), frames over 64 KiB (close 1009), binary frames (1003), floods beyond the rate limit
// (4107, then the connection still works), a peer that stops reading while others flood (closed
// 1008, the others keep receiving), and a server shutdown (server-shutdown, then 1001).
//
// Run:  ROOMGATE_BIN=build/src/cli/roomgate node --test tests/integration/signalling_robustness.test.mjs

import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from './server.mjs';
import { Harness, WAIT_MS, authToken, closeOf, eventOf, summary } from './signalling_helpers.mjs';

let h;
before(async () => {
  h = await Harness.start({ messages_per_second: 5, message_burst: 10 });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

/** A raw socket joined to `room` as `role`; returns it with the join reply. */
async function rawJoined(harness, room, role = 'guest') {
  const raw = await harness.raw();
  const r = await raw.request({ type: 'join', protocol: 1, token: authToken({ roomId: room.id, role }), name: `raw-${role}` });
  assert.equal(r.type, 'reply', `join: ${JSON.stringify(r)}`);
  raw.self = r.result.peer;
  return raw;
}

const errorFrame = (raw, code) => raw.next((f) => f.type === 'error' && f.code === code, WAIT_MS, `error ${code}`);

describe('frames that are not valid requests', { timeout: 30_000 }, () => {
  // A frame that is a JSON object with a valid id but no type is answered under that id, so a
  // client can settle the request it sent; frames with no readable id get "id": null.
  test('not JSON, not an object, no type -> 4100 (id null unless one was readable); the connection stays', async () => {
    const room = await h.room();
    const raw = await rawJoined(h, room);
    for (const [frame, what, id] of [
      ['not json at all', 'not JSON', null],
      ['[1,2,3]', 'JSON array', null],
      ['"ping"', 'JSON string', null],
      ['{"id": 5}', 'no type (with an id)', 5],
      ['{"id": {"x": 1}, "type": "ping"}', 'an id that is an object', null],
    ]) {
      const before = raw.frames.length;
      raw.send(frame);
      const err = await raw.next((f) => raw.frames.indexOf(f) >= before && f.type === 'error', WAIT_MS, what);
      assert.equal(err.code, 4100, what);
      assert.equal(err.error, 'bad_message', what);
      assert.equal(err.id, id, `${what}: id ${id}`);
      assert.equal(typeof err.message, 'string');
    }
    const pong = await raw.request({ type: 'ping' });
    assert.equal(pong.type, 'reply');
    assert.equal(raw.closeEvent, null);
  });

  test('unknown type -> 4101 with the request id; wrong field type -> 4100 with the id; string ids work', async () => {
    const room = await h.room();
    const raw = await rawJoined(h, room);
    const unknown = await raw.request({ type: 'teleport' });
    assert.equal(unknown.type, 'error');
    assert.equal(unknown.code, 4101);
    assert.equal(unknown.error, 'unknown_type');
    const wrongType = await raw.request({ type: 'send-message', message: 42 });
    assert.equal(wrongType.code, 4100, JSON.stringify(wrongType));
    raw.send({ type: 'ping', id: 'abc-1' });
    const r = await raw.next((f) => f.id === 'abc-1');
    assert.equal(r.type, 'reply');
    assert.ok(r.result.server_time);
  });

  test('a request without id: no reply on success, error with id null on failure', async () => {
    const room = await h.room();
    const raw = await rawJoined(h, room);
    raw.send({ type: 'ping' });
    raw.send({ type: 'teleport' });
    const err = await errorFrame(raw, 4101);
    assert.equal(err.id, null);
    await raw.request({ type: 'ping' });
    const stray = raw.frames.filter((f) => f.type === 'reply' && (f.id === null || f.id === undefined));
    assert.deepEqual(stray, [], 'no reply to an id-less request');
  });

  test('a request before join -> 4102 (then join works); a second join -> 4103', async () => {
    const room = await h.room();
    const raw = await h.raw();
    const early = await raw.request({ type: 'ping' });
    assert.equal(early.code, 4102, JSON.stringify(early));
    assert.equal(early.error, 'not_joined');
    const j = await raw.request({ type: 'join', protocol: 1, token: authToken({ roomId: room.id, role: 'guest' }) });
    assert.equal(j.type, 'reply', JSON.stringify(j));
    const again = await raw.request({ type: 'join', protocol: 1, token: authToken({ roomId: room.id, role: 'guest' }) });
    assert.equal(again.code, 4103, JSON.stringify(again));
    assert.equal(again.error, 'already_joined');
    assert.equal((await raw.request({ type: 'ping' })).type, 'reply', 'still connected');
  });
});

describe('frame limits', { timeout: 30_000 }, () => {
  test('a frame just under 64 KiB is fine; over 64 KiB -> close 1009', async () => {
    const room = await h.room();
    const raw = await rawJoined(h, room);
    const pad = (n) => JSON.stringify({ type: 'ping', id: 99, pad: 'x'.repeat(n) });
    const under = pad(60 * 1024);
    raw.send(under);
    assert.equal((await raw.next((f) => f.id === 99)).type, 'reply', 'a 60 KiB frame (unknown fields ignored)');
    raw.send(pad(70 * 1024));
    assert.equal((await raw.closedWithin()).code, 1009);
  });

  test('a binary frame -> close 1003; the room notices the peer left', async () => {
    const room = await h.room();
    const watcher = await h.join(room, { role: 'host', label: 'watcher' });
    const raw = await rawJoined(h, room);
    raw.send(Buffer.from(JSON.stringify({ type: 'ping', id: 1 })), { binary: true });
    assert.equal((await raw.closedWithin()).code, 1003);
    await eventOf(watcher, 'peer-left', (e) => e.peer_id === raw.self.peer_id);
  });
});

describe('rate limit (5/s, burst 10)', { timeout: 30_000 }, () => {
  test('a flood gets some 4107s, every request exactly one answer with its id; afterwards the connection works', async () => {
    const room = await h.room();
    const raw = await rawJoined(h, room);
    const start = raw.frames.length;
    const ids = Array.from({ length: 40 }, (_, i) => 1000 + i);
    for (const id of ids) raw.send({ type: 'ping', id });
    const answers = () => raw.frames.slice(start).filter((f) => f.type === 'reply' || f.type === 'error');
    const deadline = Date.now() + 5000;
    while (answers().length < ids.length && Date.now() < deadline) await sleep(20);
    const got = answers();
    const limited = got.filter((a) => a.type === 'error' && a.code === 4107);
    const replies = got.filter((a) => a.type === 'reply');
    assert.equal(got.length, 40, `40 answers: ${JSON.stringify(got.map((a) => [a.id, a.type, a.code]))}`);
    assert.ok(limited.length >= 20, `rate limited ${limited.length} of 40`);
    assert.ok(replies.length >= 9 && replies.length <= 15, `${replies.length} replies (burst 10)`);
    assert.equal(limited[0].error, 'rate_limited');
    const nullIds = limited.filter((a) => a.id === null).length;
    assert.equal(nullIds, 0, `${nullIds} of ${limited.length} 4107 errors carry "id": null instead of the request id`);
    assert.deepEqual(got.map((a) => a.id).sort(), ids, 'each request answered once, with its id');
    await sleep(1500);
    assert.equal((await raw.request({ type: 'ping' })).type, 'reply', 'tokens refill');
    assert.equal(raw.closeEvent, null);
  });
});

describe('slow consumer', { timeout: 60_000 }, () => {
  // The server closes an overflowing peer with a 1008 close frame queued behind the write in
  // flight; the peer only reads it once it reads again (else the socket is dropped after the
  // server's write timeout, 30 s). The room, though, drops it at once (peer-left while it is
  // still paused). So: pause, flood well past kernel buffers + the 1 MiB queue, check the others
  // got everything and saw it leave, then resume and expect the 1008.
  test('a peer that stops reading is closed with 1008 while the others keep receiving', async () => {
    const fast = await Harness.start({ messages_per_second: 100000, message_burst: 100000 });
    try {
      const room = await fast.room();
      const flooders = [];
      for (let i = 0; i < 3; i++) flooders.push(await fast.join(room, { role: 'host', label: `flooder${i}`, requestTimeoutMs: 20_000 }));
      const slow = await rawJoined(fast, room);
      const slowId = slow.self.peer_id;
      slow.ws.pause(); // stops reading the TCP socket (the public form of ws._socket.pause())
      let left = null;
      flooders[0].on('peer-left', (e) => {
        if (e.peer_id === slowId) left = e;
      });

      const payload = 'y'.repeat(3000);
      const received = flooders.map(() => 0);
      flooders.forEach((f, i) => f.on('message', (m) => m.message === payload && received[i]++));
      let sent = 0;
      const deadline = Date.now() + 20_000;
      while (sent * payload.length < 30 * 1024 * 1024 && Date.now() < deadline) {
        for (const f of flooders) {
          for (let k = 0; k < 100; k++) f.send({ type: 'send-message', message: payload });
          sent += 100;
        }
        await Promise.all(flooders.map((f) => f.ping())); // the flooders' reading stays in step
        for (const f of flooders) f.log.length = 0; // bounded memory
      }
      assert.ok(sent * payload.length >= 30 * 1024 * 1024, `flooded only ${sent} messages in 20 s`);
      await Promise.all(flooders.map((f) => f.ping())); // after every sender's last round trip
      assert.deepEqual(received, flooders.map(() => sent), 'every flooder got every broadcast');
      for (const f of flooders) assert.equal(f.state, 'joined', `${f.label} still connected`);
      const leftBy = Date.now() + 10_000;
      while (!left && Date.now() < leftBy) await sleep(20);
      assert.ok(left, 'the room dropped the slow peer while it was still not reading');
      assert.equal(left.reason, 'disconnected');

      slow.ws.resume();
      const closed = await slow.closedWithin(15_000);
      const got = slow.frames.filter((f) => f.type === 'message').length;
      assert.equal(closed.code, 1008, `slow peer close code after ${sent} messages (it read ${got})`);
      assert.ok(got < sent, `the slow peer's backlog was dropped (${got} of ${sent})`);

      const marker = await flooders[1].sendMessage({ message: 'after-the-slow-one' });
      for (const f of flooders) await eventOf(f, 'message', (e) => e.message_id === marker.message_id, 10_000);
    } finally {
      await fast.stop();
    }
  });
});

describe('server shutdown', { timeout: 30_000 }, () => {
  test('SIGTERM: every peer gets server-shutdown, then close 1001', async () => {
    const s = await Harness.start({});
    const room = await s.room();
    const a = await s.join(room, { role: 'host', label: 'a' });
    const b = await s.join(room, { role: 'guest', label: 'b' });
    const stopped = await s.srv.stop('SIGTERM');
    for (const c of [a, b]) {
      await eventOf(c, 'server-shutdown');
      assert.equal((await closeOf(c)).code, 1001, summary(c.log));
    }
    assert.equal(stopped.forced, false, 'the server stopped on its own');
    assert.equal(stopped.code, 0, `exit code; stderr: ${stopped.stderr.slice(-500)}`);
  });
});
