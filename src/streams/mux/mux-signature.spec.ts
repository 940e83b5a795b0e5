import { isTooFarInFuture, signatureTimestamp } from './mux-signature';

describe('signatureTimestamp', () => {
  it('reads t from a Mux header, whatever the order of its parts', () => {
    expect(signatureTimestamp('t=1700000000,v1=abc')).toBe(1700000000);
    expect(signatureTimestamp('v1=abc,t=1700000001')).toBe(1700000001);
  });

  it('takes the last t, as @mux/mux-node does', () => {
    expect(signatureTimestamp('t=1,t=1700000002,v1=abc')).toBe(1700000002);
  });

  it('joins a header sent twice', () => {
    expect(signatureTimestamp(['t=1700000003', 'v1=abc'])).toBe(1700000003);
  });

  it('refuses missing, empty and non-numeric timestamps', () => {
    expect(signatureTimestamp(undefined)).toBeNull();
    expect(signatureTimestamp('')).toBeNull();
    expect(signatureTimestamp('v1=abc')).toBeNull();
    expect(signatureTimestamp('t=,v1=abc')).toBeNull();
    expect(signatureTimestamp('t=12abc,v1=abc')).toBeNull();
    expect(signatureTimestamp('t=-5,v1=abc')).toBeNull();
    expect(signatureTimestamp('t=1e9,v1=abc')).toBeNull();
    expect(signatureTimestamp('t=9999999999999,v1=abc')).toBeNull();
  });
});

describe('isTooFarInFuture', () => {
  const now = 1_700_000_000;
  it('accepts the past, the present and a future within the skew', () => {
    expect(isTooFarInFuture(now - 1000, now, 300)).toBe(false);
    expect(isTooFarInFuture(now, now, 300)).toBe(false);
    expect(isTooFarInFuture(now + 300, now, 300)).toBe(false);
  });

  it('refuses a future beyond the skew', () => {
    expect(isTooFarInFuture(now + 301, now, 300)).toBe(true);
    expect(isTooFarInFuture(now + 1, now, 0)).toBe(true);
  });
});
