// A viewer from a real link (/meeting/<viewer code>; the default template's viewer publishes
// nothing and subscribes to host and guest): its page receives the host's video and audio over
// a 127.0.0.1 ↔ 127.0.0.1 ICE pair, renders no publish controls and sends no media; and a
// publish crafted by hand over /v2/signal with a real offer SDP (the browser's own camera and
// microphone) is refused with 4104 before anything reaches the SFU, so the host never sees a
// track from it.
//
// Run:  tests/browser/run_browser_tests.sh   (ROOMGATE_BROWSER_TESTS=tests/browser/viewer.test.mjs)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Scenario, api, ok200, sleep } from './browser_helpers.mjs';

let s;
before(async () => {
  s = await Scenario.start();
});
afterEach(() => s?.closePages());
after(() => s?.stop());

const T = { timeout: 90_000 };

// In the page: joins /v2/signal with `token` on a socket of its own, makes a real offer from
// getUserMedia (audio + video) and sends `publish` for `source`; returns every reply.
async function craftedPublish({ wsUrl, token, sources }) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
  });
  const waiting = new Map();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.id != null && waiting.has(m.id)) waiting.get(m.id)(m);
  };
  let seq = 0;
  const request = (msg) =>
    new Promise((resolve) => {
      const id = ++seq;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ ...msg, id }));
      setTimeout(() => resolve({ timeout: `no answer to ${msg.type} within 5 s` }), 5000);
    });
  const out = { join: await request({ type: 'join', protocol: 1, token, name: 'crafted viewer' }) };
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const pc = new RTCPeerConnection({ iceServers: [] });
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    const done = () => pc.iceGatheringState === 'complete' && resolve();
    pc.addEventListener('icegatheringstatechange', done);
    done();
    setTimeout(resolve, 5000);
  });
  const sdp = pc.localDescription.sdp;
  const tracks = pc.getTransceivers().map((t) => ({ mid: t.mid, kind: t.sender.track.kind }));
  out.offerHasCandidates = /a=candidate:/.test(sdp);
  out.publish = {};
  for (const source of sources) {
    out.publish[source] = await request({ type: 'publish', source, sdp, tracks });
  }
  pc.close();
  for (const t of stream.getTracks()) t.stop();
  ws.close();
  return out;
}

test('a viewer receives the host\'s video and shows no publish controls', T, () =>
  s.run(async () => {
    const { codes } = await s.room();
    const host = await s.joinByLink(codes.host, 'Alice Host');
    const viewer = await s.joinByLink(codes.viewer, 'Vera Viewer');
    await viewer.expectVideoFlowing(Scenario.tileVideo(host.peerId));
    await viewer.expectAudioFrom(host.peerId);
    await viewer.expectLoopbackMedia();

    const role = await viewer.eval(() => window.roomgate.client.policy?.name);
    assert.equal(role, 'viewer', 'the viewer code joins with the viewer role');
    for (const control of ['mute-audio', 'mute-video', 'screen-share']) {
      assert.equal(
        await viewer.page.locator(`button[data-testid="${control}"]`).count(),
        0,
        `a viewer's page must not render ${control}`,
      );
    }
    // Nothing is sent: no publication in the protocol, no outgoing RTP.
    const published = viewer.frames.filter((f) => f.includes(' >> ') && f.includes('"publish"'));
    assert.deepEqual(published, [], 'the viewer page sent a publish request');
    const rtc = await viewer.rtc();
    const sending = rtc.filter((pc) => pc.outbound.some((o) => (o.packets ?? 0) > 0));
    assert.deepEqual(sending, [], 'the viewer page sends RTP');
    // The host sees the viewer as a peer but gets no track from it.
    const added = host.received().filter((m) => m.type === 'track-added' && m.track?.peer_id === viewer.peerId);
    assert.deepEqual(added, [], 'the host got a track-added from the viewer');
  }));

test('a publish crafted by hand from a viewer is refused with 4104', T, () =>
  s.run(async () => {
    const { room, codes } = await s.room();
    const host = await s.joinByLink(codes.host, 'Alice Host');
    const res = await api(s.srv, 'POST', '/v2/token', { body: { code: codes.viewer, user_id: 'crafty' }, token: null });
    const { token } = ok200(res, 'token for the viewer code');

    const page = await s.open(`${s.base}/healthz`, { label: 'crafted' });
    const wsUrl = `${s.base.replace(/^http/, 'ws')}/v2/signal`;
    const out = await page.eval(craftedPublish, { wsUrl, token, sources: ['regular', 'screen'] });

    assert.equal(out.join.type, 'reply', `join: ${JSON.stringify(out.join).slice(0, 500)}`);
    assert.equal(out.join.result.policy.name, 'viewer');
    assert.equal(out.join.result.media?.available, true, `media.available in the join reply: ${JSON.stringify(out.join.result.media)}`);
    assert.ok(out.offerHasCandidates, 'the offer carried ICE candidates (a real offer)');
    for (const [source, reply] of Object.entries(out.publish)) {
      assert.equal(reply.type, 'error', `publish ${source}: ${JSON.stringify(reply).slice(0, 500)}`);
      assert.equal(reply.code, 4104, `publish ${source}: ${JSON.stringify(reply)}`);
      assert.equal(reply.error, 'permission_denied', `publish ${source}`);
    }
    const crafted = out.join.result.peer.peer_id;
    await sleep(500);
    const added = host.received().filter((m) => m.type === 'track-added' && m.track?.peer_id === crafted);
    assert.deepEqual(added, [], 'the host got a track-added from the refused viewer');
    const peers = await s.rest('GET', `/v2/active-rooms/${room.id}/peers`);
    assert.deepEqual(peers.peers?.[crafted]?.tracks ?? {}, {}, `the crafted viewer has tracks: ${JSON.stringify(peers.peers?.[crafted])}`);
  }));
