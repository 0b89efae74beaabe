// Tests bench/compare_tokens.mjs against the hand-written fixtures in ./fixtures.
//   node --test tests/interop/compare_tokens.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyse, parseNodeLines, pickGbench } from '../../bench/compare_tokens.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SCRIPT = here('../../bench/compare_tokens.mjs');
const GB = here('./fixtures/gbench_sample.json');
const NODE = here('./fixtures/node_tokens_sample.jsonl');
const doc = JSON.parse(readFileSync(GB, 'utf8'));
const rows = parseNodeLines(readFileSync(NODE, 'utf8'));
const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test('picks the median aggregate, else the (median of the) iteration entries', () => {
  assert.deepEqual(pickGbench(doc, 'BM_MintAppToken'), { ops: 1.4e6, source: 'median aggregate', runName: 'BM_MintAppToken' });
  assert.equal(pickGbench(doc, 'BM_VerifyAppToken').ops, 1.16e6);
  assert.equal(pickGbench(doc, 'BM_HmacSha256Bare').ops, 2.5e6);
  assert.equal(pickGbench(doc, 'BM_Nope'), null);
});

test('ratios and PASS/MISS', () => {
  assert.equal(rows.length, 6);
  const { vsNode, hmacMultiple, checks } = analyse(doc, rows);
  close(hmacMultiple.mint, 2.5 / 1.4);
  close(hmacMultiple.verify, 2.5 / 1.16);
  close(vsNode.find((r) => r.name.startsWith('jsonwebtoken.sign (string')).speedup, 560);
  close(vsNode.find((r) => r.name === 'fast-jwt createVerifier').speedup, 5.8);
  assert.deepEqual(checks.map((c) => c.status), ['PASS', 'PASS', 'PASS', 'MISS', 'PASS', 'MISS']);
});

test('missing data is reported as MISS, not PASS', () => {
  const { checks } = analyse({ benchmarks: [] }, []);
  assert.ok(checks.every((c) => c.status === 'MISS' && c.value === null));
});

test('CLI prints the table; --strict exits 1 on a MISS; bad input exits 2', () => {
  const ok = spawnSync(process.execPath, [SCRIPT, GB, NODE], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /BM_MintAppToken\s+1,400,000 \/s/);
  assert.match(ok.stdout, /MISS\s+verify time ≤ 2× bare HMAC time\s+2\.16×/);
  assert.match(ok.stdout, /4\/6 targets met/);
  assert.equal(spawnSync(process.execPath, [SCRIPT, GB, NODE, '--strict'], { timeout: 10_000 }).status, 1);
  assert.equal(spawnSync(process.execPath, [SCRIPT, NODE, NODE], { timeout: 10_000 }).status, 2);
});
