/**
 * Issue 16 item 9: /metrics and the OpenAPI pages are not public in production. Metrics want
 * `Authorization: Bearer <METRICS_TOKEN>` when a token is set, and are off in production without one;
 * /docs and /docs-json are off in production unless API_DOCS says on.
 */
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { ClerkIssuer } from './support/clerk';

const TOKEN = 'metrics-token-0123456789abcdef';
const clerk = new ClerkIssuer();
const production = (env: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  SECRETS_KEY: 'cd'.repeat(32),
  ...clerk.env('https://app.vybzz.test'),
  ...env,
});

async function withApp(env: Record<string, string>, fn: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startApp(env, { logLevel: 'silent' });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

describe('operator endpoints', () => {
  it('production without METRICS_TOKEN: /metrics, /docs and /docs-json answer 404', async () => {
    await withApp(production(), async (t) => {
      for (const path of ['/metrics', '/docs', '/docs-json']) {
        const r = await request(t.url).get(path).set('Accept', 'application/json');
        expect([path, r.status]).toEqual([path, 404]);
        expect(r.text).not.toContain('vybzz_');
      }
    });
  });

  it('METRICS_TOKEN: the bearer token opens /metrics; none, a wrong one or another scheme get 401', async () => {
    await withApp(production({ METRICS_TOKEN: TOKEN }), async (t) => {
      const ok = await request(t.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(ok.text).toContain('vybzz_ingest_active_pipelines');
      for (const auth of [
        undefined,
        `Bearer ${TOKEN}x`,
        `Bearer ${TOKEN.slice(0, -1)}`,
        `Basic ${TOKEN}`,
        'Bearer ',
      ]) {
        const r = request(t.url).get('/metrics');
        const res = await (auth === undefined ? r : r.set('Authorization', auth));
        expect([auth, res.status]).toEqual([auth, 401]);
        expect(res.text).not.toContain('vybzz_');
      }
    });
  });

  it('API_DOCS=on serves the docs in production', async () => {
    await withApp(production({ API_DOCS: 'on' }), async (t) => {
      await request(t.url).get('/docs').expect(200).expect('content-type', /html/);
      const json = await request(t.url).get('/docs-json').expect(200);
      expect(json.body.info.title).toBe('Vybzz API');
    });
  });

  it('development: metrics and docs stay open without settings; a token still protects metrics', async () => {
    await withApp({ NODE_ENV: 'development' }, async (t) => {
      await request(t.url).get('/metrics').expect(200);
      await request(t.url).get('/docs-json').expect(200);
    });
    await withApp({ NODE_ENV: 'development', METRICS_TOKEN: TOKEN, API_DOCS: 'off' }, async (t) => {
      await request(t.url).get('/metrics').expect(401);
      await request(t.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      // (A browser asking for HTML at /docs-json gets the SPA's page, never the OpenAPI document.)
      await request(t.url).get('/docs-json').set('Accept', 'application/json').expect(404);
      expect((await request(t.url).get('/docs-json')).text).not.toContain('"openapi"');
    });
  });
});
