import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useAuthState } from '../auth/context';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { SIGN_IN_NAME_MAX } from '../lib/validation';
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
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!auth.signInLocal || busy) return;
    if (!name.trim()) {
      setNameError('Enter a name to sign in with.');
      e.currentTarget.querySelector<HTMLElement>('[name="name"]')?.focus();
      return;
    }
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
      <form onSubmit={(e) => void submit(e)} className="form" noValidate>
        <Field
          label="Name"
          name="name"
          autoComplete="nickname"
          required
          maxLength={SIGN_IN_NAME_MAX}
          autoFocus
          value={name}
          error={nameError}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(undefined);
          }}
        />
        <ErrorMessage error={error} />
        <button type="submit" className="btn btn-primary" aria-busy={busy || undefined}>
          Sign in
        </button>
      </form>
    </section>
  );
}
