/**
 * The app's Content-Security-Policy, as pure data (issue 16 items 11 and 12). Scripts come from this
 * origin, Clerk, Cloudflare's challenge (Clerk's bot protection) and, for mux-player's Cast button in
 * Chrome, only the paths of Google's Cast sender scripts (all of www.gstatic.com would also allow
 * Google's hosted libraries, a known CSP bypass). Connections go to this origin (its WebSocket
 * included, never `ws:`/`wss:` to any host), Mux (playback and Mux Data) and Clerk.
 */
import type { IncomingMessage } from 'node:http';

/** Computes a source for the request being answered (helmet calls it per response). */
export type RequestSource = (req: IncomingMessage) => string;

/** Where castable-video (inside mux-player) loads the Cast sender and the framework it pulls in. */
export const CAST_SENDER_SOURCES = [
  'https://www.gstatic.com/cv/js/sender/',
  'https://www.gstatic.com/cast/sdk/libs/sender/',
  'https://www.gstatic.com/eureka/clank/',
];

const CLERK = ['https://*.clerk.accounts.dev', 'https://*.clerk.com'];

export interface CspOptions {
  /** Send `upgrade-insecure-requests` (only for pages served over HTTPS, or when told to). */
  upgradeInsecureRequests: boolean;
  /** This request's own WebSocket origin (`wss://host` or `ws://host`), for browsers whose `'self'`
   * does not cover WebSockets yet; `'self'` again when the Host header is not a plain host. */
  socketOrigin: RequestSource;
}

export function cspDirectives(o: CspOptions): Record<string, (string | RequestSource)[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...CAST_SENDER_SOURCES, ...CLERK, 'https://challenges.cloudflare.com'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'media-src': ["'self'", 'blob:', 'https://*.mux.com'],
    'connect-src': ["'self'", o.socketOrigin, 'https://*.mux.com', 'https://*.litix.io', ...CLERK],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ["'self'", 'https://challenges.cloudflare.com'],
    'upgrade-insecure-requests': o.upgradeInsecureRequests ? [] : null,
  };
}

/** host[:port] as a browser would send it: a DNS name or an IP literal, nothing else. */
const PLAIN_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `wss://host` for a page served over HTTPS, `ws://host` otherwise; null for a host we will not echo. */
export function socketOriginFor(protocol: string, host: string | undefined): string | null {
  if (!host || host.length > 260 || !PLAIN_HOST.test(host)) return null;
  return `${protocol === 'https' ? 'wss' : 'ws'}://${host.toLowerCase()}`;
}
