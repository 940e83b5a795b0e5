/** Settings that bound what the ingest side (and sign-in) admits (issue 16, items 2, 10 and 13). Parsed by app-config. */
import { existsSync } from 'node:fs';

export interface IngestLimits {
  /** Sockets from one address that have not authenticated yet (upgrading, or waiting for their hello's answer). */
  preauthSocketsPerIp: number;
  /** A WebSocket upgrade (or any request) whose headers have not all arrived by then is closed. */
  upgradeTimeoutMs: number;
  /** Hellos one user may send per minute; more are closed with 4029. */
  publishesPerUserPerMinute: number;
  /**
   * Failed sign-ins (a token that does not verify: HTTP bearer, ingest hello, room join) one address
   * may cause per minute; past it, its bad tokens get 429 / close 4029 (good tokens always pass).
   */
  authFailuresPerIpPerMinute: number;
  /** FFmpeg pipelines this instance runs at most; publishers beyond it are closed with 4503. */
  maxPipelines: number;
  /** Hellos being admitted at the same time; the rest wait their turn (a reconnect storm is paced). */
  admissionConcurrency: number;
  /** FFmpeg processes started per second at most (each spawn blocks the event loop briefly). */
  pipelineStartsPerSecond: number;
  /** WebSocket messages per second one publisher may send (averaged over 2 s); more close with 4029. */
  maxMessagesPerSecond: number;
  /** FFmpeg killed by the stall watchdog this many times within 5 minutes: the publish gives up (4500). */
  maxStallRestarts: number;
  /** FFmpeg's nice value (0–19; 0: as the app) with `ffmpegSched` batch: under CPU overload the event loop comes first. */
  ffmpegNice: number;
  /** FFmpeg's scheduling policy: `idle` (only the CPU the app leaves) or `batch` (niced by `ffmpegNice`). */
  ffmpegSched: FfmpegSched;
  /** Who forks FFmpeg: `session` (a helper process in a session of its own) or `direct` (the app). */
  ffmpegSpawner: FfmpegSpawnerKind;
}

/** FFMPEG_SPAWNER: see session-spawner.ts. */
export type FfmpegSpawnerKind = 'session' | 'direct';
export const FFMPEG_SPAWNERS: readonly FfmpegSpawnerKind[] = ['session', 'direct'];

/** How FFmpeg is scheduled (FFMPEG_SCHED): `idle`, or `batch` niced by FFMPEG_NICE (ffmpeg-launcher.ts). */
export type FfmpegSched = 'idle' | 'batch';
export const FFMPEG_SCHEDS: readonly FfmpegSched[] = ['idle', 'batch'];

interface EnvReader {
  readonly problems: string[];
  str(name: string): string | null;
  int(name: string, fallback: number, min: number, max: number): number;
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
}

export function parseIngestLimits(r: EnvReader): IngestLimits {
  return {
    preauthSocketsPerIp: r.int('INGEST_PREAUTH_SOCKETS_PER_IP', 50, 1, 100_000),
    upgradeTimeoutMs: r.int('UPGRADE_TIMEOUT_MS', 10_000, 1_000, 120_000),
    publishesPerUserPerMinute: r.int('INGEST_PUBLISHES_PER_USER_PER_MINUTE', 30, 1, 100_000),
    authFailuresPerIpPerMinute: r.int('SIGN_IN_FAILURES_PER_IP_PER_MINUTE', 30, 1, 1_000_000),
    maxPipelines: r.int('MAX_PIPELINES', 200, 1, 100_000),
    admissionConcurrency: r.int('INGEST_ADMISSION_CONCURRENCY', 8, 1, 1_000),
    pipelineStartsPerSecond: r.int('INGEST_PIPELINE_STARTS_PER_SECOND', 25, 1, 1_000),
    maxMessagesPerSecond: r.int('INGEST_MAX_MESSAGES_PER_SECOND', 60, 5, 100_000),
    maxStallRestarts: r.int('PIPELINE_MAX_STALL_RESTARTS', 3, 1, 1_000),
    ffmpegNice: r.int('FFMPEG_NICE', 10, 0, 19),
    ffmpegSched: r.oneOf('FFMPEG_SCHED', FFMPEG_SCHEDS, 'batch'),
    ffmpegSpawner: r.oneOf('FFMPEG_SPAWNER', FFMPEG_SPAWNERS, 'session'),
  };
}

/** CA bundles of the usual distributions; the first that exists is what FFmpeg verifies RTMPS peers with. */
export const SYSTEM_CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL
  '/etc/ssl/cert.pem', // macOS, Alpine
];

/** `MUX_RTMP_CA_FILE` (a private CA for the RTMPS endpoint) or the system bundle; null when none exists. */
export function parseRtmpCaFile(
  r: Pick<EnvReader, 'problems' | 'str'>,
  name = 'MUX_RTMP_CA_FILE',
): string | null {
  const file = r.str(name);
  if (file === null) return SYSTEM_CA_FILES.find((f) => existsSync(f)) ?? null;
  if (!existsSync(file)) r.problems.push(`${name}: no such file "${file}"`);
  return file;
}
