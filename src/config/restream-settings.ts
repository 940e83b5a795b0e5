/** Settings of restream targets and their encrypted keys (issue 12). Parsed by app-config. */
import { parseRtmpCaFile } from './ingest-limits';

export interface RestreamSettings {
  /**
   * SECRETS_KEY: the AES-256-GCM key restream stream keys are encrypted with (32 bytes). null: local
   * mode keeps a generated one in DATA_DIR/secrets.key; production refuses to boot without it.
   */
  secretsKey: Buffer | null;
  /** CA file FFmpeg verifies `rtmps://` restream targets with (RESTREAM_CA_FILE or the system bundle). */
  restreamCaFile: string | null;
}

interface EnvReader {
  readonly problems: string[];
  str(name: string): string | null;
  int(name: string, fallback: number, min: number, max: number): number;
}

/** 32 bytes as 64 hex digits or as base64 (44 characters with padding); null when it is neither. */
export function decodeSecretsKey(raw: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) {
    const key = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

export function parseRestreamSettings(r: EnvReader, production: boolean): RestreamSettings {
  const raw = r.str('SECRETS_KEY');
  let secretsKey: Buffer | null = null;
  if (raw !== null) {
    secretsKey = decodeSecretsKey(raw);
    if (!secretsKey)
      r.problems.push('SECRETS_KEY must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)');
  } else if (production) {
    r.problems.push(
      'SECRETS_KEY is required when NODE_ENV=production (32 bytes, base64 or hex: openssl rand -base64 32); it encrypts restream keys',
    );
  }
  return { secretsKey, restreamCaFile: parseRtmpCaFile(r, 'RESTREAM_CA_FILE') };
}
