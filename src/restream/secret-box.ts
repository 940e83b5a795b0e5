/**
 * Restream stream keys at rest: AES-256-GCM with the app's secrets key (SECRETS_KEY, or in local mode a
 * key generated once and kept in DATA_DIR/secrets.key). A fresh 12-byte IV per key; the 16-byte tag
 * makes a tampered row fail to decrypt instead of yielding a wrong key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeSecretsKey } from '../config/restream-settings';

export interface Sealed {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  tag: Uint8Array<ArrayBuffer>;
}

const ALGORITHM = 'aes-256-gcm';
export const LOCAL_KEY_FILE = 'secrets.key';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: bytes(ciphertext), iv: bytes(iv), tag: bytes(cipher.getAuthTag()) };
  }

  /** Throws when the data was sealed with another key or altered. */
  open(sealed: { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array }): string {
    const decipher = createDecipheriv(ALGORITHM, this.key, sealed.iv);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }
}

function bytes(b: Buffer): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(b.length));
  out.set(b);
  return out;
}

/**
 * The configured key, or (local mode only: production refuses to boot without SECRETS_KEY) the one
 * kept in `dataDir/secrets.key`, created with mode 0600 on first use.
 */
export async function loadSecretsKey(configured: Buffer | null, dataDir: string): Promise<Buffer> {
  if (configured) return configured;
  const file = join(dataDir, LOCAL_KEY_FILE);
  if (existsSync(file)) {
    const key = decodeSecretsKey((await readFile(file, 'utf8')).trim());
    if (!key) throw new Error(`${file} does not hold a 32-byte key: remove it or set SECRETS_KEY`);
    return key;
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return key;
}
