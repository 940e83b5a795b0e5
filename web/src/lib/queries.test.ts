import './test-window';
import { InfiniteQueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import type { Api, Page, Post } from '../api';
import {
  createQueryClient,
  creatorQuery,
  errorStatus,
  feedItems,
  postAdded,
  postRemoved,
  postsQuery,
  queryKeys,
  shouldRetry,
} from './queries';

const post = (id: string, createdAt: string): Post => ({
  id,
  createdAt,
  kind: 'TEXT',
  title: id,
  body: '',
  creator: { handle: 'ann', displayName: 'Ann' },
});

/** An Api whose posts() answers from `pages` (by cursor) and counts the calls. */
function fakeApi(pages: Record<string, Page<Post>>) {
  const calls: (string | null)[] = [];
  const api = {
    posts: vi.fn(async (_handle: string, cursor?: string | null) => {
      calls.push(cursor ?? null);
      return pages[cursor ?? ''] ?? { items: [], nextCursor: null };
    }),
    creator: vi.fn(async () => {
      throw new ApiError(404, 'Creator not found');
    }),
  } as unknown as Api;
  return { api, calls };
}

describe('shouldRetry / errorStatus', () => {
  it('gives up at once on a 4xx and tries a network failure or 5xx once more', () => {
    expect(shouldRetry(0, new ApiError(404, 'x'))).toBe(false);
    expect(shouldRetry(0, new ApiError(503, 'x'))).toBe(true);
    expect(shouldRetry(0, new ApiError(0, 'offline'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, 'x'))).toBe(false);
    expect(errorStatus(new ApiError(404, 'x'))).toBe(404);
    expect(errorStatus(new TypeError('boom'))).toBe(0);
    expect(errorStatus(null)).toBeNull();
  });
});

describe('feedItems', () => {
  it('lists each post once when a new post shifted a page bound', () => {
    const a = post('a', '2026-01-03T00:00:00Z');
    const b = post('b', '2026-01-02T00:00:00Z');
    const c = post('c', '2026-01-01T00:00:00Z');
    const data = {
      pages: [
        { items: [a, b], nextCursor: 'x' },
        { items: [b, c], nextCursor: null },
      ],
      pageParams: [null, 'x'],
    };
    expect(feedItems(data).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(feedItems(undefined)).toEqual([]);
  });
});

describe('queries against a fake API', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls the posts every pollMs while observed, and not once unobserved', async () => {
    const { api, calls } = fakeApi({ '': { items: [post('a', '2026-01-01T00:00:00Z')], nextCursor: null } });
    const client = createQueryClient();
    const observer = new InfiniteQueryObserver(client, postsQuery(api, 'ann', 8000));
    const off = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([null]);
    await vi.advanceTimersByTimeAsync(8000);
    await vi.advanceTimersByTimeAsync(8000);
    expect(calls).toHaveLength(3);
    off();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(3);
  });

  it('a 404 is final: no retry, the status readable from the error', async () => {
    const { api } = fakeApi({});
    const client = createQueryClient();
    await expect(client.fetchQuery(creatorQuery(api, 'nobody'))).rejects.toThrow('Creator not found');
    expect(api.creator).toHaveBeenCalledTimes(1);
    expect(errorStatus(client.getQueryState(queryKeys.creator('nobody'))?.error)).toBe(404);
  });

  it('a deleted post is gone at once, and a poll already in flight cannot bring it back', async () => {
    const a = post('a', '2026-01-02T00:00:00Z');
    const b = post('b', '2026-01-01T00:00:00Z');
    let answer: Page<Post> = { items: [a, b], nextCursor: null };
    let release: () => void = () => {};
    const api = {
      posts: vi.fn(async () => {
        const snapshot = answer;
        await new Promise<void>((r) => (release = r));
        return snapshot;
      }),
    } as unknown as Api;
    const client = createQueryClient();
    const observer = new InfiniteQueryObserver(client, postsQuery(api, 'ann'));
    const off = observer.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    const key = queryKeys.posts('ann');
    const ids = () => feedItems(client.getQueryData(key)).map((p) => p.id);
    expect(ids()).toEqual(['a', 'b']);

    // A poll starts while the server still has "a"; then "a" is deleted here.
    void client.refetchQueries({ queryKey: key });
    await vi.advanceTimersByTimeAsync(0);
    const stale = release;
    answer = { items: [b], nextCursor: null };
    const removing = postRemoved(client, 'ann', 'a');
    expect(ids()).toEqual(['b']);
    stale(); // the old poll answers with "a" still in it: cancelled, it changes nothing
    release();
    await removing;
    await vi.advanceTimersByTimeAsync(0);
    expect(ids()).toEqual(['b']);
    off();
  });

  it('a written post shows at once, placed by date', async () => {
    const older = post('old', '2026-01-01T00:00:00Z');
    const { api } = fakeApi({ '': { items: [older], nextCursor: null } });
    const client = createQueryClient();
    await client.fetchInfiniteQuery(postsQuery(api, 'ann'));
    const fresh = post('new', '2026-01-05T00:00:00Z');
    void postAdded(client, 'ann', fresh);
    expect(feedItems(client.getQueryData(queryKeys.posts('ann'))).map((p) => p.id)).toEqual(['new', 'old']);
  });
});
