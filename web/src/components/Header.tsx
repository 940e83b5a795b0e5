import { useAuthState } from '../auth/context';
import { Link, signInHref, useRouter } from '../lib/router';
import { useGoLive } from './GoLiveContext';

export function Header() {
  const { route, navigate } = useRouter();
  const auth = useAuthState();
  const { broadcasting } = useGoLive();
  const here = (name: string) => (route.name === name ? 'page' : undefined);

  return (
    <header className="site-header">
      <div className="container header-row">
        <Link to="/" className="brand" aria-label="Vybzz home">
          <span className="brand-dot" aria-hidden="true" />
          Vybzz
        </Link>
        <nav aria-label="Main" className="header-nav">
          <Link to="/" aria-current={here('home')}>
            Home
          </Link>
          {auth.status === 'signed-in' && (
            <Link to="/dashboard" aria-current={here('dashboard')}>
              Dashboard
            </Link>
          )}
        </nav>
        <div className="header-user">
          {auth.status === 'signed-in' && (
            <>
              {auth.userName && <span className="user-name">{auth.userName}</span>}
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => {
                  if (
                    broadcasting &&
                    !window.confirm('You are live. Signing out ends your stream. Sign out anyway?')
                  )
                    return;
                  void auth.signOut().then(() => navigate('/'));
                }}
              >
                Sign out
              </button>
            </>
          )}
          {/* The sign-in page holds its own "Sign in" button; do not repeat it up here. */}
          {auth.status === 'signed-out' && route.name !== 'sign-in' && (
            <Link
              to={signInHref(route.name === 'dashboard' ? '/dashboard' : undefined)}
              className="btn btn-primary"
            >
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
