/** Test data made through the real HTTP API. */
import request from 'supertest';
import type { TestApp } from './app';

export interface SignedIn {
  token: string;
  userId: string;
  auth: { Authorization: string };
}

let counter = 0;
export const uniqueName = (prefix = 'user') =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function signIn(t: TestApp, name = uniqueName()): Promise<SignedIn> {
  const res = await request(t.url).post('/auth/dev-login').send({ name }).expect(201);
  const body = res.body as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id, auth: { Authorization: `Bearer ${body.token}` } };
}

export async function makeCreator(
  t: TestApp,
  handle = uniqueName('c').toLowerCase(),
): Promise<SignedIn & { handle: string }> {
  const u = await signIn(t, `Creator ${handle}`);
  await request(t.url)
    .put('/users/me/creator-profile')
    .set(u.auth)
    .send({ handle, displayName: `Creator ${handle}`, bio: 'hello' })
    .expect(200);
  return { ...u, handle };
}

export async function writePost(
  t: TestApp,
  who: SignedIn,
  title = uniqueName('post'),
): Promise<{ id: string; title: string }> {
  const res = await request(t.url)
    .post('/posts')
    .set(who.auth)
    .send({ title, body: `body of ${title}` })
    .expect(201);
  return res.body as { id: string; title: string };
}

export interface RestreamTargetInput {
  name: string;
  url: string;
  streamKey: string;
}

/** Adds a restream target for `who` (201 expected). */
export async function addRestreamTarget(
  t: TestApp,
  who: SignedIn,
  target: RestreamTargetInput,
): Promise<{ id: string; keyHint: string }> {
  const res = await request(t.url).post('/users/me/restream-targets').set(who.auth).send(target).expect(201);
  return res.body as { id: string; keyHint: string };
}
