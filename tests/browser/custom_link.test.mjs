// examples/custom-link: a customer's own page on its own URL pattern and origin
// (http://127.0.0.1:<other port>/call/<code>) loads the SDK from roomgate, trades the code for a
// token with getAuthTokenByRoomCode, joins and publishes; a Prebuilt guest already in the room
// sees it arrive, and the custom page receives the guest's video.
//
// Run:  tests/browser/run_browser_tests.sh   (ROOMGATE_BROWSER_TESTS=tests/browser/custom_link.test.mjs)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Scenario, pollUntil, within } from './browser_helpers.mjs';

const EXAMPLE = fileURLToPath(new URL('../../examples/custom-link/server.mjs', import.meta.url));
const URL_RE = /on (http:\/\/127\.0\.0\.1:\d+)\/call\//;

let s;
let example;
let exampleOut = '';

/** Starts the example server pointed at roomgate; resolves its base URL (bounded). */
async function startExample(roomgateUrl) {
  example = spawn(process.execPath, [EXAMPLE], {
    env: { ...process.env, ROOMGATE_URL: roomgateUrl, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.on('exit', () => example?.kill('SIGKILL'));
  example.stdout.setEncoding('utf8');
  example.stderr.setEncoding('utf8');
  example.stdout.on('data', (d) => (exampleOut = (exampleOut + d).slice(-20_000)));
  example.stderr.on('data', (d) => (exampleOut = (exampleOut + d).slice(-20_000)));
  return pollUntil(
    () => URL_RE.exec(exampleOut)?.[1] ?? null,
    Boolean,
    { ms: 10_000, what: `examples/custom-link/server.mjs to print its URL; output: ${JSON.stringify(exampleOut)}` },
  );
}

before(async () => {
  s = await Scenario.start();
  s.extraDiagnostics.push(() => `=== examples/custom-link/server.mjs output:\n${exampleOut.split('\n').slice(-60).join('\n')}`);
  s.exampleBase = await startExample(s.base);
});
afterEach(() => s?.closePages());
after(async () => {
  if (example && example.exitCode === null) {
    const gone = new Promise((r) => example.once('exit', r));
    example.kill('SIGTERM');
    await within(gone, 5000, 'the example server to exit').catch(() => example.kill('SIGKILL'));
  }
  await s?.stop();
});

test('the custom-link example joins with the SDK and receives a Prebuilt guest\'s video', { timeout: 90_000 }, () =>
  s.run(async () => {
    const { codes } = await s.room();
    const guest = await s.joinByLink(codes.guest, 'Bob Guest');

    const url = `${s.exampleBase}/call/${codes.host}?name=${encodeURIComponent('Ann Custom')}`;
    const custom = await s.open(url, { label: 'custom-link' });
    await custom.page.locator('#join').click();
    await pollUntil(
      () => custom.page.locator('#status').textContent(),
      (t) => /In the call as Ann Custom \(role: host\)/.test(t ?? ''),
      { what: 'custom-link: the status line saying it is in the call as host' },
    );

    const ann = await pollUntil(
      () => guest.eval(() => [...window.roomgate.client.peers.values()].find((p) => p.name === 'Ann Custom')?.peer_id ?? null),
      Boolean,
      { what: 'Bob Guest: the custom page\'s peer in client.peers' },
    );
    await guest.expectCount(Scenario.tile(ann), 1, { what: 'the tile of the custom page\'s peer' });
    await custom.expectVideoFlowing(`#peer-${guest.peerId} video`);
    assert.ok((await custom.rtc()).some((pc) => pc.outbound.length > 0), 'the custom page publishes');
  }));
