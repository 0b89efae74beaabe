// The media plane against the real Janus (run by media_plane_test.sh inside the private
// network namespace): publish → Janus's answer, subscribe offers only to the roles that
// receive, viewers refused before Janus, teardown on leave / removal / end, and a clear 4501
// when Janus is gone. SDP offers are shaped like Chromium's (no browser needed to negotiate;
// tests/browser/ shows frames flowing).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Harness, eventOf, assertNone, settle, within, WAIT_MS } from '../integration/signalling_helpers.mjs';
import { api } from '../integration/server.mjs';

// One figure from /metrics.
async function metric(name) {
  const res = await api(h.srv, 'GET', '/metrics');
  const m = res.text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

const JANUS = {
  backend: 'janus',
  janus_port: Number(process.env.JANUS_WS_PORT),
  janus_api_secret: process.env.JANUS_API_SECRET,
  janus_timeout: '3s',
};

// A sendonly offer with one section per kind, as Chromium writes it (BUNDLE, rtcp-mux, DTLS
// fingerprint, ICE credentials); Janus answers it without needing the far end to exist.
function chromeOffer(kinds) {
  const hex = [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  const ufrag = randomBytes(3).toString('hex');
  const pwd = randomBytes(12).toString('hex');
  const mids = kinds.map((_, i) => String(i));
  let sdp = `v=0\r\no=- ${Date.now()} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE ${mids.join(' ')}\r\n` +
    'a=extmap-allow-mixed\r\na=msid-semantic: WMS s\r\n';
  kinds.forEach((kind, i) => {
    const [pt, codec] = kind === 'audio' ? [111, 'opus/48000/2'] : [96, 'VP8/90000'];
    sdp += `m=${kind} 9 UDP/TLS/RTP/SAVPF ${pt}\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n` +
      `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${pwd}\r\na=ice-options:trickle\r\n` +
      `a=fingerprint:sha-256 ${hex}\r\na=setup:actpass\r\na=mid:${i}\r\na=sendonly\r\n` +
      `a=msid:s t${i}\r\na=rtcp-mux\r\na=rtpmap:${pt} ${codec}\r\n` +
      (kind === 'video' ? `a=rtcp-fb:${pt} nack\r\na=rtcp-fb:${pt} nack pli\r\n` : '') +
      `a=ssrc:${1000 + i} cname:c\r\n` +
      'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\r\n';
  });
  return sdp;
}

// VideoRoom's room list over Janus's HTTP API (what roomgate left in Janus).
async function janusRooms() {
  const base = `http://127.0.0.1:${process.env.JANUS_HTTP_PORT}/janus`;
  const call = async (path, body) => {
    const res = await fetch(base + path, {
      method: 'POST',
      body: JSON.stringify({ ...body, transaction: randomBytes(6).toString('hex'), apisecret: JANUS.janus_api_secret }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    return res.json();
  };
  const session = (await call('', { janus: 'create' })).data.id;
  const handle = (await call(`/${session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data.id;
  const list = await call(`/${session}/${handle}`, { janus: 'message', body: { request: 'list' } });
  await call(`/${session}`, { janus: 'destroy' });
  return list.plugindata.data.list;
}

async function waitUntil(check, what) {
  for (let i = 0; i < 100; ++i) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out: ${what}`);
}

const publish = (client, kinds = ['audio', 'video'], source = 'regular') =>
  client.request('publish', { source, sdp: chromeOffer(kinds), tracks: kinds.map((kind, i) => ({ mid: String(i), kind })) });

let h;
before(async () => {
  h = await Harness.start({}, { media: JANUS });
});
afterEach(() => h.closeAll());
after(() => h?.stop());

test('a publish gets Janus\'s answer on 127.0.0.1; others see the tracks; no offer before media flows', async () => {
  const room = await h.room();
  const host = await h.join(room, { role: 'host' });
  const guest = await h.join(room, { role: 'guest' });
  const viewer = await h.join(room, { role: 'viewer' });
  assert.equal(host.joinResult.media.available, true);

  const pub = await publish(guest);
  assert.match(pub.sdp, /^v=0\r\n/, 'an SDP answer');
  assert.match(pub.sdp, /a=candidate:[^\r]* 127\.0\.0\.1 /, 'Janus offers 127.0.0.1');
  assert.doesNotMatch(pub.sdp, /a=candidate:(?![^\r]* 127\.0\.0\.1 )/, 'and no candidate off loopback');
  assert.deepEqual(pub.tracks.map((t) => t.kind), ['audio', 'video']);

  for (const who of [host, viewer]) {
    const added = await eventOf(who, 'track-added', (e) => e.track.kind === 'video');
    assert.equal(added.track.publication_id, pub.publication_id);
    assert.equal(added.track.peer_id, guest.joinResult.peer.peer_id);
  }
  // This SDP has no real ICE/DTLS peer behind it, so Janus never sees the publisher's media
  // start, and VideoRoom refuses subscribers until it does: the server waits for Janus's
  // `webrtcup` before it offers (tests/browser/ shows the offers and frames).
  await settle(host, viewer);
  assertNone(host, 'subscribe-offer');
  assertNone(host, 'media-error');
  assert.equal(await metric('roomgate_media_sfu_up'), 1);
  assert.ok((await metric('roomgate_media_publications')) >= 1);
  const late = await h.join(room, { role: 'viewer' });
  const known = await eventOf(late, 'track-added', (e) => e.track.kind === 'audio');
  assert.equal(known.track.publication_id, pub.publication_id, 'a late joiner learns existing tracks');
});

test('a viewer cannot publish, even with a hand-written request', async () => {
  const room = await h.room();
  await h.join(room, { role: 'host' });
  const viewer = await h.join(room, { role: 'viewer' });
  const guest = await h.join(room, { role: 'guest' });
  await assert.rejects(publish(viewer), (e) => e.code === 4104 && /publishParams/.test(e.message));
  await assert.rejects(publish(viewer, ['audio']), (e) => e.code === 4104);
  await assert.rejects(
    guest.request('publish', { source: 'regular', sdp: chromeOffer(['audio', 'video']), tracks: [{ mid: '0', kind: 'audio' }] }),
    (e) => e.code === 4111, 'an offer carrying an undeclared video section');
});

test('publishParams.allowed is enforced per kind: audio-only speakers publish no video or screen', async () => {
  const tpl = await h.template({
    speaker: { publishParams: { allowed: ['audio'] }, subscribeParams: { subscribeToRoles: ['speaker'] } },
  });
  const room = await h.room({ template_id: tpl.id });
  const a = await h.join(room, { role: 'speaker' });
  const b = await h.join(room, { role: 'speaker' });
  await assert.rejects(publish(a, ['video']), (e) => e.code === 4104 && /video/.test(e.message));
  await assert.rejects(publish(a, ['video'], 'screen'), (e) => e.code === 4104 && /screen/.test(e.message));
  const pub = await publish(a, ['audio']);
  const added = await eventOf(b, 'track-added');
  assert.equal(added.track.publication_id, pub.publication_id);
  assert.equal(added.track.kind, 'audio');
});

test('leaving, removal and ending the room tear the media down', async () => {
  const room = await h.room();
  const host = await h.join(room, { role: 'host' });
  const guest = await h.join(room, { role: 'guest' });
  const other = await h.join(room, { role: 'guest' });
  const pub = await publish(guest);
  await eventOf(host, 'track-added');

  await host.request('remove-peer', { peer_id: guest.joinResult.peer.peer_id, reason: 'test' });
  const removed = await eventOf(other, 'track-removed');
  assert.equal(removed.track.publication_id, pub.publication_id);

  const pub2 = await publish(other);
  await other.request('unpublish', { publication_id: pub2.publication_id });
  const gone = await eventOf(host, 'track-removed', (e) => e.track.publication_id === pub2.publication_id);
  assert.equal(gone.track.peer_id, other.joinResult.peer.peer_id);
  await publish(other);
  const mine = (r) => r.description === `roomgate ${host.joinResult.session_id}`;
  const inJanus = (await janusRooms()).find(mine);
  assert.ok(inJanus, 'the session has its own VideoRoom room');
  assert.equal(inJanus.num_participants, 1, 'one publisher left in it');
  await host.request('end-room', { reason: 'done' });
  await eventOf(other, 'room-ended');
  await waitUntil(async () => !(await janusRooms()).some(mine), 'the VideoRoom room destroyed');
});

test('a second publish of the same source is refused; unpublish frees it', async () => {
  const room = await h.room();
  const guest = await h.join(room, { role: 'guest' });
  const pub = await publish(guest);
  await assert.rejects(publish(guest), (e) => e.code === 4112);
  await guest.request('unpublish', { publication_id: pub.publication_id });
  const again = await publish(guest);
  assert.notEqual(again.publication_id, pub.publication_id);
});

test('a frozen Janus does not hold up roomgate\'s shutdown', async () => {
  // A second roomgate with two live media rooms; Janus stops answering (SIGSTOP) and roomgate
  // is asked to stop: the media teardown must give up on Janus instead of waiting out every
  // request (two rooms x three Janus calls x janus_timeout would pass the 10 s stop bound).
  const other = await Harness.start({}, { media: JANUS });
  try {
    for (let i = 0; i < 2; ++i) {
      const room = await other.room();
      await publish(await other.join(room, { role: 'guest' }));
    }
    process.kill(Number(process.env.JANUS_PID), 'SIGSTOP');
    const stopped = await other.stop();
    assert.equal(stopped.forced, false, 'roomgate had to be killed');
    assert.equal(stopped.code, 0, stopped.stderr.slice(-500));
  } finally {
    process.kill(Number(process.env.JANUS_PID), 'SIGCONT');
  }
});

test('Janus gone: a clear 4501 naming it (run last: it stops Janus)', async () => {
  const room = await h.room();
  const guest = await h.join(room, { role: 'guest' });
  process.kill(Number(process.env.JANUS_PID), 'SIGKILL');
  const err = await within(publish(guest).then(() => null, (e) => e), WAIT_MS * 2, 'publish with Janus gone');
  assert.ok(err, 'the publish failed');
  assert.equal(err.code, 4501, `${err.code} ${err.message}`);
  assert.match(err.message, /Janus is unreachable at ws:\/\/127\.0\.0\.1:\d+/);
  assert.equal(await metric('roomgate_media_sfu_up'), 0);
  assert.ok((await metric('roomgate_media_sfu_failures_total')) >= 1);
});
