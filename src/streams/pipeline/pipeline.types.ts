import type { PipelineState, PipelineStatus } from '../../contract/ingest-protocol';
import type { PipelineOutput } from './ffmpeg-args';
import type { Spawner } from './ffmpeg-process';
import type { Clock, RestartPolicyOptions } from './restart-policy';
import type { SessionSpawner } from './session-spawner';
import type { SpawnGate } from './spawn-gate';

export type { PipelineState };

/** Why a pipeline failed; the ingest session maps it to its socket's close code (`closeCodeForFailure`). */
export type PipelineFailureKind =
  | 'unsupported-media'
  | 'invalid-media'
  | 'gave-up'
  | 'spawn-failed'
  /** FFmpeg could not write its output: the disk is full. */
  | 'storage-full'
  /** A bug in the pipeline's own code, caught so it fails this stream only. */
  | 'internal';

/** FfmpegPipelineOptions.stallTimeoutMs when not set. */
export const DEFAULT_STALL_TIMEOUT_MS = 20_000;

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
   * RTMP output (and each restream target) through a loopback relay that puts the stream key in
   * (output-relays.ts), so it is never on FFmpeg's command line. FfmpegPipelineFactory turns it on;
   * off for a bare `new FfmpegPipeline` (unit tests with a fake spawn).
   */
  relay?: boolean;
  /** Stand-in for child_process.spawn (unit tests). */
  spawn?: Spawner;
  /** FFmpeg spawns one per turn, spaced out (FfmpegPipelineFactory shares one); none: at once. */
  spawnGate?: SpawnGate;
  /**
   * FFmpeg is started by this helper process, in a session (autogroup) of its own, not forked by
   * the app (FFMPEG_SPAWNER=session, the app's default; session-spawner.ts). None: spawned directly.
   */
  spawner?: SessionSpawner;
  /** Time source of the restart policy. */
  clock?: Clock;
  /**
   * Kill and restart FFmpeg when it has not read any input for this long although data waits
   * (its output connection is dead or frozen). 0 disables; default DEFAULT_STALL_TIMEOUT_MS.
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
  /** The pipeline gave up (for good: `failed` is a final state). */
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
