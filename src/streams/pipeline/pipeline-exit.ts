import type { Logger } from '@nestjs/common';
import { endHlsPlaylist } from './hls-append';
import type { PipelineFailureKind } from './pipeline.types';
import { type ProcessExit, describeExit } from './ffmpeg-process';

/** Output that cannot be written is not worth a restart: FFmpeg's words for a full disk. */
const DISK_FULL = /No space left on device|Disk quota exceeded/i;

/** A one-line reason for an exit of the pipeline's current FFmpeg (never contains the stream key). */
export function exitReason(
  exit: ProcessExit,
  how: { stalled: boolean; stallTimeoutMs: number; relayError: string | null },
  mask: (text: string) => string,
): string {
  const base = how.stalled
    ? `stalled: no input read for ${how.stallTimeoutMs} ms, killed`
    : describeExit(exit, mask);
  return base + (how.relayError ? ` (relay: ${how.relayError})` : '');
}

/** An FFmpeg exit that no restart can help: it fails the pipeline at once. Null: a crash to retry. */
export function fatalExit(
  exit: ProcessExit,
  reason: string,
): { kind: PipelineFailureKind; reason: string } | null {
  if (exit.spawnError) return { kind: 'spawn-failed', reason };
  if (exit.stderr.some((l) => DISK_FULL.test(l)))
    return { kind: 'storage-full', reason: `the server's media disk is full (${reason})` };
  return null;
}

/** The pipeline stopped (not killed): its HLS playlist gets #EXT-X-ENDLIST; a failure is only logged. */
export function endPlaylist(dir: string, log: Logger, label: string): void {
  try {
    endHlsPlaylist(dir);
  } catch (e) {
    log.warn(`[${label}] could not end the playlist: ${(e as Error).message}`);
  }
}
