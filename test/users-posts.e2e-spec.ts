import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { makeCreator, signIn, uniqueName, writePost } from './support/factories';

describe('creators and posts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  describe('creator profile', () => {
    it('is created and updated with PUT; GET /users/me and /creators/:handle show it', async () => {
      const u = await signIn(t);
      const handle = uniqueName('h').toLowerCase();
      const put = await request(t.url)
        .put('/users/me/creator-profile')
        .set(u.auth)
        .send({ handle, displayName: 'Night Owl', bio: 'late streams' })
        .expect(200);
      expect(put.body).toEqual({ handle, displayName: 'Night Owl', bio: 'late streams' });
      await request(t.url)
        .put('/users/me/creator-profile')
        .set(u.auth)
        .send({ handle, displayName: 'Owl' })
        .expect(200);
      const me = await request(t.url).get('/users/me').set(u.auth).expect(200);
      expect(me.body.creatorProfile).toEqual({ handle, displayName: 'Owl', bio: 'late streams' });
      const page = await request(t.url).get(`/creators/${handle}`).expect(200);
      expect(page.body).toEqual({ handle, displayName: 'Owl', bio: 'late streams', liveStream: null });
      const list = await request(t.url).get('/creators').expect(200);
      expect(list.body.items.map((c: { handle: string }) => c.handle)).toContain(handle);
    });

    it('refuses invalid handles and unknown fields with 400, a taken handle with 409, changing nothing', async () => {
      const a = await makeCreator(t);
      const b = await signIn(t);
      for (const handle of ['ab', 'Has-Caps', 'with space', 'x'.repeat(31), 'émoji']) {
        const r = await request(t.url)
          .put('/users/me/creator-profile')
          .set(b.auth)
          .send({ handle, displayName: 'B' })
          .expect(400);
        expect(r.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
      await request(t.url)
        .put('/users/me/creator-profile')
        .set(b.auth)
        .send({ handle: 'valid_one', displayName: 'B', role: 'admin' })
        .expect(400);
      const taken = await request(t.url)
        .put('/users/me/creator-profile')
        .set(b.auth)
        .send({ handle: a.handle, displayName: 'B' })
        .expect(409);
      expect(taken.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect((await request(t.url).get('/users/me').set(b.auth).expect(200)).body.creatorProfile).toBeNull();
      await request(t.url).get('/creators/nobody_here').expect(404);
      await request(t.url)
        .put('/users/me/creator-profile')
        .send({ handle: 'anon_x', displayName: 'A' })
        .expect(401);
    });
  });

  describe('posts', () => {
    it('only creators may post (403 otherwise, 401 signed out); bad bodies get 400', async () => {
      const fan = await signIn(t);
      await request(t.url).post('/posts').set(fan.auth).send({ title: 'hi', body: 'x' }).expect(403);
      await request(t.url).post('/posts').send({ title: 'hi' }).expect(401);
      const c = await makeCreator(t);
      await request(t.url).post('/posts').set(c.auth).send({ title: '' }).expect(400);
      await request(t.url).post('/posts').set(c.auth).send({ title: 'ok', kind: 'VOD' }).expect(400);
      await request(t.url).post('/posts').set(c.auth).send({ title: 'ok', playbackId: 'x' }).expect(400);
      const res = await request(t.url)
        .post('/posts')
        .set(c.auth)
        .send({ title: 'First', body: 'Hello' })
        .expect(201);
      expect(res.body).toMatchObject({
        kind: 'TEXT',
        title: 'First',
        body: 'Hello',
        creator: { handle: c.handle },
      });
      const got = await request(t.url).get(`/posts/${res.body.id}`).expect(200);
      expect(got.body).toEqual(res.body);
    });

    it('lists a creator newest first with a cursor, walking every post once', async () => {
      const c = await makeCreator(t);
      const other = await makeCreator(t);
      await writePost(t, other);
      const titles: string[] = [];
      for (let i = 0; i < 7; i++) titles.push((await writePost(t, c, `p${i}`)).title);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: request.Response = await request(t.url)
          .get('/posts')
          .query({ creator: c.handle, limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...r.body.items.map((p: { title: string }) => p.title));
        cursor = r.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...titles].reverse());
      await request(t.url).get('/posts').query({ cursor: 'garbage' }).expect(400);
      await request(t.url).get('/posts').query({ limit: 500 }).expect(400);
      const none = await request(t.url).get('/posts').query({ creator: 'nobody_here' }).expect(200);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('deletes for the author only (403 for others, 404 when gone, 400 for a bad id)', async () => {
      const c = await makeCreator(t);
      const other = await makeCreator(t);
      const p = await writePost(t, c);
      await request(t.url).delete(`/posts/${p.id}`).set(other.auth).expect(403);
      await request(t.url).delete(`/posts/${p.id}`).expect(401);
      await request(t.url).get(`/posts/${p.id}`).expect(200);
      await request(t.url).delete(`/posts/${p.id}`).set(c.auth).expect(204);
      await request(t.url).get(`/posts/${p.id}`).expect(404);
      await request(t.url).delete(`/posts/${p.id}`).set(c.auth).expect(404);
      await request(t.url).get('/posts/not-a-uuid').expect(400);
    });
  });

  it('reports health with the database and ffmpeg', async () => {
    const r = await request(t.url).get('/health').expect(200);
    expect(r.body.info.database.status).toBe('up');
    expect(r.body.info.ffmpeg.version).toMatch(/\d/);
  });

  it('logs JSON lines with request ids and never the bearer token', async () => {
    const u = await signIn(t);
    await request(t.url).get('/users/me').set(u.auth).set('x-request-id', 'req-check-1').expect(200);
    const line = t.logs.find((l) => l.includes('req-check-1'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ req: { id: 'req-check-1' } });
    expect(t.logs.join('\n')).not.toContain(u.token);
  });
});
