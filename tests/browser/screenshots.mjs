// Screenshots of the Prebuilt for the docs and the README, at 1280×720, from real links:
//   preview.png  /preview/<host code>?name=...: the camera check (fake camera) before joining
//   call.png     the host's page in a call with a guest, participants panel open
// Run by run_browser_tests.sh when ROOMGATE_SCREENSHOTS_DIR is set (scripts/screenshots.sh
// does that for docs/screenshots/): needs its private network namespace and Janus.
//
//   node tests/browser/screenshots.mjs <output folder>

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Scenario, sleep } from './browser_helpers.mjs';

const outDir = resolve(process.argv[2] ?? process.env.ROOMGATE_SCREENSHOTS_DIR ?? '');
if (!process.argv[2] && !process.env.ROOMGATE_SCREENSHOTS_DIR) {
  console.error('usage: node tests/browser/screenshots.mjs <output folder>');
  process.exit(2);
}
const SETTLE_MS = 800; // let the fake camera's picture and the level meter move a little

async function preview(s, codes) {
  const p = await s.open(s.link(codes.host, { name: 'Ada Lovelace' }, 'preview'), { label: 'preview' });
  await p.waitScreen('preview');
  await p.expectVideoFlowing('video[data-testid="preview-video"]');
  await sleep(SETTLE_MS);
  const path = join(outDir, 'preview.png');
  await p.page.screenshot({ path });
  await p.close();
  return path;
}

async function call(s, codes) {
  // The guest first, so the host's page (the one with every control) receives an existing
  // publication.
  const guest = await s.joinByLink(codes.guest, 'Grace Hopper');
  const host = await s.joinByLink(codes.host, 'Ada Lovelace');
  await host.expectVideoFlowing(Scenario.tileVideo(guest.peerId));
  await host.page.locator('button[data-testid="participants"]').click();
  await host.page.locator('aside[data-testid="participant-list"]').waitFor({ state: 'visible' });
  await host.expectCount('aside[data-testid="participant-list"] li[data-peer-id]', 2, { what: 'two participant rows' });
  await sleep(SETTLE_MS);
  const path = join(outDir, 'call.png');
  await host.page.screenshot({ path });
  return path;
}

mkdirSync(outDir, { recursive: true });
const s = await Scenario.start();
try {
  await s.run(async () => {
    const { codes } = await s.room({ name: 'design-review' });
    console.log(`screenshots: wrote ${await preview(s, codes)}`);
    console.log(`screenshots: wrote ${await call(s, codes)}`);
  });
} catch (e) {
  console.error(`screenshots: failed: ${e.message.split('\n')[0]}`);
  process.exitCode = 1;
} finally {
  await s.stop();
}
