/**
 * A real RTMP receiver for the tests and the bench: nginx with libnginx-mod-rtmp as a child process on
 * a free loopback port, configured in a temp dir. Every publish is recorded to its own FLV file (see
 * rtmp-publish-hook.ts), so a test sees each publish (an FFmpeg restart is a new publish) separately. `stall()` freezes nginx with
 * SIGSTOP; `watchFirstMedia()` times when each publish's first keyframe arrived (for the bench).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually';
import { PublishHook } from './rtmp-publish-hook';
import {
  listRecordings,
  nginxConf,
  nginxDiagnostics,
  openFilesOf,
  readPublishEvents,
  type PublishEvent,
  type Recording,
} from './rtmp-files';

export const NGINX_PATH = '/usr/sbin/nginx';
export { RTMP_MODULE } from './rtmp-files';
/** A recording holding this many bytes has its first video keyframe (FLV header + metadata are smaller). */
export const FIRST_MEDIA_BYTES = 4096;

export type { PublishEvent, Recording } from './rtmp-files';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class RtmpReceiver {
  private proc: ChildProcess | undefined;
  private stalled = false;
  private watcher: FSWatcher | undefined;
  private hook: PublishHook | undefined;
  /** Stream name → Date.now() when its recording first held FIRST_MEDIA_BYTES (see watchFirstMedia). */
  readonly firstMedia = new Map<string, number>();

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Starts nginx and resolves once it accepts connections. */
  static async start(): Promise<RtmpReceiver> {
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-rtmp-'));
    const receiver = new RtmpReceiver(dir, await freePort());
    await receiver.launch();
    return receiver;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get recordDir(): string {
    return join(this.dir, 'rec');
  }

  private get doneDir(): string {
    return join(this.dir, 'done');
  }

  url(key: string): string {
    return `rtmp://127.0.0.1:${this.port}/app/${key}`;
  }

  /** The application URL (what MUX_RTMP_URL points at); a stream key goes after it. */
  get appUrl(): string {
    return `rtmp://127.0.0.1:${this.port}/app`;
  }

  /**
   * Recordings in publish order, optionally of one stream key: those moved aside by a later publish
   * (done/), then the latest (rec/). Complete = nginx no longer holds the file open.
   */
  recordings(key?: string): Recording[] {
    const open = this.proc?.exitCode === null ? openFilesOf(this.proc.pid) : new Set<string>();
    return listRecordings([this.doneDir, this.recordDir], key, open);
  }

  /** nginx's log lines about publishing and recording, for a failure message (keys cut short). */
  diagnostics(): string[] {
    return nginxDiagnostics(join(this.dir, 'error.log'));
  }

  /** Publish start/end events as seen by nginx, optionally of one stream key. */
  events(key?: string): PublishEvent[] {
    return readPublishEvents(join(this.dir, 'events.log'), key);
  }

  /** Finished recordings (nginx closed the file), optionally of one key. */
  completed(key?: string): Recording[] {
    return this.recordings(key).filter((r) => r.complete);
  }

  /** Waits until `count` recordings are complete (nginx closed the file). */
  waitForCompleteRecordings(count: number, key?: string, timeoutMs = 10_000): Promise<Recording[]> {
    return eventually(
      `${count} complete recordings`,
      () => {
        const done = this.completed(key);
        if (done.length < count) throw new Error(`have ${JSON.stringify(this.recordings(key))}`);
        return done;
      },
      timeoutMs,
      50,
    ).catch((err: Error) => {
      // What nginx saw (publishes, refusals, record errors) tells a lost publish from a late one.
      const events = this.events(key).map((e) => `${e.kind}@${e.atMs}`);
      err.message += `\nnginx events: ${events.join(' ') || 'none'}\nnginx log:\n${this.diagnostics().slice(-15).join('\n')}`;
      throw err;
    });
  }

  /** Deletes the finished recordings (the bench's, once analysed). */
  clearCompleted(): void {
    for (const r of this.completed()) rmSync(r.path, { force: true });
  }

  /**
   * Records in `firstMedia` when each of `names`' recordings first holds a keyframe's worth of bytes
   * (inotify, no polling); the watch ends once all are seen or after `timeoutMs`.
   */
  watchFirstMedia(names: string[], timeoutMs = 20_000): void {
    this.watcher?.close();
    const pending = new Set(names);
    const done = () => {
      clearTimeout(timer);
      this.watcher?.close();
      this.watcher = undefined;
    };
    const timer = setTimeout(done, timeoutMs);
    this.watcher = watch(this.recordDir, (_event, file) => {
      if (!file?.endsWith('.flv')) return;
      const name = file.slice(0, -'.flv'.length);
      if (!pending.has(name)) return;
      try {
        if (statSync(join(this.recordDir, file)).size < FIRST_MEDIA_BYTES) return;
      } catch {
        return; // moved to done/ already
      }
      this.firstMedia.set(name, Date.now());
      pending.delete(name);
      if (pending.size === 0) done();
    });
  }

  /** Bytes waiting in the kernel to reach nginx: the Send-Q of every connection to its port. */
  sendQueueBytes(): number | null {
    try {
      const out = execFileSync('ss', ['-tnH', 'state', 'established', `( dport = :${this.port} )`]);
      return out
        .toString()
        .split('\n')
        .filter(Boolean)
        .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[1] ?? 0), 0);
    } catch {
      return null;
    }
  }

  /** Freezes nginx (SIGSTOP): the TCP connection stays open but nothing is read. */
  stall(): void {
    if (!this.proc?.pid) throw new Error('receiver not running');
    process.kill(this.proc.pid, 'SIGSTOP');
    this.stalled = true;
  }

  /** Lets a stalled nginx run again (does nothing when it is not stalled). */
  resume(): void {
    if (this.stalled && this.proc?.pid) process.kill(this.proc.pid, 'SIGCONT');
    this.stalled = false;
  }

  /** Stops nginx and waits for it to exit. Pass `removeFiles` to delete the temp dir too. */
  async stop(removeFiles = false): Promise<void> {
    this.watcher?.close();
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, 'exit');
      this.resume();
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    this.proc = undefined;
    await this.hook?.close();
    this.hook = undefined;
    // nginx's exec hooks may still be writing events.log for a moment.
    if (removeFiles)
      await eventually('the receiver’s files to go', () => rmDir(this.dir), 2000).catch(() => {});
  }

  private async launch(): Promise<void> {
    mkdirSync(this.recordDir, { recursive: true });
    mkdirSync(this.doneDir, { recursive: true });
    const events = join(this.dir, 'events.log');
    writeFileSync(join(this.dir, 'event.sh'), `echo "$(date +%s%3N) $1 $2" >> '${events}'\n`);
    this.hook = await PublishHook.start(this.recordDir, this.doneDir);
    const conf = join(this.dir, 'nginx.conf');
    writeFileSync(conf, nginxConf(this.dir, this.port, this.recordDir, this.hook.url));
    const proc = spawn(NGINX_PATH, ['-p', this.dir, '-c', conf, '-e', join(this.dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', (err) => (stderr += String(err)));
    this.proc = proc;
    const started = await eventually(
      `nginx-rtmp on ${this.port}`,
      async () => proc.exitCode !== null || (await canConnect(this.port)),
      5000,
      25,
    ).catch(() => false);
    if (!started || proc.exitCode !== null) {
      await this.stop();
      throw new Error(`nginx-rtmp did not start on ${this.port}: ${stderr}`);
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function rmDir(dir: string): boolean {
  rmSync(dir, { recursive: true, force: true });
  return true;
}
