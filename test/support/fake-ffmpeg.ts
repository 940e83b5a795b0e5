/**
 * The unit tests' stand-in for FFmpeg (ffmpeg-pipeline*.spec.ts) and a harness creating pipelines that
 * spawn it: each stand-in copies its stdin to a file the test reads back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegPipeline, type FfmpegPipelineOptions } from '../../src/streams/pipeline/ffmpeg-pipeline';
import type { Spawner } from '../../src/streams/pipeline/ffmpeg-process';
import { loadFixture } from './record-webm';

/**
 * A small real process standing in for FFmpeg: it copies stdin to a file, reports `-progress` on
 * stdout like FFmpeg, and misbehaves on request (argv: mode, file, arg).
 */
export const FAKE_FFMPEG = `
const fs = require('fs');
const [mode, file, arg] = process.argv.slice(1);
if (mode === 'fail-now') { process.stderr.write(arg + ': Connection refused\\n'); process.exit(1); }
// 'refuse': reads all its input, then fails without ever opening its output (a receiver refused the publish)
if (mode === 'refuse') { process.stdin.resume(); process.stdin.on('end', () => { process.stderr.write('Already publishing\\n'); process.exit(1); }); }
const fd = fs.openSync(file, 'w');
let n = 0;
let announced = false;
if (mode === 'hang') process.on('SIGTERM', () => {});
if (mode === 'stuck') setInterval(() => {}, 1000); // never reads stdin: a frozen output
if (mode !== 'stuck' && mode !== 'refuse') process.stdin.on('data', (d) => {
  // 'slow': a starved FFmpeg, taking in its input a little at a time (arg ms per read)
  if (mode === 'slow') { process.stdin.pause(); setTimeout(() => process.stdin.resume(), Number(arg)); }
  fs.writeSync(fd, d);
  n += d.length;
  if (mode === 'slow') process.stdout.write('out_time_us=' + n + '\\nprogress=continue\\n');
  if (!announced) { announced = true; process.stdout.write('total_size=0\\nout_time_us=0\\nprogress=continue\\n'); }
  if (mode === 'crash' && n >= Number(arg)) { process.stderr.write('Conversion failed!\\n'); process.exit(1); }
});
if (mode !== 'refuse') process.stdin.on('end', () => {
  if (mode === 'hang') return setInterval(() => {}, 1000);
  // 'busy': a starved transcode still encoding what it read, silent for arg ms
  for (const until = Date.now() + (mode === 'busy' ? Number(arg) : 0); Date.now() < until; );
  process.stdout.write('total_size=' + n + '\\nout_time_us=1000000\\nprogress=end\\n');
  process.exit(0);
});
`;

export interface FakeSpawns {
  spawner: Spawner;
  files: string[];
  argv: string[][];
  children: ChildProcess[];
}

export function fakeFfmpeg(
  dir: string,
  behaviour: (n: number) => { mode: string; arg?: string },
): FakeSpawns {
  const result: FakeSpawns = { spawner: () => undefined as never, files: [], argv: [], children: [] };
  result.spawner = (_cmd, args, options) => {
    const n = result.files.length;
    const file = join(dir, `stdin-${n}.webm`);
    const { mode, arg } = behaviour(n);
    result.files.push(file);
    result.argv.push([...args]);
    const child = spawn(process.execPath, ['-e', FAKE_FFMPEG, mode, file, arg ?? ''], options);
    result.children.push(child);
    return child;
  };
  return result;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per test: a temp dir for the stand-ins' files; pipelines over the H.264 fixture, killed afterwards. */
export function pipelineHarness() {
  const fixture = loadFixture('h264-720p');
  const pipelines: FfmpegPipeline[] = [];
  const h = {
    fixture,
    dir: '',
    create: (spawns: FakeSpawns, extra: Partial<FfmpegPipelineOptions> = {}): FfmpegPipeline => {
      const p = new FfmpegPipeline({
        mimeType: fixture.mimeType,
        output: { kind: 'rtmp', url: 'rtmp://127.0.0.1:1/app/SECRETKEY' },
        ffmpegPath: 'ffmpeg',
        label: 'SEC…KEY',
        restart: { maxFailures: 3, windowMs: 60_000, backoffMs: [0, 20] },
        spawn: spawns.spawner,
        ...extra,
      });
      pipelines.push(p);
      return p;
    },
    feed: async (p: FfmpegPipeline, everyMs = 2): Promise<void> => {
      for (const chunk of fixture.chunks) {
        p.push(chunk);
        await sleep(everyMs);
      }
    },
  };
  beforeEach(() => (h.dir = mkdtempSync(join(tmpdir(), 'pipeline-spec-'))));
  afterEach(() => {
    pipelines.splice(0).forEach((p) => p.kill());
    rmSync(h.dir, { recursive: true, force: true });
  });
  return h;
}
