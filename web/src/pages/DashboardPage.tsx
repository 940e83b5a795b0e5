import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CreatorProfile, Me } from '../api';
import { useApi, useAuthState } from '../auth/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { GoLiveButton } from '../components/GoLiveButton';
import { OwnPosts } from '../components/OwnPosts';
import { ProfileForm } from '../components/ProfileForm';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { meQuery, profileSaved, queryKeys } from '../lib/queries';
import { RestreamSection } from '../components/RestreamSection';
import { Link, signInHref, useRouter } from '../lib/router';

export function DashboardPage() {
  const auth = useAuthState();
  const api = useApi();
  const { navigate } = useRouter();
  const client = useQueryClient();
  const { data: me, error } = useQuery({ ...meQuery(api), enabled: auth.status === 'signed-in' });
  useDocumentTitle('Dashboard');

  useEffect(() => {
    if (auth.status === 'signed-out') navigate(signInHref('/dashboard'), { replace: true });
  }, [auth.status, navigate]);

  if (auth.status !== 'signed-in') return <p className="muted">Loading…</p>;
  if (!me)
    return error ? <ErrorMessage error={error.message} /> : <p className="muted">Loading your dashboard…</p>;

  const profile = me.creatorProfile;
  const onSaved = (p: CreatorProfile, allowDownloads: boolean) => {
    client.setQueryData<Me>(queryKeys.me(), (old) => (old ? { ...old, allowDownloads } : old));
    void profileSaved(client, p);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            {profile ? (
              <>
                Your page: <Link to={`/c/${profile.handle}`}>/c/{profile.handle}</Link>
              </>
            ) : (
              'Set up your creator profile to post and go live.'
            )}
          </p>
        </div>
        {profile && <GoLiveButton handle={profile.handle} />}
      </div>

      <div className="dashboard-grid">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Creator profile</h2>
          <ProfileForm
            profile={profile}
            defaultName={me.displayName}
            onSaved={onSaved}
            allowDownloads={me.allowDownloads}
          />
        </section>
        {profile && <RestreamSection />}
        {profile && <OwnPosts handle={profile.handle} />}
      </div>
    </>
  );
}
