import { randomBytes } from 'node:crypto';
import { LocalTokens } from './local-token';

describe('LocalTokens', () => {
  const tokens = new LocalTokens(randomBytes(32));

  it('round-trips its own tokens', () => {
    const t = tokens.sign('u1', 'Ada');
    expect(tokens.verify(t)).toMatchObject({ sub: 'u1', name: 'Ada', iss: 'vybzz-local' });
  });

  it('refuses tampered, foreign-key, expired and malformed tokens', () => {
    const t = tokens.sign('u1', 'Ada');
    const [h, b, s] = t.split('.');
    const forged = Buffer.from(
      JSON.stringify({ sub: 'u2', name: 'x', iat: 0, exp: 9e9, iss: 'vybzz-local' }),
    ).toString('base64url');
    expect(tokens.verify(`${h}.${forged}.${s}`)).toBeNull();
    expect(new LocalTokens(randomBytes(32)).verify(t)).toBeNull();
    expect(tokens.verify(tokens.sign('u1', 'Ada', 1000))).toBeNull();
    expect(tokens.verify('abc')).toBeNull();
    expect(tokens.verify(`${h}.${b}`)).toBeNull();
  });
});
