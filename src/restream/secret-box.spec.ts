import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_KEY_FILE, loadSecretsKey, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('seals with a fresh IV and opens what it sealed', () => {
    const a = box.seal('live_sk_0123456789');
    const b = box.seal('live_sk_0123456789');
    expect(Buffer.from(a.iv)).not.toEqual(Buffer.from(b.iv));
    expect(Buffer.from(a.ciphertext).toString('utf8')).not.toContain('0123456789');
    expect(box.open(a)).toBe('live_sk_0123456789');
  });

  it('refuses altered data and another key', () => {
    const s = box.seal('secret-key');
    const altered = { ...s, ciphertext: Uint8Array.from(s.ciphertext, (x, i) => (i === 0 ? x ^ 1 : x)) };
    expect(() => box.open(altered)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(s)).toThrow();
  });

  it('keeps a generated key in the data folder (0600) and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-key-'));
    try {
      const first = await loadSecretsKey(null, dir);
      expect(first).toHaveLength(32);
      expect(statSync(join(dir, LOCAL_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(await loadSecretsKey(null, dir)).toEqual(first);
      const configured = Buffer.alloc(32, 9);
      expect(await loadSecretsKey(configured, dir)).toBe(configured);
      expect(readFileSync(join(dir, LOCAL_KEY_FILE), 'utf8').trim()).toBe(first.toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
