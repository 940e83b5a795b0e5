import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config';
import { cspDirectives, socketOriginFor } from './content-security-policy';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * helmet's headers, chosen per request (issue 16 item 12): `upgrade-insecure-requests` and HSTS only
 * for a request that came over HTTPS — directly, or through a proxy trusted by TRUST_PROXY that says
 * so in X-Forwarded-Proto — unless CSP_UPGRADE_INSECURE_REQUESTS says always/never. Over plain HTTP
 * on a LAN address the upgrade made the browser fetch every asset over https and the page stayed blank.
 */
export function securityHeaders(config: Pick<AppConfig, 'cspUpgradeInsecureRequests'>): RequestHandler {
  const socketOrigin = (req: IncomingMessage) => {
    const r = req as Request;
    return socketOriginFor(r.protocol, r.host) ?? "'self'";
  };
  const build = (secure: boolean): Middleware => {
    const mode = config.cspUpgradeInsecureRequests;
    const upgrade = mode === 'always' || (secure && mode === 'auto');
    return helmet({
      contentSecurityPolicy: {
        directives: cspDirectives({ upgradeInsecureRequests: upgrade, socketOrigin }),
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: secure ? undefined : false,
    });
  };
  const overHttps = build(true);
  const overHttp = build(false);
  return (req: Request, res: Response, next: NextFunction) =>
    (req.secure ? overHttps : overHttp)(req, res, next);
}
