import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { ClerkFailed, ClerkProvider, SignIn, useAuth, useUser } from '@clerk/react';
import { useRouter } from '../lib/router';
import { AuthContext } from './context';
import type { AuthValue } from './context';

const noop = () => {};

/** Maps Clerk's session onto our AuthContext; the token comes from useAuth().getToken(). */
function ClerkBridge({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, getToken: clerkGetToken, signOut: clerkSignOut } = useAuth();
  const { user } = useUser();

  // Stable functions, so the API client (and every effect that uses it) is not rebuilt each render.
  const clerk = useRef({ getToken: clerkGetToken, signOut: clerkSignOut });
  useLayoutEffect(() => {
    clerk.current = { getToken: clerkGetToken, signOut: clerkSignOut };
  }, [clerkGetToken, clerkSignOut]);
  const getToken = useCallback(async () => (await clerk.current.getToken()) ?? null, []);
  const signOut = useCallback(async () => {
    await clerk.current.signOut();
  }, []);

  const userName = user
    ? user.fullName || user.username || user.primaryEmailAddress?.emailAddress || null
    : null;

  const value = useMemo<AuthValue>(
    () => ({
      mode: 'clerk',
      status: !isLoaded ? 'loading' : isSignedIn ? 'signed-in' : 'signed-out',
      userName,
      getToken,
      signOut,
      // Clerk refreshes its own tokens; a 401 here is shown as an error, not a sign-out.
      onUnauthorized: noop,
      renderSignIn: (redirectTo: string) => (
        <SignIn routing="path" path="/sign-in" fallbackRedirectUrl={redirectTo} />
      ),
    }),
    [isLoaded, isSignedIn, userName, getToken, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export default function ClerkAuthProvider({
  publishableKey,
  children,
}: {
  publishableKey: string;
  children: ReactNode;
}) {
  const { navigate } = useRouter();
  return (
    <ClerkProvider
      publishableKey={publishableKey}
      routerPush={(to: string) => navigate(to)}
      routerReplace={(to: string) => navigate(to, { replace: true })}
      signInUrl="/sign-in"
      afterSignOutUrl="/"
    >
      <ClerkFailed>
        <p role="alert" className="boot-error">
          The sign-in service (Clerk) could not be loaded. Check your connection and reload the page.
        </p>
      </ClerkFailed>
      <ClerkBridge>{children}</ClerkBridge>
    </ClerkProvider>
  );
}
