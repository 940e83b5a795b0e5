import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useAuthState } from '../auth/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { useRouter } from '../lib/router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** Only same-site paths, so ?redirect= cannot send anyone elsewhere. */
function safeRedirect(search: string): string {
  const to = new URLSearchParams(search).get('redirect');
  return to && to.startsWith('/') && !to.startsWith('//') ? to : '/dashboard';
}

export function SignInPage() {
  const auth = useAuthState();
  const { location, navigate } = useRouter();
  const redirect = safeRedirect(location.search);
  useDocumentTitle('Sign in');

  useEffect(() => {
    if (auth.status === 'signed-in') navigate(redirect, { replace: true });
  }, [auth.status, navigate, redirect]);

  if (auth.renderSignIn) {
    return <section className="sign-in clerk-sign-in">{auth.renderSignIn(redirect)}</section>;
  }
  return <LocalSignInForm />;
}

function LocalSignInForm() {
  const auth = useAuthState();
  const nameId = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!auth.signInLocal || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await auth.signInLocal(name.trim());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <section className="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Welcome to Vybzz</h1>
      <p className="muted">Development sign-in: pick a name, no password needed.</p>
      <form onSubmit={(e) => void submit(e)} className="form">
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            id={nameId}
            name="name"
            autoComplete="nickname"
            required
            maxLength={80}
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <ErrorMessage error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
