/**
 * /proc readers for the bench: CPU time of a process tree (live descendants plus what the kernel
 * already credited for reaped children), resident memory, and the whole machine's CPU use.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
export const PAGE_SIZE = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;

/** Fields of /proc/<pid>/stat (times in seconds), or null when the process is gone. */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' '); // f[0] is field 3 (state)
  const n = (field) => Number(f[field - 3]);
  return {
    pid,
    comm,
    state: f[0],
    ppid: n(4),
    utime: n(14) / CLK_TCK,
    stime: n(15) / CLK_TCK,
    cutime: n(16) / CLK_TCK,
    cstime: n(17) / CLK_TCK,
    rssBytes: n(24) * PAGE_SIZE,
  };
}

/** Every process's stat, keyed by pid. */
export function allStats() {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const s = readStat(Number(name));
    if (s) out.set(s.pid, s);
  }
  return out;
}

/** The live descendants of `root` (not `root` itself). */
export function descendants(root, stats = allStats()) {
  const children = new Map();
  for (const s of stats.values()) {
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid).push(s);
  }
  const out = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const s = stack.pop();
    out.push(s);
    stack.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/**
 * CPU seconds used so far by `root` and all its descendants, dead or alive: for every live process
 * in the tree its own user+system time plus the time of the children it has reaped (a reaped
 * FFmpeg's time is in the app's cutime/cstime from then on).
 */
export function treeCpu(root) {
  const stats = allStats();
  const self = stats.get(root);
  if (!self) return null;
  const kids = descendants(root, stats);
  const own = (s) => s.utime + s.stime + s.cutime + s.cstime;
  let total = own(self);
  let childRss = 0;
  let ffmpegs = 0;
  for (const k of kids) {
    total += own(k);
    childRss += k.rssBytes;
    if (k.comm === 'ffmpeg') ffmpegs++;
  }
  return { cpu: total, selfCpu: self.utime + self.stime, rss: self.rssBytes, childRss, ffmpegs };
}

/** CPU seconds of the listed processes only (their own time, as long as they are alive). */
export function pidsCpu(pids) {
  let total = 0;
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) total += s.utime + s.stime + s.cutime + s.cstime;
  }
  return total;
}

/** Resident set size of one process (bytes), from /proc/<pid>/status VmRSS. */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Proportional set size (shared pages split between their users) of one process, bytes. */
export function pssOf(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** RSS and PSS of the FFmpeg processes under `root`. */
export function ffmpegMemory(root) {
  const kids = descendants(root).filter((s) => s.comm === 'ffmpeg');
  let rss = 0;
  let pss = 0;
  for (const k of kids) {
    rss += k.rssBytes;
    pss += pssOf(k.pid) ?? 0;
  }
  return { count: kids.length, rss, pss };
}

/** Busy and total CPU seconds of the whole machine so far (all cores). */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Periodic samples of a process tree's CPU and memory, for picking windows afterwards. */
export class TreeSampler {
  constructor(pid, everyMs = 500) {
    this.pid = pid;
    this.samples = [];
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample() {
    const t = treeCpu(this.pid);
    const m = machineCpu();
    if (t) this.samples.push({ at: Date.now(), ...t, machineBusy: m.busy });
    return t;
  }

  stop() {
    clearInterval(this.timer);
  }

  /** The sample nearest to `at` (epoch ms). */
  nearest(at) {
    let best = this.samples[0];
    for (const s of this.samples) if (Math.abs(s.at - at) < Math.abs(best.at - at)) best = s;
    return best;
  }

  between(from, to) {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }
}

const cpuOf = (s) => (s ? s.utime + s.stime + s.cutime + s.cstime : 0);

/** A snapshot of everyone's CPU seconds so far. */
export function cpuMark(ctx) {
  return {
    at: Date.now(),
    app: treeCpu(ctx.app.pid),
    worker: treeCpu(ctx.worker.pid),
    nginx: cpuOf(readStat(ctx.rtmp.pid)),
    machine: machineCpu().busy,
  };
}
