// The browser SDK (sdk/src/roomgate.mjs) with real WebRTC, in headless Chromium, without an
// SFU: a fake roomgate relays one peer's publish offer to the other as its subscribe-offer and
// the answer back as the publish reply, so the two SDK connections meet directly. Checks what
// the Node tests cannot: non-trickle SDP from real ICE gathering, publish mids read from real
// transceivers, received tracks mapped to track_ids, 'remote-track' once frames flow, mute and
// unpublish as the other side sees them, and the default URLs derived from where the SDK was
// served (/sdk/roomgate.mjs → /v2/token and ws /v2/signal on the same origin).
//
// Needs Chromium (CHROMIUM_BIN, default /usr/bin/chromium) and playwright-core. Run it inside a
// private network namespace so every packet stays on this host:
//
//   scripts/janus/in_private_netns.sh node --test tests/sdk/webrtc_loopback.test.mjs
//
// Fails (never skips) when Chromium is missing or when the network namespace has a default route.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { chromium } from 'playwright-core';

const SDK_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sdk/src');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

// ------------------------------------------------------------ the relaying fake roomgate

const peers = new Map(); // peer_id → {ws, peer}
const pendingPublishes = new Map(); // subscription_id → (answerSdp) => void
let nextId = 1;

function send(ws, msg) {
  ws.send(JSON.stringify(msg));
}

function onRequest(self, msg) {
  const reply = (result) => send(self.ws, { type: 'reply', id: msg.id, result });
  const others = () => [...peers.values()].filter((p) => p !== self);
  switch (msg.type) {
    case 'join': {
      self.peer = { peer_id: msg.token, name: msg.name, user_id: msg.token, role: 'host', metadata: '', joined_at: new Date().toISOString() };
      const role = { name: 'host', publishParams: { allowed: ['audio', 'video', 'screen'] }, subscribeParams: { subscribeToRoles: ['host'] }, permissions: {} };
      reply({
        protocol: 1, session_id: 's', room: { id: 'r', name: 'r' }, peer: self.peer,
        policy: { name: 'host', role, known_roles: { host: role } },
        peers: others().map((p) => p.peer), token_expires_at: '2030-01-01T00:00:00Z', server_time: new Date().toISOString(),
        media: { available: true, ice_servers: [] },
      });
      for (const p of others()) send(p.ws, { type: 'peer-joined', peer: self.peer });
      peers.set(self.peer.peer_id, self);
      return;
    }
    case 'publish': {
      // One subscriber: its answer is the publisher's answer (a direct connection).
      const [sub] = others();
      const publicationId = `pub-${nextId++}`;
      const tracks = msg.tracks.map((t) => ({ track_id: `${publicationId}-${t.kind}`, peer_id: self.peer.peer_id, publication_id: publicationId, source: msg.source, kind: t.kind, muted: Boolean(t.muted) }));
      const subscriptionId = `sub-${nextId++}`;
      self.publications = { ...self.publications, [publicationId]: { tracks, sub, subscriptionId } };
      pendingPublishes.set(subscriptionId, (sdp) => reply({ publication_id: publicationId, sdp, tracks }));
      for (const t of tracks) send(sub.ws, { type: 'track-added', track: t });
      send(sub.ws, {
        type: 'subscribe-offer', subscription_id: subscriptionId, peer_id: self.peer.peer_id, publication_id: publicationId,
        tracks: msg.tracks.map((t, i) => ({ track_id: tracks[i].track_id, mid: t.mid })), sdp: msg.sdp,
      });
      return;
    }
    case 'subscribe-answer':
      pendingPublishes.get(msg.subscription_id)?.(msg.sdp);
      pendingPublishes.delete(msg.subscription_id);
      reply({});
      return;
    case 'mute-track': {
      const pub = Object.values(self.publications ?? {}).find((p) => p.tracks.some((t) => t.track_id === msg.track_id));
      const t = pub.tracks.find((x) => x.track_id === msg.track_id);
      t.muted = msg.muted;
      reply({ track: t });
      send(pub.sub.ws, { type: 'track-updated', track: t });
      return;
    }
    case 'unpublish': {
      const pub = self.publications[msg.publication_id];
      delete self.publications[msg.publication_id];
      reply({});
      for (const t of pub.tracks) send(pub.sub.ws, { type: 'track-removed', track: t });
      send(pub.sub.ws, { type: 'subscription-closed', subscription_id: pub.subscriptionId, reason: 'unpublished' });
      return;
    }
    case 'leave':
      reply({});
      self.ws.close(1000, 'left');
      return;
    default:
      send(self.ws, { type: 'error', id: msg.id, code: 4101, error: 'unknown_type', message: msg.type });
  }
}

/** Serves /sdk/*.mjs from sdk/src, a blank page, and POST /v2/token (token = the room code). */
async function serveHttp(req, res) {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/sdk/') && /^[a-z_]+\.mjs$/.test(url.pathname.slice(5))) {
    const body = await fs.readFile(path.join(SDK_DIR, url.pathname.slice(5)));
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  } else if (url.pathname === '/v2/token' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: JSON.parse(body).code }));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sdk</title><body></body>');
  }
}

let server;
let origin;
let browser;

/** Refuses to start Chromium where it could reach beyond this host (a default route exists). */
async function assertNoRouteOffHost() {
  const v4 = await fs.readFile('/proc/net/route', 'utf8').catch(() => '');
  const v6 = await fs.readFile('/proc/net/ipv6_route', 'utf8').catch(() => '');
  const hasDefault =
    v4.split('\n').slice(1).some((line) => line.split(/\s+/)[1] === '00000000') ||
    v6.split('\n').some((line) => /^0{32} 00 /.test(line) && !/ lo$/.test(line.trim()));
  assert.ok(!hasDefault, 'a default route exists: run this test inside scripts/janus/in_private_netns.sh');
}

before(async () => {
  await assertNoRouteOffHost();
  server = http.createServer((req, res) => serveHttp(req, res).catch(() => res.writeHead(500).end()));
  const wss = new WebSocketServer({ server, path: '/v2/signal' });
  wss.on('connection', (ws) => {
    const self = { ws, peer: null };
    ws.on('message', (data) => onRequest(self, JSON.parse(data.toString())));
    ws.on('close', () => self.peer && peers.delete(self.peer.peer_id));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** A page with the SDK loaded from the fake roomgate, joined as `code`. */
async function joinedPage(code) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[${code}] page error:`, e));
  await page.goto(`${origin}/`);
  await page.evaluate(async (roomCode) => {
    const { getAuthTokenByRoomCode, RoomgateClient } = await import('/sdk/roomgate.mjs');
    const authToken = await getAuthTokenByRoomCode({ roomCode }); // default endpoint: this origin
    const client = new RoomgateClient(); // default server: ws on this origin
    window.client = client;
    window.log = [];
    for (const type of ['track-added', 'track-removed', 'track-muted', 'remote-track', 'error']) {
      client.on(type, (p) => window.log.push({ type, id: p?.track?.track_id ?? p?.track_id ?? null, muted: p?.muted, error: p?.message }));
    }
    await client.join({ authToken, userName: roomCode });
  }, code);
  return page;
}

test('a published camera reaches the other peer through the SDK, mutes and goes away', { timeout: 60_000 }, async () => {
  const alice = await joinedPage('alice');
  const bob = await joinedPage('bob');
  // Bob shows Alice's video as soon as it arrives.
  const remote = bob.evaluate(
    () =>
      new Promise((resolve) => {
        window.client.on('remote-track', ({ track, stream }) => {
          if (track.kind !== 'video') return;
          const video = document.createElement('video');
          video.muted = true;
          document.body.append(video);
          window.client.attach(track.track_id, video);
          window.video = video;
          resolve({ trackId: track.track_id, streamTracks: stream.getTracks().length, same: window.client.streamOf(track.peer_id) === stream });
        });
      }),
  );
  await alice.evaluate(() => window.client.publish({ audio: true, video: true }));
  const got = await remote;
  assert.match(got.trackId, /^pub-\d+-video$/);
  assert.equal(got.same, true, 'remote-track carries streamOf(peer)');
  // Frames are decoded: the element knows the fake camera's size and time advances.
  await bob.waitForFunction(() => window.video.videoWidth > 0 && window.video.currentTime > 0.2, null, { timeout: 15_000 });
  const audioArrived = await bob.waitForFunction(() => window.log.some((e) => e.type === 'remote-track' && /audio$/.test(e.id)), null, { timeout: 15_000 });
  assert.ok(audioArrived);

  await alice.evaluate(() => window.client.setVideoMuted(true));
  await bob.waitForFunction((id) => window.log.some((e) => e.type === 'track-muted' && e.id === id && e.muted === true), got.trackId, { timeout: 5_000 });

  await alice.evaluate(() => window.client.unpublish('regular'));
  await bob.waitForFunction((id) => window.log.some((e) => e.type === 'track-removed' && e.id === id), got.trackId, { timeout: 5_000 });
  const after = await bob.evaluate(() => ({ stream: window.client.streamOf('alice'), tracks: window.client.tracks.size }));
  assert.deepEqual(after, { stream: null, tracks: 0 });
  const aliceState = await alice.evaluate(() => ({ local: window.client.localStream, errors: window.log.filter((e) => e.type === 'error') }));
  assert.deepEqual(aliceState, { local: null, errors: [] });
  assert.deepEqual(await bob.evaluate(() => window.log.filter((e) => e.type === 'error')), []);

  await alice.evaluate(() => window.client.leave());
  await bob.evaluate(() => window.client.leave());
});

test('two peers publishing at once each receive the other: negotiations do not interfere', { timeout: 60_000 }, async () => {
  const carol = await joinedPage('carol');
  const dave = await joinedPage('dave');
  const videoFrom = (page) =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          window.client.on('remote-track', ({ track }) => {
            if (track.kind !== 'video') return;
            const video = Object.assign(document.createElement('video'), { muted: true });
            document.body.append(video);
            window.client.attach(track.track_id, video);
            window.video = video;
            resolve(track.peer_id);
          });
        }),
    );
  const seenByCarol = videoFrom(carol);
  const seenByDave = videoFrom(dave);
  await Promise.all([carol.evaluate(() => window.client.publish()), dave.evaluate(() => window.client.publish())]);
  assert.deepEqual(await Promise.all([seenByCarol, seenByDave]), ['dave', 'carol']);
  for (const page of [carol, dave]) {
    await page.waitForFunction(() => window.video.videoWidth > 0 && window.video.currentTime > 0.2, null, { timeout: 15_000 });
    assert.deepEqual(await page.evaluate(() => window.log.filter((e) => e.type === 'error')), []);
  }
  await carol.evaluate(() => window.client.leave());
  await dave.evaluate(() => window.client.leave());
});
