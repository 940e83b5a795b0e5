import { mkdir, readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';

export interface MediaSpace {
  freeBytes: number;
  totalBytes: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;
/** Walking the recordings is not free: its total is reused for this long. */
const USAGE_TTL_MS = 5_000;

/** Bytes of every file under `dir` (0 when it does not exist). */
async function treeBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(path);
    else if (e.isFile())
      total += await stat(path).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/**
 * DATA_DIR/media, where the local provider's FFmpeg writes live HLS and keeps recordings (issue 16
 * item 6): its free space (statfs) for /health and `vybzz_media_free_bytes`, and whether a new local
 * broadcast may start — not below LOCAL_MIN_FREE_MB free, not once the recordings take
 * LOCAL_RECORDING_MAX_GB. Nothing here deletes media: a full disk refuses new broadcasts instead,
 * because a recording is a VOD post's video.
 */
@Injectable()
export class MediaStorage {
  readonly dir: string;
  private usage: { at: number; bytes: number } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.dir = join(config.dataDir, 'media');
    const space = () => this.space();
    new Gauge({
      name: 'vybzz_media_free_bytes',
      help: 'Free bytes on the file system of DATA_DIR/media (local HLS output and recordings)',
      registers: [metrics.registry],
      async collect() {
        this.set((await space()).freeBytes);
      },
    });
  }

  /** Only the local provider writes media. */
  get inUse(): boolean {
    return this.config.mux === null;
  }

  async space(): Promise<MediaSpace> {
    await mkdir(this.dir, { recursive: true });
    const s = await statfs(this.dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }

  /** True when a local broadcast may write: enough free space (what /health reports). */
  async hasRoom(space?: MediaSpace): Promise<boolean> {
    return (space ?? (await this.space())).freeBytes >= this.config.localMinFreeMb * MB;
  }

  /** Why a new local broadcast may not start now, or null when it may. */
  async refusal(): Promise<string | null> {
    if (!this.inUse) return null;
    const space = await this.space();
    if (!(await this.hasRoom(space))) {
      const free = (space.freeBytes / MB).toFixed(1);
      return `the server's media disk is full (${free} MB free, LOCAL_MIN_FREE_MB=${this.config.localMinFreeMb})`;
    }
    const max = this.config.localRecordingMaxGb;
    if (max !== null && (await this.recordingsBytes()) >= max * GB) {
      return `the recordings have reached LOCAL_RECORDING_MAX_GB=${max}: the operator must make room`;
    }
    return null;
  }

  /**
   * Watches a running local broadcast's output folder: FFmpeg's HLS muxer writes empty segments and
   * exits 0 on a full disk, without a word. Calls `onFull` once when free space drops below a quarter
   * of LOCAL_MIN_FREE_MB, or a finished segment is empty. Returns the function that stops watching.
   */
  watch(outputDir: string, onFull: (reason: string) => void, everyMs = 500): () => void {
    const floor = (this.config.localMinFreeMb * MB) / 4;
    let done = false;
    const check = async () => {
      const { freeBytes } = await this.space();
      if (freeBytes < floor)
        return `the server's media disk is full (${(freeBytes / MB).toFixed(1)} MB free)`;
      const segments = (await readdir(outputDir)).filter((f) => f.endsWith('.ts')).sort();
      for (const f of segments.slice(0, -1)) {
        if ((await stat(join(outputDir, f))).size === 0)
          return `the server's media disk is full: FFmpeg wrote an empty segment (${f})`;
      }
      return null;
    };
    const timer = setInterval(() => {
      void check()
        .then((reason) => {
          if (reason && !done) {
            done = true;
            clearInterval(timer);
            onFull(reason);
          }
        })
        .catch(() => undefined); // the folder is not there yet, or was just moved
    }, everyMs);
    timer.unref();
    return () => {
      done = true;
      clearInterval(timer);
    };
  }

  private async recordingsBytes(): Promise<number> {
    const now = Date.now();
    if (!this.usage || now - this.usage.at > USAGE_TTL_MS) {
      this.usage = { at: now, bytes: await treeBytes(this.dir) };
    }
    return this.usage.bytes;
  }
}

@Global()
@Module({ providers: [MediaStorage], exports: [MediaStorage] })
export class MediaStorageModule {}
