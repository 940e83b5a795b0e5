import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Post } from '../api';
import { useApi } from '../auth/context';
import { feedItems, invalidatePosts, postAdded, postRemoved, postsQuery } from '../lib/queries';

export interface Feed {
  items: Post[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  loadMore: () => void;
  /** Fetches the feed again now (a VOD post appears by itself). */
  refresh: () => void;
  /** After a post was written or deleted here. */
  add: (post: Post) => void;
  remove: (id: string) => void;
}

/** A creator's posts, newest first, paged with nextCursor, polled every `pollMs` when given. */
export function usePosts(handle: string, pollMs?: number): Feed {
  const api = useApi();
  const client = useQueryClient();
  const q = useInfiniteQuery(postsQuery(api, handle, pollMs));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const refresh = useCallback(() => void invalidatePosts(client, handle), [client, handle]);
  const add = useCallback((post: Post) => void postAdded(client, handle, post), [client, handle]);
  const remove = useCallback((id: string) => void postRemoved(client, handle, id), [client, handle]);

  return {
    items: feedItems(q.data),
    nextCursor: q.data?.pages.at(-1)?.nextCursor ?? null,
    loading: q.isPending,
    loadingMore: isFetchingNextPage,
    // A failed poll keeps the posts already shown and says nothing; a failed first or next page does.
    error: q.isLoadingError || q.isFetchNextPageError ? (q.error?.message ?? null) : null,
    loadMore,
    refresh,
    add,
    remove,
  };
}
