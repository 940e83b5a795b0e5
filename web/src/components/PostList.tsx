import type { ReactNode } from 'react';
import type { Post } from '../api';
import { ErrorMessage } from './ErrorMessage';
import { PostCard } from './PostCard';

interface Props {
  items: Post[];
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  onLoadMore: () => void;
  emptyText: string;
  actions?: (post: Post, titleId: string) => ReactNode;
}

export function PostList({
  items,
  loading,
  loadingMore,
  error,
  hasMore,
  onLoadMore,
  emptyText,
  actions,
}: Props) {
  return (
    <div className="post-list" aria-busy={loading || loadingMore}>
      {loading && <p className="muted">Loading posts…</p>}
      {!loading && items.length === 0 && !error && <p className="muted">{emptyText}</p>}
      {items.map((post) => (
        <PostCard
          key={post.id}
          post={post}
          showCreator={false}
          actions={actions ? (titleId) => actions(post, titleId) : undefined}
        />
      ))}
      <ErrorMessage error={error} />
      {hasMore && (
        <button
          type="button"
          className="btn btn-secondary load-more"
          onClick={() => !loadingMore && onLoadMore()}
          aria-busy={loadingMore || undefined}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
