import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { useConfig } from '../lib/config';
import { LocalAuthProvider } from './LocalAuthProvider';

// Clerk's bundle is only fetched by deployments that use it.
const ClerkAuthProvider = lazy(() => import('./ClerkAuthProvider'));

export function AuthProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  if (config.authMode === 'clerk') {
    if (!config.clerkPublishableKey) {
      return (
        <p role="alert" className="boot-error">
          This server is set up for Clerk sign-in but sent no publishable key.
        </p>
      );
    }
    return (
      <Suspense fallback={<p className="boot-loading">Loading sign-in…</p>}>
        <ClerkAuthProvider publishableKey={config.clerkPublishableKey}>{children}</ClerkAuthProvider>
      </Suspense>
    );
  }
  return <LocalAuthProvider>{children}</LocalAuthProvider>;
}
