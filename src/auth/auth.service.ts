import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';
import { PrismaService } from '../prisma/prisma.service';
import { isUniqueViolation } from '../prisma/prisma-errors';
import { scrubText } from '../common/safe-text';
import type { AuthUser } from './auth-user';
import { LocalTokens, loadOrCreateKey } from './local-token';
import { SignInLimiter } from './sign-in-limit';
import { ClerkTokenVerifier, LocalTokenVerifier, TokenVerifier, VerifiedIdentity } from './token-verifier';

const USER_SELECT = { id: true, externalId: true, displayName: true } as const;

@Injectable()
export class AuthService {
  private readonly verifier: TokenVerifier;
  private readonly localTokens: LocalTokens | null;
  private readonly failedSignIns: SignInLimiter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {
    this.failedSignIns = new SignInLimiter(config.ingest.authFailuresPerIpPerMinute);
    if (config.auth.mode === 'clerk') {
      this.localTokens = null;
      this.verifier = new ClerkTokenVerifier(config.auth);
    } else {
      this.localTokens = new LocalTokens(loadOrCreateKey(config.dataDir));
      this.verifier = new LocalTokenVerifier(this.localTokens);
    }
  }

  get mode(): AppConfig['auth']['mode'] {
    return this.config.auth.mode;
  }

  /** The user behind a session token, created on first sight; null when the token is not valid. */
  async authenticate(token: string): Promise<AuthUser | null> {
    const identity = await this.verifier.verify(token);
    return identity ? this.userFor(identity) : null;
  }

  /**
   * A sign-in from address `from`: the user, or null for a token that does not verify (counted
   * against `from`); throws SignInThrottled when `from` has failed too often (sign-in-limit.ts).
   */
  async signIn(token: string, from: string): Promise<AuthUser | null> {
    const user = await this.authenticate(token);
    if (!user) this.failedSignIns.fail(from);
    return user;
  }

  /** Local mode only: one user per name, and a token for it. */
  async devLogin(name: string): Promise<{ token: string; user: AuthUser }> {
    if (!this.localTokens) throw new NotFoundException('Cannot POST /auth/dev-login');
    const displayName = name.trim().replace(/\s+/g, ' ');
    const externalId = `local:${displayName.toLowerCase()}`;
    const user = await this.userFor({ externalId, displayName });
    return { token: this.localTokens.sign(externalId, user.displayName), user };
  }

  /** Keeps our row in step with the identity provider (Clerk's user.updated / user.deleted webhooks). */
  async syncExternalUser(externalId: string, displayName: string | null, deleted: boolean): Promise<void> {
    if (deleted) {
      await this.prisma.user.deleteMany({ where: { externalId } });
    } else if (displayName) {
      await this.prisma.user.updateMany({ where: { externalId }, data: { displayName } });
    }
  }

  private async userFor(identity: VerifiedIdentity): Promise<AuthUser> {
    const existing = await this.prisma.user.findUnique({
      where: { externalId: identity.externalId },
      select: USER_SELECT,
    });
    if (existing) return existing;
    try {
      return await this.prisma.user.create({
        data: {
          externalId: identity.externalId,
          displayName: scrubText(identity.displayName ?? '', 'name').trim() || 'New creator',
        },
        select: USER_SELECT,
      });
    } catch (e) {
      // Two first requests raced: the other one created the row.
      if (!isUniqueViolation(e)) throw e;
      return this.prisma.user.findUniqueOrThrow({
        where: { externalId: identity.externalId },
        select: USER_SELECT,
      });
    }
  }
}
