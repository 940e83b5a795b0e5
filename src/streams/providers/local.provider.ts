import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { LiveStateService } from '../live-state.service';
import { HLS_PLAYLIST, type PipelineOutput } from '../pipeline/ffmpeg-args';
import { makeDownload, makePoster, newestSegment, POSTER_FILE } from './local-derivatives';
import { finishLiveFolder, markRecorded, type PendingRecording, pendingRecordings } from './local-recordings';
import { ProvisionedStream, PublishedStream, PublishEnd, StreamProvider } from './stream-provider';

export const MEDIA_PREFIX = '/media';
/** While live, the poster is taken again from the newest segment this often. */
export const LIVE_POSTER_INTERVAL_MS = 10_000;

/** Where a live stream's poster is: Mux's thumbnail, or the JPEG the local provider keeps taking. */
export function livePosterUrl(provider: string, playbackId: string | null): string | null {
  if (!playbackId) return null;
  return provider === 'mux'
    ? `https://image.mux.com/${playbackId}/thumbnail.jpg`
    : `${MEDIA_PREFIX}/live/${playbackId}/${POSTER_FILE}`;
}

/**
 * The embedded media provider: our own ids and keys, FFmpeg writes live HLS into DATA_DIR/media, and
 * when a broadcast ends its playlist becomes a VOD asset. It reports the same state changes Mux's
 * webhooks would, through LiveStateService, so the rest of the app cannot tell the difference.
 */
export class LocalProvider extends StreamProvider {
  readonly name = 'local' as const;
  private readonly logger = new Logger(LocalProvider.name);
  private readonly mediaDir: string;
  private readonly watchers = new Map<string, NodeJS.Timeout>();
  private readonly posters = new Map<string, NodeJS.Timeout>();
  private readonly ffmpegPath: string;

  constructor(
    config: Pick<AppConfig, 'dataDir' | 'ffmpegPath'>,
    private readonly live: LiveStateService,
  ) {
    super();
    this.mediaDir = join(config.dataDir, 'media');
    this.ffmpegPath = config.ffmpegPath;
  }

  async provision(): Promise<ProvisionedStream> {
    const playbackId = randomBytes(12).toString('base64url');
    return {
      providerStreamId: `local_${randomUUID()}`,
      streamKey: randomBytes(24).toString('base64url'),
      playbackId,
      playbackUrl: `${MEDIA_PREFIX}/live/${playbackId}/${HLS_PLAYLIST}`,
    };
  }

  async resetKey(): Promise<string> {
    return randomBytes(24).toString('base64url');
  }

  ingestTarget(stream: PublishedStream): PipelineOutput {
    return { kind: 'hls', dir: this.liveDir(stream) };
  }

  async publishStarted(stream: PublishedStream, resumed: boolean): Promise<void> {
    const dir = this.liveDir(stream);
    if (resumed) {
      // The same broadcast goes on: FFmpeg appends to its playlist after a discontinuity.
      await mkdir(dir, { recursive: true });
      this.watchForFirstSegment(stream);
      return;
    }
    // A new broadcast starts with an empty live folder. Media left there (a broadcast whose end
    // could not be recorded) is never deleted: it becomes that broadcast's recording first.
    const leftover = await finishLiveFolder(dir, this.vodRoot, stream.providerStreamId, new Date());
    if (leftover) {
      this.logger.warn(
        `stream ${stream.id}: an unfinished recording was left; it becomes ${leftover.assetId}`,
      );
      await this.record(leftover);
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const connectedAt = new Date();
    await this.live.applyChange(stream.providerStreamId, 'connected', connectedAt);
    this.watchForFirstSegment(stream, connectedAt);
  }

  /** The broadcast stays live (and its folder as it is) while the publisher may reconnect. */
  async publishInterrupted(stream: PublishedStream): Promise<void> {
    this.stopWatching(stream);
    this.stopPosters(stream);
  }

  /**
   * The stream is "active" (watchable) once FFmpeg has written a playlist with a segment, as Mux reports it.
   * A new broadcast's start is dated back to its first media (now minus the first segment's length, never
   * before "connected"), so offsets from it (chat replay) match the recording's own time.
   */
  private watchForFirstSegment(stream: PublishedStream, connectedAt?: Date): void {
    const playlist = join(this.liveDir(stream), HLS_PLAYLIST);
    const timer = setInterval(() => {
      void readFile(playlist, 'utf8')
        .then(async (text) => {
          if (!text.includes('#EXTINF') || this.watchers.get(stream.id) !== timer) return;
          this.stopWatching(stream);
          this.startPosters(stream);
          await this.live.applyChange(stream.providerStreamId, 'active', mediaStart(text, connectedAt));
        })
        .catch(() => undefined); // not written yet
    }, 200);
    timer.unref();
    this.stopWatching(stream);
    this.watchers.set(stream.id, timer);
  }

  private stopWatching(stream: PublishedStream): void {
    clearInterval(this.watchers.get(stream.id));
    this.watchers.delete(stream.id);
  }

  /** The live card's poster: a frame of the newest segment, now and every 10 s while live. */
  private startPosters(stream: PublishedStream): void {
    this.stopPosters(stream);
    const dir = this.liveDir(stream);
    let busy = false;
    const take = () => {
      if (busy) return;
      busy = true;
      void newestSegment(dir)
        .then((seg) => (seg ? makePoster(this.ffmpegPath, seg, dir, 0) : undefined))
        .catch(() => undefined) // the broadcast ended meanwhile, or a segment without a frame: next time
        .finally(() => (busy = false));
    };
    take();
    const timer = setInterval(take, LIVE_POSTER_INTERVAL_MS);
    timer.unref();
    this.posters.set(stream.id, timer);
  }

  private stopPosters(stream: PublishedStream): void {
    clearInterval(this.posters.get(stream.id));
    this.posters.delete(stream.id);
  }

  /**
   * The live folder becomes the VOD folder first (no database needed), then the stream goes idle
   * and the recording gets its post. What fails after the rename is finished by recoverUnfinished().
   */
  async publishEnded(stream: PublishedStream, how: PublishEnd): Promise<void> {
    this.stopWatching(stream);
    this.stopPosters(stream);
    const endedAt = new Date();
    const recording = await finishLiveFolder(
      this.liveDir(stream),
      this.vodRoot,
      stream.providerStreamId,
      endedAt,
    );
    await this.live.applyChange(stream.providerStreamId, 'idle', endedAt);
    if (!recording) return;
    this.logger.log(
      `broadcast on ${stream.id} ended (${how}); recording ${recording.assetId}, ${recording.durationSec} s`,
    );
    await this.record(recording);
  }

  /** Recordings whose post could not be made when their broadcast ended (e.g. a database blip). */
  override async recoverUnfinished(): Promise<void> {
    for (const pending of await pendingRecordings(this.vodRoot)) {
      this.logger.warn(`finishing recording ${pending.assetId} of ${pending.providerStreamId}`);
      await this.record(pending);
    }
  }

  private async record(r: PendingRecording): Promise<void> {
    await this.live.recordingReady(
      r.providerStreamId,
      {
        assetId: r.assetId,
        playbackId: r.assetId,
        playbackUrl: `${MEDIA_PREFIX}/vod/${r.assetId}/${HLS_PLAYLIST}`,
        durationSec: r.durationSec,
        ...(await this.derive(r.assetId)),
      },
      new Date(r.endedAt),
    );
    await markRecorded(this.vodRoot, r.assetId);
  }

  /** The recording's MP4 and poster, made before its post (a failure costs the extra, never the post). */
  private async derive(assetId: string): Promise<{ localDownload: boolean; posterUrl: string | null }> {
    const dir = join(this.vodRoot, assetId);
    const playlist = join(dir, HLS_PLAYLIST);
    let localDownload = false;
    let posterUrl: string | null = null;
    try {
      await makeDownload(this.ffmpegPath, dir);
      localDownload = true;
    } catch (e) {
      this.logger.warn(`recording ${assetId}: no MP4 download (${(e as Error).message})`);
    }
    try {
      await makePoster(this.ffmpegPath, playlist, dir, 1).catch(() =>
        makePoster(this.ffmpegPath, playlist, dir, 0),
      );
      posterUrl = `${MEDIA_PREFIX}/vod/${assetId}/${POSTER_FILE}`;
    } catch (e) {
      this.logger.warn(`recording ${assetId}: no poster (${(e as Error).message})`);
    }
    return { localDownload, posterUrl };
  }

  private get vodRoot(): string {
    return join(this.mediaDir, 'vod');
  }

  private liveDir(stream: PublishedStream): string {
    if (!stream.playbackId || !/^[\w-]+$/.test(stream.playbackId))
      throw new Error('local stream without a playback id');
    return join(this.mediaDir, 'live', stream.playbackId);
  }
}

/** When a new broadcast's first media was captured: now minus its first segment, after `connectedAt`. */
export function mediaStart(playlist: string, connectedAt: Date | undefined, now = Date.now()): Date {
  const seconds = Number(/#EXTINF:([\d.]+)/.exec(playlist)?.[1]);
  if (!connectedAt || !Number.isFinite(seconds)) return new Date(now);
  return new Date(Math.min(now, Math.max(connectedAt.getTime() + 1, now - Math.round(seconds * 1000))));
}
