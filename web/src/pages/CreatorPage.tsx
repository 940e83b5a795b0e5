import { useEffect, useRef } from 'react';
import { useApi } from '../auth/context';
import { Avatar } from '../components/Avatar';
import { ErrorMessage } from '../components/ErrorMessage';
import { LiveBadge } from '../components/LiveBadge';
import { PostList } from '../components/PostList';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { usePolling } from '../hooks/usePolling';
import { usePostFeed } from '../hooks/usePostFeed';
import { Link } from '../lib/router';
import { Player } from '../player/Player';

const LIVE_POLL_MS = 4000;
const POSTS_POLL_MS = 8000;

export function CreatorPage({ handle }: { handle: string }) {
  const api = useApi();
  const creator = usePolling(`creator:${handle}`, (signal) => api.creator(handle, signal), LIVE_POLL_MS);
  const feed = usePostFeed(handle, POSTS_POLL_MS);
  const profile = creator.data;
  const live = profile?.liveStream?.isLive ? profile.liveStream : null;
  useDocumentTitle(profile ? `${profile.displayName}${live ? ' (live)' : ''}` : `@${handle}`);

  // When a broadcast ends its recording becomes a VOD post: look for it right away.
  const wasLive = useRef(false);
  const { refresh } = feed;
  useEffect(() => {
    if (wasLive.current && !live) refresh();
    wasLive.current = !!live;
  }, [live, refresh]);

  if (!profile && creator.loading) return <p className="muted">Loading…</p>;
  if (!profile) {
    const notFound = creator.errorStatus === 404;
    return (
      <section className="card empty">
        <h1>{notFound ? `No creator called @${handle}` : 'This page could not be loaded'}</h1>
        {!notFound && <ErrorMessage error={creator.error} />}
        <p>
          <Link to="/">Back to the home feed</Link>
        </p>
      </section>
    );
  }

  return (
    <div className="creator-page">
      <section className="creator-head" aria-labelledby="creator-name">
        <Avatar name={profile.displayName} size="lg" />
        <div>
          <h1 id="creator-name">
            {profile.displayName} {live && <LiveBadge />}
          </h1>
          <p className="muted">@{profile.handle}</p>
          {profile.bio && <p className="bio">{profile.bio}</p>}
        </div>
      </section>

      {live && (
        <section className="section live-section" aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          <Player
            key={live.id}
            playbackId={live.playbackId}
            playbackUrl={live.playbackUrl}
            live
            title={`${profile.displayName} live`}
          />
        </section>
      )}

      <section className="section" aria-labelledby="posts-title">
        <h2 id="posts-title">Posts</h2>
        <PostList
          items={feed.items}
          loading={feed.loading}
          loadingMore={feed.loadingMore}
          error={feed.error}
          hasMore={!!feed.nextCursor}
          onLoadMore={feed.loadMore}
          emptyText="No posts yet."
        />
      </section>
    </div>
  );
}
