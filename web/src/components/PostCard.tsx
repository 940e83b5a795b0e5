import { useId, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Post } from '../api';
import { formatDuration, formatWhen } from '../lib/format';
import { Link } from '../lib/router';
import { Player } from '../player/Player';
import { ChatReplay } from './ChatReplay';
import { DownloadLink } from './DownloadLink';
import { PostBody } from './PostBody';

interface Props {
  post: Post;
  /** Extra controls (e.g. Delete); they get the title as their description. */
  actions?: (titleId: string) => ReactNode;
  showCreator?: boolean;
}

/** One post as an <article>; a VOD post holds its player. */
export function PostCard({ post, actions, showCreator = true }: Props) {
  const titleId = useId();
  const isVod = post.kind === 'VOD';
  const media = useRef<HTMLDivElement>(null);
  return (
    <article
      className="card post"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-post-id={post.id}
      data-kind={post.kind}
    >
      <header className="post-head">
        <h3 id={titleId} className="post-title">
          {post.title}
        </h3>
        <p className="meta">
          {isVod && <span className="tag">Video</span>}
          {showCreator && post.creator && (
            <Link to={`/c/${post.creator.handle}`}>{post.creator.displayName}</Link>
          )}
          <time dateTime={post.createdAt} title={new Date(post.createdAt).toLocaleString()}>
            {formatWhen(post.createdAt)}
          </time>
          {isVod && post.durationSec != null && <span>{formatDuration(post.durationSec)}</span>}
        </p>
      </header>
      {isVod && (
        <div ref={media} className="vod-with-chat">
          <Player
            playbackId={post.playbackId}
            playbackUrl={post.playbackUrl}
            live={false}
            title={post.title}
            poster={post.posterUrl}
          />
          {post.streamId && <ChatReplay streamId={post.streamId} media={media} />}
        </div>
      )}
      {isVod && post.downloadUrl && (
        <p className="post-download">
          <DownloadLink url={post.downloadUrl} title={post.title} />
        </p>
      )}
      {post.body && <PostBody text={post.body} />}
      {actions && <div className="post-actions">{actions(titleId)}</div>}
    </article>
  );
}
