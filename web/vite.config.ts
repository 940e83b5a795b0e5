/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Paths the NestJS server owns; the SPA never routes under them. */
const API_PREFIXES = [
  'auth',
  'users',
  'creators',
  'posts',
  'stream',
  'streams',
  'room',
  'webhooks',
  'health',
  'metrics',
  'docs',
  'app-config',
  'media',
];
const API_TARGET = process.env.VYBZZ_API ?? 'http://localhost:3000';

/** The wire contract shared with the server (plain TypeScript, no Node imports). */
const CONTRACT_DIR = fileURLToPath(new URL('../src/contract', import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@contract': CONTRACT_DIR } },
  server: {
    port: 5173,
    fs: { allow: ['.', CONTRACT_DIR] },
    proxy: {
      // One regex for every API prefix: `/stream/live/<key>` is a WebSocket, hence `ws: true`.
      [`^/(${API_PREFIXES.join('|')})(/|\\?|$)`]: { target: API_TARGET, changeOrigin: true, ws: true },
    },
  },
  // mux-player (about 1.1 MB) is a lazy chunk that only Mux deployments load.
  // No source maps in the build: the served app should not hand out its source (issue 16 item 11).
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 1200 },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
