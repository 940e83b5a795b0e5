import { ConfigValidationError, parseConfig } from './app-config';
import { decodeSecretsKey } from './restream-settings';

const HEX = 'ab'.repeat(32);
const B64 = Buffer.alloc(32, 7).toString('base64');

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
}

describe('restream settings', () => {
  it('decodes a 32-byte SECRETS_KEY from hex, base64 and base64url', () => {
    expect(decodeSecretsKey(HEX)).toEqual(Buffer.alloc(32, 0xab));
    expect(decodeSecretsKey(B64)).toEqual(Buffer.alloc(32, 7));
    const url = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(decodeSecretsKey(url)).toEqual(Buffer.alloc(32, 0xfb));
  });

  it('refuses keys of another length or alphabet, naming the variable', () => {
    for (const bad of ['ab'.repeat(31), Buffer.alloc(16).toString('base64'), 'not a key', `${HEX}00`]) {
      expect(decodeSecretsKey(bad)).toBeNull();
      expect(problems({ SECRETS_KEY: bad })).toEqual([expect.stringContaining('SECRETS_KEY')]);
    }
  });

  it('is optional in development, required in production', () => {
    expect(parseConfig({}).restream.secretsKey).toBeNull();
    expect(parseConfig({ SECRETS_KEY: HEX }).restream.secretsKey).toEqual(Buffer.alloc(32, 0xab));
    expect(problems({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([expect.stringContaining('SECRETS_KEY is required')]),
    );
    expect(problems({ NODE_ENV: 'production', SECRETS_KEY: B64 }).join('\n')).not.toContain('SECRETS_KEY');
  });

  it('RESTREAM_CA_FILE must exist', () => {
    expect(problems({ RESTREAM_CA_FILE: '/nope/ca.pem' })).toEqual([
      expect.stringContaining('RESTREAM_CA_FILE'),
    ]);
  });
});
