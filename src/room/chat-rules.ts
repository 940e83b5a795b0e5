/** The chat's rules as pure functions and small stateful limits; time comes from `now`. */
import { normaliseText, textProblem } from '../common/safe-text';
import { MAX_CHAT_LENGTH, type RefusalReason } from '../contract/room-protocol';

export type TextVerdict = { ok: true; text: string } | { ok: false; reason: RefusalReason; message: string };

/** Plain text on one line, 1–500 characters (code points) after trimming, no control characters. */
export function checkChatText(raw: string): TextVerdict {
  const problem = textProblem(raw, 'line');
  if (problem) return { ok: false, reason: 'invalid-text', message: `The message ${problem}` };
  const text = normaliseText(raw, 'line').trim();
  if (!text) return { ok: false, reason: 'invalid-text', message: 'The message is empty' };
  const length = [...text].length;
  if (length > MAX_CHAT_LENGTH) {
    return {
      ok: false,
      reason: 'too-long',
      message: `Messages are at most ${MAX_CHAT_LENGTH} characters (this one has ${length})`,
    };
  }
  return { ok: true, text };
}

/** Per user: a token bucket of `burst` messages refilled at `perSecond`. Entries of idle users are swept. */
export class ChatRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the message may go (and it is counted), else the ms until one may. */
  take(userId: string): number {
    const t = this.now();
    const b = this.buckets.get(userId) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.buckets.set(userId, b);
    if (this.buckets.size > 50_000) this.sweep(t);
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / this.perSecond) * 1000);
    b.tokens -= 1;
    return 0;
  }

  private sweep(t: number): void {
    const full = (this.burst / this.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (t - b.at > full) this.buckets.delete(k);
  }
}

/** Slow mode: ms the user still has to wait after their last message at `lastAt`; 0 when they may send. */
export function slowModeWait(slowModeSec: number, lastAt: number | null, now: number): number {
  if (slowModeSec <= 0 || lastAt === null) return 0;
  return Math.max(0, lastAt + slowModeSec * 1000 - now);
}

/** A ban's end: `minutes` from now, or null for a permanent one. */
export function banUntil(minutes: number | null | undefined, now: number): Date | null {
  return minutes ? new Date(now + minutes * 60_000) : null;
}

/** Whether a ban (its end, null: permanent) still holds at `now`. */
export function banHolds(ban: { until: Date | null } | null, now: number): boolean {
  return !!ban && (ban.until === null || ban.until.getTime() > now);
}
