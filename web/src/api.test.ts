import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR_MESSAGE, createApi } from './api';
import type { CreatedStream, Me, Page, Post, StreamState } from './api';

const BASE = 'http://api.test';

/** A fetch that records each request and answers with `answer(request)`. */
function fakeFetch(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (request: Request) => {
    requests.push(request);
    return answer(request);
  });
  return { fetch, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function api(
  answer: (request: Request) => Response | Promise<Response>,
  token: string | null = null,
  onUnauthorized = vi.fn(),
) {
  const f = fakeFetch(answer);
  const client = createApi(async () => token, onUnauthorized, { baseUrl: BASE, fetch: f.fetch });
  return { client, requests: f.requests, onUnauthorized };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('api client: error mapping', () => {
  it("takes the message of Nest's error body", async () => {
    const { client } = api(() =>
      json(404, { statusCode: 404, message: 'No such creator', error: 'Not Found' }),
    );
    const e = await failure(client.creator('nobody'));
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 404, message: 'No such creator' });
  });

  it('joins the validation messages of a 400', async () => {
    const { client } = api(() =>
      json(400, {
        statusCode: 400,
        message: ['title must be a string', 'body is too long'],
        error: 'Bad Request',
      }),
    );
    expect(await failure(client.createPost({ title: '', body: '' }))).toMatchObject({
      status: 400,
      message: 'title must be a string; body is too long',
    });
  });

  it('falls back to `error`, then to the status line when the body is not JSON', async () => {
    const { client } = api(() => json(503, { statusCode: 503, error: 'Service Unavailable' }));
    expect(await failure(client.me())).toMatchObject({ status: 503, message: 'Service Unavailable' });
    const bare = api(
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(await failure(bare.client.me())).toMatchObject({ status: 502, message: '502 Bad Gateway' });
  });

  it('turns a network failure into ApiError(0) but lets an abort through', async () => {
    const down = api(() => Promise.reject(new TypeError('fetch failed')));
    expect(await failure(down.client.creators())).toMatchObject({
      status: 0,
      message: NETWORK_ERROR_MESSAGE,
    });

    const ctrl = new AbortController();
    ctrl.abort();
    const aborted = api((request) => {
      if (request.signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      return json(200, { items: [] });
    });
    const e = await failure(aborted.client.creators(ctrl.signal));
    expect(e).not.toBeInstanceOf(ApiError);
    expect((e as Error).name).toBe('AbortError');
  });
});

describe('api client: session and requests', () => {
  it('sends the token, and reports a 401 only when a token was sent', async () => {
    const signedIn = api(() => json(401, { statusCode: 401, message: 'Unauthorized' }), 'tok-1');
    expect(await failure(signedIn.client.me())).toMatchObject({ status: 401 });
    expect(signedIn.requests[0]?.headers.get('Authorization')).toBe('Bearer tok-1');
    expect(signedIn.onUnauthorized).toHaveBeenCalledTimes(1);

    const signedOut = api(() => json(401, { statusCode: 401, message: 'Unauthorized' }), null);
    await failure(signedOut.client.me());
    expect(signedOut.requests[0]?.headers.has('Authorization')).toBe(false);
    expect(signedOut.onUnauthorized).not.toHaveBeenCalled();
  });

  it('builds paths, queries and JSON bodies from the contract', async () => {
    const page: Page<Post> = { items: [], nextCursor: null };
    const { client, requests } = api(() => json(200, page), 'tok');
    expect(await client.posts('ann', null)).toEqual(page);
    await client.posts('ann', 'c1');
    await client.creator('a b/c');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${BASE}/posts?creator=ann`,
      `GET ${BASE}/posts?creator=ann&cursor=c1`,
      `GET ${BASE}/creators/a%20b%2Fc`,
    ]);

    const created = api(() => json(201, { id: 's1' }), 'tok');
    await created.client.createStream({ title: 'Hi' });
    const req = created.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.headers.get('Content-Type')).toBe('application/json');
    expect(await req?.json()).toEqual({ title: 'Hi' });
  });

  it('answers undefined for a 204', async () => {
    const { client, requests } = api(() => new Response(null, { status: 204 }), 'tok');
    await expect(client.deletePost('p/1')).resolves.toBeUndefined();
    expect(requests[0]?.method).toBe('DELETE');
    expect(requests[0]?.url).toBe(`${BASE}/posts/p%2F1`);
  });

  it("types each call's answer from the generated contract", () => {
    const { client } = api(() => json(200, {}));
    expectTypeOf(client.me).returns.resolves.toEqualTypeOf<Me>();
    expectTypeOf(client.stream).returns.resolves.toEqualTypeOf<StreamState>();
    expectTypeOf(client.createStream).returns.resolves.toEqualTypeOf<CreatedStream>();
    expectTypeOf(client.deletePost).returns.resolves.toEqualTypeOf<void>();
  });
});
