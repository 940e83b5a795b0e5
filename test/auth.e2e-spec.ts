import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { ClerkIssuer } from './support/clerk';
import { signIn } from './support/factories';
import { defined } from './support/indexing';

describe('auth: local mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('dev-login issues a token; one user per name', async () => {
    const a = await request(t.url).post('/auth/dev-login').send({ name: 'Ada Lovelace' }).expect(201);
    const b = await request(t.url).post('/auth/dev-login').send({ name: ' ada   lovelace ' }).expect(201);
    expect(a.body.user.id).toBe(b.body.user.id);
    const me = await request(t.url)
      .get('/users/me')
      .set('Authorization', `Bearer ${a.body.token}`)
      .expect(200);
    expect(me.body).toEqual({
      id: a.body.user.id,
      displayName: 'Ada Lovelace',
      creatorProfile: null,
      allowDownloads: false,
    });
  });

  it('refuses a blank name and unknown fields with 400, writing nothing', async () => {
    const before = await t.prisma.user.count();
    const r1 = await request(t.url).post('/auth/dev-login').send({ name: '   ' }).expect(400);
    expect(r1.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await request(t.url).post('/auth/dev-login').send({ name: 'x', admin: true }).expect(400);
    await request(t.url).post('/auth/dev-login').send({}).expect(400);
    expect(await t.prisma.user.count()).toBe(before);
  });

  it('answers 401 with no token, a malformed one or a tampered one', async () => {
    const u = await signIn(t);
    await request(t.url).get('/users/me').expect(401);
    await request(t.url).get('/users/me').set('Authorization', 'Bearer nope').expect(401);
    await request(t.url).get('/users/me').set('Authorization', u.token).expect(401);
    const [h, b, s] = u.token.split('.');
    const claims = JSON.parse(Buffer.from(defined(b, 'a JWT payload'), 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'local:someone-else' })).toString(
      'base64url',
    );
    const res = await request(t.url)
      .get('/users/me')
      .set('Authorization', `Bearer ${h}.${forged}.${s}`)
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('serves the SPA settings and the OpenAPI UI publicly', async () => {
    const cfg = await request(t.url).get('/app-config').expect(200);
    expect(cfg.body).toEqual({ authMode: 'local', clerkPublishableKey: null, mediaProvider: 'local' });
    await request(t.url).get('/docs').expect(200).expect('content-type', /html/);
  });
});

describe('auth: rate limits on the sign-in route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' }, { logLevel: 'silent' });
  });
  afterAll(() => t.close());

  it('answers 429 past the limit, and other routes are not limited', async () => {
    for (let i = 0; i < 3; i++)
      await request(t.url)
        .post('/auth/dev-login')
        .send({ name: `rl${i}` })
        .expect(201);
    const r = await request(t.url).post('/auth/dev-login').send({ name: 'rl-over' }).expect(429);
    expect(r.body).toMatchObject({ statusCode: 429 });
    expect(await t.prisma.user.count({ where: { externalId: 'local:rl-over' } })).toBe(0);
    for (let i = 0; i < 5; i++) await request(t.url).get('/health').expect(200);
  });
});

describe('auth: Clerk mode (real @clerk/backend, jwtKey)', () => {
  const clerk = new ClerkIssuer();
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(clerk.env('http://localhost:3000,https://app.vybzz.test'));
  });
  afterAll(() => t.close());

  const me = (token: string) => request(t.url).get('/users/me').set('Authorization', `Bearer ${token}`);

  it('accepts a valid session token and creates the user on first sight', async () => {
    const token = clerk.token({ sub: 'user_2abc', name: 'Grace Hopper', azp: 'https://app.vybzz.test' });
    const res = await me(token).expect(200);
    expect(res.body).toMatchObject({ displayName: 'Grace Hopper', creatorProfile: null });
    const again = await me(clerk.token({ sub: 'user_2abc' })).expect(200);
    expect(again.body.id).toBe(res.body.id);
    expect(await t.prisma.user.count({ where: { externalId: 'user_2abc' } })).toBe(1);
  });

  it('refuses expired, tampered, foreign-key and foreign-azp tokens with 401', async () => {
    const expired = clerk.token({
      sub: 'user_x',
      iat: Math.floor(Date.now() / 1000) - 3600,
      expiresInSec: 60,
    });
    await me(expired).expect(401);
    const good = clerk.token({ sub: 'user_x' });
    const [h, b, s] = good.split('.');
    const claims = JSON.parse(Buffer.from(defined(b, 'a JWT payload'), 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user_admin' })).toString('base64url')}.${s}`;
    await me(tampered).expect(401);
    await me(new ClerkIssuer().token({ sub: 'user_x' })).expect(401);
    await me(clerk.token({ sub: 'user_x', azp: 'https://evil.example' })).expect(401);
    expect(await t.prisma.user.count({ where: { externalId: { in: ['user_x', 'user_admin'] } } })).toBe(0);
  });

  it('has no dev-login (404) and tells the SPA to use Clerk', async () => {
    await request(t.url).post('/auth/dev-login').send({ name: 'x' }).expect(404);
    const cfg = await request(t.url).get('/app-config').expect(200);
    expect(cfg.body).toMatchObject({
      authMode: 'clerk',
      clerkPublishableKey: 'pk_test_Y2xlcmsudnlienoudGVzdCQ',
    });
  });
});
