import { useEffect, useRef, useState } from 'react';
import type { Post } from '../api';
import { useApi } from '../auth/context';
import { usePosts } from '../hooks/usePosts';
import { POLL_MS } from '../lib/queries';
import { ErrorMessage } from './ErrorMessage';
import { PostComposer } from './PostComposer';
import { PostList } from './PostList';

/** Write a post, and the creator's own posts with Delete (which asks first). */
export function OwnPosts({ handle }: { handle: string }) {
  const api = useApi();
  // Polled too: the VOD post of a finished broadcast shows up here by itself.
  const feed = usePosts(handle, POLL_MS.ownPosts);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  const remove = async (post: Post) => {
    if (deleting) return;
    setDeleting(post.id);
    setError(null);
    // Where focus goes afterwards: the next post, else the one before, else the list's heading.
    const ids = feed.items.map((p) => p.id);
    const i = ids.indexOf(post.id);
    const nextId = ids[i + 1] ?? ids[i - 1] ?? null;
    try {
      await api.deletePost(post.id);
      feed.remove(post.id);
      setConfirming(null);
      setAnnounce(`“${post.title}” was deleted.`);
      setTimeout(() => {
        const next = nextId ? document.querySelector<HTMLElement>(`article[data-post-id="${nextId}"]`) : null;
        (next ?? headingRef.current)?.focus();
      }, 0);
    } catch (e) {
      setError(`Could not delete “${post.title}”: ${(e as Error).message}`);
    } finally {
      setDeleting(null);
    }
  };

  const cancel = (id: string) => {
    setConfirming(null);
    setTimeout(
      () => document.querySelector<HTMLElement>(`article[data-post-id="${id}"] .delete-btn`)?.focus(),
      0,
    );
  };

  return (
    <>
      <section className="card" aria-labelledby="compose-title">
        <h2 id="compose-title">New post</h2>
        <PostComposer onCreated={feed.add} />
      </section>
      <section className="card own-posts" aria-labelledby="own-posts-title">
        <h2 id="own-posts-title" ref={headingRef} tabIndex={-1}>
          Your posts
        </h2>
        <p className="visually-hidden" role="status">
          {announce}
        </p>
        <ErrorMessage error={error} />
        <PostList
          items={feed.items}
          loading={feed.loading}
          loadingMore={feed.loadingMore}
          error={feed.error}
          hasMore={!!feed.nextCursor}
          onLoadMore={feed.loadMore}
          emptyText="You have not posted yet."
          actions={(post, titleId) =>
            confirming === post.id ? (
              <div className="confirm" role="group" aria-label={`Delete “${post.title}”?`}>
                <span className="confirm-text">Delete this post? This cannot be undone.</span>
                <button
                  type="button"
                  className="btn btn-danger-solid btn-small"
                  aria-busy={deleting === post.id || undefined}
                  onClick={() => void remove(post)}
                >
                  Yes, delete
                </button>
                <button
                  ref={keepRef}
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() => cancel(post.id)}
                >
                  Keep
                </button>
              </div>
            ) : (
              <button
                type="button"
                className="btn btn-danger btn-small delete-btn"
                aria-describedby={titleId}
                onClick={() => setConfirming(post.id)}
              >
                Delete
              </button>
            )
          }
        />
      </section>
    </>
  );
}
