// One browser page of a browser test (TestPage): what it logged (console, page errors, failed
// requests, every /v2/signal frame), its visible Prebuilt screen, its video elements and its
// RTCPeerConnections, with bounded expectations on them. pageInstrumentation, slowGetUserMedia
// and pageRtcSummary run inside the page (installed before its scripts, or evaluated on demand).

import assert from 'node:assert/strict';
import { WAIT_MS, pollUntil, sleep, within } from './wait.mjs';

export const LOG_LINES = 60; // per log in a failure dump
const FRAME_LOG_MAX = 400; // /v2/signal frames kept per page
const FRAME_TEXT_MAX = 400; // characters kept per frame

// Installed in every page before its scripts run: keeps every RTCPeerConnection the page makes
// (window.__rg.pcs) so tests can check their state and RTP counters, whatever the SDK exposes.
export function pageInstrumentation() {
  const rg = { pcs: [] };
  window.__rg = rg;
  const Orig = window.RTCPeerConnection;
  if (!Orig) return;
  const Tracked = new Proxy(Orig, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget);
      rg.pcs.push(pc);
      return pc;
    },
  });
  window.RTCPeerConnection = Tracked;
  if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = Tracked;
}

// Installed in a page whose camera should be slow to start: getUserMedia answers `delayMs` late.
export function slowGetUserMedia(delayMs) {
  const md = navigator.mediaDevices;
  if (!md?.getUserMedia) return;
  const orig = md.getUserMedia.bind(md);
  md.getUserMedia = (constraints) =>
    new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => orig(constraints));
}

// In the page: state and RTP counters of every RTCPeerConnection made so far.
async function pageRtcSummary() {
  const out = [];
  for (const pc of window.__rg?.pcs ?? []) {
    const s = {
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      signalingState: pc.signalingState,
      inbound: [],
      outbound: [],
      pair: null,
    };
    if (pc.connectionState !== 'closed') {
      try {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type === 'inbound-rtp') {
            s.inbound.push({ kind: r.kind, packets: r.packetsReceived, bytes: r.bytesReceived, framesDecoded: r.framesDecoded });
          } else if (r.type === 'outbound-rtp') {
            s.outbound.push({ kind: r.kind, packets: r.packetsSent, framesEncoded: r.framesEncoded });
          } else if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') {
            const l = stats.get(r.localCandidateId);
            const rem = stats.get(r.remoteCandidateId);
            s.pair = `${l?.address}:${l?.port} <-> ${rem?.address}:${rem?.port}`;
          }
        });
      } catch (e) {
        s.statsError = String(e);
      }
    }
    out.push(s);
  }
  return out;
}

/** A browser page opened by a Scenario, with everything it logged. */

export class TestPage {
  constructor(scenario, label, context, page) {
    this.scenario = scenario;
    this.label = label;
    this.context = context;
    this.page = page;
    this.console = [];
    this.frames = [];
    this.closed = false;
    page.on('console', (m) => this.console.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`[pageerror] ${e.stack ?? e.message}`));
    page.on('requestfailed', (r) => this.console.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) this.console.push(`[http ${r.status()}] ${r.request().method()} ${r.url()}`);
    });
    page.on('websocket', (ws) => {
      const note = (dir, payload) => {
        const text = typeof payload === 'string' ? payload : `<binary ${payload?.length ?? 0} bytes>`;
        this.frames.push(`${new Date().toISOString().slice(11, 23)} ${dir} ${text.slice(0, FRAME_TEXT_MAX)}`);
        if (this.frames.length > FRAME_LOG_MAX) this.frames.shift();
      };
      note('open', ws.url());
      ws.on('framesent', (f) => note('>>', f.payload));
      ws.on('framereceived', (f) => note('<<', f.payload));
      ws.on('close', () => note('closed', ''));
      ws.on('socketerror', (e) => note('error', String(e)));
    });
  }

  /** The /v2/signal frames this page received, parsed (JSON only). */
  received() {
    return this.frames
      .filter((f) => f.includes(' << '))
      .map((f) => {
        try {
          return JSON.parse(f.slice(f.indexOf(' << ') + 4));
        } catch {
          return null; // truncated or not JSON
        }
      })
      .filter(Boolean);
  }

  /** The visible screen's name and error (from `section[data-screen]`). */
  screen() {
    return this.page.evaluate(() => {
      const visible = [...document.querySelectorAll('section[data-screen]')].filter(
        (s) => !s.hidden && s.offsetParent !== null,
      );
      return visible.map((s) => ({
        screen: s.dataset.screen,
        error: s.dataset.error ?? null,
        title: s.querySelector('[data-testid="error-title"]')?.textContent?.trim() ?? null,
      }));
    });
  }

  /** Waits until `section[data-screen=name]` (and data-error, if given) is the visible screen. */
  async waitScreen(name, { error, ms = WAIT_MS } = {}) {
    const want = error ? `screen '${name}' with data-error '${error}'` : `screen '${name}'`;
    const got = await pollUntil(
      () => this.screen(),
      (v) => v.length === 1 && v[0].screen === name && (error === undefined || v[0].error === error),
      { ms, what: `${this.label}: ${want} (exactly one visible section[data-screen])` },
    );
    return got[0];
  }

  /**
   * On the preview: when it shows a camera check (not for a receive-only role), waits until the
   * preview video has a picture.
   */
  async waitPreviewCamera({ ms = WAIT_MS } = {}) {
    const sel = 'video[data-testid="preview-video"]';
    if ((await this.page.locator(sel).count()) === 0) return null;
    return pollUntil(() => this.videoStats(sel), (v) => v && v.width > 0, {
      ms,
      what: `${this.label}: a picture in the preview's camera check (${sel} videoWidth > 0)`,
    });
  }

  /** Video element facts: size, decoded frames, playback state, its stream's tracks. */
  videoStats(selector) {
    return this.page.evaluate((sel) => {
      const v = document.querySelector(sel);
      if (!v) return null;
      if (!v.__rgFrames && v.requestVideoFrameCallback) {
        v.__rgFrames = { n: 0 };
        const count = () => {
          v.__rgFrames.n++;
          v.requestVideoFrameCallback(count);
        };
        v.requestVideoFrameCallback(count);
      }
      const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
      const s = v.srcObject;
      return {
        width: v.videoWidth,
        height: v.videoHeight,
        frames: q ? q.totalVideoFrames : -1,
        callbacks: v.__rgFrames ? v.__rgFrames.n : -1,
        readyState: v.readyState,
        paused: v.paused,
        tracks: s && s.getTracks ? s.getTracks().map((t) => `${t.kind}:${t.readyState}${t.muted ? ':muted' : ''}`) : null,
      };
    }, selector);
  }

  /**
   * Waits until the video at `selector` shows decoded video (videoWidth > 0, frames > 0), then
   * checks that its decoded frame count grows over `windowMs`. Returns {before, after}.
   */
  async expectVideoFlowing(selector, { ms = WAIT_MS, windowMs = 1000 } = {}) {
    const frames = (v) => Math.max(v.frames, v.callbacks);
    const before = await pollUntil(
      () => this.videoStats(selector),
      (v) => v && v.width > 0 && frames(v) > 0,
      { ms, what: `${this.label}: decoded video in ${selector} (videoWidth > 0, frames > 0)` },
    );
    await sleep(windowMs);
    const after = await this.videoStats(selector);
    assert.ok(after, `${this.label}: ${selector} disappeared while counting frames`);
    assert.ok(
      frames(after) > frames(before),
      `${this.label}: decoded frames of ${selector} did not increase over ${windowMs} ms: ` +
        `before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    );
    assert.ok(after.width > 0, `${this.label}: videoWidth went back to 0: ${JSON.stringify(after)}`);
    return { before, after };
  }

  /** State and RTP counters of every RTCPeerConnection the page made. */
  rtc() {
    return this.page.evaluate(pageRtcSummary);
  }

  /** The remote audio of `peerId` as the SDK hands it out (client.streamOf), and RTP counters. */
  audioFrom(peerId) {
    return this.page.evaluate(async (id) => {
      const client = window.roomgate?.client;
      let stream = null;
      try {
        stream = client?.streamOf?.(id, 'regular') ?? null;
      } catch (e) {
        return { error: `client.streamOf threw: ${e}` };
      }
      const tracks = stream ? stream.getAudioTracks().map((t) => ({ readyState: t.readyState, muted: t.muted, id: t.id })) : null;
      // RTP counters of the receiver that carries that very track.
      let packets = 0;
      for (const pc of window.__rg?.pcs ?? []) {
        if (pc.connectionState === 'closed') continue;
        for (const r of pc.getReceivers()) {
          if (r.track.kind !== 'audio' || !tracks?.some((t) => t.id === r.track.id)) continue;
          const stats = await r.getStats();
          stats.forEach((st) => {
            if (st.type === 'inbound-rtp') packets += st.packetsReceived ?? 0;
          });
        }
      }
      return { hasClient: !!client, tracks, packets };
    }, peerId);
  }

  /**
   * Checks that `peerId`'s audio arrived: client.streamOf(peerId) has a live audio track whose
   * receiver counts RTP packets, and more of them a second later.
   */
  async expectAudioFrom(peerId, { ms = WAIT_MS, windowMs = 1000 } = {}) {
    const live = (a) => a?.tracks?.some((t) => t.readyState === 'live');
    const before = await pollUntil(
      () => this.audioFrom(peerId),
      (a) => live(a) && a.packets > 0,
      { ms, what: `${this.label}: a live audio track of ${peerId} in client.streamOf() receiving RTP` },
    );
    await sleep(windowMs);
    const after = await this.audioFrom(peerId);
    assert.ok(live(after), `${this.label}: ${peerId}'s audio track is no longer live: ${JSON.stringify(after)}`);
    assert.ok(
      after.packets > before.packets,
      `${this.label}: no new audio RTP from ${peerId} over ${windowMs} ms: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    );
  }

  /** Asserts that every connected RTCPeerConnection's selected ICE pair is 127.0.0.1 ↔ 127.0.0.1. */
  async expectLoopbackMedia() {
    const connected = (await this.rtc()).filter((pc) => pc.connectionState === 'connected');
    assert.ok(connected.length > 0, `${this.label}: no connected RTCPeerConnection`);
    for (const pc of connected) {
      assert.match(pc.pair ?? '', /^127\.0\.0\.1:\d+ <-> 127\.0\.0\.1:\d+$/, `${this.label}: ICE pair not on loopback: ${JSON.stringify(pc)}`);
    }
  }

  /** Waits until every RTCPeerConnection the page made (at least one) is closed. */
  async expectCallClosed({ ms = WAIT_MS } = {}) {
    return pollUntil(
      () => this.page.evaluate(() => (window.__rg?.pcs ?? []).map((pc) => pc.connectionState)),
      (states) => states.length > 0 && states.every((st) => st === 'closed'),
      { ms, what: `${this.label}: every RTCPeerConnection closed (connectionState of each)` },
    );
  }

  /** Waits until `selector` matches `count` elements (e.g. 0: a tile disappeared). */
  async expectCount(selector, count, { ms = WAIT_MS, what = selector } = {}) {
    return pollUntil(
      () => this.page.locator(selector).count(),
      (n) => n === count,
      { ms, what: `${this.label}: ${count} × ${what}` },
    );
  }

  /** Evaluates `fn(arg)` in the page. */
  eval(fn, arg) {
    return this.page.evaluate(fn, arg);
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await within(this.context.close(), 10_000, `${this.label}: closing its browser context`).catch(() => {});
  }

  /** Everything this page logged, for a failure message. */
  async diagnostics() {
    let screen = '(page closed)';
    let rtc = '(page closed)';
    if (!this.closed) {
      screen = await within(this.screen(), 2000, 'screen').then(JSON.stringify, (e) => `(${e.message})`);
      rtc = await within(this.rtc(), 3000, 'rtc').then((r) => JSON.stringify(r, null, 1), (e) => `(${e.message})`);
    }
    return [
      `=== page ${this.label}: ${this.closed ? '(closed)' : this.page.url()}`,
      `--- visible screen: ${screen}`,
      `--- RTCPeerConnections: ${rtc}`,
      `--- console (last ${LOG_LINES}):\n${this.console.slice(-LOG_LINES).join('\n') || '(empty)'}`,
      `--- /v2/signal frames (last ${LOG_LINES}):\n${this.frames.slice(-LOG_LINES).join('\n') || '(none)'}`,
    ].join('\n');
  }
}

/** One roomgate (media: Janus) + one Chromium, and the pages a test file opens. */
