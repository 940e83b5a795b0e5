import type { PipelineState, PipelineStatus } from '../../contract/ingest-protocol';
import type { PipelineOutput } from './ffmpeg-args';
import type { Spawner } from './ffmpeg-process';
import type { Clock, RestartPolicyOptions } from './restart-policy';

export type { PipelineState };

/** Why a pipeline failed; `failureCloseCode` maps it to the ingest socket's close code. */
export type PipelineFailureKind =
  | 'unsupported-media'
  | 'invalid-media'
  | 'gave-up'
  | 'spawn-failed'
  /** FFmpeg could not write its output: the disk is full. */
  | 'storage-full'
  /** A bug in the pipeline's own code, caught so it fails this stream only. */
  | 'internal';

export interface FfmpegPipelineOptions {
  /** The mime type the client announced, e.g. `video/webm;codecs=h264,opus`. */
  mimeType: string;
  output: PipelineOutput;
  ffmpegPath: string;
  /** How logs name this stream: a masked stream key, never the key itself. */
  label: string;
  /** Bound of the queue in front of FFmpeg's stdin (default 8 MiB). */
  queueBytes?: number;
  /** Bound of the data kept since the last keyframe Cluster for restarts (default 4 MiB). */
  replayBytes?: number;
  restart: Omit<RestartPolicyOptions, 'clock'>;
  /**
   * Command prefix FFmpeg is started through (it must exec its arguments), e.g. `chrt --batch 0`;
   * FfmpegPipelineFactory sets SCHED_BATCH where it works. None by default.
   */
  launcher?: readonly string[];
  /**
   * RTMP output through a loopback relay that puts the stream key in (rtmp-relay.ts), so it is never
   * on FFmpeg's command line. The app's FfmpegPipelineFactory turns it on; off by default.
   */
  relay?: boolean;
  /** Stand-in for child_process.spawn (unit tests). */
  spawn?: Spawner;
  /** Time source of the restart policy. */
  clock?: Clock;
  /**
   * Kill and restart FFmpeg when it has not read any input for this long although data waits
   * (its output connection is dead or frozen). 0 disables; default 20 000 ms.
   */
  stallTimeoutMs?: number;
  /**
   * Called with the server-added latency of every write into FFmpeg's stdin (ms: arrival of the
   * chunk that completed the data in push() → the write), e.g. to feed a metric.
   */
  onWriteLatency?: (ms: number) => void;
  /** Period of `status` events while something changes (default 1000 ms). */
  statusIntervalMs?: number;
}

/** What the pipeline reports: the wire shape the ingest socket's `status` frames carry. */
export type PipelineStats = PipelineStatus;

export interface PipelineExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: string;
  /** The pipeline asked for it (stop, kill, failure, codec switch); false means a crash. */
  expected: boolean;
}

export interface PipelineRestart {
  pid: number | null;
  restarts: number;
  delayMs: number;
  /** Timestamp (ms) of the keyframe Cluster the new FFmpeg is fed from; null: waits for the next one. */
  replayFromMs: number | null;
  replayBytes: number;
}

export interface FfmpegPipelineEvents {
  /** On every state or congestion change, otherwise at most every `statusIntervalMs`. */
  status: [PipelineStats];
  /** The pipeline gave up; close the socket with `failureCloseCode(kind)`. */
  failed: [reason: string, kind: PipelineFailureKind];
  /** An FFmpeg process ended. */
  exit: [PipelineExit];
  /** A new FFmpeg was started after a crash. */
  restart: [PipelineRestart];
}

export class UnsupportedMediaError extends Error {
  override readonly name = 'UnsupportedMediaError';
  constructor(readonly mimeType: string) {
    super(`unsupported media type: ${mimeType}`);
  }
}

/** Ingest close codes (src/contract/close-codes.ts): 4013 unsupported media, 4500 pipeline gave up. */
export function failureCloseCode(kind: PipelineFailureKind): 4013 | 4500 {
  return kind === 'unsupported-media' || kind === 'invalid-media' ? 4013 : 4500;
}
