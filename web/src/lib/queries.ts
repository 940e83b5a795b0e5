/**
 * Server state through TanStack Query: one key per resource, the queries' options (what to fetch,
 * how often to poll) and the cache updates after a mutation. Hooks and pages use these; nothing else
 * keeps a copy of what the server said.
 */
import { QueryClient, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { InfiniteData } from '@tanstack/react-query';
import { ApiError, fetchAppConfig } from '../api';
import type { Api, CreatorProfile, Me, Page, Post } from '../api';
import { byNewest } from './posts';
import { fetchChatReplay } from '../room/replay';

export const queryKeys = {
  creators: () => ['creators'] as const,
  creator: (handle: string) => ['creator', handle] as const,
  posts: (handle: string) => ['posts', handle] as const,
  stream: (id: string) => ['stream', id] as const,
  me: () => ['me'] as const,
  appConfig: () => ['app-config'] as const,
  restreamTargets: () => ['restream-targets'] as const,
};

/** How often the pages poll (ms). */
export const POLL_MS = { creators: 10_000, creator: 4000, posts: 8000, ownPosts: 10_000, stream: 3000 };

/** A 4xx answer is final (404: no such creator); a network failure or 5xx is tried once more. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

/** The HTTP status of a query's error (0: the network), null without one. */
export function errorStatus(error: unknown): number | null {
  if (!error) return null;
  return error instanceof ApiError ? error.status : 0;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, retryDelay: 1000, staleTime: 1000 },
      mutations: { retry: false },
    },
  });
}

/** The server's runtime settings, read once per page load (Retry reads them again). */
export const appConfigQuery = queryOptions({
  queryKey: queryKeys.appConfig(),
  queryFn: () => fetchAppConfig(),
  staleTime: Infinity,
  retry: false,
  refetchOnWindowFocus: false,
});

export const creatorsQuery = (api: Api) =>
  queryOptions({
    queryKey: queryKeys.creators(),
    queryFn: ({ signal }) => api.creators(signal),
    refetchInterval: POLL_MS.creators,
  });

export const creatorQuery = (api: Api, handle: string) =>
  queryOptions({
    queryKey: queryKeys.creator(handle),
    queryFn: ({ signal }) => api.creator(handle, signal),
    refetchInterval: POLL_MS.creator,
  });

/** The signed-in user; dropped as soon as no page shows it (the next session may be someone else). */
export const meQuery = (api: Api) =>
  queryOptions({ queryKey: queryKeys.me(), queryFn: () => api.me(), gcTime: 0, staleTime: 0 });

/** A creator's posts, newest first, paged with nextCursor; polled every `pollMs` when given. */
export const postsQuery = (api: Api, handle: string, pollMs?: number) =>
  infiniteQueryOptions({
    queryKey: queryKeys.posts(handle),
    queryFn: ({ signal, pageParam }) => api.posts(handle, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<Post>) => last.nextCursor,
    refetchInterval: pollMs ?? false,
  });

/** The signed-in creator's restream targets (keys never included: only their hints). */
export const restreamTargetsQuery = (api: Api) =>
  queryOptions({
    queryKey: queryKeys.restreamTargets(),
    queryFn: ({ signal }) => api.restreamTargets(signal),
    gcTime: 0,
  });

/** A stream's state as the server sees it (GET /stream/:id), polled every `intervalMs`. */
export const streamQuery = (api: Api, id: string, intervalMs: number) =>
  queryOptions({
    queryKey: queryKeys.stream(id),
    queryFn: ({ signal }) => api.stream(id, signal),
    refetchInterval: intervalMs,
  });

type Feed = InfiniteData<Page<Post>, unknown>;

/** The loaded pages as one list, each post once (a post written meanwhile shifts the page bounds). */
export function feedItems(data: Feed | undefined): Post[] {
  const seen = new Set<string>();
  const out: Post[] = [];
  for (const page of data?.pages ?? []) {
    for (const p of page.items) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      out.push(p);
    }
  }
  return out;
}

function updateFeed(client: QueryClient, handle: string, update: (items: Post[], first: boolean) => Post[]) {
  client.setQueryData<Feed>(queryKeys.posts(handle), (data) =>
    data
      ? { ...data, pages: data.pages.map((page, i) => ({ ...page, items: update(page.items, i === 0) })) }
      : data,
  );
}

/**
 * A post was written: it shows at once (placed by date), then the feed and the creators' latest
 * posts are fetched again. An older poll still in flight is cancelled, so it cannot hide the post.
 */
export async function postAdded(client: QueryClient, handle: string, post: Post): Promise<void> {
  updateFeed(client, handle, (items, first) =>
    first
      ? byNewest([post, ...items.filter((p) => p.id !== post.id)])
      : items.filter((p) => p.id !== post.id),
  );
  await invalidatePosts(client, handle);
}

/** A post was deleted: gone at once, then fetched again (an older poll cannot bring it back). */
export async function postRemoved(client: QueryClient, handle: string, id: string): Promise<void> {
  updateFeed(client, handle, (items) => items.filter((p) => p.id !== id));
  await invalidatePosts(client, handle);
}

/** The feed may have changed on the server (e.g. a broadcast ended and its VOD post is coming). */
export async function invalidatePosts(client: QueryClient, handle: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.posts(handle) }),
    client.invalidateQueries({ queryKey: queryKeys.creators() }),
  ]);
}

/** The creator profile was saved: the signed-in user shows it at once; the public pages refetch. */
export async function profileSaved(client: QueryClient, profile: CreatorProfile): Promise<void> {
  client.setQueryData<Me>(queryKeys.me(), (me) => (me ? { ...me, creatorProfile: profile } : me));
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.creators() }),
    client.invalidateQueries({ queryKey: queryKeys.creator(profile.handle) }),
  ]);
}

/** A VOD post's chat replay (every page at once; deleted messages may drop out on the next fetch). */
export const chatReplayQuery = (streamId: string) =>
  queryOptions({
    queryKey: ['chat-replay', streamId] as const,
    queryFn: ({ signal }) => fetchChatReplay(streamId, signal),
    staleTime: 60_000,
  });
