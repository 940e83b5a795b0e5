/**
 * The app as a separate process, for what an in-process app cannot show (signals, crashes) and for
 * the bench. By default it is built as `npm start` builds it and `dist/main.js` runs directly, so a
 * signal reaches the app itself; the bench passes its own compiled entry instead. The app writes to
 * a log file (nothing in this process has to keep reading a pipe); `output()` reads it.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually';

const root = join(__dirname, '../..');

export interface AppProcess {
  proc: ChildProcess;
  pid: number;
  url: string;
  wsUrl: string;
  /** Everything the app has written to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL after 12 s; resolves once the process is gone. */
  stop: () => Promise<void>;
}

export interface AppProcessOptions {
  timeoutMs?: number;
  /** Go before the entry file, e.g. `['--require', preload]`. */
  nodeArgs?: string[];
  /** A compiled entry to run as it is (relative to the repo root); default: build, then `dist/main.js`. */
  main?: string;
}

export async function startAppProcess(
  env: Record<string, string>,
  { timeoutMs = 60_000, nodeArgs = [], main }: AppProcessOptions = {},
): Promise<AppProcess> {
  if (main === undefined) {
    const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }
  const logDir = mkdtempSync(join(tmpdir(), 'vybzz-app-log-'));
  const logPath = join(logDir, 'app.log');
  const fd = openSync(logPath, 'w');
  const proc = spawn(process.execPath, [...nodeArgs, main ?? 'dist/main.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  // Once the process is gone its log is read one last time and the file removed.
  let finalOutput: string | undefined;
  const output = () => finalOutput ?? readFileSync(logPath, 'utf8');
  const exited = new Promise<number | string | null>((resolve) =>
    proc.on('exit', (code, signal) => {
      finalOutput = readFileSync(logPath, 'utf8');
      rmSync(logDir, { recursive: true, force: true });
      resolve(code ?? signal);
    }),
  );
  const listening = await eventually(
    'the app to listen',
    () => finalOutput !== undefined || /listening on (http:\/\/\S+)/.exec(output())?.[1],
    timeoutMs,
    50,
  ).catch(() => undefined);
  if (typeof listening !== 'string') {
    proc.kill('SIGKILL');
    throw new Error(
      `the app did not start (${finalOutput === undefined ? 'timeout' : 'it exited'}):\n${output()}`,
    );
  }
  const url = listening.replace('localhost', '127.0.0.1');
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, pid: proc.pid!, url, wsUrl: url.replace('http', 'ws'), output, exited, stop };
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
