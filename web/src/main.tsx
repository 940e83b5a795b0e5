import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { fetchAppConfig } from './api';
import type { AppConfig } from './api';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { ConfigContext } from './lib/config';
import { RouterProvider } from './lib/router';
import './styles/base.css';
import './styles/layout.css';
import './styles/content.css';
import './styles/golive.css';
import './styles/ux.css';

/** Reads GET /app-config once, then mounts the app with the server's runtime settings. */
function Boot() {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    fetchAppConfig().then(setConfig, (e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  if (error) {
    return (
      <main className="boot-error" role="alert">
        <h1>Vybzz is unavailable</h1>
        <p>Could not load the app settings: {error}</p>
        <button type="button" className="btn" onClick={load}>
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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Boot />
  </StrictMode>,
);
