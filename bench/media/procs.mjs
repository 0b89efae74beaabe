// /proc sampling for the media benchmark: CPU time (utime+stime from /proc/PID/stat, which
// includes threads that have exited), resident memory, and the machine's busy time, so a
// window's CPU can be split into roomgate / Janus / Chromium / the bench itself / everything
// else on the machine. Processes come and go (a renderer per browser context, and Chromium's
// zygote does not pass its children's time on to cutime): a CpuTracker that samples every
// `everyMs` counts a process born meanwhile from 0 and one that exits up to its last sample.
// Linux only; reads files, starts nothing.

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const HZ = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process is gone
  }
};

/** utime+stime of a process in clock ticks, or null when it is gone. */
export function ticks(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // fields 14 and 15 of proc(5)
}

/** CPU time of every thread alive now, in ns (/proc/PID/task/*\/schedstat): finer than ticks. */
export function threadNs(pid) {
  let sum = 0;
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  for (const t of tasks) sum += Number(read(`/proc/${pid}/task/${t}/schedstat`)?.split(' ')[0] ?? 0);
  return sum;
}

/** VmRSS in KiB, or null. */
export function rssKiB(pid) {
  const m = /^VmRSS:\s+(\d+)/m.exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * Ticks of the whole machine: [in tasks (user, nice, system), in interrupts (irq, softirq:
 * with IRQ time accounting, charged to no process; here mostly the kernel's packet processing
 * of the media on loopback), stolen by the hypervisor].
 */
export function machineTicks() {
  const f = read('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return [f[0] + f[1] + f[2], f[5] + f[6], f[7]];
}

/** Pids of every process in this network namespace (all of them started by the benchmark). */
export function namespacePids() {
  const me = readlinkSync('/proc/self/ns/net');
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readlinkSync(`/proc/${p}/ns/net`) === me) out.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

function exeName(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`).split('/').pop();
  } catch {
    return '';
  }
}

/**
 * CPU of the namespace's processes, grouped by `classify(pid, exe)`, from construction to
 * stop(); sampled at both ends and, with `everyMs`, in between (for processes that come and go).
 */
export class CpuTracker {
  #classify;
  #roomgatePid;
  #known = new Map(); // pid → {group, first, last}
  #timer = null;
  #t0 = process.hrtime.bigint();
  #machine0 = machineTicks();
  #ns0;

  constructor(classify, roomgatePid, everyMs = 0) {
    this.#classify = classify;
    this.#roomgatePid = roomgatePid;
    this.#ns0 = threadNs(roomgatePid);
    this.#sample(true);
    if (everyMs) this.#timer = setInterval(() => this.#sample(false), everyMs).unref();
  }

  #sample(initial) {
    for (const pid of namespacePids()) {
      const t = ticks(pid);
      if (t === null) continue;
      let k = this.#known.get(pid);
      if (!k) this.#known.set(pid, (k = { group: this.#classify(pid, exeName(pid)), first: initial ? t : 0 }));
      k.last = t;
    }
  }

  /**
   * % of one core per group, roomgate's own from stat (`roomgate_stat`) and from its threads'
   * ns (`roomgate_ns`), the machine's time in interrupts (`irq`) and stolen (`steal`), and
   * `other`: the machine's time in processes outside the benchmark.
   */
  stop() {
    clearInterval(this.#timer);
    this.#sample(false);
    const seconds = Number(process.hrtime.bigint() - this.#t0) / 1e9;
    const [busy, irq, steal] = machineTicks();
    const ns = threadNs(this.#roomgatePid);
    const pct = (t) => (100 * t) / HZ / seconds;
    const groups = {};
    let ours = 0;
    for (const k of this.#known.values()) {
      groups[k.group] = (groups[k.group] ?? 0) + k.last - k.first;
      ours += k.last - k.first;
    }
    const m0 = this.#machine0;
    const out = { seconds, other: pct(Math.max(0, busy - m0[0] - ours)), irq: pct(irq - m0[1]), steal: pct(steal - m0[2]) };
    for (const [g, t] of Object.entries(groups)) out[g] = pct(t);
    const rg = this.#known.get(this.#roomgatePid);
    if (rg) out.roomgate_stat = pct(rg.last - rg.first);
    if (ns !== null && this.#ns0 !== null) out.roomgate_ns = (100 * (ns - this.#ns0)) / 1e9 / seconds;
    return out;
  }
}
