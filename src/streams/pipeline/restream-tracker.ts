/**
 * Each restream target's state, read from FFmpeg's stderr: the tee muxer says
 * `Slave muxer #N failed: <reason>, continuing with X/Y slaves.` when a slave cannot connect or dies.
 * A new FFmpeg process starts every target over (`connecting`); its first progress report means the
 * tee has opened every slave that did not fail (`live`).
 */
import type { RestreamTargetState, RestreamTargetStatus } from '../../contract/ingest-protocol';
import type { RestreamSlave } from './tee-output';

const SLAVE_FAILED = /Slave muxer #(\d+) failed: (.*?), continuing with/;

export class RestreamTracker {
  private states: RestreamTargetStatus[];
  private partial = '';
  private reasonOf: (index: number) => string | null = () => null;

  /** `firstSlave`: the tee index of the first target (the recording is slave 0). */
  constructor(
    slaves: readonly RestreamSlave[],
    private readonly firstSlave = 1,
  ) {
    this.states = slaves.map((s) => ({ id: s.id, name: s.name, state: 'connecting', reason: null }));
  }

  get size(): number {
    return this.states.length;
  }

  /**
   * A new FFmpeg process: every target connects again. `reasonOf`: why target `index` failed as its
   * relay saw it (FFmpeg only sees the relay close), preferred to FFmpeg's words.
   */
  restarted(reasonOf: (index: number) => string | null = () => null): void {
    this.reasonOf = reasonOf;
    this.partial = '';
    this.states = this.states.map((s) => ({ ...s, state: 'connecting', reason: null }));
  }

  /** FFmpeg reported progress: its slaves are open. Returns true when a state changed. */
  outputStarted(): boolean {
    return this.set((s) => (s.state === 'connecting' ? { ...s, state: 'live' } : s));
  }

  /** A piece of FFmpeg's stderr. Returns true when a state changed. */
  stderr(text: string): boolean {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    let changed = false;
    for (const line of lines) {
      const m = SLAVE_FAILED.exec(line);
      if (!m) continue;
      const index = Number(m[1]) - this.firstSlave;
      const reason = this.reasonOf(index) ?? describeReason(m[2] ?? '');
      changed =
        this.set((s, i) => (i === index && s.state !== 'failed' ? { ...s, state: 'failed', reason } : s)) ||
        changed;
    }
    return changed;
  }

  /** The process ended: targets still up are no longer live. */
  stopped(state: RestreamTargetState = 'connecting'): boolean {
    return this.set((s) => (s.state === 'live' ? { ...s, state } : s));
  }

  snapshot(): RestreamTargetStatus[] {
    return this.states.map((s) => ({ ...s }));
  }

  private set(f: (s: RestreamTargetStatus, i: number) => RestreamTargetStatus): boolean {
    const next = this.states.map(f);
    const changed = next.some((s, i) => s !== this.states[i]);
    this.states = next;
    return changed;
  }
}

/** FFmpeg's error text, as a creator reads it: "Connection refused" → "connection refused". */
export function describeReason(raw: string): string {
  const text = raw.trim() || 'unknown error';
  if (/^Input\/output error$/i.test(text))
    return 'could not connect (I/O error; for rtmps, a TLS check may have failed)';
  if (/^End of file$/i.test(text)) return 'the server closed the connection';
  return text.charAt(0).toLowerCase() + text.slice(1);
}
