// Two people in a call from real Prebuilt links (/meeting/<code>?name=...): the host's and the
// guest's page each receive the other's video (videoWidth > 0, decoded frames increasing) and
// audio (a live track in client.streamOf() whose receiver counts RTP) over 127.0.0.1 ↔
// 127.0.0.1 ICE pairs; removing a peer over the REST API closes that page's call (the `removed`
// screen, every RTCPeerConnection closed) and its tile disappears from the other page; ending
// the room over REST shows `ended` everywhere; and a Join clicked before a slow camera has
// started (the preview's check still pending) still publishes both.
//
// Run:  tests/browser/run_browser_tests.sh   (ROOMGATE_BROWSER_TESTS=tests/browser/call.test.mjs)

import { test, before, after, afterEach } from 'node:test';
import { Scenario, pollUntil } from './browser_helpers.mjs';

let s;
before(async () => {
  s = await Scenario.start();
});
afterEach(() => s?.closePages());
after(() => s?.stop());

const T = { timeout: 90_000 };

/**
 * Host and guest in one room: the guest already receives the host's video, the host shows the
 * guest's tile (the first test checks media in both directions; the others need a live call).
 */
async function hostAndGuest() {
  const { room, codes } = await s.room();
  const host = await s.joinByLink(codes.host, 'Alice Host');
  const guest = await s.joinByLink(codes.guest, 'Bob Guest');
  await guest.expectVideoFlowing(Scenario.tileVideo(host.peerId));
  await host.expectCount(Scenario.tile(guest.peerId), 1, { what: `the tile of ${guest.label}` });
  return { room, host, guest };
}

test('host and guest each receive the other\'s video and audio', T, () =>
  s.run(async () => {
    const { codes } = await s.room();
    const host = await s.joinByLink(codes.host, 'Alice Host');
    const guest = await s.joinByLink(codes.guest, 'Bob Guest');
    for (const [me, other] of [
      [host, guest],
      [guest, host],
    ]) {
      await me.expectCount(`${Scenario.tile(other.peerId)}[data-self="false"]`, 1, { what: `the tile of ${other.label}` });
      await me.expectVideoFlowing(Scenario.tileVideo(other.peerId));
      await me.expectAudioFrom(other.peerId);
      await me.expectLoopbackMedia();
    }
  }));

test('removing a peer over REST closes its call; its tile leaves the other page', T, () =>
  s.run(async () => {
    const { room, host, guest } = await hostAndGuest();
    await s.rest('POST', `/v2/active-rooms/${room.id}/remove-peers`, { peer_id: guest.peerId, reason: 'browser test' });
    await guest.waitScreen('error', { error: 'removed' });
    await guest.expectCallClosed();
    await host.expectCount(Scenario.tile(guest.peerId), 0, { what: `the tile of the removed ${guest.label}` });
    await host.waitScreen('call');
  }));

test('ending the room over REST shows the ended screen on every page', T, () =>
  s.run(async () => {
    const { room, host, guest } = await hostAndGuest();
    await s.rest('POST', `/v2/active-rooms/${room.id}/end-room`, { reason: 'browser test' });
    for (const p of [host, guest]) {
      await p.waitScreen('error', { error: 'ended' });
      await p.expectCallClosed();
    }
  }));

test('Join clicked before a slow camera has started still publishes camera and microphone', T, () =>
  s.run(async () => {
    const { codes } = await s.room();
    // getUserMedia takes 1.5 s (real cameras often take that long); Join is clicked at once.
    const quick = await s.joinByLink(codes.host, 'Quick Host', { waitForCamera: false, slowCameraMs: 1500 });
    await pollUntil(
      () => quick.rtc(),
      (pcs) => ['audio', 'video'].every((kind) => pcs.some((pc) => pc.outbound.some((o) => o.kind === kind && o.packets > 0))),
      { what: `${quick.label}: outgoing audio and video RTP (a publication of both)` },
    );
  }));
