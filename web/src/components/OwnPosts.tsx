import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Post } from '../api';
import { useApi } from '../auth/context';
import { usePostFeed } from '../hooks/usePostFeed';
import { ErrorMessage } from './ErrorMessage';
import { PostList } from './PostList';

/** Write a post, and the creator's own posts with Delete buttons. */
export function OwnPosts({ handle }: { handle: string }) {
  const api = useApi();
  // Polled too: the VOD post of a finished broadcast shows up here by itself.
  const feed = usePostFeed(handle, 10_000);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = async (post: Post) => {
    setDeleting(post.id);
    setError(null);
    try {
      await api.deletePost(post.id);
      feed.remove(post.id);
    } catch (e) {
      setError(`Could not delete “${post.title}”: ${(e as Error).message}`);
    } finally {
      setDeleting(null);
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="compose-title">
        <h2 id="compose-title">New post</h2>
        <PostComposer onCreated={feed.add} />
      </section>
      <section className="card own-posts" aria-labelledby="own-posts-title">
        <h2 id="own-posts-title">Your posts</h2>
        <ErrorMessage error={error} />
        <PostList
          items={feed.items}
          loading={feed.loading}
          loadingMore={feed.loadingMore}
          error={feed.error}
          hasMore={!!feed.nextCursor}
          onLoadMore={feed.loadMore}
          emptyText="You have not posted yet."
          actions={(post, titleId) => (
            <button
              type="button"
              className="btn btn-danger btn-small"
              aria-describedby={titleId}
              disabled={deleting === post.id}
              onClick={() => void remove(post)}
            >
              Delete
            </button>
          )}
        />
      </section>
    </>
  );
}

function PostComposer({ onCreated }: { onCreated: (post: Post) => void }) {
  const api = useApi();
  const titleId = useId();
  const bodyId = useId();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const post = await api.createPost({ title: title.trim(), body: body.trim() });
      onCreated(post);
      setTitle('');
      setBody('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={titleId}>Title</label>
        <input id={titleId} name="title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={bodyId}>Body</label>
        <textarea id={bodyId} name="body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} required />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Publish post
      </button>
    </form>
  );
}
