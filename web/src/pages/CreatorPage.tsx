import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from '../auth/context';
import { Avatar } from '../components/Avatar';
import { ChatPanel, ViewerCount } from '../components/ChatPanel';
import { ErrorMessage } from '../components/ErrorMessage';
import { LiveBadge } from '../components/LiveBadge';
import { PostList } from '../components/PostList';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { usePosts } from '../hooks/usePosts';
import { POLL_MS, creatorQuery, errorStatus } from '../lib/queries';
import { Link } from '../lib/router';
import { Player } from '../player/Player';
import { useRoom } from '../room/useRoom';

/** What the page last saw of the broadcast: live since `startedAt`, or ended (its replay comes after `since`). */
type Broadcast = { live: true; startedAt: string | null } | { live: false; since: number } | null;

export function CreatorPage({ handle }: { handle: string }) {
  const api = useApi();
  const creator = useQuery(creatorQuery(api, handle));
  const feed = usePosts(handle, POLL_MS.posts);
  const profile = creator.data;
  const live = profile?.liveStream?.isLive ? profile.liveStream : null;
  // The live room (viewer count and chat) while the creator is live.
  const room = useRoom(handle, !!live);
  useDocumentTitle(profile ? `${profile.displayName}${live ? ' (live)' : ''}` : `@${handle}`);

  // When a broadcast ends, say so, and look for its recording (a VOD post, dated after the
  // broadcast started) right away. Adjusted while rendering, from what the last poll said.
  const [broadcast, setBroadcast] = useState<Broadcast>(null);
  const startedAt = live?.startedAt ?? null;
  if (live && (!broadcast?.live || broadcast.startedAt !== startedAt)) {
    setBroadcast({ live: true, startedAt });
  } else if (!live && broadcast?.live) {
    const since = Date.parse(broadcast.startedAt ?? '') || creator.dataUpdatedAt - 60_000;
    setBroadcast({ live: false, since });
  }
  const ended = broadcast && !broadcast.live ? broadcast : null;
  const { refresh } = feed;
  useEffect(() => {
    if (ended) refresh();
  }, [ended, refresh]);
  const replay = ended
    ? feed.items.find((p) => p.kind === 'VOD' && Date.parse(p.createdAt) >= ended.since)
    : undefined;

  if (!profile && creator.isPending) return <p className="muted">Loading…</p>;
  if (!profile) {
    const notFound = errorStatus(creator.error) === 404;
    return (
      <section className="card empty">
        <h1>{notFound ? `No creator called @${handle}` : 'This page could not be loaded'}</h1>
        {!notFound && <ErrorMessage error={creator.error?.message ?? null} />}
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
            {profile.displayName} {live && <LiveBadge />}{' '}
            {live && room.snapshot.status === 'joined' && <ViewerCount count={room.snapshot.viewers} />}
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
          <ChatPanel client={room.client} room={room.snapshot} returnTo={`/c/${handle}`} />
        </section>
      )}

      {ended && (
        <section className="section ended-notice" aria-label="The stream has ended">
          <p role="status">
            <strong>The stream has ended</strong> —{' '}
            {replay ? (
              <a
                href={`#post-${replay.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  const article = document.querySelector<HTMLElement>(`article[data-post-id="${replay.id}"]`);
                  article?.scrollIntoView({ block: 'start' });
                  article?.focus({ preventScroll: true });
                }}
              >
                watch the replay
              </a>
            ) : (
              'the replay will appear below in a moment.'
            )}
          </p>
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
