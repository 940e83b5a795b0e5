import { readFileSync } from 'node:fs';
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { registerChild } from './child-registry';
import { LineRing } from './diagnostics';
import { launchCommand } from './ffmpeg-launcher';
import { type FfmpegProgress, ProgressParser } from './ffmpeg-progress';

export type { FfmpegProgress } from './ffmpeg-progress';

/** `child_process.spawn` or a stand-in with the same shape (unit tests run a small real process). */
export type Spawner = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ProcessExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: Error;
  stderr: string[];
}

interface FfmpegProcessEvents {
  /** FFmpeg's `-progress` report; the first one means the output is open. */
  progress: [FfmpegProgress];
  /** A piece of stderr as it arrives (not split into lines; may hold a secret: mask before logging). */
  stderr: [string];
  exit: [ProcessExit];
}

/**
 * One FFmpeg child process with the hygiene the pipeline needs: error listeners on every stdio
 * stream (an EPIPE never crashes Node), stderr kept as a short ring, `-progress` reports parsed from
 * stdout, registration so it is killed when Node exits, and exactly one `exit` event.
 */
export class FfmpegProcess extends EventEmitter<FfmpegProcessEvents> {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  private readonly stderr = new LineRing(20);
  private readonly progress = new ProgressParser();
  private readonly onReport = (p: FfmpegProgress): void => void this.emit('progress', p);
  private exitInfo: ProcessExit | undefined;
  private readonly exited: Promise<ProcessExit>;

  /** `launcher`: a command prefix FFmpeg is started through, e.g. SCHED_BATCH_LAUNCHER. */
  constructor(
    command: string,
    args: readonly string[],
    spawner: Spawner = spawn,
    launcher: readonly string[] = [],
  ) {
    super();
    const launch = launchCommand(command, args, launcher);
    this.child = spawner(launch.command, launch.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const { stdin, stdout, stderr } = this.child;
    if (!stdin || !stdout || !stderr) throw new Error('spawner must provide piped stdio');
    this.stdin = stdin;
    registerChild(this.child);
    this.exited = new Promise((resolve) => this.once('exit', resolve));
    // EPIPE after FFmpeg died: its exit is reported through 'exit'.
    stdin.on('error', () => undefined);
    stdout.on('error', () => undefined);
    stderr.on('error', () => undefined);
    stdout.setEncoding('utf8');
    stdout.on('data', (text: string) => this.progress.push(text, this.onReport));
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      this.stderr.push(text);
      this.emit('stderr', text);
    });
    this.child.on('error', (err) => {
      if (this.child.pid === undefined) this.finish({ code: null, signal: null, spawnError: err });
      else this.stderr.push(`process error: ${err.message}\n`);
    });
    this.child.on('close', (code, signal) => this.finish({ code, signal }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  recentStderr(): string[] {
    return this.stderr.recent();
  }

  /** Closes stdin: FFmpeg drains its input, finishes the output and exits. */
  endInput(): void {
    if (!this.stdin.writableEnded) this.stdin.end();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exitInfo || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
  }

  /** CPU time the process has used so far (user + system, in clock ticks); 0 once it is gone. */
  cpuTicks(): number {
    if (this.child.pid === undefined || this.exitInfo) return 0;
    try {
      // /proc/<pid>/stat: the fields after the parenthesised name; utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]) || 0;
    } catch {
      return 0;
    }
  }

  waitForExit(): Promise<ProcessExit> {
    return this.exited;
  }

  private finish(info: Omit<ProcessExit, 'pid' | 'stderr'>): void {
    if (this.exitInfo) return;
    this.exitInfo = { pid: this.child.pid, stderr: this.stderr.recent(), ...info };
    this.emit('exit', this.exitInfo);
  }
}

/** A one-line reason for an exit, for logs and `lastExitReason` (never contains the stream key). */
export function describeExit(exit: ProcessExit, mask: (text: string) => string): string {
  if (exit.spawnError) return `could not start ffmpeg: ${exit.spawnError.message}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  const last = exit.stderr.at(-1);
  return exit.code !== 0 && last
    ? `exited with code ${exit.code}: ${mask(last)}`
    : `exited with code ${exit.code}`;
}
