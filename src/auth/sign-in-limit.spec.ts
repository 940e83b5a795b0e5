import { SignInLimiter, SignInThrottled } from './sign-in-limit';

describe('SignInLimiter', () => {
  it('throttles an address past its failures per window, per address, until the window passes', () => {
    let now = 1_000_000;
    const l = new SignInLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) l.fail('10.0.0.1');
    expect(() => l.fail('10.0.0.1')).toThrow(SignInThrottled);
    l.fail('10.0.0.2'); // another address is not affected
    now += 30_000;
    try {
      l.fail('10.0.0.1');
      throw new Error('not throttled');
    } catch (e) {
      expect(e).toBeInstanceOf(SignInThrottled);
      expect((e as SignInThrottled).retryAfterSec).toBe(30);
      expect((e as Error).message).toMatch(/too many failed sign-ins/);
    }
    now += 30_001;
    expect(() => l.fail('10.0.0.1')).not.toThrow();
  });
});
