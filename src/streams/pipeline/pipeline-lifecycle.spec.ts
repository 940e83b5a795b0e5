import { IllegalTransitionError, illegalTransitions } from '../../common/state-machine';
import { PIPELINE_TRANSITIONS, pipelineLifecycle } from './pipeline-lifecycle';
import type { PipelineState } from './pipeline.types';

function walk(...path: PipelineState[]): PipelineState[] {
  const seen: PipelineState[] = [];
  const m = pipelineLifecycle((to) => seen.push(to));
  for (const s of path) m.to(s);
  return seen;
}

describe('pipeline lifecycle (transition table)', () => {
  it('allows the lifecycles the pipeline goes through', () => {
    expect(walk('running', 'stopping', 'ended')).toEqual(['running', 'stopping', 'ended']);
    // a crash before any output, a restart, a crash while running, then a stop during the backoff
    expect(walk('restarting', 'running', 'restarting', 'stopping', 'ended')).toHaveLength(5);
    expect(walk('running', 'failed')).toEqual(['running', 'failed']);
    // a failure while FFmpeg flushes (e.g. the disk fills up)
    expect(walk('stopping', 'failed')).toEqual(['stopping', 'failed']);
  });

  it('refuses every transition the table does not list', () => {
    const refused = illegalTransitions(PIPELINE_TRANSITIONS);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['starting', 'ended'],
        ['running', 'starting'],
        ['stopping', 'running'],
        ['stopping', 'restarting'],
        ['failed', 'ended'],
        ['ended', 'failed'],
        ['ended', 'running'],
      ]),
    );
    for (const [from, to] of refused) {
      const m = pipelineLifecycle(() => undefined);
      const path: Record<PipelineState, PipelineState[]> = {
        starting: [],
        running: ['running'],
        restarting: ['restarting'],
        stopping: ['stopping'],
        ended: ['stopping', 'ended'],
        failed: ['failed'],
      };
      for (const s of path[from]) m.to(s);
      expect(m.state).toBe(from);
      expect(() => m.to(to)).toThrow(IllegalTransitionError);
      expect(m.state).toBe(from);
    }
  });

  it('has ended and failed as its only final states', () => {
    const finals = Object.entries(PIPELINE_TRANSITIONS)
      .filter(([, next]) => next.length === 0)
      .map(([s]) => s);
    expect(finals).toEqual(['ended', 'failed']);
  });
});
