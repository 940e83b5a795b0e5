import { StateMachine, type TransitionTable } from '../../common/state-machine';
import type { PipelineState } from './pipeline.types';

/**
 * The lifecycle of one FfmpegPipeline:
 *
 *   starting ──first progress──▶ running ──FFmpeg crashed──▶ restarting ──progress──▶ running
 *      │ (crash before output) ─────────────────────────────────▲
 *   any live state ──stop()/kill()──▶ stopping ──FFmpeg gone──▶ ended
 *   any live state or stopping ──failure (gave up, bad media, full disk, bug)──▶ failed
 *
 * `ended` and `failed` are final: nothing leaves them.
 */
export const PIPELINE_TRANSITIONS: TransitionTable<PipelineState> = {
  starting: ['running', 'restarting', 'stopping', 'failed'],
  running: ['restarting', 'stopping', 'failed'],
  restarting: ['running', 'stopping', 'failed'],
  stopping: ['ended', 'failed'],
  ended: [],
  failed: [],
};

export function pipelineLifecycle(onChange: (to: PipelineState) => void): StateMachine<PipelineState> {
  return new StateMachine('pipeline', PIPELINE_TRANSITIONS, 'starting', onChange);
}
