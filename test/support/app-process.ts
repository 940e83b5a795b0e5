/**
 * The app as a separate process, for what an in-process app cannot show: signals, crashes. It is built
 * as `npm start` builds it, then `dist/main.js` runs directly, so a signal reaches the app itself.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

export interface AppProcess {
  proc: ChildProcess;
  url: string;
  wsUrl: string;
  output: () => string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string | null>;
}

/** `nodeArgs` go before `dist/main.js`, e.g. `['--require', preload]`. */
export function startAppProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<AppProcess> {
  const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const proc = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string | null>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${out}`)), timeoutMs);
    proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], wsUrl: m[1].replace('http', 'ws'), output: () => out, exited });
      }
    });
    void exited.then((code) => reject(new Error(`the app exited (${code}):\n${out}`)));
  });
}

/** PIDs of ffmpeg processes whose command line contains `needle` (e.g. the RTMP receiver's port). */
export function ffmpegProcesses(needle: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `ffmpeg.*${needle}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
