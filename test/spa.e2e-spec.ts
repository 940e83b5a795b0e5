/**
 * The built SPA is served by the app: client-side routes fall back to index.html, API paths keep
 * their JSON answers (404s, and 400 for malformed JSON), assets are cached, index.html is not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';

describe('the SPA beside the API', () => {
  const web = mkdtempSync(join(tmpdir(), 'vybzz-web-'));
  let t: TestApp;
  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Vybzz SPA</title><div id="root"></div>');
    writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    t = await startApp({ WEB_DIST_DIR: web }, { logLevel: 'silent' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('answers client-side routes with index.html, never cached', async () => {
    for (const path of ['/', '/dashboard', '/c/some_creator', '/sign-in']) {
      const r = await request(t.url).get(path).set('Accept', 'text/html').expect(200);
      expect(r.text).toContain('Vybzz SPA');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    const asset = await request(t.url).get('/assets/app-1234.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('keeps the API JSON: 404 for unknown API paths, 400 for malformed JSON, also from a browser', async () => {
    const r = await request(t.url).get('/users/nothing-here').set('Accept', 'text/html').expect(404);
    expect(r.body).toMatchObject({ statusCode: 404 });
    await request(t.url).get('/posts/00000000-0000-4000-8000-000000000000').expect(404);
    await request(t.url).get('/no-such-page').set('Accept', 'application/json').expect(404);
    const bad = await request(t.url)
      .post('/auth/dev-login')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400 });
    await request(t.url).post('/dashboard').send({}).expect(404);
  });
});
