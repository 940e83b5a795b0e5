import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { devLogin } from '../api';
import { AuthContext } from './context';
import type { AuthValue } from './context';

const TOKEN_KEY = 'vybzz.token';
const NAME_KEY = 'vybzz.userName';

interface Session {
  token: string;
  name: string | null;
}

function readSession(): Session | null {
  try {
    const token = localStorage.getItem(TOKEN_KEY);
    return token ? { token, name: localStorage.getItem(NAME_KEY) } : null;
  } catch {
    return null;
  }
}

function writeSession(session: Session | null) {
  try {
    if (session) {
      localStorage.setItem(TOKEN_KEY, session.token);
      localStorage.setItem(NAME_KEY, session.name ?? '');
    } else {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(NAME_KEY);
    }
  } catch {
    /* storage disabled: the session lives in memory only */
  }
}

/** Local (development) auth: the server's dev sign-in issues our own token, kept in localStorage. */
export function LocalAuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(readSession);
  // getToken stays one function (the API client is not rebuilt per render) and reads the latest token.
  const tokenRef = useRef(session?.token ?? null);
  useLayoutEffect(() => {
    tokenRef.current = session?.token ?? null;
  }, [session]);

  // Another tab signed in or out.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === TOKEN_KEY || e.key === null) setSession(readSession());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const getToken = useCallback(async () => tokenRef.current, []);

  const signOut = useCallback(async () => {
    writeSession(null);
    setSession(null);
  }, []);

  // A 401 to a request that carried our token: it expired or the server's key changed.
  const onUnauthorized = useCallback(() => void signOut(), [signOut]);

  const signInLocal = useCallback(async (name: string) => {
    const { token, user } = await devLogin(name);
    const next = { token, name: user.displayName };
    writeSession(next);
    tokenRef.current = token;
    setSession(next);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      mode: 'local',
      status: session ? 'signed-in' : 'signed-out',
      userName: session?.name || null,
      getToken,
      signOut,
      onUnauthorized,
      signInLocal,
    }),
    [session, getToken, signOut, onUnauthorized, signInLocal],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
