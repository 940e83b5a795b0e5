import { describe, expect, it } from 'vitest';
import { initialIngestState } from '../ingest/types';
import type { IngestState } from '../ingest/types';
import { connectionWord, headline, isActive, socketDetail } from './broadcast';

const at = (patch: Partial<IngestState>): IngestState => ({ ...initialIngestState, ...patch });

describe('the creator’s words for the ingest state', () => {
  it('says Live, and good or poor for the connection', () => {
    const live = at({
      phase: 'streaming',
      stream: { status: 'ACTIVE', isLive: true },
      pipeline: { state: 'running' },
    });
    expect(headline(live)).toBe('Live');
    expect(connectionWord(live)).toBe('Good');
    expect(connectionWord(at({ ...live, pipeline: { state: 'running', congested: true } }))).toBe('Poor');
    expect(connectionWord(at({ ...live, pipeline: { state: 'restarting' } }))).toBe('Poor');
    expect(connectionWord({ ...live, uplink: { weak: true } } as IngestState)).toBe('Poor');
  });

  it('keeps close codes and provider states for Details', () => {
    const refused = at({ phase: 'failed', lastClose: { code: 4009, reason: 'already publishing' } });
    expect(headline(refused)).toBe('Not streaming');
    expect(socketDetail(refused)).toBe('closed (4009)');
    expect(socketDetail(at({ phase: 'streaming', stream: { status: 'ACTIVE' } }))).toBe('connected (active)');
  });

  it('has no ticking countdown in the live region while reconnecting', () => {
    const a = at({ phase: 'reconnecting', attempt: 2, retryAt: 5000 });
    expect(headline(a)).toBe('Connection lost — reconnecting…');
    expect(isActive(a)).toBe(true);
    expect(isActive(at({ phase: 'stopped' }))).toBe(false);
  });
});
