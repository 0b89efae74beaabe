// Compares roomgate's token micro-benchmarks (Google Benchmark JSON) with the
// Node baselines from bench/node_tokens.mjs and checks the performance targets.
//
//   roomgate_bench --benchmark_format=json > gbench.json   (or --benchmark_out=gbench.json)
//   node bench/node_tokens.mjs > node.jsonl
//   node bench/compare_tokens.mjs gbench.json node.jsonl [--strict]
//
// Google Benchmark entries used: BM_HmacSha256Bare, BM_MintAppToken,
// BM_VerifyAppToken, field items_per_second. For each, the "median" aggregate
// (run_type "aggregate", aggregate_name "median") is preferred; otherwise the
// iteration entry (the median of them if there are several repetitions).
//
// Exit status: 0 after printing the report; 1 with --strict when any target is
// missed; 2 when an input cannot be read or parsed.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const TARGETS = {
  minMintsPerSec: 1_000_000,
  minVerifiesPerSec: 1_000_000,
  minSpeedupVsFastJwt: 7,
  maxHmacMultiple: 2,
};

export const GBENCH = { hmac: 'BM_HmacSha256Bare', mint: 'BM_MintAppToken', verify: 'BM_VerifyAppToken' };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The run name of a gbench entry (aggregates are named "<run_name>_<aggregate>"). */
function runName(b) {
  if (typeof b.run_name === 'string') return b.run_name;
  if (b.run_type === 'aggregate' && b.aggregate_name && b.name.endsWith(`_${b.aggregate_name}`)) {
    return b.name.slice(0, -(b.aggregate_name.length + 1));
  }
  return b.name;
}

/**
 * items_per_second for benchmark `name` from a parsed gbench document:
 * { ops, source, runName } or null when absent.
 */
export function pickGbench(doc, name) {
  const all = (doc.benchmarks ?? []).filter((b) => {
    const rn = runName(b);
    return (rn === name || rn.startsWith(`${name}/`)) && !b.error_occurred;
  });
  if (!all.length) return null;
  // If the benchmark has several instances (args, threads), prefer threads==1, then the first listed.
  const names = [...new Set(all.map(runName))];
  const preferred = names.find((n) => all.some((b) => runName(b) === n && (b.threads ?? 1) === 1)) ?? names[0];
  const entries = all.filter((b) => runName(b) === preferred);

  const med = entries.find(
    (b) => b.run_type === 'aggregate' && b.aggregate_name === 'median' && Number.isFinite(b.items_per_second),
  );
  if (med) return { ops: med.items_per_second, source: 'median aggregate', runName: preferred };

  const iters = entries.filter((b) => (b.run_type ?? 'iteration') === 'iteration' && Number.isFinite(b.items_per_second));
  if (!iters.length) return null;
  if (iters.length === 1) return { ops: iters[0].items_per_second, source: 'single run', runName: preferred };
  return {
    ops: median(iters.map((b) => b.items_per_second)),
    source: `median of ${iters.length} iteration runs`,
    runName: preferred,
  };
}

/** Parses node_tokens.mjs output: [{name, kind, ops}] (non-JSON lines are ignored). */
export function parseNodeLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let o;
    try {
      o = JSON.parse(t);
    } catch {
      continue;
    }
    if (typeof o.name !== 'string' || !Number.isFinite(o.ops_per_sec)) continue;
    const kind = o.kind === 'mint' || o.kind === 'verify' ? o.kind : /verif/i.test(o.name) ? 'verify' : 'mint';
    out.push({ name: o.name, kind, ops: o.ops_per_sec });
  }
  return out;
}

/** All numbers the report shows, computed from the two inputs. */
export function analyse(doc, nodeRows) {
  const rg = {
    hmac: pickGbench(doc, GBENCH.hmac),
    mint: pickGbench(doc, GBENCH.mint),
    verify: pickGbench(doc, GBENCH.verify),
  };
  const ratio = (a, b) => (a && b ? a / b : null);
  const vsNode = nodeRows.map((r) => ({ ...r, speedup: ratio(rg[r.kind]?.ops, r.ops) }));
  const fast = (kind) => nodeRows.find((r) => r.kind === kind && /fast-jwt/i.test(r.name)) ?? null;
  const fastMint = fast('mint');
  const fastVerify = fast('verify');
  // Time per op as a multiple of the bare HMAC's time per op = hmac ops/s ÷ op ops/s.
  const hmacMultiple = {
    mint: ratio(rg.hmac?.ops, rg.mint?.ops),
    verify: ratio(rg.hmac?.ops, rg.verify?.ops),
  };
  const checks = [
    {
      what: `mint throughput ≥ ${fmtInt(TARGETS.minMintsPerSec)}/s`,
      value: rg.mint?.ops ?? null,
      show: (v) => `${fmtInt(v)}/s`,
      pass: (v) => v >= TARGETS.minMintsPerSec,
    },
    {
      what: `verify throughput ≥ ${fmtInt(TARGETS.minVerifiesPerSec)}/s`,
      value: rg.verify?.ops ?? null,
      show: (v) => `${fmtInt(v)}/s`,
      pass: (v) => v >= TARGETS.minVerifiesPerSec,
    },
    {
      what: `mint ≥ ${TARGETS.minSpeedupVsFastJwt}× fast-jwt${fastMint ? ` (${fastMint.name})` : ''}`,
      value: ratio(rg.mint?.ops, fastMint?.ops),
      show: fmtX,
      pass: (v) => v >= TARGETS.minSpeedupVsFastJwt,
    },
    {
      what: `verify ≥ ${TARGETS.minSpeedupVsFastJwt}× fast-jwt${fastVerify ? ` (${fastVerify.name})` : ''}`,
      value: ratio(rg.verify?.ops, fastVerify?.ops),
      show: fmtX,
      pass: (v) => v >= TARGETS.minSpeedupVsFastJwt,
    },
    {
      what: `mint time ≤ ${TARGETS.maxHmacMultiple}× bare HMAC time`,
      value: hmacMultiple.mint,
      show: fmtX,
      pass: (v) => v <= TARGETS.maxHmacMultiple,
    },
    {
      what: `verify time ≤ ${TARGETS.maxHmacMultiple}× bare HMAC time`,
      value: hmacMultiple.verify,
      show: fmtX,
      pass: (v) => v <= TARGETS.maxHmacMultiple,
    },
  ].map((c) => ({ ...c, status: c.value == null ? 'MISS' : c.pass(c.value) ? 'PASS' : 'MISS' }));
  return { rg, vsNode, hmacMultiple, checks };
}

function fmtInt(v) {
  return v == null ? 'n/a' : Math.round(v).toLocaleString('en-US');
}
function fmtX(v) {
  if (v == null) return 'n/a';
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}
function fmtNs(ops) {
  if (!ops) return 'n/a';
  const ns = 1e9 / ops;
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

export function report(doc, nodeRows, { gbenchPath = '', nodePath = '' } = {}) {
  const { rg, vsNode, hmacMultiple, checks } = analyse(doc, nodeRows);
  const L = [];
  const ctx = doc.context ?? {};
  L.push(`roomgate (Google Benchmark: ${gbenchPath})`);
  const ctxBits = [
    ctx.host_name && `host ${ctx.host_name}`,
    ctx.num_cpus && `${ctx.num_cpus} CPUs${ctx.mhz_per_cpu ? ` @ ${ctx.mhz_per_cpu} MHz` : ''}`,
    ctx.library_build_type && `benchmark lib ${ctx.library_build_type}`,
    ctx.cpu_scaling_enabled && 'CPU scaling ENABLED (noisy)',
  ].filter(Boolean);
  if (ctxBits.length) L.push(`  ${ctxBits.join(', ')}`);
  const rgRow = (label, key) => {
    const r = rg[key];
    L.push(
      `  ${label.padEnd(13)} ${GBENCH[key].padEnd(19)} ${fmtInt(r?.ops).padStart(13)} /s ${fmtNs(r?.ops).padStart(10)}/op` +
        (r ? `   [${r.source}${r.runName !== GBENCH[key] ? `, ${r.runName}` : ''}]` : '   [missing]'),
    );
  };
  rgRow('mint', 'mint');
  rgRow('verify', 'verify');
  rgRow('bare HMAC', 'hmac');
  L.push('');
  L.push(`Time per token as a multiple of one bare HMAC-SHA256 (target ≤ ${TARGETS.maxHmacMultiple}×)`);
  L.push(`  mint   ${fmtX(hmacMultiple.mint).padStart(8)}`);
  L.push(`  verify ${fmtX(hmacMultiple.verify).padStart(8)}`);
  L.push('');
  L.push(`Node baselines (${nodePath}), single thread; "roomgate ×" = roomgate ops/s ÷ Node ops/s`);
  const w = Math.max(30, ...vsNode.map((r) => r.name.length));
  L.push(`  ${'kind'.padEnd(7)}${'variant'.padEnd(w + 2)}${'ops/s'.padStart(12)}${'per op'.padStart(12)}${'roomgate ×'.padStart(13)}`);
  for (const kind of ['mint', 'verify']) {
    for (const r of vsNode.filter((x) => x.kind === kind)) {
      L.push(
        `  ${kind.padEnd(7)}${r.name.padEnd(w + 2)}${fmtInt(r.ops).padStart(12)}${fmtNs(r.ops).padStart(12)}${fmtX(r.speedup).padStart(13)}`,
      );
    }
  }
  if (!vsNode.length) L.push('  (no Node results)');
  L.push('');
  L.push('Targets');
  for (const c of checks) {
    L.push(`  ${c.status}  ${c.what.padEnd(58)} ${c.value == null ? 'no data' : c.show(c.value)}`);
  }
  const passed = checks.filter((c) => c.status === 'PASS').length;
  L.push(`  ${passed}/${checks.length} targets met`);
  return { text: L.join('\n'), checks };
}

function main(argv) {
  const args = argv.filter((a) => a !== '--strict');
  const strict = args.length !== argv.length;
  const [gbenchPath, nodePath] = args;
  if (!gbenchPath || !nodePath) {
    console.error('usage: node bench/compare_tokens.mjs <gbench.json> <node_tokens.jsonl> [--strict]');
    return 2;
  }
  let doc;
  let nodeRows;
  try {
    doc = JSON.parse(readFileSync(gbenchPath, 'utf8'));
    if (!Array.isArray(doc.benchmarks)) throw new Error('no "benchmarks" array');
  } catch (e) {
    console.error(`cannot read Google Benchmark JSON ${gbenchPath}: ${e.message}`);
    return 2;
  }
  try {
    nodeRows = parseNodeLines(readFileSync(nodePath, 'utf8'));
  } catch (e) {
    console.error(`cannot read Node results ${nodePath}: ${e.message}`);
    return 2;
  }
  const { text, checks } = report(doc, nodeRows, { gbenchPath, nodePath });
  console.log(text);
  return strict && checks.some((c) => c.status !== 'PASS') ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
