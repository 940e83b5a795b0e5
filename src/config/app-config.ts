/**
 * Every setting of the app, validated once at boot into a typed object (the README's settings table).
 * This file and main.ts are the only places that see environment variables.
 */
import { isAbsolute, resolve } from 'node:path';
import { type IngestLimits, parseIngestLimits, parseRtmpCaFile } from './ingest-limits';
import { parseRestreamSettings, type RestreamSettings } from './restream-settings';
import { parseRoomLimits, type RoomLimits } from './room-limits';

export type Env = Readonly<Record<string, string | undefined>>;

export type AuthConfig =
  | { mode: 'local' }
  | {
      mode: 'clerk';
      secretKey: string | null;
      publishableKey: string | null;
      jwtKey: string | null;
      authorizedParties: string[];
      webhookSigningSecret: string | null;
    };

export interface MuxConfig {
  tokenId: string;
  tokenSecret: string;
  webhookSigningSecret: string;
}

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** The address to bind: HOST, else 127.0.0.1 with local sign-in (anyone may sign in as anyone), else 0.0.0.0. */
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: AuthConfig;
  /** null: the local media provider. */
  mux: MuxConfig | null;
  muxBaseUrl: string;
  muxRtmpUrl: string;
  /** CA file FFmpeg verifies `rtmps://` peers with (MUX_RTMP_CA_FILE or the system bundle). */
  muxRtmpCaFile: string | null;
  ingest: IngestLimits;
  /** SECRETS_KEY and RESTREAM_CA_FILE (restream targets). */
  restream: RestreamSettings;
  /** The live room: chat limits and the watch socket's bounds. */
  room: RoomLimits;
  /** Future-dated webhook signatures beyond this many seconds are refused. */
  webhookMaxSkewSec: number;
  ffmpegPath: string;
  /**
   * How long a broadcast stays open after its publisher's socket was lost without Stop Streaming
   * (seconds): the same publisher reconnecting inside it continues the broadcast (one recording).
   * Also Mux's `reconnect_window` for new live streams. 0: every loss ends the broadcast.
   */
  reconnectWindowSec: number;
  /** Origins allowed to open the ingest socket; empty: same origin as the request's Host. */
  allowedOrigins: string[];
  authRateLimitPerMinute: number;
  /** Per signed-in user and minute: POST /stream/create calls. */
  streamCreateRateLimitPerMinute: number;
  /** Per signed-in user and minute: other writes (posts, profile, key resets). */
  writeRateLimitPerMinute: number;
  /** Where the built SPA lives (web/dist). */
  webDistDir: string;
  /** A name for this instance (logs, stream leases). */
  instanceId: string;
  /** Express's `trust proxy`: whose X-Forwarded-* headers are believed (false: nobody's). */
  trustProxy: boolean | number | string[];
  /** CSP `upgrade-insecure-requests`: auto = only for requests that came over HTTPS. */
  cspUpgradeInsecureRequests: 'auto' | 'always' | 'never';
  /** GET /metrics wants `Authorization: Bearer <this>`; null: open, except in production (off). */
  metricsToken: string | null;
  /** /docs and /docs-json (OpenAPI): on by default except in production. */
  apiDocs: boolean;
  /** Local provider: a broadcast is refused (and /health is 503) below this much free media space. */
  localMinFreeMb: number;
  /** Local provider: no new broadcast once DATA_DIR/media holds this much (GB); null: no quota. */
  localRecordingMaxGb: number | null;
  /** A broadcast is ended after this many minutes; null: no limit. */
  maxBroadcastMinutes: number | null;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  str(name: string): string | null {
    const v = this.env[name]?.trim();
    return v ? v : null;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  }

  /** A positive decimal number (e.g. 0.5), or null when unset. */
  num(name: string, min: number, max: number): number | null {
    const raw = this.str(name);
    if (raw === null) return null;
    if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return null;
    }
    return Number(raw);
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.str(name);
    if (raw === null) return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, fallback: string | null, protocols: string[]): string | null {
    const raw = this.str(name);
    if (raw === null) return fallback;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
      return fallback;
    }
  }

  /** TRUST_PROXY: "false", a hop count, or a comma list of addresses, subnets (CIDR) and the names
   * loopback, linklocal, uniquelocal. */
  trustProxy(name: string, fallback: string[]): boolean | number | string[] {
    const raw = this.str(name);
    if (raw === null) return fallback;
    if (/^(false|off|none)$/i.test(raw)) return false;
    if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 10) return Number(raw);
    const items = this.list(name);
    const bad = items.filter(
      (i) =>
        !/^(loopback|linklocal|uniquelocal|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-f]*:[0-9a-f:.]*(\/\d{1,3})?)$/i.test(
          i,
        ),
    );
    if (bad.length || !items.length) {
      this.problems.push(
        `${name} must be false, a hop count from 1 to 10, or a comma list of addresses, subnets, loopback, linklocal, uniquelocal (got "${raw}")`,
      );
      return fallback;
    }
    return items;
  }

  list(name: string): string[] {
    return (this.str(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/** A PEM may arrive with literal "\n" sequences (one-line env files). */
function pem(value: string | null): string | null {
  return value ? value.replace(/\\n/g, '\n') : null;
}

export function parseConfig(env: Env, cwd = process.cwd()): AppConfig {
  const r = new Reader(env);
  const nodeEnv = r.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const dataDirRaw = r.str('DATA_DIR') ?? './.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const clerkSecret = r.str('CLERK_SECRET_KEY');
  const clerkJwtKey = pem(r.str('CLERK_JWT_KEY'));
  const clerkPublishable = r.str('CLERK_PUBLISHABLE_KEY');
  const parties = r.list('CLERK_AUTHORIZED_PARTIES');
  let auth: AuthConfig = { mode: 'local' };
  if (clerkSecret || clerkJwtKey) {
    if (parties.length === 0) {
      r.problems.push('CLERK_AUTHORIZED_PARTIES is required with Clerk (comma list of your app origins)');
    }
    for (const p of parties) {
      if (!/^https?:\/\/[^/]+$/.test(p)) r.problems.push(`CLERK_AUTHORIZED_PARTIES: "${p}" is not an origin`);
    }
    if (clerkJwtKey && !clerkJwtKey.includes('-----BEGIN PUBLIC KEY-----')) {
      r.problems.push('CLERK_JWT_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
    }
    auth = {
      mode: 'clerk',
      secretKey: clerkSecret,
      publishableKey: clerkPublishable,
      jwtKey: clerkJwtKey,
      authorizedParties: parties,
      webhookSigningSecret: r.str('CLERK_WEBHOOK_SIGNING_SECRET'),
    };
  } else if (clerkPublishable) {
    r.problems.push('CLERK_PUBLISHABLE_KEY is set but neither CLERK_SECRET_KEY nor CLERK_JWT_KEY is');
  }
  if (auth.mode === 'local' && nodeEnv === 'production') {
    r.problems.push(
      'local sign-in is refused when NODE_ENV=production: production needs Clerk, so set CLERK_SECRET_KEY or CLERK_JWT_KEY (and CLERK_AUTHORIZED_PARTIES); to try Vybzz without Clerk, set NODE_ENV=development (README "Settings")',
    );
  }

  const muxParts = ['MUX_TOKEN_ID', 'MUX_TOKEN_SECRET', 'MUX_WEBHOOK_SIGNING_SECRET'].map((n) => r.str(n));
  let mux: MuxConfig | null = null;
  if (muxParts.every(Boolean)) {
    mux = { tokenId: muxParts[0]!, tokenSecret: muxParts[1]!, webhookSigningSecret: muxParts[2]! };
  } else if (muxParts.some(Boolean)) {
    r.problems.push(
      'MUX_TOKEN_ID, MUX_TOKEN_SECRET and MUX_WEBHOOK_SIGNING_SECRET go together: set all three or none',
    );
  }

  const databaseUrl = r.url('DATABASE_URL', null, ['postgres:', 'postgresql:']);
  const config: AppConfig = {
    nodeEnv,
    port: r.int('PORT', 3000, 0, 65535),
    host: r.str('HOST') ?? (auth.mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    dataDir,
    databaseUrl,
    databasePoolSize: r.int('DATABASE_POOL_SIZE', 10, 1, 200),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    auth,
    mux,
    muxBaseUrl: r.url('MUX_BASE_URL', 'https://api.mux.com', ['https:', 'http:'])!,
    muxRtmpUrl: r.url('MUX_RTMP_URL', 'rtmps://global-live.mux.com:443/app', ['rtmps:', 'rtmp:'])!,
    muxRtmpCaFile: parseRtmpCaFile(r),
    ingest: parseIngestLimits(r),
    restream: parseRestreamSettings(r, nodeEnv === 'production'),
    room: parseRoomLimits(r),
    webhookMaxSkewSec: r.int('WEBHOOK_MAX_SKEW_SEC', 300, 0, 3600),
    ffmpegPath: r.str('FFMPEG_PATH') ?? 'ffmpeg',
    // Mux accepts 0–1800 s.
    reconnectWindowSec: r.int('RECONNECT_WINDOW_SEC', 60, 0, 1800),
    allowedOrigins: r.list('ALLOWED_ORIGINS'),
    authRateLimitPerMinute: r.int('AUTH_RATE_LIMIT_PER_MINUTE', 60, 1, 100000),
    streamCreateRateLimitPerMinute: r.int('STREAM_CREATE_RATE_LIMIT_PER_MINUTE', 10, 1, 100000),
    writeRateLimitPerMinute: r.int('WRITE_RATE_LIMIT_PER_MINUTE', 60, 1, 100000),
    webDistDir: resolve(cwd, r.str('WEB_DIST_DIR') ?? 'web/dist'),
    instanceId: r.str('INSTANCE_ID') ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    trustProxy: r.trustProxy('TRUST_PROXY', ['loopback']),
    metricsToken: r.str('METRICS_TOKEN'),
    localMinFreeMb: r.int('LOCAL_MIN_FREE_MB', 256, 0, 10_000_000),
    localRecordingMaxGb: r.num('LOCAL_RECORDING_MAX_GB', 0.001, 1_000_000),
    maxBroadcastMinutes: r.num('MAX_BROADCAST_MINUTES', 0.01, 100_000),
    apiDocs: r.oneOf('API_DOCS', ['on', 'off'], nodeEnv === 'production' ? 'off' : 'on') === 'on',
    cspUpgradeInsecureRequests: r.oneOf('CSP_UPGRADE_INSECURE_REQUESTS', ['auto', 'always', 'never'], 'auto'),
  };
  for (const o of config.allowedOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(o)) r.problems.push(`ALLOWED_ORIGINS: "${o}" is not an origin`);
  }
  if (config.metricsToken !== null && config.metricsToken.length < 16) {
    r.problems.push('METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)');
  }
  if (r.problems.length) throw new ConfigValidationError(r.problems);
  return config;
}

/**
 * The boot log's line about where the app listens and why: local sign-in lets anyone sign in as anyone by
 * name, so it stays on loopback unless HOST says otherwise (and then says that it is exposed).
 */
export function bindNotice(config: Pick<AppConfig, 'auth' | 'host' | 'port'>, hostFromEnv: boolean): string {
  if (config.auth.mode !== 'local') return `listening on ${config.host}:${config.port}`;
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
  if (!hostFromEnv) {
    return `local sign-in (anyone can sign in as anyone): listening on ${config.host} only; set HOST (e.g. HOST=0.0.0.0) to listen elsewhere`;
  }
  return loopback
    ? `local sign-in (anyone can sign in as anyone): listening on ${config.host} (HOST)`
    : `local sign-in (anyone can sign in as anyone) on HOST=${config.host}: reachable beyond this machine; use Clerk for anything public`;
}

/** Keeps a secret recognisable in logs without revealing it: "abcd…wxyz" style, at most 4 characters. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '***';
  return `${secret.slice(0, 4)}…`;
}
