import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { LiveStateService } from '../live-state.service';
import { HLS_PLAYLIST, type PipelineOutput } from '../pipeline/ffmpeg-args';
import { ProvisionedStream, PublishedStream, PublishEnd, StreamProvider } from './stream-provider';

export const MEDIA_PREFIX = '/media';

/** Total media duration of an HLS playlist (sum of #EXTINF), or null when it has no segment. */
export function playlistDuration(m3u8: string): number | null {
  const durations = [...m3u8.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
  return durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) * 100) / 100 : null;
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

  constructor(
    config: Pick<AppConfig, 'dataDir'>,
    private readonly live: LiveStateService,
  ) {
    super();
    this.mediaDir = join(config.dataDir, 'media');
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

  async publishStarted(stream: PublishedStream): Promise<void> {
    // A new broadcast starts with an empty live folder (the previous one became a VOD asset).
    await rm(this.liveDir(stream), { recursive: true, force: true });
    await mkdir(this.liveDir(stream), { recursive: true });
    await this.live.applyChange(stream.providerStreamId, 'connected', new Date());
    this.watchForFirstSegment(stream);
  }

  /** The stream is "active" (watchable) once FFmpeg has written a playlist with a segment, as Mux reports it. */
  private watchForFirstSegment(stream: PublishedStream): void {
    const playlist = join(this.liveDir(stream), HLS_PLAYLIST);
    const timer = setInterval(() => {
      void readFile(playlist, 'utf8')
        .then(async (text) => {
          if (!text.includes('#EXTINF') || this.watchers.get(stream.id) !== timer) return;
          this.stopWatching(stream);
          await this.live.applyChange(stream.providerStreamId, 'active', new Date());
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

  async publishEnded(stream: PublishedStream, how: PublishEnd): Promise<void> {
    this.stopWatching(stream);
    const endedAt = new Date();
    await this.live.applyChange(stream.providerStreamId, 'idle', endedAt);
    const dir = this.liveDir(stream);
    const playlistFile = join(dir, HLS_PLAYLIST);
    if (!existsSync(playlistFile)) return;
    const playlist = await readFile(playlistFile, 'utf8');
    const durationSec = playlistDuration(playlist);
    if (durationSec === null) return;
    // A pipeline that was killed never wrote the end marker; the recording is complete all the same.
    if (!playlist.includes('#EXT-X-ENDLIST')) await appendFile(playlistFile, '#EXT-X-ENDLIST\n');
    const assetId = `local_asset_${randomUUID()}`;
    const vodDir = join(this.mediaDir, 'vod', assetId);
    await mkdir(join(this.mediaDir, 'vod'), { recursive: true });
    await rename(dir, vodDir);
    this.logger.log(`broadcast on ${stream.id} ended (${how}); recording ${assetId}, ${durationSec} s`);
    await this.live.recordingReady(
      stream.providerStreamId,
      {
        assetId,
        playbackId: assetId,
        playbackUrl: `${MEDIA_PREFIX}/vod/${assetId}/${HLS_PLAYLIST}`,
        durationSec,
      },
      endedAt,
    );
  }

  private liveDir(stream: PublishedStream): string {
    if (!stream.playbackId || !/^[\w-]+$/.test(stream.playbackId))
      throw new Error('local stream without a playback id');
    return join(this.mediaDir, 'live', stream.playbackId);
  }
}
