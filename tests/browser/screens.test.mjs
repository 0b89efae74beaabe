// The Prebuilt's refusal screens from real links: an unknown code shows `not-found` (404), a
// disabled code and a code of a disabled room show `disabled` (403), and a token passed as
// ?auth_token= shows `expired` — both when it has already expired at join (4002) and when it
// expires a few seconds into the call (token-expired; session.on_token_expiry "remove").
//
// Run:  tests/browser/run_browser_tests.sh   (ROOMGATE_BROWSER_TESTS=tests/browser/screens.test.mjs)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Scenario, authToken, pollUntil } from './browser_helpers.mjs';

let s;
before(async () => {
  s = await Scenario.start({ session: { on_token_expiry: 'remove' } });
});
afterEach(() => s?.closePages());
after(() => s?.stop());

const T = { timeout: 60_000 };
const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Opens `url` and expects the error screen `error`: at once, or after Join when the app shows
 * the preview first (a token passed in the link is only presented at join).
 */
async function expectErrorScreen(url, error, label) {
  const p = await s.open(url, { label });
  const first = await pollUntil(
    () => p.screen(),
    (v) => v.length === 1 && ['error', 'preview'].includes(v[0].screen),
    { what: `${label}: the error screen or the preview` },
  );
  if (first[0].screen === 'preview') {
    await p.waitPreviewCamera();
    await p.page.locator('button[data-testid="join"]').click();
  }
  const got = await p.waitScreen('error', { error });
  assert.ok(got.title, `${label}: the error screen has a data-testid="error-title" heading`);
  return p;
}

test('an unknown code shows the not-found screen', T, () =>
  s.run(async () => {
    await expectErrorScreen(s.link('zzz-zzzz-zzz', { name: 'Nobody' }), 'not-found', 'unknown code');
  }));

test('a disabled code shows the disabled (403) screen', T, () =>
  s.run(async () => {
    const { codes } = await s.room();
    await s.rest('POST', '/v2/room-codes/code', { code: codes.guest, enabled: false });
    await expectErrorScreen(s.link(codes.guest, { name: 'Bob Guest' }), 'disabled', 'disabled code');
  }));

test('a code of a disabled room shows the disabled (403) screen', T, () =>
  s.run(async () => {
    const { room, codes } = await s.room();
    await s.rest('POST', `/v2/rooms/${room.id}`, { enabled: false });
    await expectErrorScreen(s.link(codes.host, { name: 'Alice Host' }), 'disabled', 'disabled room');
  }));

test('an auth_token that has expired shows the expired screen', T, () =>
  s.run(async () => {
    const { room, codes } = await s.room();
    const token = authToken({ roomId: room.id, role: 'guest', iat: nowSec() - 60, nbf: nowSec() - 60, exp: nowSec() - 5 });
    await expectErrorScreen(s.link(codes.guest, { name: 'Late Guest', auth_token: token }), 'expired', 'expired token');
  }));

test('an auth_token that expires during the call shows the expired screen', T, () =>
  s.run(async () => {
    const { room, codes } = await s.room();
    // A few seconds: enough to load the preview and join first (exp has 1 s granularity).
    const exp = nowSec() + 4;
    const token = authToken({ roomId: room.id, role: 'guest', exp });
    const p = await s.open(s.link(codes.guest, { name: 'Short Guest', auth_token: token }), { label: 'short token' });
    await p.waitScreen('preview');
    await p.waitPreviewCamera();
    await p.page.locator('button[data-testid="join"]').click();
    await p.waitScreen('call', { ms: Math.max(0, exp * 1000 - Date.now() - 300) });
    await p.waitScreen('error', { error: 'expired', ms: Math.max(0, exp * 1000 - Date.now()) + 8000 });
    assert.ok(Date.now() >= exp * 1000 - 500, 'the call ended before the token expired');
    await p.expectCallClosed();
  }));
