/**
 * A stand-in for Clerk's token issuer: a 2048-bit RSA key and RS256 session JWTs in Clerk's claim
 * shape, verified by the real @clerk/backend with jwtKey (no network).
 */
import { createSign, generateKeyPairSync, KeyObject } from 'node:crypto';

export class ClerkIssuer {
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.privateKey = privateKey;
  }

  token(claims: { sub: string; azp?: string; name?: string; expiresInSec?: number; iat?: number }): string {
    const now = claims.iat ?? Math.floor(Date.now() / 1000);
    const payload = {
      azp: claims.azp ?? 'http://localhost:3000',
      exp: now + (claims.expiresInSec ?? 60),
      iat: now,
      iss: 'https://clerk.vybzz.test',
      nbf: now - 5,
      sid: 'sess_test',
      sub: claims.sub,
      ...(claims.name ? { name: claims.name } : {}),
    };
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const data = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'ins_test' })}.${enc(payload)}`;
    const sig = createSign('RSA-SHA256').update(data).sign(this.privateKey).toString('base64url');
    return `${data}.${sig}`;
  }

  env(parties = 'http://localhost:3000'): Record<string, string> {
    return {
      CLERK_JWT_KEY: this.publicKeyPem,
      CLERK_AUTHORIZED_PARTIES: parties,
      CLERK_PUBLISHABLE_KEY: 'pk_test_Y2xlcmsudnlienoudGVzdCQ',
    };
  }
}
