/**
 * A real RTMP receiver for tests: nginx with libnginx-mod-rtmp as a child process on a free loopback
 * port, configured in a temp dir. Every publish is recorded to its own FLV file, so a test sees each
 * publish (an FFmpeg restart is a new publish) separately. `stall()` freezes nginx with SIGSTOP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_PATH = '/usr/sbin/nginx';
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export interface PublishEvent {
  kind: 'publish' | 'publish_done';
  name: string;
  /** Date.now() when nginx ran the hook. */
  atMs: number;
}

export interface Recording {
  path: string;
  /** The publish has ended and nginx closed the file. */
  complete: boolean;
  bytes: number;
}

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

  /**
   * Recordings in publish order, optionally of one stream key: finished ones first (renamed when
   * their publish ended), then the one still being written.
   */
  recordings(key?: string): Recording[] {
    const escaped = key?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = escaped === undefined ? /\.flv$/ : new RegExp(`^(\\d+-)?${escaped}-\\d+\\.flv$`);
    const list = (dir: string, complete: boolean): Recording[] =>
      existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => pattern.test(f))
            .sort()
            .map((f) => ({ path: join(dir, f), complete, bytes: statSync(join(dir, f)).size }))
        : [];
    return [...list(this.doneDir, true), ...list(this.recordDir, false)];
  }

  /** Publish start/end events as seen by nginx, optionally of one stream key. */
  events(key?: string): PublishEvent[] {
    const file = join(this.dir, 'events.log');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [atMs, kind, name] = line.split(' ');
        return { atMs: Number(atMs), kind: kind as PublishEvent['kind'], name };
      })
      .filter((e) => key === undefined || e.name === key);
  }

  /** Waits until `count` recordings are complete (their publish ended and the file was closed). */
  async waitForCompleteRecordings(count: number, key?: string, timeoutMs = 10_000): Promise<Recording[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = this.recordings(key).filter((r) => r.complete);
      if (done.length >= count) return done;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} complete recordings, have ${JSON.stringify(this.recordings(key))}`,
        );
      }
      await sleep(50);
    }
  }

  /** Freezes nginx (SIGSTOP): the TCP connection stays open but nothing is read. */
  stall(): void {
    if (!this.proc?.pid) throw new Error('receiver not running');
    process.kill(this.proc.pid, 'SIGSTOP');
    this.stalled = true;
  }

  resume(): void {
    if (!this.proc?.pid) throw new Error('receiver not running');
    process.kill(this.proc.pid, 'SIGCONT');
    this.stalled = false;
  }

  /** Stops nginx and waits for it to exit. Pass `removeFiles` to delete the temp dir too. */
  async stop(removeFiles = false): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, 'exit');
      if (this.stalled) this.resume();
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    this.proc = undefined;
    if (removeFiles) rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    mkdirSync(this.recordDir, { recursive: true });
    mkdirSync(this.doneDir, { recursive: true });
    const events = join(this.dir, 'events.log');
    writeFileSync(join(this.dir, 'event.sh'), `echo "$(date +%s%3N) $1 $2" >> '${events}'\n`);
    // Renames a finished recording so publishes in the same second never share a file name.
    writeFileSync(join(this.dir, 'done.sh'), `mv "$1" '${this.doneDir}'/"$(date +%s%N)-$(basename "$1")"\n`);
    const conf = join(this.dir, 'nginx.conf');
    writeFileSync(
      conf,
      `load_module ${RTMP_MODULE};
daemon off;
master_process off;
worker_processes 1;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log info;
events { worker_connections 256; }
rtmp {
  server {
    listen 127.0.0.1:${this.port};
    chunk_size 4096;
    application app {
      live on;
      record all;
      record_path ${this.recordDir};
      record_unique on;
      exec_publish /bin/sh ${this.dir}/event.sh publish $name;
      exec_publish_done /bin/sh ${this.dir}/event.sh publish_done $name;
      exec_record_done /bin/sh ${this.dir}/done.sh $path;
    }
  }
}
`,
    );
    const proc = spawn(NGINX_PATH, ['-p', this.dir, '-c', conf, '-e', join(this.dir, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', (err) => (stderr += String(err)));
    this.proc = proc;
    const deadline = Date.now() + 5000;
    while (!(await canConnect(this.port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`nginx-rtmp did not start on ${this.port}: ${stderr}`);
      }
      await sleep(25);
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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
