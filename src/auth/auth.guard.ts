import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from '../common/public.decorator';
import { SignInThrottled } from './sign-in-limit';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** Global: every HTTP route needs a valid session token unless it is @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = bearerToken(req.headers.authorization);
    // On a public route a stale token just means anonymous; where sign-in is needed, failures count.
    let user: AuthUser | null = null;
    try {
      user = !token
        ? null
        : isPublic
          ? await this.auth.authenticate(token)
          : await this.auth.signIn(token, clientAddress(req));
    } catch (e) {
      if (!(e instanceof SignInThrottled)) throw e;
      ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(e.retryAfterSec));
      throw new HttpException(e.message, HttpStatus.TOO_MANY_REQUESTS);
    }
    if (user) req.user = user;
    if (isPublic) return true;
    if (!token) throw new UnauthorizedException('Sign in first: send Authorization: Bearer <session token>');
    if (!user) throw new UnauthorizedException('The session token is invalid or expired');
    return true;
  }
}

/** The client's address as Express sees it (TRUST_PROXY decides whose X-Forwarded-For counts). */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
