// Shared pieces of the media benchmark: the room and its codes (roomgate's REST API), pages
// that open real Prebuilt links in their own browser context with the probe installed, bounded
// waits, and percentiles. Only 127.0.0.1 is contacted.

import { api, ok200 } from '../../tests/integration/server.mjs';
import { pageProbe } from './page_probe.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** A room on the default template (host, guest, viewer) and its room codes by role. */
export async function createRoom(srv, name) {
  const room = ok200(await api(srv, 'POST', '/v2/rooms', { body: { name } }), 'create room');
  const list = ok200(await api(srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} }), 'create codes').data;
  return { room, codes: Object.fromEntries(list.map((c) => [c.role, c.code])) };
}

/** The Prebuilt link that joins at once: /meeting/<code>?name=..&skip_preview=true. */
export function link(srv, code, name) {
  return `${srv.url}/meeting/${code}?${new URLSearchParams({ name, skip_preview: 'true' })}`;
}

/**
 * A fresh browser context (own cache, storage and sessionStorage: a first visit) with the
 * probe installed, and its page; navigation not started yet.
 */
export async function newPage(browser, { watchPeerId = null, viewport = { width: 1280, height: 720 } } = {}) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(20_000);
  await context.addInitScript(pageProbe, { watchPeerId });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { context, page, errors, close: () => within(context.close(), 10_000, 'closing a context').catch(() => {}) };
}

/** Polls `fn(arg)` in the page every `every` ms until truthy; returns its value. */
export async function waitIn(p, fn, arg, { ms = 20_000, every = 100, what }) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await p.page.evaluate(fn, arg).then((value) => ({ value }), (e) => ({ error: e.message }));
    if (last.value) return last.value;
    if (Date.now() > deadline) {
      const screen = await p.page
        .evaluate(() => [...document.querySelectorAll('section[data-screen]')].map((s) => `${s.dataset.screen}${s.dataset.error ? `:${s.dataset.error}` : ''}`).join())
        .catch(() => '?');
      throw new Error(`timed out after ${ms} ms waiting for ${what} (screen: ${screen}; last: ${JSON.stringify(last)}; page errors: ${p.errors.slice(-3).join(' | ') || 'none'})`);
    }
    await sleep(every);
  }
}

/** Our peer_id once the app has joined (window.roomgate.client). */
export function peerIdOf(p, what) {
  return waitIn(p, () => window.roomgate?.client?.localPeer?.peer_id ?? null, null, { what: `${what}: joined (peer_id)` });
}

/** {median, p95, min, max, n} of numbers (p95: nearest rank). */
export function summary(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const rank = (q) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { median, p95: rank(0.95), min: v[0], max: v[v.length - 1], n: v.length };
}
