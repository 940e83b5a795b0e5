/**
 * The live room against the real app and PostgreSQL (issue 11): the watch socket's protections, the
 * chat's refusals (no token, over-long, control characters, rate-limited, banned, slow mode, deleting
 * someone else's message as a non-owner), moderation reaching every watcher, and the chat replay.
 * The Mux provider runs against the stand-in; its signed webhook makes the stream live.
 */
import request from 'supertest';
import { MAX_CHAT_LENGTH } from '../src/contract/room-protocol';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn, SignedIn } from './support/factories';
import { defined } from './support/indexing';
import { MuxStandin } from './support/mux-standin';
import { RoomClient } from './support/room-client';

const ANON_CAP = 6;

describe('live room: watch socket, chat, moderation, replay', () => {
  let t: TestApp;
  let mux: MuxStandin;
  let creator: SignedIn & { handle: string };
  let stream: { id: string };
  let providerStreamId: string;
  const open: RoomClient[] = [];
  const join = async (token?: string) => {
    const c = await RoomClient.join(t.wsUrl, creator.handle, token);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    mux = await MuxStandin.start();
    t = await startApp({
      ...mux.env('rtmp://127.0.0.1:9/app'),
      ROOM_ANONYMOUS_SOCKETS_PER_IP: String(ANON_CAP),
    });
    creator = await makeCreator(t);
    stream = (await request(t.url).post('/stream/create').set(creator.auth).send({}).expect(201)).body;
    providerStreamId = (await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } }))
      .providerStreamId;
  });
  afterAll(async () => {
    for (const c of open) c.ws.terminate();
    await t.close();
    await mux.stop();
  });

  it('joins anonymously before the broadcast, and hears it go live', async () => {
    const anon = await join();
    expect(anon.joined).toMatchObject({
      creator: { handle: creator.handle },
      live: { streamId: stream.id, isLive: false },
      you: { userId: null, canChat: false, isOwner: false },
      messages: [],
    });
    expect(anon.joined.viewers).toBe(1);
    expect(
      await mux.deliver(t.url, 'video.live_stream.active', { id: providerStreamId, status: 'active' }),
    ).toBeLessThan(300);
    const live = await anon.waitFor((m) => m.type === 'live' && m.live.isLive);
    expect(live).toMatchObject({ live: { streamId: stream.id, isLive: true } });
    anon.close();
  });

  it('refuses chat without a token, over-long text and control characters', async () => {
    const anon = await join();
    expect(await anon.chat('hello')).toMatchObject({ type: 'refused', reason: 'sign-in' });
    const v = await signIn(t);
    const viewer = await join(v.token);
    expect(viewer.joined.you).toMatchObject({ userId: v.userId, canChat: true, isOwner: false });
    expect(await viewer.chat('x'.repeat(MAX_CHAT_LENGTH + 1))).toMatchObject({
      type: 'refused',
      reason: 'too-long',
    });
    expect(await viewer.chat('bell\u0007')).toMatchObject({ type: 'refused', reason: 'invalid-text' });
    expect(await viewer.chat('two\nlines')).toMatchObject({ type: 'refused', reason: 'invalid-text' });
    expect(await viewer.chat('   ')).toMatchObject({ type: 'refused', reason: 'invalid-text' });
    // exactly 500 characters (emoji count as one) goes through, and reaches the anonymous viewer
    const longest = '😀'.repeat(MAX_CHAT_LENGTH);
    const sent = await viewer.chat(longest);
    expect(sent.type).toBe('sent');
    const seen = await anon.waitFor((m) => m.type === 'chat' && m.message.text === longest);
    expect(seen).toMatchObject({ message: { author: { id: v.userId }, streamId: stream.id } });
    expect(await t.prisma.chatMessage.count({ where: { authorId: v.userId } })).toBe(1);
  });

  it('rate-limits each user: a burst of 3, then 1 per second', async () => {
    const v = await signIn(t);
    const viewer = await join(v.token);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await viewer.chat(`burst ${i}`));
    expect(answers.map((a) => a.type)).toEqual(['sent', 'sent', 'sent', 'refused']);
    expect(answers[3]).toMatchObject({ reason: 'rate-limited' });
    expect((answers[3] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    // the limit is per user: a second socket of the same user shares it
    const again = await join(v.token);
    expect(await again.chat('other tab')).toMatchObject({ type: 'refused', reason: 'rate-limited' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await viewer.chat('after a second')).toMatchObject({ type: 'sent' });
    expect(await t.prisma.chatMessage.count({ where: { authorId: v.userId } })).toBe(4);
  });

  it('lets only the creator delete: gone for every watcher and from the replay', async () => {
    const a = await signIn(t);
    const b = await signIn(t);
    const va = await join(a.token);
    const vb = await join(b.token);
    const owner = await join(creator.token);
    expect(owner.joined.you.isOwner).toBe(true);
    const sent = await va.chat('delete me');
    expect(sent.type).toBe('sent');
    const id = (sent as { messageId: string }).messageId;
    // a non-owner (even the one who can see it) may not delete it
    expect(await vb.request({ type: 'delete', messageId: id })).toMatchObject({
      type: 'refused',
      reason: 'forbidden',
    });
    expect(await va.request({ type: 'ban', userId: b.userId })).toMatchObject({
      type: 'refused',
      reason: 'forbidden',
    });
    expect((await t.prisma.chatMessage.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();
    const fromB = vb.received.length;
    owner.send({ type: 'delete', messageId: id });
    for (const c of [va, vb, owner])
      await c.waitFor((m) => m.type === 'deleted' && m.messageId === id, 5_000, 0);
    expect(fromB).toBeLessThan(vb.received.length);
    const replay = (await request(t.url).get(`/streams/${stream.id}/chat`).expect(200)).body;
    expect(replay.items.map((m: { id: string }) => m.id)).not.toContain(id);
    const late = await join();
    expect(late.joined.messages.map((m) => m.id)).not.toContain(id);
    expect(
      await owner.request({ type: 'delete', messageId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({
      type: 'refused',
      reason: 'not-found',
    });
  });

  it('bans: the banned user is told and their next messages are refused (timed and permanent)', async () => {
    const owner = await join(creator.token);
    for (const minutes of [5, null]) {
      const u = await signIn(t);
      const viewer = await join(u.token);
      expect((await viewer.chat('before the ban')).type).toBe('sent');
      owner.send({ type: 'ban', userId: u.userId, minutes });
      const told = await viewer.waitFor((m) => m.type === 'banned');
      if (minutes)
        expect(Date.parse((told as { until: string }).until)).toBeGreaterThan(Date.now() + 4 * 60_000);
      else expect(told).toMatchObject({ until: 'forever' });
      expect(await viewer.chat('after the ban')).toMatchObject({ type: 'refused', reason: 'banned' });
      // a new socket learns of the ban on join, and is refused too
      const rejoined = await join(u.token);
      expect(rejoined.joined.you.bannedUntil).toBe(minutes ? (told as { until: string }).until : 'forever');
      expect(await rejoined.chat('new tab')).toMatchObject({ type: 'refused', reason: 'banned' });
      expect(await t.prisma.chatMessage.count({ where: { authorId: u.userId } })).toBe(1);
    }
  });

  it('slow mode, set by the creator, spaces each viewer out', async () => {
    const owner = await join(creator.token);
    const u = await signIn(t);
    const viewer = await join(u.token);
    owner.send({ type: 'slow-mode', seconds: 30 });
    await viewer.waitFor((m) => m.type === 'slow-mode' && m.seconds === 30);
    expect((await viewer.chat('one')).type).toBe('sent');
    expect(await viewer.chat('two')).toMatchObject({ type: 'refused', reason: 'slow-mode' });
    expect((await owner.chat('the creator is not slowed')).type).toBe('sent');
    owner.send({ type: 'slow-mode', seconds: 0 });
    await viewer.waitFor((m) => m.type === 'slow-mode' && m.seconds === 0);
    expect((await viewer.chat('three')).type).toBe('sent');
  });

  it('serves the replay in broadcast order, paginated and validated', async () => {
    const all = (await request(t.url).get(`/streams/${stream.id}/chat?limit=200`).expect(200)).body;
    expect(all.items.length).toBeGreaterThan(5);
    const offsets = all.items.map((m: { offsetMs: number }) => m.offsetMs);
    expect(offsets).toEqual([...offsets].sort((x: number, y: number) => x - y));
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await request(t.url)
          .get(`/streams/${stream.id}/chat`)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      pages.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items.map((m: { id: string }) => m.id));
    const mid = offsets[Math.floor(offsets.length / 2)];
    const window = (
      await request(t.url)
        .get(`/streams/${stream.id}/chat?fromMs=${mid}&toMs=${mid + 1}`)
        .expect(200)
    ).body;
    expect(window.items.length).toBeGreaterThan(0);
    for (const m of window.items) expect(m.offsetMs).toBe(mid);
    await request(t.url).get(`/streams/${stream.id}/chat?fromMs=10&toMs=5`).expect(400);
    await request(t.url).get(`/streams/${stream.id}/chat?limit=0`).expect(400);
    await request(t.url).get(`/streams/${stream.id}/chat?fromMs=abc`).expect(400);
    await request(t.url).get(`/streams/${stream.id}/chat?cursor=nope`).expect(400);
    await request(t.url).get(`/streams/not-a-uuid/chat`).expect(400);
    await request(t.url).get(`/streams/00000000-0000-4000-8000-000000000000/chat`).expect(404);
  });

  it('closes the chat when the broadcast ends', async () => {
    const u = await signIn(t);
    const viewer = await join(u.token);
    await mux.deliver(t.url, 'video.live_stream.idle', { id: providerStreamId, status: 'idle' });
    await viewer.waitFor((m) => m.type === 'live' && !m.live.isLive);
    expect(await viewer.chat('anyone?')).toMatchObject({ type: 'refused', reason: 'not-live' });
  });

  it('protects the socket: bad token, no join, unknown room, binary, oversize, flood, anonymous cap', async () => {
    const bad = await RoomClient.open(t.wsUrl, creator.handle);
    bad.send({ type: 'join', token: 'not-a-token' });
    expect((await bad.closed).code).toBe(4001);
    const notJoin = await RoomClient.open(t.wsUrl, creator.handle);
    notJoin.send({ type: 'chat', text: 'hi' });
    expect((await notJoin.closed).code).toBe(4001);
    const unknown = await RoomClient.open(t.wsUrl, 'nobody_here');
    unknown.send({ type: 'join' });
    expect((await unknown.closed).code).toBe(4044);
    const badPath = await RoomClient.open(t.wsUrl, '%E0%A4%A').catch((e: Error) => e);
    expect((badPath as Error).message).toMatch(/400/);
    const binary = await join();
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect((await binary.closed).code).toBe(1003);
    const big = await join();
    big.send({ type: 'chat', text: 'x'.repeat(9000) });
    expect((await big.closed).code).toBe(1009);
    const flood = await join();
    for (let i = 0; i < 40; i++) flood.send({ type: 'nonsense' });
    expect((await flood.closed).code).toBe(4029);
    const silent = await RoomClient.open(t.wsUrl, creator.handle);
    expect((await silent.closed).code).toBe(4001); // no join within 5 s
    // anonymous sockets per address are capped; signed-in ones are not counted
    for (const c of open) c.ws.terminate();
    await new Promise((r) => setTimeout(r, 200));
    const anons = [];
    for (let i = 0; i < ANON_CAP; i++) anons.push(await join());
    const over = await RoomClient.open(t.wsUrl, creator.handle);
    expect((await over.closed).code).toBe(4029);
    const u = await signIn(t);
    defined(anons[0], 'an anonymous viewer').ws.terminate();
    await new Promise((r) => setTimeout(r, 200));
    const signedIn = await join(u.token); // takes the freed slot only until its join signs it in
    expect(signedIn.joined.you.canChat).toBe(true);
    const another = await join();
    expect(another.joined.type).toBe('joined');
    // the server is still fine
    await request(t.url)
      .get('/health')
      .expect((r) => expect([200, 503]).toContain(r.status));
  }, 20_000);
});
