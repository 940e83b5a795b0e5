import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/**
 * The spawner process (run with `node -e`, so it works from src/ under jest and from dist/ alike).
 * It forks FFmpeg with piped stdio, hands the three pipe ends to the app over IPC (SCM_RIGHTS),
 * reports exits, kills on request, and kills every FFmpeg it started once the app is gone.
 */
const SPAWNER_SOURCE = `
const { spawn } = require('node:child_process');
const children = new Map();
const send = (msg, handle) => {
  try { process.send(msg, handle); } catch {}
};
process.on('message', (m) => {
  if (m.type === 'kill') {
    const c = children.get(m.id);
    if (c && c.exitCode === null && c.signalCode === null) c.kill(m.signal);
    return;
  }
  if (m.type !== 'spawn') return;
  let c;
  try {
    c = spawn(m.command, m.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    return send({ type: 'failed', id: m.id, message: e.message });
  }
  if (c.pid === undefined) {
    return c.on('error', (e) => send({ type: 'failed', id: m.id, message: e.message }));
  }
  // Not a byte of FFmpeg's output may be read here: it is the app's.
  c.stdout._handle.readStop();
  c.stderr._handle.readStop();
  children.set(m.id, c);
  // Handles go one at a time, in order, and before any later message (the exit below).
  send({ type: 'stdio', id: m.id, pid: c.pid, fd: 0 }, c.stdin);
  send({ type: 'stdio', id: m.id, pid: c.pid, fd: 1 }, c.stdout);
  send({ type: 'stdio', id: m.id, pid: c.pid, fd: 2 }, c.stderr);
  c.on('error', () => {});
  c.on('exit', (code, signal) => {
    children.delete(m.id);
    send({ type: 'exit', id: m.id, code, signal });
  });
});
const killAll = () => { for (const c of children.values()) c.kill('SIGKILL'); };
process.on('disconnect', () => { killAll(); process.exit(0); });
process.on('SIGTERM', () => { killAll(); process.exit(0); });
`;

/** How long after its exit a child's pipes may take to report their end before they are closed. */
const CLOSE_AFTER_EXIT_MS = 2_000;

interface SpawnerMessage {
  type: 'stdio' | 'exit' | 'failed';
  id: number;
  pid?: number;
  fd?: 0 | 1 | 2;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  message?: string;
}

/**
 * An FFmpeg started by the spawner, with the shape FfmpegProcess uses of a ChildProcess: pid,
 * stdin/stdout/stderr (the pipe ends themselves), kill(), exitCode/signalCode, and one `close`
 * once it has exited and its output has been read to the end.
 */
export class SpawnedChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  private exited = false;
  private openOutputs = 2;

  constructor(
    readonly pid: number,
    readonly stdin: Writable,
    readonly stdout: Readable,
    readonly stderr: Readable,
    private readonly killer: (signal: NodeJS.Signals) => void,
  ) {
    super();
    // A pipe of a process that exited at once may have ended (and closed) before it got here.
    for (const s of [stdout, stderr]) {
      if (s.closed || s.destroyed) this.openOutputs--;
      else s.once('close', () => (--this.openOutputs, this.maybeClose()));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    this.killer(signal);
    return true;
  }

  /** The spawner saw it exit. */
  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
    this.maybeClose();
    // Its output ends with it; should a pipe not report its end, `close` still follows (what is
    // unread after 2 s is dropped): the pipeline must learn that its FFmpeg is gone.
    if (this.openOutputs > 0)
      setTimeout(() => [this.stdout, this.stderr].forEach((s) => s.destroy()), CLOSE_AFTER_EXIT_MS).unref();
  }

  private maybeClose(): void {
    if (this.exited && this.openOutputs <= 0) this.emit('close', this.exitCode, this.signalCode);
  }

  asChildProcess(): ChildProcess {
    return this as unknown as ChildProcess;
  }
}

/** A spawn asked of (or on its way through) a spawner that has been closed: the app is shutting down. */
export class SpawnerClosedError extends Error {
  constructor() {
    super('the spawner is closed');
    this.name = 'SpawnerClosedError';
  }
}

interface Pending {
  resolve: (child: SpawnedChild) => void;
  reject: (err: Error) => void;
  pid?: number;
  stdio: Socket[];
}

/**
 * Starts FFmpeg from a small helper process in a session of its own (FFMPEG_SPAWNER=session).
 *
 * Why: Linux's autogroup scheduler (on by default) shares the CPU between sessions first. FFmpegs
 * forked by the app are in the app's session, so under overload 150 of them outweigh its one event
 * loop (the reconnect storm stalled it > 250 ms even at nice 10). Forked by this spawner, they all
 * share another session and, together, get the same share as the app's; the event loop gets the CPU
 * it needs. Forking a small process is also cheaper than forking the app. Where autogroup does not
 * apply (the app in a container's own CPU cgroup) it changes nothing but the fork cost.
 */
export class SessionSpawner {
  private proc: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly running = new Map<number, SpawnedChild>();
  private closed = false;

  /** `command args` in the spawner's session; resolves once its stdio pipes are here. */
  spawn(command: string, args: readonly string[]): Promise<SpawnedChild> {
    if (this.closed) return Promise.reject(new SpawnerClosedError());
    const proc = this.ensure();
    const id = this.nextId++;
    return new Promise<SpawnedChild>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, stdio: [] });
      this.hold();
      proc.send({ type: 'spawn', id, command, args: [...args] }, (err) => {
        if (err) this.settleFailed(id, err.message);
      });
    });
  }

  get spawnerPid(): number | undefined {
    return this.proc?.pid;
  }

  /**
   * Ends the spawner and whatever FFmpeg it still runs, at once: the spawner is told to go (SIGTERM, and
   * its channel closes), the FFmpegs it handed over are killed by pid and reported gone, and a spawn on
   * its way is refused (SpawnerClosedError) — nothing is left waiting on it, or keeping the app alive.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const proc = this.proc;
    this.proc = undefined;
    if (proc) {
      try {
        if (proc.connected) proc.disconnect();
        proc.kill('SIGTERM'); // its handler kills what it forked, even a child it has not reported yet
      } catch {
        // already gone
      }
      proc.unref();
    }
    this.release(() => new SpawnerClosedError());
  }

  private ensure(): ChildProcess {
    if (this.proc) return this.proc;
    const proc = spawn(process.execPath, ['-e', SPAWNER_SOURCE], {
      // setsid(): its own session, hence its own autogroup
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    proc.on('message', (m: SpawnerMessage, handle?: Socket) => this.onMessage(m, handle));
    proc.on('error', () => undefined);
    proc.once('exit', () => this.spawnerGone(proc));
    this.proc = proc;
    this.hold();
    return proc;
  }

  private onMessage(m: SpawnerMessage, handle?: Socket): void {
    if (m.type === 'failed') return this.settleFailed(m.id, m.message ?? 'spawn failed');
    if (m.type === 'exit') {
      this.running.get(m.id)?.exit(m.code ?? null, m.signal ?? null);
      this.running.delete(m.id);
      this.hold();
      const p = this.pending.get(m.id);
      if (p) {
        // exited before its pipes were handed over
        p.stdio.forEach((s) => s.destroy());
        this.settleFailed(m.id, `exited at once (${m.signal ?? m.code})`);
      }
      return;
    }
    const p = this.pending.get(m.id);
    if (!p || !handle) return void handle?.destroy();
    p.pid = m.pid;
    p.stdio[m.fd ?? 0] = handle;
    if (p.stdio.filter(Boolean).length < 3) return;
    this.pending.delete(m.id);
    const [stdin, stdout, stderr] = p.stdio as [Socket, Socket, Socket];
    const id = m.id;
    const child = new SpawnedChild(m.pid ?? 0, stdin, stdout, stderr, (signal) =>
      this.proc?.send({ type: 'kill', id, signal }),
    );
    this.running.set(id, child);
    this.hold();
    p.resolve(child);
  }

  /**
   * The spawner keeps the app alive only while a spawn is on its way or an FFmpeg runs: an app that
   * exits without close() closes the channel, and the spawner then ends its FFmpegs and itself.
   */
  private hold(): void {
    const proc = this.proc;
    if (!proc) return;
    if (this.pending.size + this.running.size > 0) {
      proc.ref();
      proc.channel?.ref();
    } else {
      proc.unref();
      proc.channel?.unref();
    }
  }

  private settleFailed(id: number, message: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.hold();
    p.reject(new Error(message));
  }

  /** The spawner died: what it ran is killed and reported gone, spawns on their way fail (and go direct). */
  private spawnerGone(proc: ChildProcess): void {
    if (this.proc === proc) this.proc = undefined;
    this.release(() => new Error('the spawner exited'));
  }

  /**
   * Its FFmpegs are killed by pid (they outlive the spawner otherwise) and reported gone; spawns on
   * their way are refused with `error()`, the pipe ends already handed over closed.
   */
  private release(error: () => Error): void {
    for (const [id, child] of this.running) {
      this.running.delete(id);
      if (child.pid > 0) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      child.exit(null, 'SIGKILL');
    }
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.stdio.forEach((s) => s?.destroy());
      p.reject(error());
    }
    this.hold();
  }
}
