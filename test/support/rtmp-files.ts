/**
 * What the RTMP receiver (rtmp-receiver.ts) reads back from its nginx: the recordings, which of them
 * nginx still writes, the publish events its exec hooks log, and its error log; and its config.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export interface PublishEvent {
  kind: 'publish' | 'publish_done';
  name: string;
  /** Date.now() when nginx ran the hook. */
  atMs: number;
}

export interface Recording {
  path: string;
  /** nginx has closed the file (its publish ended). */
  complete: boolean;
  bytes: number;
}

/** The `.flv` files of `dirs` in that order (each sorted by name), optionally of one stream key. */
export function listRecordings(dirs: string[], key: string | undefined, open: Set<string>): Recording[] {
  const escaped = key?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped === undefined ? /\.flv$/ : new RegExp(`^(\\d+-)?${escaped}\\.flv$`);
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => pattern.test(f))
          .sort()
          .flatMap((f) => {
            const path = join(dir, f);
            try {
              return [{ path, complete: !open.has(path), bytes: statSync(path).size }];
            } catch {
              return []; // moved aside between readdir and stat: the next call sees it in done/
            }
          })
      : [],
  );
}

/** Paths a process holds open (its file descriptors in /proc); empty when it is gone. */
export function openFilesOf(pid: number | undefined): Set<string> {
  const open = new Set<string>();
  if (pid === undefined) return open;
  const fdDir = `/proc/${pid}/fd`;
  let fds: string[] = [];
  try {
    fds = readdirSync(fdDir);
  } catch {
    return open;
  }
  for (const fd of fds) {
    try {
      open.add(readlinkSync(join(fdDir, fd)));
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

/** The `<ms> <kind> <name>` lines the exec hooks append, optionally of one stream key. */
export function readPublishEvents(file: string, key?: string): PublishEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [atMs, kind, name] = line.split(' ');
      return { atMs: Number(atMs), kind: kind as PublishEvent['kind'], name: name ?? '' };
    })
    .filter((e) => key === undefined || e.name === key);
}

/** nginx's log lines about publishing and recording (refusals, record errors); keys cut to 6 chars. */
export function nginxDiagnostics(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /publish|record|already|error|crit/i.test(l) && !/exec_publish|exec: starting/.test(l))
    .map((l) => l.replace(/([0-9a-f]{6})[0-9a-f]{20,}/gi, '$1…'))
    .slice(-60);
}

/**
 * nginx-rtmp on `port`, one process, recording every publish of `app` to `<recordDir>/<key>.flv`.
 * nginx names the recording by the stream alone; the on_publish hook (`hookUrl`) moves the previous
 * one aside before nginx opens it again. Appending (never truncating) keeps a recording safe should
 * the hook ever miss one. The exec hooks log publish events to events.log.
 */
export function nginxConf(dir: string, port: number, recordDir: string, hookUrl: string): string {
  return `load_module ${RTMP_MODULE};
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    chunk_size 4096;
    application app {
      live on;
      record all;
      record_path ${recordDir};
      record_unique off;
      record_append on;
      exec_publish /bin/sh ${dir}/event.sh publish $name;
      exec_publish_done /bin/sh ${dir}/event.sh publish_done $name;
      on_publish ${hookUrl};
    }
  }
}
`;
}
