// The browser tests' own ground: inside run_browser_tests.sh's private network namespace,
// Chromium reaches roomgate on 127.0.0.1, and a page that never calls getUserMedia (as a
// viewer's) offers ICE host candidates on 127.0.0.1 only — no mDNS names, no other address —
// so every media packet of the other tests stays on loopback.
//
// Run:  tests/browser/run_browser_tests.sh   (ROOMGATE_BROWSER_TESTS=tests/browser/environment.test.mjs)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Scenario } from './browser_helpers.mjs';

let s;
before(async () => {
  s = await Scenario.start();
});
afterEach(() => s?.closePages());
after(() => s?.stop());

test('Chromium loads roomgate over 127.0.0.1', { timeout: 30_000 }, () =>
  s.run(async () => {
    const p = await s.open(`${s.base}/healthz`, { label: 'healthz' });
    assert.equal(p.status, 200, `GET /healthz from the page: HTTP ${p.status}`);
  }));

test('a receive-only RTCPeerConnection offers 127.0.0.1 host candidates only', { timeout: 30_000 }, () =>
  s.run(async () => {
    const p = await s.open(`${s.base}/healthz`, { label: 'ice' });
    const candidates = await p.eval(async () => {
      const pc = new RTCPeerConnection({ iceServers: [] });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((resolve) => {
        const done = () => pc.iceGatheringState === 'complete' && resolve();
        pc.addEventListener('icegatheringstatechange', done);
        done();
        setTimeout(resolve, 5000);
      });
      const lines = pc.localDescription.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
      pc.close();
      return lines;
    });
    const udp = candidates.filter((c) => / udp /i.test(c));
    assert.ok(udp.length > 0, `no UDP host candidate gathered: ${JSON.stringify(candidates)}`);
    for (const c of candidates) {
      const address = c.split(' ')[4];
      assert.equal(address, '127.0.0.1', `candidate not on 127.0.0.1: ${c}`);
    }
  }));
