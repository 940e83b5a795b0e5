import { verifyToken } from '@clerk/backend';
import type { AuthConfig } from '../config/app-config';
import { LocalTokens } from './local-token';

/** The identity a valid token carries: the external id (Clerk's user id or "local:<name>") and a name. */
export interface VerifiedIdentity {
  externalId: string;
  displayName: string | null;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity | null>;
}

/** Clerk session tokens, checked by @clerk/backend: networkless with jwtKey, JWKS via secretKey otherwise. */
export class ClerkTokenVerifier implements TokenVerifier {
  constructor(private readonly auth: Extract<AuthConfig, { mode: 'clerk' }>) {}

  async verify(token: string): Promise<VerifiedIdentity | null> {
    try {
      const claims = await verifyToken(token, {
        ...(this.auth.jwtKey
          ? { jwtKey: this.auth.jwtKey }
          : { secretKey: this.auth.secretKey ?? undefined }),
        authorizedParties: this.auth.authorizedParties,
      });
      const name = [claims.name, claims.username, claims.first_name].find(
        (v) => typeof v === 'string' && v.trim(),
      );
      return { externalId: claims.sub, displayName: (name as string | undefined) ?? null };
    } catch {
      return null;
    }
  }
}

export class LocalTokenVerifier implements TokenVerifier {
  constructor(private readonly tokens: LocalTokens) {}

  async verify(token: string): Promise<VerifiedIdentity | null> {
    const claims = this.tokens.verify(token);
    return claims ? { externalId: claims.sub, displayName: claims.name } : null;
  }
}
