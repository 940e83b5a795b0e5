/**
 * Issue 16 items 11 and 12 at the header level: a tight Content-Security-Policy (scripts from Google
 * only where mux-player's Cast sender lives, sockets to this origin only), `upgrade-insecure-requests`
 * and HSTS only for requests that came over HTTPS (directly or through a trusted proxy) or when a
 * setting says so, and an SPA build without source maps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { ensureWebBuilt, REPO_ROOT } from './support/browser';

/** The CSP header as a map of directive → sources. */
function csp(res: request.Response): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  expect(header).not.toBe('');
  const directives = new Map<string, string[]>();
  for (const d of header.split(';')) {
    const [name, ...sources] = d.trim().split(/\s+/);
    if (name) directives.set(name, sources);
  }
  return directives;
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('lets sockets reach this origin only, and Google scripts only from the Cast sender paths', async () => {
    const res = await request(t.url).get('/health').set('Host', 'vybzz.example:8080');
    const p = csp(res);
    const connect = p.get('connect-src')!;
    expect(connect).toContain("'self'");
    expect(connect).toContain('ws://vybzz.example:8080');
    for (const s of connect) expect(s).not.toMatch(/^wss?:$|^wss?:\/\/\*|^\*$/);
    expect(connect.filter((s) => /^wss?:/.test(s))).toEqual(['ws://vybzz.example:8080']);
    const scripts = p.get('script-src')!;
    expect(scripts).not.toContain('https://www.gstatic.com');
    for (const s of scripts.filter((x) => x.includes('gstatic'))) {
      expect(s).toMatch(
        /^https:\/\/www\.gstatic\.com\/(cv\/js\/sender|cast\/sdk\/libs\/sender|eureka\/clank)\/$/,
      );
    }
    expect(p.get('object-src')).toEqual(["'none'"]);
  });

  it('a Host header cannot inject directives', async () => {
    const res = await request(t.url).get('/health').set('Host', "evil.example; script-src 'unsafe-inline'");
    const p = csp(res);
    expect(p.get('script-src')).not.toContain("'unsafe-inline'");
    expect(p.get('connect-src')!.filter((s) => /^wss?:/.test(s))).toEqual([]);
  });

  it('plain HTTP: no upgrade-insecure-requests and no HSTS (the page would stay blank on a LAN address)', async () => {
    const res = await request(t.url).get('/health').set('Host', '192.168.1.20:3000');
    expect(csp(res).has('upgrade-insecure-requests')).toBe(false);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('HTTPS through a trusted proxy (X-Forwarded-Proto from loopback): upgrade, HSTS and wss://', async () => {
    const res = await request(t.url)
      .get('/health')
      .set('Host', 'vybzz.example')
      .set('X-Forwarded-Proto', 'https');
    const p = csp(res);
    expect(p.has('upgrade-insecure-requests')).toBe(true);
    expect(p.get('connect-src')!.filter((s) => /^wss?:/.test(s))).toEqual(['wss://vybzz.example']);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('X-Forwarded-Proto from a proxy that is not trusted is ignored; the settings override', async () => {
    const untrusted = await startApp({ TRUST_PROXY: 'false' }, { logLevel: 'silent' });
    const always = await startApp({ CSP_UPGRADE_INSECURE_REQUESTS: 'always' }, { logLevel: 'silent' });
    const never = await startApp({ CSP_UPGRADE_INSECURE_REQUESTS: 'never' }, { logLevel: 'silent' });
    try {
      const forwarded = (u: TestApp) => request(u.url).get('/health').set('X-Forwarded-Proto', 'https');
      expect(csp(await forwarded(untrusted)).has('upgrade-insecure-requests')).toBe(false);
      expect(csp(await request(always.url).get('/health')).has('upgrade-insecure-requests')).toBe(true);
      expect(csp(await forwarded(never)).has('upgrade-insecure-requests')).toBe(false);
    } finally {
      await Promise.all([untrusted.close(), always.close(), never.close()]);
    }
  });
});

describe('the SPA build', () => {
  it('ships no source maps and no sourceMappingURL comments', () => {
    ensureWebBuilt();
    const assets = join(REPO_ROOT, 'web', 'dist', 'assets');
    expect(existsSync(assets)).toBe(true);
    const files = readdirSync(assets);
    expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of files.filter((x) => /\.(js|css)$/.test(x))) {
      expect(readFileSync(join(assets, f), 'utf8')).not.toMatch(/[#@] sourceMappingURL=/);
    }
  });
});
