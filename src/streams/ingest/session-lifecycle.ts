import { StateMachine, type TransitionTable } from '../../common/state-machine';
import { CloseCode } from '../../contract/close-codes';
import type { PipelineFailureKind } from '../pipeline/pipeline.types';
import type { PublishEnd } from '../providers/stream-provider';

/**
 * The lifecycle of one publisher connection (IngestSession):
 *
 *   hello ──valid hello──▶ admitting ──admitted, pipeline started──▶ live
 *   hello, admitting, live ──any way out (close, refusal, failure, idle, shutdown)──▶ closing ──▶ closed
 *
 * Media is fed to the pipeline only in `live`; `closed` is final.
 */
export type SessionPhase = 'hello' | 'admitting' | 'live' | 'closing' | 'closed';

export const SESSION_TRANSITIONS: TransitionTable<SessionPhase> = {
  hello: ['admitting', 'closing'],
  admitting: ['live', 'closing'],
  live: ['closing'],
  closing: ['closed'],
  closed: [],
};

export function sessionLifecycle(): StateMachine<SessionPhase> {
  return new StateMachine('ingest session', SESSION_TRANSITIONS, 'hello');
}

/** The close code the publisher gets when its pipeline fails (src/contract/close-codes.ts). */
export function closeCodeForFailure(kind: PipelineFailureKind): number {
  if (kind === 'invalid-media' || kind === 'unsupported-media') return CloseCode.UnsupportedMedia;
  if (kind === 'storage-full') return CloseCode.StorageFull;
  return CloseCode.PipelineGaveUp;
}

/** How a publish ended, from the close code its socket was closed with. */
export function publishEndFor(code: number): PublishEnd {
  if (code === CloseCode.PipelineGaveUp || code === CloseCode.StorageFull) return 'failed';
  if (code === CloseCode.Normal || code === CloseCode.MaxDuration) return 'stopped';
  return 'dropped';
}
