import request from 'supertest';
import { startApp, TestApp } from './support/app';
import { ClerkIssuer } from './support/clerk';
import {
  clerkUserEvent,
  Delivery,
  newClerkWebhookSecret,
  nowSec,
  post,
  svixHeaders,
} from './support/mux-webhooks';

const deliverClerk = (
  t: TestApp,
  secret: string,
  event: object | string,
  opts: { id?: string; t?: number } = {},
) => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return post(t.url, '/webhooks/clerk', body, svixHeaders(secret, body, opts));
};

describe('POST /webhooks/clerk (real @clerk/backend verifyWebhook, Svix signatures)', () => {
  const clerk = new ClerkIssuer();
  const secret = newClerkWebhookSecret();
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ ...clerk.env(), CLERK_WEBHOOK_SIGNING_SECRET: secret });
  });
  afterAll(() => t.close());

  /** A user of ours, created on first sight of a Clerk session token, with a creator profile. */
  async function clerkUser(sub: string) {
    const auth = { Authorization: `Bearer ${clerk.token({ sub, name: 'First Name' })}` };
    const me = await request(t.url).get('/users/me').set(auth).expect(200);
    await request(t.url)
      .put('/users/me/creator-profile')
      .set(auth)
      .send({ handle: `h_${sub.slice(-10).toLowerCase()}`, displayName: 'First Name' })
      .expect(200);
    return me.body.id as string;
  }

  it('user.updated renames our user once; a redelivery is acknowledged as a duplicate', async () => {
    const id = await clerkUser('user_upd1');
    const event = clerkUserEvent('user.updated', {
      id: 'user_upd1',
      first_name: 'Grace',
      last_name: 'Hopper',
    });
    const res = await deliverClerk(t, secret, event, { id: 'msg_upd1' });
    expect(res).toEqual({ status: 200, body: { id: 'msg_upd1', result: 'processed' } });
    expect(await t.prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
      displayName: 'Grace Hopper',
    });
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: 'msg_upd1' } });
    expect(row).toMatchObject({ source: 'clerk', type: 'user.updated', objectId: 'user_upd1', attempts: 0 });
    expect(row.processedAt).not.toBeNull();

    const again = await deliverClerk(t, secret, event, { id: 'msg_upd1' });
    expect(again).toEqual({ status: 200, body: { id: 'msg_upd1', result: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count({ where: { id: 'msg_upd1' } })).toBe(1);
  });

  it('an older user.updated delivered late does not undo a newer one', async () => {
    const id = await clerkUser('user_order1');
    const at = Date.now();
    const rename = (name: string, timestamp: number) => ({
      ...clerkUserEvent('user.updated', { id: 'user_order1', first_name: name }),
      timestamp,
    });
    expect((await deliverClerk(t, secret, rename('Newer', at), { id: 'msg_order_new' })).status).toBe(200);
    const late = await deliverClerk(t, secret, rename('Older', at - 60_000), { id: 'msg_order_old' });
    expect(late).toEqual({ status: 200, body: { id: 'msg_order_old', result: 'processed' } });
    expect(await t.prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ displayName: 'Newer' });
    // A later rename still applies.
    expect((await deliverClerk(t, secret, rename('Latest', at + 1_000), { id: 'msg_order_3' })).status).toBe(
      200,
    );
    expect(await t.prisma.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ displayName: 'Latest' });
  });

  it('user.deleted deletes our user and what hangs off it', async () => {
    const id = await clerkUser('user_del1');
    const res = await deliverClerk(
      t,
      secret,
      clerkUserEvent('user.deleted', { id: 'user_del1', deleted: true, object: 'user' }),
    );
    expect(res.status).toBe(200);
    expect(await t.prisma.user.count({ where: { id } })).toBe(0);
    expect(await t.prisma.creatorProfile.count({ where: { userId: id } })).toBe(0);
  });

  it('stores and acknowledges event types it does not use, and users it does not know', async () => {
    const a = await deliverClerk(t, secret, {
      type: 'session.created',
      object: 'event',
      timestamp: Date.now(),
      data: { id: 'sess_1' },
    });
    const b = await deliverClerk(
      t,
      secret,
      clerkUserEvent('user.updated', { id: 'user_nobody', first_name: 'Nobody' }),
    );
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await t.prisma.user.count({ where: { externalId: 'user_nobody' } })).toBe(0);
  });

  describe('refusals write nothing', () => {
    let userId: string;
    beforeAll(async () => {
      userId = await clerkUser('user_ref1');
    });
    const rename = () => clerkUserEvent('user.updated', { id: 'user_ref1', first_name: 'Mallory' });

    const cases: [string, () => Promise<Delivery>, number][] = [
      ['a wrong secret', () => deliverClerk(t, newClerkWebhookSecret(), rename()), 401],
      [
        'a tampered body',
        async () => {
          const body = JSON.stringify(rename());
          return post(t.url, '/webhooks/clerk', body.replace('Mallory', 'Eve'), svixHeaders(secret, body));
        },
        401,
      ],
      ['a 10-minute-old timestamp', () => deliverClerk(t, secret, rename(), { t: nowSec() - 600 }), 401],
      [
        'a timestamp 10 minutes in the future',
        () => deliverClerk(t, secret, rename(), { t: nowSec() + 600 }),
        401,
      ],
      ['no signature headers', () => post(t.url, '/webhooks/clerk', JSON.stringify(rename()), {}), 401],
      [
        'a missing svix-id',
        async () => {
          const body = JSON.stringify(rename());
          const headers = svixHeaders(secret, body);
          delete headers['svix-id'];
          return post(t.url, '/webhooks/clerk', body, headers);
        },
        401,
      ],
      [
        'a validly signed body without a type',
        () => deliverClerk(t, secret, { data: { id: 'user_ref1' } }),
        400,
      ],
      ['a validly signed body without data', () => deliverClerk(t, secret, { type: 'user.updated' }), 400],
    ];

    it.each(cases)('refuses %s', async (_name, send, status) => {
      const before = await t.prisma.webhookEvent.count();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
      expect(await t.prisma.webhookEvent.count()).toBe(before);
      expect(await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
        displayName: 'First Name',
      });
    });
  });
});

describe('POST /webhooks/clerk without a signing secret', () => {
  it.each([
    ['Clerk without CLERK_WEBHOOK_SIGNING_SECRET', () => new ClerkIssuer().env()],
    ['local auth mode', () => ({})],
  ])('answers 404 with %s', async (_name, env) => {
    const t = await startApp({ ...env() });
    try {
      const secret = newClerkWebhookSecret();
      const res = await deliverClerk(
        t,
        secret,
        clerkUserEvent('user.deleted', { id: 'user_x', deleted: true }),
      );
      expect(res.status).toBe(404);
      expect(await t.prisma.webhookEvent.count()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
