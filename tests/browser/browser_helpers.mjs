// Shared helpers for the browser tests (tests/browser/*.test.mjs): a Scenario owns one real
// `roomgate serve` (tests/integration/server.mjs) wired to the Janus that
// run_browser_tests.sh started, and one headless Chromium (playwright-core, Debian's
// /usr/bin/chromium) with a fake camera and microphone. Pages open real Prebuilt links
// (`/meeting/<code>?name=...`), each in its own browser context (own sessionStorage).
//
// Every wait is bounded and fails with a message that says what was expected and what was
// seen; Scenario.run() appends the diagnostics (per page: screen, console log, page errors,
// /v2/signal frames, RTCPeerConnection states and RTP counters; roomgate's output tail;
// Janus's log tail). Run only through run_browser_tests.sh: it provides the private network
// namespace (media on 127.0.0.1 only) and Janus. Only 127.0.0.1 is ever contacted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mgmtToken, startServer, api, ok200, show } from '../integration/server.mjs';
import { authToken } from '../integration/signalling_helpers.mjs';
import { LOG_LINES, TestPage, pageInstrumentation, slowGetUserMedia } from './browser_page.mjs';
import { WAIT_MS, pollUntil, sleep, within } from './wait.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

export { authToken, api, ok200, mgmtToken, TestPage, WAIT_MS, pollUntil, sleep, within };

export const CHROMIUM = process.env.ROOMGATE_CHROMIUM || '/usr/bin/chromium';

// The checked recipe (shared/reference/janus-on-loopback.md) plus autoplay without a gesture.
// Measured in the private namespace: --use-fake-ui-for-media-stream is what lets a page that
// never calls getUserMedia (a viewer) gather host candidates at all (without it Chromium's
// default WebRTC IP policy offers none: there is no default route); those candidates are
// 127.0.0.1, not mDNS names, with or without WebRtcHideLocalIpsWithMdns. The feature is
// disabled anyway so a hidden-IP default can never turn them into .local names.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];


/** Janus started by run_browser_tests.sh (its WebSocket port, api secret and log file). */
export function janusFromEnv() {
  const port = process.env.ROOMGATE_BROWSER_JANUS_WS_PORT;
  const secret = process.env.ROOMGATE_BROWSER_JANUS_API_SECRET;
  if (!port || !secret) {
    throw new Error(
      'no Janus: run the browser tests through tests/browser/run_browser_tests.sh ' +
        '(it enters the private network namespace, starts Janus and sets ROOMGATE_BROWSER_JANUS_*)',
    );
  }
  return { port: Number(port), secret, log: process.env.ROOMGATE_BROWSER_JANUS_LOG ?? null };
}

function tail(text, lines = LOG_LINES) {
  if (!text) return '(empty)';
  const all = String(text).split('\n');
  return all.slice(-lines).join('\n');
}

function fileTail(path, lines = LOG_LINES) {
  if (!path) return '(no file)';
  try {
    return tail(readFileSync(path, 'utf8'), lines);
  } catch (e) {
    return `(cannot read ${path}: ${e.code ?? e.message})`;
  }
}

export class Scenario {
  /**
   * options.session: roomgate's `session` config section; options.env: extra environment for
   * roomgate (e.g. ROOMGATE_TOKEN_LEEWAY); options.media: false to run without Janus.
   */
  static async start({ session = {}, env = {}, media = true, config = {} } = {}) {
    const s = new Scenario();
    const mediaEnv = {};
    if (media) {
      s.janus = janusFromEnv();
      Object.assign(mediaEnv, {
        ROOMGATE_MEDIA_BACKEND: 'janus',
        ROOMGATE_JANUS_PORT: String(s.janus.port),
        ROOMGATE_JANUS_API_SECRET: s.janus.secret,
      });
    }
    s.srv = await startServer({ config: { session, ...config }, env: { ...mediaEnv, ...env } });
    s.base = s.srv.url;
    try {
      s.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    } catch (e) {
      await s.srv.stop();
      throw new Error(`launching ${CHROMIUM} failed: ${e.message}`);
    }
    return s;
  }

  constructor() {
    this.pages = [];
    this.seq = 0;
    /** Functions returning more text for the failure dump (e.g. another server's output). */
    this.extraDiagnostics = [];
  }

  /** A room on the default template (host, guest, viewer) and one enabled code per role. */
  async room(body = {}) {
    const name = `browser-${process.pid}-${++this.seq}`;
    const room = ok200(await api(this.srv, 'POST', '/v2/rooms', { body: { name, ...body } }), 'create room');
    const list = ok200(await api(this.srv, 'POST', `/v2/room-codes/room/${room.id}`, { body: {} }), 'create codes').data;
    const codes = Object.fromEntries(list.map((c) => [c.role, c.code]));
    for (const role of ['host', 'guest', 'viewer']) {
      assert.ok(codes[role], `no ${role} code in ${JSON.stringify(list)}`);
    }
    return { room, codes };
  }

  /** A REST call with a management token; asserts 200 and returns the JSON body. */
  async rest(method, path, body) {
    const res = await api(this.srv, method, path, { body });
    assert.equal(res.status, 200, `${method} ${path}: ${show(res)}`);
    return res.json;
  }

  /** The Prebuilt link for `code`: /meeting/<code>?<query>. */
  link(code, query = {}, kind = 'meeting') {
    const q = new URLSearchParams(query).toString();
    return `${this.base}/${kind}/${code}${q ? `?${q}` : ''}`;
  }

  /**
   * Opens `url` in a fresh browser context (1280×720 unless `viewport` is given).
   * `slowCameraMs`: getUserMedia resolves that much later (a camera that is slow to start).
   */
  async open(url, { label = `page${this.pages.length + 1}`, viewport = { width: 1280, height: 720 }, slowCameraMs = 0 } = {}) {
    const context = await this.browser.newContext({ viewport });
    context.setDefaultTimeout(WAIT_MS);
    await context.addInitScript(pageInstrumentation);
    if (slowCameraMs > 0) await context.addInitScript(slowGetUserMedia, slowCameraMs);
    const page = await context.newPage();
    const p = new TestPage(this, label, context, page);
    this.pages.push(p);
    const res = await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
    p.status = res?.status() ?? null;
    return p;
  }

  /**
   * Opens a /meeting/<code>?name=<name> link, passes the preview (Join, once the camera check
   * shows a picture, as a person would; `waitForCamera: false` clicks at once) and waits for
   * the call screen. Returns the page; page.peerId is its own peer_id (window.roomgate.client).
   */
  async joinByLink(code, name, { label = name, query = {}, waitForCamera = true, slowCameraMs = 0 } = {}) {
    const p = await this.open(this.link(code, { name, ...query }), { label, slowCameraMs });
    await p.waitScreen('preview');
    if (waitForCamera) await p.waitPreviewCamera();
    await p.page.locator('button[data-testid="join"]').click();
    await p.waitScreen('call');
    p.peerId = await pollUntil(
      () => p.eval(() => window.roomgate?.client?.localPeer?.peer_id ?? null),
      Boolean,
      { what: `${label}: window.roomgate.client.localPeer.peer_id after joining` },
    );
    return p;
  }

  /** Selector of a peer's tile and of the regular video inside it. */
  static tile(peerId) {
    return `[data-testid="tile"][data-peer-id="${peerId}"]`;
  }
  static tileVideo(peerId) {
    return `${Scenario.tile(peerId)} video[data-source="regular"]`;
  }

  /** Closes every page opened so far (call in afterEach). */
  async closePages() {
    await Promise.all(this.pages.map((p) => p.close()));
    this.pages = [];
  }

  async stop() {
    await this.closePages();
    if (this.browser) await within(this.browser.close(), 15_000, 'closing Chromium').catch(() => {});
    if (this.srv) await this.srv.stop();
  }

  /** Diagnostics of every open page, roomgate and Janus. */
  async diagnostics() {
    const parts = [];
    for (const p of this.pages) parts.push(await p.diagnostics());
    if (this.srv) {
      parts.push(`=== roomgate stderr (last ${LOG_LINES} lines):\n${tail(this.srv.stderr)}`);
      parts.push(`=== roomgate stdout (last ${LOG_LINES} lines):\n${tail(this.srv.stdout)}`);
    }
    if (this.janus) parts.push(`=== janus.log (last ${LOG_LINES} lines):\n${fileTail(this.janus.log)}`);
    for (const more of this.extraDiagnostics) parts.push(more());
    return parts.join('\n');
  }

  /**
   * Runs a test body; on failure rethrows with the diagnostics appended (the test runner
   * prints the whole message).
   */
  async run(body) {
    try {
      return await body();
    } catch (e) {
      const dump = await this.diagnostics().catch((d) => `(diagnostics failed: ${d.message})`);
      e.message = `${e.message}\n######## diagnostics\n${dump}\n########`;
      throw e;
    }
  }
}
