import { IllegalTransitionError, illegalTransitions } from '../../common/state-machine';
import { CloseCode } from '../../contract/close-codes';
import {
  SESSION_TRANSITIONS,
  type SessionPhase,
  closeCodeForFailure,
  publishEndFor,
  sessionLifecycle,
} from './session-lifecycle';

const PATH_TO: Record<SessionPhase, SessionPhase[]> = {
  hello: [],
  admitting: ['admitting'],
  live: ['admitting', 'live'],
  closing: ['closing'],
  closed: ['closing', 'closed'],
};

describe('ingest session lifecycle (transition table)', () => {
  it('goes hello → admitting → live → closing → closed, and may close from any open phase', () => {
    const m = sessionLifecycle();
    for (const s of ['admitting', 'live', 'closing', 'closed'] as const) m.to(s);
    expect(m.final).toBe(true);
    for (const open of ['hello', 'admitting', 'live'] as const) {
      const n = sessionLifecycle();
      for (const s of PATH_TO[open]) n.to(s);
      n.to('closing');
      expect(n.state).toBe('closing');
    }
  });

  it('refuses every transition the table does not list: no media before admission, no reopening', () => {
    const refused = illegalTransitions(SESSION_TRANSITIONS);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['hello', 'live'],
        ['live', 'admitting'],
        ['closing', 'live'],
        ['closed', 'hello'],
        ['hello', 'closed'],
      ]),
    );
    for (const [from, to] of refused) {
      const m = sessionLifecycle();
      for (const s of PATH_TO[from]) m.to(s);
      expect(() => m.to(to)).toThrow(IllegalTransitionError);
      expect(m.state).toBe(from);
    }
  });
});

describe('close codes of a failed pipeline', () => {
  it('maps each failure kind to the code the publisher sees', () => {
    expect(closeCodeForFailure('invalid-media')).toBe(CloseCode.UnsupportedMedia);
    expect(closeCodeForFailure('unsupported-media')).toBe(CloseCode.UnsupportedMedia);
    expect(closeCodeForFailure('storage-full')).toBe(CloseCode.StorageFull);
    for (const kind of ['gave-up', 'spawn-failed', 'internal'] as const)
      expect(closeCodeForFailure(kind)).toBe(CloseCode.PipelineGaveUp);
  });

  it('tells a stop from a failure and a drop by the close code', () => {
    expect(publishEndFor(CloseCode.Normal)).toBe('stopped');
    expect(publishEndFor(CloseCode.MaxDuration)).toBe('stopped');
    expect(publishEndFor(CloseCode.PipelineGaveUp)).toBe('failed');
    expect(publishEndFor(CloseCode.StorageFull)).toBe('failed');
    expect(publishEndFor(CloseCode.GoingAway)).toBe('dropped');
  });
});
