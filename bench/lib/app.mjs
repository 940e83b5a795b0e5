/**
 * The app under test: compiled from src/ with the repo's TypeScript into a private folder (so a
 * concurrent `nest build` of dist/ cannot pull it from under the bench), run as its own process
 * (test/support/app-process.ts) with a fresh PostgreSQL database, and driven through its public HTTP API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { support } from './support.mjs';

const { startAppProcess } = support('app-process');
const { createTestDatabase } = support('db');

/** One level below the repo root, like dist/, so `__dirname/../../prisma/migrations` resolves. */
export const BUILD_DIR = '.bench-build';

export function buildApp(root, log) {
  log(`compiling src/ into ${BUILD_DIR}/ …`);
  rmSync(join(root, BUILD_DIR), { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      BUILD_DIR,
      '--incremental',
      'false',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (!existsSync(join(root, BUILD_DIR, 'main.js')))
    throw new Error(`tsc produced no main.js:\n${r.stdout}${r.stderr}`);
  if (r.status !== 0)
    log(`warning: tsc reported type errors (emitted anyway):\n${(r.stdout + r.stderr).slice(0, 2000)}`);
}

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the bench's PostgreSQL: `{ name, url, drop() }`. */
export const createDatabase = () => createTestDatabase(ADMIN_URL);

/** Starts `node .bench-build/main.js` with its own data directory; resolves once it listens. */
export async function startApp(_root, env, { nodeArgs = [], timeoutMs = 60_000 } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-bench-data-'));
  const app = await startAppProcess(
    {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      // every bench publisher connects from 127.0.0.1
      INGEST_PREAUTH_SOCKETS_PER_IP: '100000',
      ...env,
    },
    { main: join(BUILD_DIR, 'main.js'), nodeArgs: ['--enable-source-maps', ...nodeArgs], timeoutMs },
  ).catch((e) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  return {
    ...app,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One JSON API call against a bench app; throws with the status and body on an error. */
export async function call(url, method, path, body, token) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

let creatorSeq = 0;

/** A fresh creator with a fresh Mux live stream: what one publisher needs. */
export async function makePublisher(url, runTag) {
  const handle = `b${runTag}_${(creatorSeq++).toString(36)}`.toLowerCase().slice(0, 30);
  const { token } = await call(url, 'POST', '/auth/dev-login', { name: `Bench ${handle}` });
  await call(url, 'PUT', '/users/me/creator-profile', { handle, displayName: `Bench ${handle}` }, token);
  const stream = await call(url, 'POST', '/stream/create', { title: 'bench' }, token);
  return { token, streamKey: stream.streamKey, streamId: stream.id };
}

/** `count` publishers, created a few at a time. */
export async function makePublishers(url, runTag, count, parallel = 8) {
  const out = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, () => makePublisher(url, runTag));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** GET /metrics parsed into {name{labels}: value}. */
export async function scrapeMetrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}
