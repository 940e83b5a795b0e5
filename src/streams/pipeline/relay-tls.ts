/** Whom the RTMP relay's `rtmps://` upstream connections trust (rtmp-relay.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { type SecureContext, createSecureContext, rootCertificates } from 'node:tls';

/** The system's CA bundle (Debian's path), trusted besides Node's own store when it exists. */
export const SYSTEM_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

/** Node's CA store, the system bundle and `extra`. */
export function trustedCas(extra: string | null, systemFile = SYSTEM_CA_FILE): string[] {
  const files = [systemFile, extra].filter((f): f is string => !!f && existsSync(f));
  return [...rootCertificates, ...new Set(files)].map((x) =>
    x.startsWith('-----') ? x : readFileSync(x, 'utf8'),
  );
}

const contexts = new Map<string, SecureContext>();

/**
 * The TLS context of upstream connections trusting `trustedCas(caFile)`, made once per CA file:
 * parsing ~150 CA certificates takes 40–90 ms of the event loop, which every RTMPS relay connection
 * paid again (a reconnect storm to Mux: one such stall per stream).
 */
export function relaySecureContext(caFile: string | null): SecureContext {
  const key = caFile ?? '';
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: trustedCas(caFile) });
    contexts.set(key, context);
  }
  return context;
}
