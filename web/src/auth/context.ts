import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { createApi } from '../api';
import type { Api } from '../api';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface AuthValue {
  mode: 'local' | 'clerk';
  status: AuthStatus;
  /** A name to show in the header, when known. */
  userName: string | null;
  /** The session token for `Authorization: Bearer` and the ingest hello; null when signed out. */
  getToken: () => Promise<string | null>;
  signOut: () => Promise<void>;
  /** Called when the API answers 401 to a request that carried a token. */
  onUnauthorized: () => void;
  /** Local mode only: POST /auth/dev-login and keep the token. */
  signInLocal?: (name: string) => Promise<void>;
  /** Clerk mode only: Clerk's own sign-in card. */
  renderSignIn?: (redirectTo: string) => ReactNode;
}

export const AuthContext = createContext<AuthValue | null>(null);

export function useAuthState(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuthState outside an auth provider');
  return value;
}

/** The API client bound to the current session. */
export function useApi(): Api {
  const { getToken, onUnauthorized } = useAuthState();
  return useMemo(() => createApi(getToken, onUnauthorized), [getToken, onUnauthorized]);
}
