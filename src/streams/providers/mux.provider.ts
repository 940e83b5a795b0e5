import { Logger } from '@nestjs/common';
import Mux from '@mux/mux-node';
import type { AppConfig } from '../../config/app-config';
import { muxPlaybackUrl } from '../mux/mux-client';
import type { PipelineOutput } from '../pipeline/ffmpeg-args';
import {
  ProviderUnavailableError,
  ProvisionedStream,
  PublishedStream,
  PublishEnd,
  StreamProvider,
} from './stream-provider';

/**
 * Mux: live streams created with the real @mux/mux-node client (MUX_BASE_URL), RTMPS ingest to
 * MUX_RTMP_URL, every broadcast recorded (new_asset_settings). State comes back through webhooks.
 */
export class MuxProvider extends StreamProvider {
  readonly name = 'mux' as const;
  private readonly logger = new Logger(MuxProvider.name);

  constructor(
    /** The app's one Mux client (MUX_CLIENT). */
    private readonly mux: Mux,
    private readonly config: Pick<AppConfig, 'muxRtmpUrl' | 'muxRtmpCaFile' | 'reconnectWindowSec'>,
  ) {
    super();
  }

  async provision(): Promise<ProvisionedStream> {
    let stream: Mux.Video.LiveStream;
    try {
      stream = await this.mux.video.liveStreams.create({
        playback_policies: ['public'],
        // An MP4 of each recording for downloads (issue 12): the post's downloadUrl once Mux says so.
        new_asset_settings: { playback_policies: ['public'], static_renditions: [{ resolution: 'highest' }] },
        // Low latency defaults to 0 (every reconnect would split the recording): one asset per
        // broadcast needs the publisher's reconnects (and FFmpeg's restarts) inside this window.
        reconnect_window: this.config.reconnectWindowSec,
        latency_mode: 'low',
      });
    } catch (e) {
      // What Mux's client said stays in the log (it may name hosts and Mux's internals).
      this.logger.warn(`Mux did not create a live stream: ${(e as Error).message}`);
      throw new ProviderUnavailableError('Mux did not create the live stream; try again in a minute');
    }
    const playbackId =
      stream.playback_ids?.find((p) => p.policy === 'public')?.id ?? stream.playback_ids?.[0]?.id;
    if (!stream.stream_key || !playbackId)
      throw new ProviderUnavailableError('Mux answered without a stream key or playback id');
    return {
      providerStreamId: stream.id,
      streamKey: stream.stream_key,
      playbackId,
      playbackUrl: muxPlaybackUrl(playbackId),
    };
  }

  async resetKey(stream: PublishedStream): Promise<string> {
    let key: string | undefined;
    try {
      key = (await this.mux.video.liveStreams.resetStreamKey(stream.providerStreamId)).stream_key;
    } catch (e) {
      this.logger.warn(`Mux did not reset the key of ${stream.providerStreamId}: ${(e as Error).message}`);
      throw new ProviderUnavailableError('Mux did not reset the stream key; try again in a minute');
    }
    if (!key) throw new ProviderUnavailableError('Mux answered without a stream key');
    return key;
  }

  ingestTarget(stream: PublishedStream): PipelineOutput {
    return {
      kind: 'rtmp',
      url: `${this.config.muxRtmpUrl}/${stream.streamKey}`,
      caFile: this.config.muxRtmpCaFile,
    };
  }

  async publishStarted(): Promise<void> {}

  /** Mux keeps the broadcast open for `reconnect_window` and reports its end by webhook. */
  async publishInterrupted(): Promise<void> {}

  /** The creator pressed Stop: tell Mux the broadcast is over, so the recording is finalised now. */
  async publishEnded(stream: PublishedStream, how: PublishEnd): Promise<void> {
    if (how !== 'stopped') return; // a drop may reconnect within the reconnect window
    try {
      await this.mux.video.liveStreams.complete(stream.providerStreamId);
    } catch (e) {
      this.logger.warn(`could not signal completion of ${stream.providerStreamId}: ${(e as Error).message}`);
    }
  }
}
