import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { autogroupOf, endsWithin, isRunning } from '../../../test/support/ffmpeg-processes';
import { eventually, sleep } from '../../../test/support/eventually';
import { SessionSpawner, type SpawnedChild } from './session-spawner';

/** Its `close` (FfmpegProcess reads stdout and stderr to the end; so does this). */
const closed = (child: SpawnedChild): Promise<[number | null, NodeJS.Signals | null]> => {
  child.stdout.resume();
  child.stderr.resume();
  return new Promise((resolve) => child.once('close', (code, signal) => resolve([code, signal])));
};
const read = (s: NodeJS.ReadableStream): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('end', () => resolve(text));
  });

describe('SessionSpawner', () => {
  let spawner: SessionSpawner;
  beforeEach(() => (spawner = new SessionSpawner()));
  afterEach(() => spawner.close());

  it('runs a process in a session of its own, with its stdin, stdout and stderr piped to us', async () => {
    const child = await spawner.spawn('sh', ['-c', 'cat /proc/self/autogroup >&2; tr a-z A-Z; exit 3']);
    const out = read(child.stdout);
    const err = read(child.stderr);
    const done = closed(child);
    child.stdin.end('hello\n');
    expect(await out).toBe('HELLO\n');
    expect(await done).toEqual([3, null]);
    // Another session: another autogroup than the app's (Linux with autogroup on, as here and in CI).
    const group = (await err).split(' ')[0];
    expect(group).toMatch(/^\/autogroup-\d+$/);
    expect(group).not.toBe(autogroupOf(process.pid));
    expect(child.exitCode).toBe(3);
  });

  it('loses no output written before the pipes reach us', async () => {
    const child = await spawner.spawn('sh', ['-c', 'seq 1 20000; echo done >&2']);
    const [out, err] = await Promise.all([read(child.stdout), read(child.stderr)]);
    expect(out.split('\n').filter(Boolean)).toHaveLength(20000);
    expect(err).toBe('done\n');
  });

  it('kills on request and reports the signal', async () => {
    const child = await spawner.spawn('sleep', ['30']);
    const done = closed(child);
    expect(isRunning(child.pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await done).toEqual([null, 'SIGKILL']);
    expect(isRunning(child.pid)).toBe(false);
  });

  it('rejects a command that cannot start', async () => {
    await expect(spawner.spawn('/nonexistent/ffmpeg', [])).rejects.toThrow(/ENOENT/);
  });

  it('does not keep the app alive: a process that never calls close() still exits', () => {
    // This module, compiled for plain node, in a process that spawns one command and forgets the spawner.
    const dir = mkdtempSync(join(tmpdir(), 'spawner-spec-'));
    try {
      const source = readFileSync(join(__dirname, 'session-spawner.ts'), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(dir, 'session-spawner.js'), js.outputText);
      const main = `const { SessionSpawner } = require('./session-spawner.js');
        new SessionSpawner().spawn('true', []).then(() => console.log('spawned'));`;
      const started = Date.now();
      const out = execFileSync(process.execPath, ['-e', main], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(out.trim()).toBe('spawned');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends, with what it started, when closed while a spawn is on its way (an app shutting down)', async () => {
    const marker = `spawner-spec-${process.pid}-${Date.now()}`;
    const pending = spawner.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', marker]);
    const settled = pending.then(
      (c) => c.pid,
      () => null,
    );
    const helper = spawner.spawnerPid;
    expect(helper).toBeDefined();
    // Closed in the same turn as the request: the spawner may fork before it learns the app is gone.
    spawner.close();
    const pid = await Promise.race([settled, sleep(5000).then(() => 'pending' as const)]);
    expect(pid).not.toBe('pending'); // settled either way: nothing waits on it forever
    const left = () =>
      execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(marker) && !l.includes('ps -eo'));
    await eventually('the forked command to end', () => left().length === 0, 5000);
    expect(await endsWithin(helper!)).toBe(true);
  });

  it('kills what it started when the app lets it go, and when it dies itself', async () => {
    const a = await spawner.spawn('sleep', ['30']);
    spawner.close();
    expect(await endsWithin(a.pid)).toBe(true);

    spawner = new SessionSpawner();
    const b = await spawner.spawn('sleep', ['30']);
    const done = closed(b);
    process.kill(spawner.spawnerPid!, 'SIGKILL');
    expect(await done).toEqual([null, 'SIGKILL']);
    // (an orphan until init reaps it)
    expect(await endsWithin(b.pid)).toBe(true);
    // and a new spawner is started for the next one
    const c = await spawner.spawn('true', []);
    expect(await closed(c)).toEqual([0, null]);
  });
});
