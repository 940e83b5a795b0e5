import type { Logger } from '@nestjs/common';
import { type ByteQueue, INIT_CLUSTER, type QueueItem } from './byte-queue';
import { type IngestCodecs, codecsFromTracks, describeCodecs, sameCodecs } from './ffmpeg-args';
import type { PipelineFailureKind, PipelineRestart } from './pipeline.types';
import type { ReplayBuffer } from './replay-buffer';
import { WebmSplitter } from './webm-splitter';
import type { InitSegment, WebmFragment } from './webm-types';

/** What the input asks of its pipeline. */
export interface PipelineInputHost {
  /** The first header's Tracks contradict the announced mime type: FFmpeg restarts with `codecs`. */
  codecsCorrected(): void;
  fail(kind: PipelineFailureKind, reason: string): void;
}

/**
 * The pipeline's input: WebM chunks from the socket, split into the init segment and Cluster
 * fragments for FFmpeg's queue (and the replay buffer a restarted FFmpeg is fed from), and the codecs
 * FFmpeg is started for (the Tracks win over the announced mime type).
 */
export class PipelineInput {
  private readonly splitter = new WebmSplitter();
  bytesIn = 0;
  /** performance.now() of the latest chunk: when the data it completes arrived. */
  private arrivedAt = 0;
  /** The init segment of the current WebM stream (replayed to a restarted FFmpeg). */
  initItem: QueueItem | undefined;

  constructor(
    /** The codecs of the current WebM stream. */
    public codecs: IngestCodecs,
    private readonly mimeType: string,
    private readonly label: string,
    private readonly queue: ByteQueue,
    private readonly replay: ReplayBuffer,
    private readonly log: Logger,
    private readonly host: PipelineInputHost,
  ) {
    this.splitter.on('init', (init) => this.onInit(init));
    this.splitter.on('fragment', (fragment) => this.onFragment(fragment));
    this.splitter.on('error', (err) => host.fail('invalid-media', `invalid WebM: ${err.message}`));
  }

  push(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.arrivedAt = performance.now();
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
  }

  /** Highest WebM media time (ms) parsed in the current WebM stream. */
  get mediaMs(): number {
    return Math.round(this.splitter.mediaMs);
  }

  /** How many WebM streams (EBML headers) the input has carried. */
  get segments(): number {
    return this.splitter.segments;
  }

  private onInit(init: InitSegment): void {
    const fromTracks = codecsFromTracks(init.tracks);
    if (!fromTracks) {
      const ids = init.tracks.map((t) => t.codecId).join(', ');
      return this.host.fail('unsupported-media', `unsupported tracks: ${ids}`);
    }
    const newStream = !!this.initItem;
    if (newStream) {
      // The client restarted its recorder on the same socket (a new quality, maybe a new resolution
      // or codec): the current FFmpeg gets everything of the previous stream, then the end of its
      // input, and finishes its output; a new FFmpeg continues the same output (HLS: appended after
      // a discontinuity; RTMP: a new publish inside the provider's reconnect window) from the new header.
      this.log.log(
        `[${this.label}] new WebM stream #${init.segment} on the socket (${describeCodecs(fromTracks)})`,
      );
      this.codecs = fromTracks;
      this.replay.clear(); // its data needs the previous header
    } else if (!sameCodecs(fromTracks, this.codecs)) {
      // The bytes win over the announced mime type: restart FFmpeg with the right arguments.
      this.log.warn(
        `[${this.label}] mime type ${this.mimeType} but Tracks say ${JSON.stringify(fromTracks)}`,
      );
      this.codecs = fromTracks;
      this.host.codecsCorrected();
    }
    this.initItem = {
      data: init.data,
      cluster: INIT_CLUSTER,
      clusterStart: false,
      keyframe: false,
      arrivedAt: this.arrivedAt,
      ...(newStream && { newStream: true }),
    };
    this.queue.push(this.initItem);
  }

  private onFragment(f: WebmFragment): void {
    const { data, cluster, clusterStart, keyframe } = f;
    const item: QueueItem = { data, cluster, clusterStart, keyframe, arrivedAt: this.arrivedAt };
    this.replay.add(item, f.timestampMs);
    this.queue.push(item);
  }

  /** FFmpeg's output has reached `outTimeMs`: data before it is no longer needed for a replay. */
  written(outTimeMs: number): void {
    this.replay.trim(outTimeMs);
  }

  /**
   * Feeds a restarted FFmpeg (started by `spawn`): the init segment, then everything since the last
   * keyframe Cluster; without an init segment yet, it waits for the next keyframe Cluster.
   */
  refeed(spawn: () => void): Pick<PipelineRestart, 'replayFromMs' | 'replayBytes'> {
    const replayed = this.replay.snapshot();
    this.queue.clear(replayed[0]?.cluster ?? Number.POSITIVE_INFINITY);
    spawn();
    const init = this.initItem;
    if (!init) return { replayFromMs: null, replayBytes: 0 };
    this.queue.pushUnconditionally(init);
    for (const item of replayed) this.queue.pushUnconditionally(item);
    return { replayFromMs: this.replay.startMs, replayBytes: this.replay.bytes };
  }
}
