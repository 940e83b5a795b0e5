/**
 * Property-based fuzzing of the running app (issue 16, "Must show"): random WebSocket paths and
 * frames (before and after a hello), random JSON and non-JSON bodies and headers on every HTTP
 * route (every path of the committed OpenAPI document, and the media, ingest and room paths), random
 * percent-encodings, and the live room's socket. The app runs as its own process: it must never
 * exit, never answer 5xx to bad input, and write nothing to the database.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import WebSocket from 'ws';
import { type AppProcess, startAppProcess } from './support/app-process';
import { createTestDatabase, type TestDatabase } from './support/db';
import { rawUpgrade } from './support/raw-http';

/**
 * Every route of the API: the committed OpenAPI document's paths (a new route is fuzzed without
 * touching this file; `{param}`s get random or well-formed values), plus what it does not describe.
 */
const OPENAPI_PATHS = Object.keys(
  (JSON.parse(readFileSync(join(__dirname, '../src/contract/openapi.json'), 'utf8')) as { paths: object })
    .paths,
);
const ROUTES = [...OPENAPI_PATHS, '/media/live/{id}/index.m3u8', '/stream/live/{key}', '/room/{handle}', '/'];
const UUID = '00000000-0000-4000-8000-000000000000';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Random text with its percent-encoding broken now and then (`%`, `%E0%A4%A`, `%ZZ`, lone surrogates). */
const pathSegment = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80', '%00', '..', '%2e%2e', '%2F'),
  fc.stringMatching(/^[A-Za-z0-9%._~-]{0,24}$/),
);

async function rowCounts(url: string): Promise<Record<string, number>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    const out: Record<string, number> = {};
    for (const { t } of tables.rows) {
      const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t}"`);
      out[t] = Number(r.rows[0]?.n ?? 0);
    }
    return out;
  } finally {
    await c.end();
  }
}

describe('fuzzing the running app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-fuzz-'));
  let db: TestDatabase | null;
  let app: AppProcess;
  let token: string;
  let streamKey: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    if (!db) throw new Error('the fuzz suite needs DATABASE_URL (a PostgreSQL server)');
    app = await startAppProcess({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      INGEST_PREAUTH_SOCKETS_PER_IP: '100000',
      INGEST_PUBLISHES_PER_USER_PER_MINUTE: '100000',
      WRITE_RATE_LIMIT_PER_MINUTE: '100000',
      STREAM_CREATE_RATE_LIMIT_PER_MINUTE: '100000',
      SIGN_IN_FAILURES_PER_IP_PER_MINUTE: '1000000',
      ROOM_ANONYMOUS_SOCKETS_PER_IP: '100000',
    });
    const login = await request(app.url).post('/auth/dev-login').send({ name: 'Fuzz Creator' }).expect(201);
    token = login.body.token as string;
    await request(app.url)
      .put('/users/me/creator-profile')
      .set('Authorization', `Bearer ${token}`)
      .send({ handle: 'fuzz_creator', displayName: 'Fuzz' })
      .expect(200);
    streamKey = (
      await request(app.url)
        .post('/stream/create')
        .set('Authorization', `Bearer ${token}`)
        .send({})
        .expect(201)
    ).body.streamKey as string;
  }, 120_000);
  afterAll(async () => {
    app.proc.kill('SIGTERM');
    await app.exited;
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('HTTP: random methods, paths, headers and bodies → never 5xx, nothing written', async () => {
    const before = await rowCounts(db!.url);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom(...ROUTES),
        fc.array(fc.oneof(fc.constant(UUID), pathSegment), { minLength: 2, maxLength: 2 }),
        fc.array(pathSegment, { maxLength: 2 }),
        fc.option(
          fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
          { nil: undefined },
        ),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'multipart/form-data; boundary=x',
          '',
        ),
        fc.oneof(
          fc.json({ maxDepth: 3 }),
          fc.string({ maxLength: 200 }),
          fc.constantFrom(
            '{',
            '{"a":',
            'null',
            '[]',
            '{"title":"\\u0000"}',
            '{"cursor":"-271821-04-19T00:00:00Z"}',
          ),
        ),
        async (method, route, params, extra, auth, contentType, body) => {
          let n = 0;
          const filled = route.replace(/\{[^}]+\}/g, () => params[n++ % params.length] || 'x');
          const path = [filled, ...extra].join('/');
          const agent = request(app.url);
          const verb = method.toLowerCase() as 'get';
          let r = agent[verb](path).ok(() => true);
          if (auth !== undefined) r = r.set('Authorization', `Bearer ${auth}`);
          if (contentType) r = r.set('Content-Type', contentType);
          const res = method === 'GET' ? await r : await r.send(body);
          if (res.status >= 500)
            throw new Error(`${method} ${path} (${contentType}) ${body} → ${res.status}`);
        },
      ),
      { numRuns: 500 },
    );
    expect(await rowCounts(db!.url)).toEqual(before);
    expect(app.proc.exitCode).toBeNull();
  });

  it('WebSocket: random upgrade paths and random frames before the hello → refusals only, nothing written', async () => {
    const before = await rowCounts(db!.url);
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 1, maxLength: 3 }), async (segments) => {
        const res = await rawUpgrade(app.url, `/stream/live/${segments.join('/')}`);
        if (res.status === null || res.status >= 500)
          throw new Error(`${segments.join('/')} → ${res.statusLine}`);
      }),
      { numRuns: 80 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 }), fc.json()), {
          minLength: 1,
          maxLength: 4,
        }),
        async (frames) => {
          const ws = new WebSocket(`${app.wsUrl}/stream/live/${streamKey}`);
          const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
          ws.on('error', () => undefined);
          await new Promise((r) => ws.once('open', r));
          for (const f of frames) ws.send(f);
          const code = await closed;
          if (code !== 4001) throw new Error(`frames before hello → ${code}`);
        },
      ),
      { numRuns: 25 },
    );
    expect(await rowCounts(db!.url)).toEqual(before);
    expect(app.proc.exitCode).toBeNull();
  });

  it('WebSocket: random frames after a valid hello → a close code, and the app keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 256 }), { minLength: 1, maxLength: 6 }),
        async (frames) => {
          const ws = new WebSocket(`${app.wsUrl}/stream/live/${streamKey}`);
          const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
          ws.on('error', () => undefined);
          const ready = new Promise<void>((resolve) =>
            ws.on('message', (d) => {
              if ((d as Buffer).toString('utf8').includes('"ready"')) resolve();
            }),
          );
          await new Promise((r) => ws.once('open', r));
          ws.send(JSON.stringify({ type: 'hello', token, mimeType: 'video/webm;codecs=h264,opus' }));
          await Promise.race([ready, closed]);
          for (const f of frames) ws.send(f);
          ws.send(JSON.stringify({ type: 'nonsense' }));
          const code = await closed;
          // 4008: the frames began an element that never completed, so no media ever came.
          if (![4008, 4013, 4029, 4009, 4500].includes(code)) throw new Error(`frames after hello → ${code}`);
        },
      ),
      { numRuns: 8 },
    );
    await request(app.url).get('/health').expect(200);
    expect(app.proc.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/uncaught exception|unhandled rejection/);
  });

  it('WebSocket /room: random paths, and random frames before and after a join → refusals, nothing written', async () => {
    const before = await rowCounts(db!.url);
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 1, maxLength: 3 }), async (segments) => {
        const res = await rawUpgrade(app.url, `/room/${segments.join('/')}`);
        if (res.status === null || res.status >= 500)
          throw new Error(`/room/${segments.join('/')} → ${res.statusLine}`);
      }),
      { numRuns: 40 },
    );
    const frame = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 }), fc.json());
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 4 }),
        async (joinFirst, frames) => {
          const ws = new WebSocket(`${app.wsUrl}/room/fuzz_creator`);
          const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
          ws.on('error', () => undefined);
          await new Promise((r) => ws.once('open', r));
          if (joinFirst) {
            const joined = new Promise<void>((resolve) => ws.once('message', () => resolve()));
            ws.send(JSON.stringify({ type: 'join' }));
            await Promise.race([joined, closed]);
          }
          for (const f of frames) ws.send(f);
          // an anonymous viewer may stay; whatever happens, no server error (1011) or abrupt end (1006)
          const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(0), 300))]);
          ws.terminate();
          if (code === 1011 || code === 1006 || code >= 5000) throw new Error(`room frames → ${code}`);
        },
      ),
      { numRuns: 30 },
    );
    expect(await rowCounts(db!.url)).toEqual(before);
    await request(app.url).get('/health').expect(200);
    expect(app.proc.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/uncaught exception|unhandled rejection/);
  });
});
