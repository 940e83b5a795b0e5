import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { ConfigContext } from './lib/config';
import { appConfigQuery, createQueryClient } from './lib/queries';
import { RouterProvider } from './lib/router';
import './styles/base.css';
import './styles/layout.css';
import './styles/content.css';
import './styles/golive.css';
import './styles/ux.css';
import './styles/live-bar.css';
import './styles/responsive.css';
import './styles/chat.css';
import './styles/restream.css';

/** Reads GET /app-config once, then mounts the app with the server's runtime settings. */
function Boot() {
  const { data: config, error, isFetching, refetch } = useQuery(appConfigQuery);

  if (error && !isFetching) {
    return (
      <main className="boot-error" role="alert">
        <h1>Vybzz is unavailable</h1>
        <p>Could not load the app settings: {error.message}</p>
        <button type="button" className="btn" onClick={() => void refetch()}>
          Retry
        </button>
      </main>
    );
  }
  if (!config) return <p className="boot-loading">Loading…</p>;
  return (
    <ConfigContext.Provider value={config}>
      <RouterProvider>
        <AuthProvider>
          <App />
        </AuthProvider>
      </RouterProvider>
    </ConfigContext.Provider>
  );
}

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Boot />
    </QueryClientProvider>
  </StrictMode>,
);
