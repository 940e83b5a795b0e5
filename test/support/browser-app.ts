/**
 * The setup every SPA spec shares: the built SPA, the real app on a fresh database, one Chromium
 * session, each closed after the suite; after each test, no uncaught page error (and, with
 * `closeContexts`, the test's browser contexts closed first, so the next starts signed out).
 */
import { startApp, type TestApp } from './app';
import { BrowserSession, ensureWebBuilt } from './browser';

export interface BrowserAppOptions {
  /** Close every browser context after each test. */
  closeContexts?: boolean;
  /** Settings for the app (startApp's env). */
  env?: Record<string, string>;
}

/**
 * Registers the hooks; `started` receives the app and the session (`label` prefixes its screenshots)
 * once both run, for the spec's own variables.
 */
export function useBrowserApp(
  label: string,
  options: BrowserAppOptions,
  started: (t: TestApp, s: BrowserSession) => void,
): void {
  let t: TestApp | undefined;
  let s: BrowserSession | undefined;
  beforeAll(async () => {
    ensureWebBuilt();
    t = await startApp(options.env);
    s = await BrowserSession.start(t.url, label);
    started(t, s);
  });
  afterEach(async () => {
    if (options.closeContexts) await s?.closeContexts();
    s?.expectNoPageErrors();
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });
}
