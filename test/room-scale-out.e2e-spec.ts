/**
 * The live room on two instances sharing one PostgreSQL (issue 11 item 4): a message sent on instance A
 * reaches a watcher on instance B, deletions travel too, the viewer count is the sum over both, and
 * killing A brings the count down within 5 s (its heartbeats stop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { AppProcess, startAppProcess } from './support/app-process';
import { ClerkIssuer } from './support/clerk';
import { createTestDatabase, TestDatabase } from './support/db';
import { MuxStandin } from './support/mux-standin';
import { RoomClient } from './support/room-client';

describe('live room across two instances', () => {
  const clerk = new ClerkIssuer();
  const tmp = mkdtempSync(join(tmpdir(), 'vybzz-room-scale-'));
  let serverDb: TestDatabase;
  let mux: MuxStandin;
  let a: AppProcess;
  let b: TestApp;
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    serverDb = (await createTestDatabase(
      process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    ))!;
    mux = await MuxStandin.start();
    const env = { ...clerk.env(), ...mux.env('rtmp://127.0.0.1:9/app'), DATABASE_URL: serverDb.url };
    a = await startAppProcess({ ...env, INSTANCE_ID: 'room-a', DATA_DIR: join(tmp, 'a') });
    b = await startApp(
      { ...env, INSTANCE_ID: 'room-b' },
      { databaseUrl: serverDb.url, dataDir: join(tmp, 'b') },
    );
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    a.proc.kill('SIGKILL');
    await b.close();
    await mux.stop();
    await serverDb.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('relays chat and deletions, sums the count, and drops a dead instance within 5 s', async () => {
    const token = (sub: string, name: string) => clerk.token({ sub, name, expiresInSec: 600 });
    const creatorToken = token('user_room_creator', 'Room Creator');
    const viewerToken = token('user_room_viewer', 'Room Viewer');
    const auth = { Authorization: `Bearer ${creatorToken}` };
    await request(b.url)
      .put('/users/me/creator-profile')
      .set(auth)
      .send({ handle: 'room_scale', displayName: 'Room Scale' })
      .expect(200);
    const stream = (await request(b.url).post('/stream/create').set(auth).send({}).expect(201)).body;
    const row = await b.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    // the "active" webhook lands on B
    await mux.deliver(b.url, 'video.live_stream.active', { id: row.providerStreamId, status: 'active' });

    const join = async (url: string, tok?: string) => {
      const c = await RoomClient.join(url, 'room_scale', tok);
      clients.push(c);
      return c;
    };
    const onA = await join(a.wsUrl);
    const onB = await join(b.wsUrl);
    const owner = await join(b.wsUrl, creatorToken); // the creator is not counted
    const viewer = await join(a.wsUrl, viewerToken);
    // A learnt the stream is live although the webhook landed on B (the state channel)
    expect(
      onA.joined.live.isLive || (await onA.waitFor((m) => m.type === 'live' && m.live.isLive)),
    ).toBeTruthy();
    expect(
      viewer.joined.live.isLive || (await viewer.waitFor((m) => m.type === 'live' && m.live.isLive)),
    ).toBeTruthy();

    // the count is the sum over both instances: 2 anonymous + 1 signed-in viewer
    for (const c of [onA, onB, owner]) await c.waitFor((m) => m.type === 'viewers' && m.count === 3, 5_000);

    // a message sent on A reaches the watcher on B (and everyone on A)
    const sentAt = Date.now();
    const sent = await viewer.chat('hello from instance A');
    expect(sent.type).toBe('sent');
    const id = (sent as { messageId: string }).messageId;
    await onB.waitFor((m) => m.type === 'chat' && m.message.id === id, 2_000);
    const latencyMs = Date.now() - sentAt;
    await onA.waitFor((m) => m.type === 'chat' && m.message.id === id, 2_000);
    process.stdout.write(`chat A → watcher on B in ${latencyMs} ms\n`);

    // the creator on B deletes it: gone on A too
    owner.send({ type: 'delete', messageId: id });
    await onA.waitFor((m) => m.type === 'deleted' && m.messageId === id, 2_000);
    // and bans the viewer on A, who is told there
    owner.send({ type: 'ban', userId: viewer.joined.you.userId!, minutes: 10 });
    await viewer.waitFor((m) => m.type === 'banned', 2_000);
    expect(await viewer.chat('still here?')).toMatchObject({ type: 'refused', reason: 'banned' });

    // instance A dies: its two viewers stop counting within 5 s
    a.proc.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    const from = onB.received.length;
    await onB.waitFor((m) => m.type === 'viewers' && m.count === 1, 5_000, from);
    const convergedMs = Date.now() - killedAt;
    process.stdout.write(`count converged ${convergedMs} ms after instance A was killed\n`);
    expect(convergedMs).toBeLessThan(5_000);
  }, 60_000);
});
