import { createContext, useContext } from 'react';
import type { AppConfig } from '../api';

export const ConfigContext = createContext<AppConfig | null>(null);

/** The runtime settings the server answered at GET /app-config. */
export function useConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useConfig outside <ConfigContext.Provider>');
  return config;
}
