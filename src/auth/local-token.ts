/**
 * Local sign-in tokens (local auth mode only): compact HS256 JWTs signed with a key kept in DATA_DIR,
 * so a fresh machine works with no accounts and sign-ins survive a restart.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ISSUER = 'vybzz-local';
const TTL_SEC = 30 * 24 * 3600;

export interface LocalClaims {
  sub: string;
  name: string;
  iat: number;
  exp: number;
  iss: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function loadOrCreateKey(dataDir: string): Buffer {
  const file = join(dataDir, 'local-auth.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length >= 32) return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

export class LocalTokens {
  constructor(private readonly key: Buffer) {}

  sign(sub: string, name: string, now = Math.floor(Date.now() / 1000)): string {
    const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64(
      JSON.stringify({ sub, name, iat: now, exp: now + TTL_SEC, iss: ISSUER } satisfies LocalClaims),
    );
    return `${head}.${body}.${this.mac(`${head}.${body}`)}`;
  }

  /** The claims of a valid token, or null (bad shape, bad signature, expired, foreign issuer). */
  verify(token: string, now = Math.floor(Date.now() / 1000)): LocalClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head, body, sig] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${head}.${body}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const h = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
      const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<LocalClaims>;
      if (h.alg !== 'HS256' || c.iss !== ISSUER || typeof c.sub !== 'string' || typeof c.exp !== 'number')
        return null;
      if (c.exp <= now) return null;
      return c as LocalClaims;
    } catch {
      return null;
    }
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
