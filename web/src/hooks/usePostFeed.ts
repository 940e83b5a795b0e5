import { useCallback, useEffect, useRef, useState } from 'react';
import type { Post } from '../api';
import { useApi } from '../auth/context';
import { byNewest } from '../lib/posts';

interface Feed {
  items: Post[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  loadMore: () => void;
  /** Re-reads the first page and puts new posts on top (a VOD post appears by itself). */
  refresh: () => void;
  add: (post: Post) => void;
  remove: (id: string) => void;
}

/** A creator's posts, newest first, paged with nextCursor. */
export function usePostFeed(handle: string | null, pollMs?: number): Feed {
  const api = useApi();
  const [items, setItems] = useState<Post[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  // Deleted here: a refresh that was already in flight must not bring them back.
  const removed = useRef(new Set<string>());

  const merge = useCallback((fresh: Post[]) => {
    setItems((old) => {
      const known = new Set(old.map((p) => p.id));
      const added = fresh.filter((p) => !known.has(p.id) && !removed.current.has(p.id));
      const byId = new Map(fresh.map((p) => [p.id, p]));
      // Known ones updated (a VOD post may gain its playback URL), new ones placed by date: a VOD
      // post is dated when its broadcast ended, which may be before a text post written since.
      return byNewest([...added, ...old.map((p) => byId.get(p.id) ?? p)]);
    });
  }, []);

  useEffect(() => {
    if (!handle) return;
    const gen = ++generation.current;
    const ctrl = new AbortController();
    setItems([]);
    setNextCursor(null);
    setLoading(true);
    setError(null);
    api.posts(handle, null, ctrl.signal).then(
      (page) => {
        if (gen !== generation.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (e: Error) => {
        if (e.name === 'AbortError' || gen !== generation.current) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [api, handle]);

  const refresh = useCallback(() => {
    if (!handle) return;
    const gen = generation.current;
    api.posts(handle).then(
      (page) => {
        if (gen === generation.current) merge(page.items);
      },
      () => {
        /* a missed refresh is retried on the next tick */
      },
    );
  }, [api, handle, merge]);

  useEffect(() => {
    if (!pollMs || !handle) return;
    const t = setInterval(refresh, pollMs);
    return () => clearInterval(t);
  }, [pollMs, handle, refresh]);

  const loadMore = useCallback(() => {
    if (!handle || !nextCursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    setError(null);
    api.posts(handle, nextCursor).then(
      (page) => {
        if (gen !== generation.current) return;
        setItems((old) => {
          const known = new Set(old.map((p) => p.id));
          return [...old, ...page.items.filter((p) => !known.has(p.id))];
        });
        setNextCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (e: Error) => {
        setError(e.message);
        setLoadingMore(false);
      },
    );
  }, [api, handle, nextCursor, loadingMore]);

  const add = useCallback(
    (post: Post) => setItems((old) => byNewest([post, ...old.filter((p) => p.id !== post.id)])),
    [],
  );
  const remove = useCallback((id: string) => {
    removed.current.add(id);
    setItems((old) => old.filter((p) => p.id !== id));
  }, []);

  return { items, nextCursor, loading, loadingMore, error, loadMore, refresh, add, remove };
}
