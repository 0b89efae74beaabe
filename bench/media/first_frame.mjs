// Phase 1 of the media benchmark: time from opening a Prebuilt link to the first decoded frame
// of a remote video. A host page publishes (camera + mic) in a room; then, run after run, a
// fresh browser context opens the guest link with skip_preview=true (web/prebuilt/page.mjs:
// join at once, no Join click) and the probe (page_probe.mjs) stamps each step in-page. Run 0
// is a warm-up (Chromium's first context, first SDP negotiation) and is not counted.

import { createRoom, link, newPage, peerIdOf, sleep, waitIn } from './common.mjs';
import { api } from '../../tests/integration/server.mjs';

/** The stages, in order, as [mark, label]; times are ms since page.goto() started. */
export const STAGES = [
  ['nav', 'navigation start (timeOrigin)'],
  ['app', 'Prebuilt app running (DOMContentLoaded)'],
  ['token_req', 'token requested (SDK loaded)'],
  ['token', 'token received (/v2/token)'],
  ['joined', 'joined (join reply)'],
  ['offer', 'subscribe-offer received'],
  ['answer', 'subscribe-answer sent'],
  ['ice', 'subscriber ICE connected'],
  ['frame', 'FIRST REMOTE FRAME (rVFC)'],
];

// In the host page: is our camera's video leaving (outbound RTP)?
async function publishing() {
  for (const pc of window.__bench.pcs) {
    if (pc.connectionState !== 'connected') continue;
    const stats = await pc.getStats();
    for (const r of stats.values()) if (r.type === 'outbound-rtp' && r.kind === 'video' && r.packetsSent > 0) return true;
  }
  return false;
}

// In a guest page: the stamps, once the first frame is in (and its poll cross-check, or 0.5 s).
function stamps() {
  const b = window.__bench;
  const m = b.marks;
  if (m.frame === undefined || (m.frame_poll === undefined && performance.now() - m.frame < 500)) return null;
  return { origin: performance.timeOrigin, marks: m, video: b.video };
}

async function oneRun({ srv, browser, code, hostId, host, index }) {
  const g = await newPage(browser, { watchPeerId: hostId });
  try {
    const t0 = performance.timeOrigin + performance.now();
    await g.page.goto(link(srv, code, 'Bench'), { waitUntil: 'commit', timeout: 20_000 });
    const s = await waitIn(g, stamps, null, { ms: 20_000, every: 50, what: `run ${index}: the host's first frame` });
    const at = (ms) => (ms === undefined ? null : s.origin + ms - t0);
    const run = { nav: s.origin - t0, video: s.video, frame_poll: at(s.marks.frame_poll) };
    for (const [key] of STAGES.slice(1)) run[key] = at(s.marks[key]);
    return run;
  } finally {
    await g.close();
    // The guest is gone for the host (peer-left) before the next run starts.
    await waitIn(host, () => window.roomgate.client.peers.size === 0, null, { ms: 15_000, what: 'the guest left' });
    await sleep(200);
  }
}

/** Returns {runs: [...], failures: [message], resolution}. */
export async function firstFrame({ srv, browser, runs, log }) {
  const { room, codes } = await createRoom(srv, `media-bench-ff-${process.pid}`);
  const host = await newPage(browser);
  const out = { runs: [], failures: [] };
  try {
    await host.page.goto(link(srv, codes.host, 'Host'), { waitUntil: 'load', timeout: 20_000 });
    const hostId = await peerIdOf(host, 'host');
    await waitIn(host, publishing, null, { what: 'host: outbound video RTP' });
    for (let i = 0; i <= runs; i++) {
      try {
        const r = await oneRun({ srv, browser, code: codes.guest, hostId, host, index: i });
        if (i > 0) out.runs.push(r);
        log(`  run ${i}${i ? '' : ' (warm-up)'}: first frame at ${r.frame.toFixed(0)} ms`);
      } catch (e) {
        out.failures.push(`run ${i}: ${e.message}`);
        log(`  run ${i} FAILED: ${e.message}`);
        if (out.failures.length >= 3) break;
      }
    }
  } finally {
    await api(srv, 'POST', `/v2/active-rooms/${room.id}/end-room`, { body: { reason: 'bench done' } }).catch(() => {});
    await host.close();
  }
  return out;
}
