import type { Logger } from '@nestjs/common';
import type { StateMachine } from '../../common/state-machine';
import type { ByteQueue } from './byte-queue';
import type { FfmpegProcess, ProcessExit } from './ffmpeg-process';
import type { FfmpegSlot } from './ffmpeg-slot';
import { exitReason, fatalExit } from './pipeline-exit';
import type { PipelineInput } from './pipeline-input';
import type { PipelineMeter } from './pipeline-meter';
import { RestartPolicy } from './restart-policy';
import type { RestreamTracker } from './restream-tracker';
import {
  DEFAULT_STALL_TIMEOUT_MS,
  type FfmpegPipelineOptions,
  PipelineExit,
  PipelineFailureKind,
  PipelineRestart,
  PipelineState,
} from './pipeline.types';

/** The parts of a pipeline (FfmpegPipeline owns them) that an FFmpeg's exit concerns. */
export interface PipelineParts {
  options: FfmpegPipelineOptions;
  slot: FfmpegSlot;
  queue: ByteQueue;
  input: PipelineInput;
  meter: PipelineMeter;
  lifecycle: StateMachine<PipelineState>;
  restream: RestreamTracker | null;
  log: Logger;
}

/** What the pipeline does for its restarts. */
export interface PipelineRestartsHost {
  /** The current FFmpeg has reported progress (its output is open). */
  outputOpened(): boolean;
  /** stop()'s drain still lets the input out (it has not given up). */
  draining(): boolean;
  fail(kind: PipelineFailureKind, reason: string): void;
  /** Nothing more goes out: the pipeline has ended. */
  ended(): void;
  guarded(what: string, fn: () => void): void;
  mask(text: string): string;
  exited(e: PipelineExit): void;
  restarted(e: PipelineRestart): void;
}

/**
 * What follows an exit of FFmpeg: for the current one, the next WebM stream's FFmpeg (a codec switch),
 * a restart after the restart policy's delay with the replay (the init segment and everything since the
 * last keyframe Cluster), or failure — fatal exits and too many failures. While stopping, what is left
 * still goes out (see FfmpegPipeline.stop).
 */
export class PipelineRestarts {
  private readonly policy: RestartPolicy;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly p: PipelineParts,
    private readonly host: PipelineRestartsHost,
  ) {
    this.policy = new RestartPolicy({ ...p.options.restart, clock: p.options.clock });
  }

  onExit(proc: FfmpegProcess, exit: ProcessExit): void {
    const { slot, queue, lifecycle, meter, options } = this.p;
    const current = slot.isCurrent(proc);
    const switching = current && queue.waitingForNewSink;
    const expected = !current || switching || lifecycle.is('stopping', 'failed', 'ended');
    const hadOutput = this.host.outputOpened();
    const how = current ? slot.released(exit) : { stalled: false, relayError: null };
    const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    const reason = exitReason(exit, { ...how, stallTimeoutMs }, (t) => this.host.mask(t));
    if (current) {
      queue.detach();
      meter.lastExitReason = reason;
      this.p.restream?.stopped();
    }
    this.host.exited({ pid: exit.pid, code: exit.code, signal: exit.signal, reason, expected });
    if (!current) return;
    if (lifecycle.is('stopping')) return this.exitWhileStopping(exit, switching, hadOutput);
    if (lifecycle.final) return;
    if (switching) return slot.spawn(); // it finished the previous WebM stream
    this.p.log.warn(`[${options.label}] ffmpeg ${exit.pid ?? '?'} ${reason}`);
    const fatal = fatalExit(exit, reason);
    if (fatal) return this.host.fail(fatal.kind, fatal.reason);
    const decision = this.policy.recordFailure(how.stalled ? 'stall' : 'crash');
    if (decision.action === 'give-up')
      return this.host.fail('gave-up', `gave up after ${decision.reason}; last: ${reason}`);
    lifecycle.to('restarting');
    this.timer = setTimeout(
      () => this.host.guarded('restart', () => this.restart(decision.delayMs)),
      decision.delayMs,
    );
  }

  /** A new FFmpeg, fed the replay. */
  restart(delayMs: number): void {
    const { meter, input, slot } = this.p;
    meter.restarts++;
    const replayed = input.refeed(() => slot.spawn());
    this.host.restarted({ pid: slot.proc?.pid ?? null, restarts: meter.restarts, delayMs, ...replayed });
  }

  /** A restart waiting out its delay will not happen. */
  cancel(): void {
    clearTimeout(this.timer);
  }

  /** FFmpeg exited while stop() lets the input out: go on with what is left, or end. */
  private exitWhileStopping(exit: ProcessExit, switching: boolean, hadOutput: boolean): void {
    if (this.host.draining()) {
      if (switching) return this.p.slot.spawn(); // the next WebM stream still goes out
      // (only with media to send: an FFmpeg that got no input at all fails the same way)
      if ((exit.code !== 0 || exit.signal) && !hadOutput && this.p.input.initItem) {
        const decision = this.policy.recordFailure('crash');
        if (decision.action !== 'give-up') {
          this.p.log.warn(
            `[${this.p.options.label}] ffmpeg ${exit.pid ?? '?'} ended before its output opened: retrying`,
          );
          return this.restart(0);
        }
      }
    }
    this.host.ended();
  }
}
