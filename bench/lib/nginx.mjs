/**
 * The RTMP receiver: nginx with libnginx-mod-rtmp on a free loopback port (as test/support/rtmp-receiver.ts),
 * recording every publish to its own FLV file. It logs publish times through exec hooks and the bench
 * watches the recordings' first bytes, so "first RTMP output" can be timed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_PATH = '/usr/sbin/nginx';
export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
/** A recording holding this many bytes has its first video keyframe (FLV header + metadata are smaller). */
export const FIRST_MEDIA_BYTES = 4096;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export class RtmpReceiver {
  static async start() {
    const r = new RtmpReceiver(mkdtempSync(join(tmpdir(), 'vybzz-bench-rtmp-')), await freePort());
    await r.launch();
    return r;
  }

  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.recordDir = join(dir, 'rec');
    this.doneDir = join(dir, 'done');
    this.stalled = false;
    /** stream name → Date.now() when its recording first held FIRST_MEDIA_BYTES. */
    this.firstMedia = new Map();
  }

  get pid() {
    return this.proc?.pid;
  }

  url(key) {
    return `rtmp://127.0.0.1:${this.port}/app/${key}`;
  }

  get appUrl() {
    return `rtmp://127.0.0.1:${this.port}/app`;
  }

  /** Publish events from nginx's exec hooks: {atMs, kind, name}. */
  events() {
    const file = join(this.dir, 'events.log');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [atMs, kind, name] = l.split(' ');
        return { atMs: Number(atMs), kind, name };
      });
  }

  /** Finished recordings of a stream name (nginx closed the file when the publish ended). */
  completed(name) {
    const prefix = new RegExp(`^\\d+-${name.replace(/[^\w-]/g, '')}-\\d+\\.flv$`);
    return readdirSync(this.doneDir)
      .filter((f) => prefix.test(f))
      .sort()
      .map((f) => ({ path: join(this.doneDir, f), bytes: statSync(join(this.doneDir, f)).size }));
  }

  /** Waits until every name has `count` finished recordings; returns the names still missing. */
  async waitForCompleted(names, timeoutMs, count = 1) {
    const deadline = Date.now() + timeoutMs;
    let missing = names;
    while (missing.length && Date.now() < deadline) {
      await sleep(250);
      missing = missing.filter((n) => this.completed(n).length < count);
    }
    return missing;
  }

  /**
   * Records when each of `names`' recordings first holds a keyframe's worth of bytes (inotify, no
   * polling); the watch ends once all are seen or after `timeoutMs`.
   */
  watchFirstMedia(names, timeoutMs = 20_000) {
    this.watcher?.close();
    const pending = new Set(names);
    const done = () => {
      clearTimeout(timer);
      this.watcher?.close();
      this.watcher = undefined;
    };
    const timer = setTimeout(done, timeoutMs);
    this.watcher = watch(this.recordDir, (_event, file) => {
      if (!file || !file.endsWith('.flv')) return;
      const name = file.slice(0, file.lastIndexOf('-'));
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

  /** Deletes finished recordings (a level's files once analysed). */
  clearCompleted() {
    for (const f of readdirSync(this.doneDir)) rmSync(join(this.doneDir, f), { force: true });
  }

  /** Bytes waiting in the kernel to reach nginx: the Send-Q of every connection to its port. */
  sendQueueBytes() {
    try {
      const out = execFileSync('ss', [
        '-tnH',
        'state',
        'established',
        `( dport = :${this.port} )`,
      ]).toString();
      return out
        .split('\n')
        .filter(Boolean)
        .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[1] ?? 0), 0);
    } catch {
      return null;
    }
  }

  stall() {
    process.kill(this.proc.pid, 'SIGSTOP');
    this.stalled = true;
  }

  resume() {
    if (this.stalled && this.proc?.pid) process.kill(this.proc.pid, 'SIGCONT');
    this.stalled = false;
  }

  async stop(removeFiles = true) {
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
    // nginx's exec_record_done hooks may still be moving files for a moment.
    for (let i = 0; removeFiles && i < 20; i++) {
      try {
        rmSync(this.dir, { recursive: true, force: true });
        break;
      } catch {
        await sleep(100);
      }
    }
  }

  async launch() {
    mkdirSync(this.recordDir, { recursive: true });
    mkdirSync(this.doneDir, { recursive: true });
    const events = join(this.dir, 'events.log');
    writeFileSync(join(this.dir, 'event.sh'), `echo "$(date +%s%3N) $1 $2" >> '${events}'\n`);
    writeFileSync(join(this.dir, 'done.sh'), `mv "$1" '${this.doneDir}'/"$(date +%s%N)-$(basename "$1")"\n`);
    const conf = join(this.dir, 'nginx.conf');
    writeFileSync(
      conf,
      `load_module ${RTMP_MODULE};
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log warn;
events { worker_connections 4096; }
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
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('error', (e) => (stderr += String(e)));
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
