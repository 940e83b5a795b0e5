import { useQuery } from '@tanstack/react-query';
import type { CreatorSummary } from '../api';
import { useApi, useAuthState } from '../auth/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { Avatar } from '../components/Avatar';
import { LiveBadge } from '../components/LiveBadge';
import { PostCard } from '../components/PostCard';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { creatorsQuery } from '../lib/queries';
import { Link } from '../lib/router';

export function HomePage() {
  const api = useApi();
  const auth = useAuthState();
  useDocumentTitle(null);
  const { data, error: failure, isPending: loading } = useQuery(creatorsQuery(api));
  const error = failure?.message ?? null;
  const creators = data?.items ?? [];
  const live = creators.filter((c) => c.live?.isLive);

  return (
    <>
      <section className="hero">
        <h1>Go live from your browser.</h1>
        <p>No stream software: your camera, one button, and your fans are watching.</p>
        {auth.status === 'signed-in' ? (
          <Link to="/dashboard" className="btn btn-primary">
            Open your dashboard
          </Link>
        ) : auth.status === 'signed-out' ? (
          <Link to="/sign-in?redirect=%2Fdashboard" className="btn btn-primary">
            Start creating
          </Link>
        ) : null}
      </section>

      <section aria-labelledby="live-now" className="section">
        <h2 id="live-now">Live now</h2>
        {live.length === 0 ? (
          <p className="muted">{loading ? 'Loading…' : 'Nobody is live right now.'}</p>
        ) : (
          <ul className="live-grid" role="list">
            {live.map((c) => (
              <li key={c.handle}>
                <Link to={`/c/${c.handle}`} className="card live-card">
                  {c.live?.posterUrl && (
                    <img
                      className="live-card-poster"
                      src={c.live.posterUrl}
                      alt={`${c.displayName} live now`}
                      loading="lazy"
                    />
                  )}
                  <LiveBadge />
                  <span className="live-card-name">{c.displayName}</span>
                  <span className="muted">@{c.handle}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="creators" className="section">
        <h2 id="creators">Creators</h2>
        <ErrorMessage error={error} />
        {!loading && creators.length === 0 && !error && (
          <p className="muted">No creators yet. Be the first: set up your profile in the dashboard.</p>
        )}
        <div className="creator-list">
          {creators.map((c) => (
            <CreatorCard key={c.handle} creator={c} />
          ))}
        </div>
      </section>
    </>
  );
}

function CreatorCard({ creator }: { creator: CreatorSummary }) {
  return (
    <section className="card creator-card" aria-label={creator.displayName}>
      <header className="creator-card-head">
        <Avatar name={creator.displayName} />
        <div>
          <h3>
            <Link to={`/c/${creator.handle}`}>{creator.displayName}</Link>
          </h3>
          <p className="muted">@{creator.handle}</p>
        </div>
        {creator.live?.isLive && <LiveBadge />}
      </header>
      {creator.bio && <p className="bio">{creator.bio}</p>}
      {creator.latestPost ? (
        <div className="latest">
          <p className="label-small">Latest post</p>
          <PostCard post={creator.latestPost} showCreator={false} />
        </div>
      ) : (
        <p className="muted">No posts yet.</p>
      )}
    </section>
  );
}
