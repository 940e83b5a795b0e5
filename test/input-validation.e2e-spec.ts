/**
 * Issue 16 item 8: control characters in any text a client sends, absurd cursor dates and invisible
 * characters in names are refused with 400 (never a 500), and nothing is written.
 */
import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn, uniqueName } from './support/factories';

const BAD_TEXT = ['a\u0000b', 'lone\ud800', 'a\u0007b', 'bell\u001b[31m', 'del\u007f', 'c1\u0085x'];

/** A cursor in the app's format (base64url of "<iso date>|<uuid>") with any date text. */
const cursorAt = (iso: string) =>
  Buffer.from(`${iso}|00000000-0000-4000-8000-000000000000`).toString('base64url');

describe('text input: control characters, cursors and names (400, nothing written)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('refuses control characters in the dev-login name, creating no user', async () => {
    const before = await t.prisma.user.count();
    for (const name of BAD_TEXT) {
      const r = await request(t.url).post('/auth/dev-login').send({ name }).expect(400);
      expect(r.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    expect(await t.prisma.user.count()).toBe(before);
  });

  it('refuses control characters in handle, display name and bio, writing no profile', async () => {
    const u = await signIn(t);
    const ok = { handle: uniqueName('h').toLowerCase(), displayName: 'Owl', bio: 'hi' };
    for (const bad of BAD_TEXT) {
      for (const field of ['handle', 'displayName', 'bio'] as const) {
        const r = await request(t.url)
          .put('/users/me/creator-profile')
          .set(u.auth)
          .send({ ...ok, [field]: bad })
          .expect(400);
        expect(JSON.stringify(r.body.message)).toContain(field);
      }
    }
    expect(await t.prisma.creatorProfile.count({ where: { userId: u.userId } })).toBe(0);
  });

  it('refuses control characters in post titles and bodies and stream titles, writing nothing', async () => {
    const c = await makeCreator(t);
    for (const bad of BAD_TEXT) {
      await request(t.url).post('/posts').set(c.auth).send({ title: bad, body: 'x' }).expect(400);
      await request(t.url).post('/posts').set(c.auth).send({ title: 'ok', body: bad }).expect(400);
      await request(t.url).post('/stream/create').set(c.auth).send({ title: bad }).expect(400);
    }
    await request(t.url).post('/posts').set(c.auth).send({ title: 'line\nbreak', body: 'x' }).expect(400);
    expect(await t.prisma.post.count({ where: { authorId: c.userId } })).toBe(0);
    expect(await t.prisma.liveStream.count({ where: { creatorId: c.userId } })).toBe(0);
    // A body keeps its line breaks and tabs.
    const r = await request(t.url)
      .post('/posts')
      .set(c.auth)
      .send({ title: 'Fine', body: 'one\r\n\ttwo\nthree' })
      .expect(201);
    expect(r.body.body).toBe('one\r\n\ttwo\nthree');
  });

  it('answers 400 or 404 (never 500) for control characters in path and query text', async () => {
    for (const path of ['/creators/a%00b', '/creators/%1b%5b', '/posts?creator=a%00b', '/posts?cursor=%00']) {
      const r = await request(t.url).get(path);
      expect([400, 404]).toContain(r.status);
    }
  });

  it('bounds cursor dates: year −271821, +275760 and 0 are 400; a real cursor still pages', async () => {
    for (const iso of [
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
    ]) {
      const r = await request(t.url).get(`/posts?cursor=${cursorAt(iso)}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, message: 'cursor is not valid' });
    }
    const c = await makeCreator(t);
    for (const title of ['p1', 'p2', 'p3'])
      await request(t.url).post('/posts').set(c.auth).send({ title }).expect(201);
    const first = await request(t.url).get(`/posts?creator=${c.handle}&limit=2`).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(t.url)
      .get(`/posts?creator=${c.handle}&limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items.map((p: { title: string }) => p.title)).toEqual(['p1']);
  });

  it('normalises names: bidi overrides refused, stray zero-width characters removed, NFC', async () => {
    for (const name of ['evil\u202Egnp.exe', 'iso\u2066late', '\u200B\u200B']) {
      await request(t.url).post('/auth/dev-login').send({ name }).expect(400);
    }
    const u = await signIn(t);
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(u.auth)
      .send({ handle: uniqueName('h').toLowerCase(), displayName: 'Ad\u202Emin' })
      .expect(400);
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(u.auth)
      .send({ handle: uniqueName('h').toLowerCase(), displayName: '\u200B\u200D' })
      .expect(400);
    const handle = uniqueName('h').toLowerCase();
    // U+200B between letters, a leading ZWJ and a trailing BOM go; the family emoji's ZWJs stay;
    // "e" + combining acute becomes "é" (NFC).
    const r = await request(t.url)
      .put('/users/me/creator-profile')
      .set(u.auth)
      .send({ handle, displayName: '\u200DAd\u200Bmin Jose\u0301 👨\u200D👩\u200D👧\uFEFF' })
      .expect(200);
    expect(r.body.displayName).toBe('Admin José 👨\u200D👩\u200D👧');
    const login = await request(t.url)
      .post('/auth/dev-login')
      .send({ name: '\u200BZoe\u0308\u200B' })
      .expect(201);
    expect(login.body.user.displayName).toBe('Zoë');
  });
});
