import { rungLabel } from './adaptation';
import type { Rung } from './adaptation';
import { KEYFRAME_INTERVAL_MS, TIMESLICE_MS } from './policy';
import type { IngestDeps, RecorderLike } from './types';

export interface RecorderEvents {
  /** A chunk of recording `segment` (each recorder is one WebM segment, numbered from 1). */
  chunk(segment: number, blob: Blob): void;
  /**
   * Recording `segment` started at `rung`; `quality` names it at the height the camera track reports
   * (until the recording's WebM header tells the height really encoded).
   */
  started(segment: number, quality: string, rung: Rung): void;
  /** The recorder could not start or failed while recording: streaming cannot go on. */
  failed(message: string, reason: string): void;
  /** Whether the creator stopped (a recorder that finishes starting after that is released). */
  stopped(): boolean;
}

/**
 * The one MediaRecorder of the ingest client at a time (issue 13): started at a rung of the quality
 * ladder (on a scaled copy of the camera when `deps.scaleMedia` gives one), restarted at another rung
 * (the old recorder's last chunk still comes out before the new one's header), dropped. Its chunks
 * go to `events.chunk` tagged with the segment (recorder) they belong to.
 */
export class RecorderSlot {
  private recorder: RecorderLike | null = null;
  private release: (() => void) | null = null;
  /** Recorders started so far; the latest one's number. */
  private segment = 0;

  constructor(
    private readonly deps: IngestDeps,
    private readonly events: RecorderEvents,
  ) {}

  /** The recorder in use (null while none, or while a new one is starting). */
  get current(): RecorderLike | null {
    return this.recorder;
  }

  /** A recorder at `rung`; chunks of an older one still arriving keep their own segment number. */
  async start(rung: Rung): Promise<void> {
    const seg = ++this.segment;
    let media = this.deps.media;
    let release: (() => void) | null = null;
    let height: number | null = rung.height;
    if (this.deps.scaleMedia) {
      try {
        ({ media, release, height } = await this.deps.scaleMedia(this.deps.media, rung.height));
      } catch {
        media = this.deps.media; // keep streaming at the camera's own size
      }
    }
    if (seg !== this.segment || this.events.stopped()) {
      release?.();
      return;
    }
    let rec: RecorderLike;
    try {
      rec = this.deps.createRecorder(media, {
        mimeType: this.deps.mimeType,
        videoBitsPerSecond: rung.videoBps,
        audioBitsPerSecond: rung.audioBps,
        videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
      });
    } catch (e) {
      release?.();
      this.events.failed(`The browser could not start recording: ${(e as Error).message}`, 'recorder failed');
      return;
    }
    rec.ondataavailable = (ev) => {
      if (ev.data.size > 0) this.events.chunk(seg, ev.data);
    };
    rec.onerror = () => {
      if (this.recorder !== rec) return;
      this.events.failed(
        'Recording stopped unexpectedly (was the camera or microphone disconnected?).',
        'recorder error',
      );
    };
    this.recorder = rec;
    this.release = release;
    this.events.started(seg, rungLabel({ ...rung, height: height ?? rung.height }), rung);
    rec.start(TIMESLICE_MS);
  }

  /** A new recorder at `rung`; the old one's last chunk still goes out before the new header. */
  restart(rung: Rung): void {
    const old = this.recorder;
    const oldRelease = this.release;
    this.recorder = null;
    this.release = null;
    if (old) {
      old.onstop = () => oldRelease?.();
      old.onerror = null;
      try {
        old.stop();
      } catch {
        oldRelease?.();
      }
    }
    void this.start(rung);
  }

  /** Stop Streaming: stops the recorder (its last chunk comes out), then `then`; false without one. */
  finish(then: () => void): boolean {
    const rec = this.recorder;
    if (!rec || rec.state === 'inactive') return false;
    rec.onstop = then;
    rec.stop();
    return true;
  }

  /** Stops and forgets the recorder without its last chunk, and releases a scaled camera. */
  drop(): void {
    const rec = this.recorder;
    this.recorder = null;
    this.release?.();
    this.release = null;
    if (!rec) return;
    rec.ondataavailable = null;
    rec.onstop = null;
    rec.onerror = null;
    if (rec.state !== 'inactive') {
      try {
        rec.stop();
      } catch {
        /* already stopped */
      }
    }
  }
}
