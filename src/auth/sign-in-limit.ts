/**
 * Failed sign-ins per address (issue 16, item 10): a token that does not verify (HTTP bearer on a
 * route that needs one, an ingest hello, a room join) counts against the address it came from. Past
 * SIGN_IN_FAILURES_PER_IP_PER_MINUTE within a minute, further bad tokens from that address are
 * answered 429 (HTTP, with Retry-After) or closed 4029 (WebSocket) until the minute has passed.
 *
 * Good tokens never count and are never refused here: many creators behind one address (an office
 * NAT, a load test from one machine) are not hurt by a neighbour spraying bad tokens. A bad token
 * from a throttled address costs one signature check and no database work.
 */

export class SignInThrottled extends Error {
  constructor(readonly retryAfterSec: number) {
    super(`too many failed sign-ins from your address: wait ${retryAfterSec} s and sign in again`);
  }
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failed sign-in from `from`; throws SignInThrottled when the address is over its limit. */
  fail(from: string): void {
    const t = this.now();
    const list = (this.failures.get(from) ?? []).filter((h) => t - h < this.windowMs);
    if (list.length >= this.limit) {
      this.failures.set(from, list);
      throw new SignInThrottled(Math.max(1, Math.ceil((list[0]! + this.windowMs - t) / 1000)));
    }
    list.push(t);
    this.failures.set(from, list);
    if (this.failures.size > 10_000) this.sweep(t);
  }

  private sweep(t: number): void {
    for (const [k, list] of this.failures)
      if (list.every((h) => t - h >= this.windowMs)) this.failures.delete(k);
  }
}
