// Phase 2 of the media benchmark: what roomgate costs while Janus forwards media. For each room
// size N, N pages open guest links (skip_preview: each publishes camera + mic and receives the
// N-1 others: Janus forwards N·(N-1)·2 tracks); once every page shows the N-1 others' video,
// a warm-up, then /proc is sampled at both ends of a steady window. RTP counters of every page,
// read just before and after the window (outside it), tell how many tracks really flowed.

import { createRoom, link, newPage, peerIdOf, sleep, waitIn } from './common.mjs';
import { CpuTracker, rssKiB } from './procs.mjs';
import { api } from '../../tests/integration/server.mjs';

// In a page: do at least `want` remote tiles show decoded video?
function remoteVideos(want) {
  const videos = document.querySelectorAll('[data-testid="tile"][data-self="false"] video[data-source="regular"]');
  return [...videos].filter((v) => v.getVideoPlaybackQuality().totalVideoFrames > 0).length >= want;
}

// In a page: packetsReceived of every inbound RTP stream, by a key stable within the page.
async function inbound() {
  const out = {};
  const pcs = window.__bench.pcs;
  for (let i = 0; i < pcs.length; i++) {
    if (pcs[i].connectionState === 'closed') continue;
    const stats = await pcs[i].getStats();
    for (const r of stats.values()) if (r.type === 'inbound-rtp') out[`${i}/${r.id}`] = r.packetsReceived;
  }
  return out;
}

// Opens n guest links one after the other; resolves once every page decodes all others' video.
async function joinAll({ srv, browser, code, n, pages }) {
  for (let i = 1; i <= n; i++) {
    const p = await newPage(browser, { viewport: { width: 640, height: 360 } });
    pages.push(p);
    await p.page.goto(link(srv, code, `Peer ${i}`), { waitUntil: 'load', timeout: 20_000 });
    await peerIdOf(p, `peer ${i}`);
  }
  for (const [i, p] of pages.entries()) {
    await waitIn(p, remoteVideos, n - 1, { ms: 30_000, every: 200, what: `peer ${i + 1}: decoded video from all ${n - 1} others` });
  }
}

// The steady window: CPU sampled at both ends, RSS at its end, and how many inbound RTP
// streams grew over it (counters read just outside the window, so reading them costs nothing in it).
async function steadyWindow({ pages, windowS, classify, pids }) {
  const rtp0 = await Promise.all(pages.map((p) => p.page.evaluate(inbound)));
  const tracker = new CpuTracker(classify, pids.roomgate); // steady: no process comes or goes
  await sleep(windowS * 1000);
  const cpu = tracker.stop();
  const rss = { roomgate: rssKiB(pids.roomgate), janus: rssKiB(pids.janus) };
  const rtp1 = await Promise.all(pages.map((p) => p.page.evaluate(inbound)));
  let flowing = 0;
  let packets = 0;
  rtp1.forEach((after, i) => {
    for (const [k, v] of Object.entries(after)) {
      if (!(v > (rtp0[i][k] ?? Infinity))) continue;
      flowing++;
      packets += v - rtp0[i][k];
    }
  });
  return { cpu, rss, flowing, packetsPerS: packets / windowS };
}

async function oneSize({ srv, browser, n, warmupS, windowS, classify, pids, log }) {
  const { room, codes } = await createRoom(srv, `media-bench-cpu${n}-${process.pid}`);
  const pages = [];
  try {
    const tracker = new CpuTracker(classify, pids.roomgate, 250);
    await joinAll({ srv, browser, code: codes.guest, n, pages });
    const join = tracker.stop();
    log(`  ${n} peers: all video flowing after ${join.seconds.toFixed(1)} s; warm-up ${warmupS} s, window ${windowS} s`);
    await sleep(warmupS * 1000);
    const steady = await steadyWindow({ pages, windowS, classify, pids });
    // CPU ms per joining peer, from the first page's goto to every page showing all video.
    const perJoin = (pct) => (pct * join.seconds * 10) / n;
    return { n, tracks: n * (n - 1) * 2, ...steady, join: { roomgateMs: perJoin(join.roomgate_ns), janusMs: perJoin(join.janus ?? 0) } };
  } finally {
    await api(srv, 'POST', `/v2/active-rooms/${room.id}/end-room`, { body: { reason: 'bench done' } }).catch(() => {});
    await Promise.all(pages.map((p) => p.close()));
    await sleep(1000);
  }
}

/** Returns {rows: [...], failures: [message]}. */
export async function cpuCost({ sizes, log, ...rest }) {
  const out = { rows: [], failures: [] };
  for (const n of sizes) {
    try {
      out.rows.push(await oneSize({ n, log, ...rest }));
    } catch (e) {
      out.failures.push(`${n} peers: ${e.message}`);
      log(`  ${n} peers FAILED: ${e.message}`);
    }
  }
  return out;
}
