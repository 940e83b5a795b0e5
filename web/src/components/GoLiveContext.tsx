import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { CreatedStream } from '../api';
import { useAuthState } from '../auth/context';
import { GoLiveDialog } from './GoLiveDialog';

interface Session {
  stream: CreatedStream;
  handle: string;
}

interface GoLiveValue {
  session: Session | null;
  /** Opens the Go Live dialog for a stream POST /stream/create answered. */
  open: (stream: CreatedStream, handle: string) => void;
  /** Brings a shrunk (still live) session back into its dialog. */
  expand: () => void;
  /** The Go Live button registers itself as where focus returns (a ref callback). */
  setReturnFocus: (el: HTMLElement | null) => void;
  /** A broadcast is running (connecting, live, reconnecting or stopping). */
  broadcasting: boolean;
}

const GoLiveContext = createContext<GoLiveValue | null>(null);

/**
 * Holds the Go Live session above the pages, so a live broadcast survives navigation: closing the
 * dialog while live shrinks it into the "You're live" bar instead of ending it.
 */
export function GoLiveProvider({ children }: { children: ReactNode }) {
  const auth = useAuthState();
  const [session, setSession] = useState<Session | null>(null);
  const [expandSignal, setExpandSignal] = useState(0);
  const [broadcasting, setBroadcasting] = useState(false);
  const returnFocus = useRef<HTMLElement | null>(null);

  const open = useCallback((stream: CreatedStream, handle: string) => setSession({ stream, handle }), []);
  const expand = useCallback(() => setExpandSignal((n) => n + 1), []);
  const setReturnFocus = useCallback((el: HTMLElement | null) => {
    returnFocus.current = el;
  }, []);
  const close = useCallback(() => {
    setSession(null);
    setBroadcasting(false);
  }, []);
  // Signing out ends the session (and with it the broadcast).
  if (auth.status === 'signed-out' && (session || broadcasting)) close();
  const value = useMemo(
    () => ({ session, open, expand, setReturnFocus, broadcasting }),
    [session, open, expand, setReturnFocus, broadcasting],
  );

  return (
    <GoLiveContext.Provider value={value}>
      {children}
      {session && (
        <GoLiveDialog
          key={session.stream.id}
          stream={session.stream}
          handle={session.handle}
          onClose={close}
          expandSignal={expandSignal}
          onBroadcastingChange={setBroadcasting}
          returnFocus={returnFocus}
        />
      )}
    </GoLiveContext.Provider>
  );
}

export function useGoLive(): GoLiveValue {
  const v = useContext(GoLiveContext);
  if (!v) throw new Error('useGoLive outside <GoLiveProvider>');
  return v;
}
