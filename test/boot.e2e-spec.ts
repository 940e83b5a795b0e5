/**
 * `npm start` as a new user runs it: no settings at all (embedded database, local auth, local media),
 * /health within 60 s, data kept across a restart, and a bad setting stopping the boot by name.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { defined } from './support/indexing';

const root = join(__dirname, '..');

interface Running {
  proc: ChildProcess;
  url: string;
  bootMs: number;
  output: () => string;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

function startServer(env: Record<string, string>): Promise<Running> {
  const started = Date.now();
  const proc = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no /health within 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        proc.stdout.off('data', onData);
        const url = defined(m[1], 'the URL in the listening line');
        const poll = async (): Promise<void> => {
          const ok = await request(url)
            .get('/health')
            .then((r) => r.status === 200)
            .catch(() => false);
          if (ok) {
            clearTimeout(timer);
            resolve({ proc, url, bootMs: Date.now() - started, output: () => out });
          } else setTimeout(() => void poll(), 100);
        };
        void poll();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.proc.once('exit', (code) => resolve(code));
    r.proc.kill('SIGTERM');
  });
}

describe('npm start on a fresh machine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vybzz-boot-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers /health with no settings and keeps a post across a restart', async () => {
    const first = await startServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    process.stdout.write(`cold start to /health: ${first.bootMs} ms\n`);
    expect(first.bootMs).toBeLessThan(60_000);
    const login = await request(first.url)
      .post('/auth/dev-login')
      .send({ name: 'Restart Tester' })
      .expect(201);
    const auth = { Authorization: `Bearer ${login.body.token}` };
    await request(first.url)
      .put('/users/me/creator-profile')
      .set(auth)
      .send({ handle: 'restart_tester', displayName: 'RT' })
      .expect(200);
    const post = await request(first.url)
      .post('/posts')
      .set(auth)
      .send({ title: 'Before restart', body: 'kept' })
      .expect(201);
    expect(await stop(first)).toBe(0);

    const second = await startServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    try {
      const got = await request(second.url).get(`/posts/${post.body.id}`).expect(200);
      expect(got.body).toMatchObject({
        title: 'Before restart',
        body: 'kept',
        creator: { handle: 'restart_tester' },
      });
      // the signing key lives in DATA_DIR too: the token from before the restart still works
      await request(second.url).get('/users/me').set(auth).expect(200);
    } finally {
      await stop(second);
    }
  });

  it('serves concurrent requests of many users on the embedded database', async () => {
    // PGlite is one session: pooled connections to it interleave their statements ("unnamed prepared
    // statement does not exist") and their transactions. One connection serialises them.
    const dir = mkdtempSync(join(tmpdir(), 'vybzz-boot-pool-'));
    const r = await startServer({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    try {
      const users = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const login = await request(r.url)
            .post('/auth/dev-login')
            .send({ name: `Pool Tester ${i}` });
          expect(login.status).toBe(201);
          const auth = { Authorization: `Bearer ${login.body.token}` };
          const profile = await request(r.url)
            .put('/users/me/creator-profile')
            .set(auth)
            .send({ handle: `pool_tester_${i}`, displayName: `PT ${i}` });
          expect(profile.status).toBe(200);
          return auth;
        }),
      );
      const created = await Promise.all(
        users.map((auth) => request(r.url).post('/stream/create').set(auth).send({ title: 'At once' })),
      );
      expect(created.map((x) => x.status)).toEqual(users.map(() => 201));
    } finally {
      await stop(r);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps local sign-in on loopback without HOST, and says so in the boot log', async () => {
    const run = await startServer({ DATA_DIR: dataDir, PORT: '0' });
    try {
      expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(run.output()).toContain(
        'local sign-in (anyone can sign in as anyone): listening on 127.0.0.1 only',
      );
      // From any other address of this machine the port is closed.
      const port = Number(new URL(run.url).port);
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => a!.address);
      for (const address of others) {
        const outcome = await new Promise<string>((resolve) => {
          const s = connect({ host: address, port }, () => (s.destroy(), resolve('connected')));
          s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        });
        expect({ address, outcome }).toEqual({ address, outcome: 'ECONNREFUSED' });
      }
    } finally {
      await stop(run);
    }
  });

  it('stops the boot with a message naming a bad setting', async () => {
    const proc = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: cleanEnv({ DATA_DIR: dataDir, PORT: 'abc' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(78);
    expect(err).toContain('PORT must be a whole number');
  });
});
