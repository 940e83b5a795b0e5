import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';

/** A tiny History-API router: four routes do not need a dependency. */

export type Route =
  | { name: 'home' }
  | { name: 'sign-in' }
  | { name: 'dashboard' }
  | { name: 'creator'; handle: string }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  // Clerk's <SignIn routing="path"> uses sub-paths such as /sign-in/factor-one.
  if (path === '/sign-in' || path.startsWith('/sign-in/')) return { name: 'sign-in' };
  if (path === '/dashboard') return { name: 'dashboard' };
  const creator = /^\/c\/([^/]+)$/.exec(path);
  if (creator?.[1]) return { name: 'creator', handle: decodeURIComponent(creator[1]) };
  return { name: 'not-found' };
}

/** The sign-in page, coming back to `redirect` afterwards when given. */
export function signInHref(redirect?: string): string {
  return redirect ? `/sign-in?redirect=${encodeURIComponent(redirect)}` : '/sign-in';
}

interface Location {
  pathname: string;
  search: string;
}

interface RouterValue {
  location: Location;
  route: Route;
  navigate: (to: string, opts?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

function currentLocation(): Location {
  return { pathname: window.location.pathname, search: window.location.search };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);

  useEffect(() => {
    const onPop = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string, opts?: { replace?: boolean }) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (opts?.replace) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
    setLocation(currentLocation());
    if (!opts?.replace) window.scrollTo(0, 0);
  }, []);

  const value = useMemo(
    () => ({ location, route: matchRoute(location.pathname), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside <RouterProvider>');
  return value;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An ordinary <a href> that navigates client-side on a plain left click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const { navigate } = useRouter();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
