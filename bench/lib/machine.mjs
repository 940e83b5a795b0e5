import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { loadAverage } from './proc.mjs';

/** The machine a bench run measured: hardware, load, tool versions and the commit. */
export function machineInfo(root) {
  const v = (cmd, args, re) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`; // nginx -v answers on stderr
    return re.exec(out)?.[1] ?? 'unknown';
  };
  return {
    date: new Date().toISOString(),
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpuModel: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    kernel: release(),
    node: process.version,
    ffmpeg: v('ffmpeg', ['-version'], /ffmpeg version (\S+)/),
    nginx: v('/usr/sbin/nginx', ['-v'], /nginx\/(\S+)/),
    postgres: v('psql', ['--version'], /(\d+\.\d+)/),
    gitCommit: v('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], /(\w+)/),
    gitDirty: execFileSync('git', ['-C', root, 'status', '--porcelain', 'src']).toString().trim().length > 0,
    loadAverageAtStart: loadAverage(),
  };
}
