/**
 * Real-browser helpers for the SPA tests: Debian's Chromium driven by playwright-core, with Chromium's
 * fake camera and microphone (a test pattern and a beep), per-context camera permission, screenshots
 * into test-artifacts/screenshots/, and every page's console and uncaught errors captured so a test
 * fails on an uncaught page error.
 *
 * Camera permission: the browser is launched WITHOUT `--use-fake-ui-for-media-stream`, because that
 * flag accepts every prompt whatever the context's permissions say. Headless Chromium then denies
 * getUserMedia (NotAllowedError) unless the context was granted 'camera' and 'microphone', so one
 * browser can hold a creator whose camera works and one whose camera is denied.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

// Checks on a page (its video, its ingest sockets, the sign-up flow), kept beside this file.
export * from './browser-page';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const REPO_ROOT = resolve(__dirname, '../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');
export const CONSOLE_DIR = join(REPO_ROOT, 'test-artifacts', 'console');
export const VIEWPORT = { width: 1280, height: 800 };
/** Default limit of every page action and wait that names no timeout of its own. */
export const ACTION_TIMEOUT_MS = 20_000;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Fake capture devices: a moving test pattern at 30 fps and a beeping microphone.
  '--use-fake-device-for-media-stream=fps=30',
  // Background tabs (the creator's page while the viewer's is in front) must keep recording.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Let players start without a user gesture.
  '--autoplay-policy=no-user-gesture-required',
];

/** Builds the SPA into web/dist when it is missing (CI builds it before `npm test`). */
export function ensureWebBuilt(): void {
  const web = join(REPO_ROOT, 'web');
  if (existsSync(join(web, 'dist', 'index.html'))) return;
  const run = (args: string[]) => execFileSync('npm', args, { cwd: web, stdio: 'inherit', timeout: 170_000 });
  if (!existsSync(join(web, 'node_modules'))) run(['install', '--no-audit', '--no-fund']);
  run(['run', 'build']);
}

/** `executablePath`: e.g. a wrapper that starts Chromium inside a shaped network namespace. */
export function launchBrowser(executablePath = CHROMIUM_PATH): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export interface PageProblem {
  page: string;
  text: string;
}

export interface ContextOptions {
  /** Grant camera and microphone to the app's origin (default true). false: getUserMedia is denied. */
  camera?: boolean;
  /** Default 1280×800; `PHONE` for a touch screen. */
  viewport?: { width: number; height: number };
  /** A touch screen (hasTouch, isMobile): with the phone viewport. */
  touch?: boolean;
  /** Lets a test inject scripts (axe-core) past the app's CSP. */
  bypassCSP?: boolean;
}

/** A phone held upright (the issue's 390×844 touch screen). */
export const PHONE = { width: 390, height: 844 };

/**
 * One browser and the contexts a test opens in it. Each page's console lines are kept (printed when
 * a test fails) and uncaught page errors are collected: `expectNoPageErrors()` fails the test on them.
 */
export class BrowserSession {
  readonly console: PageProblem[] = [];
  readonly pageErrors: PageProblem[] = [];
  private readonly contexts: BrowserContext[] = [];
  private shots = 0;
  private checkedErrors = 0;

  private constructor(
    readonly browser: Browser,
    /** The app's base URL, e.g. http://127.0.0.1:41234. */
    readonly appUrl: string,
    /** Prefix of this test file's screenshots. */
    readonly name: string,
  ) {}

  static async start(appUrl: string, name: string, executablePath?: string): Promise<BrowserSession> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    return new BrowserSession(await launchBrowser(executablePath), appUrl, name);
  }

  /** A fresh context (its own storage, so its own sign-in) with one page. */
  async newPage(label: string, opts: ContextOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: opts.viewport ?? VIEWPORT,
      baseURL: this.appUrl,
      hasTouch: opts.touch ?? false,
      isMobile: opts.touch ?? false,
      bypassCSP: opts.bypassCSP ?? false,
    });
    this.contexts.push(context);
    // playwright-core waits forever by default: a stuck step must fail with its own message instead.
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
    if (opts.camera ?? true) {
      await context.grantPermissions(['camera', 'microphone'], { origin: this.appUrl });
    }
    // The machine has no internet: anything that is not the app (Mux's CDN, Mux Data beacons, fonts)
    // is refused at once instead of waiting for a DNS lookup that cannot succeed.
    const app = new URL(this.appUrl);
    await context.route(
      (url) => url.host !== app.host && url.protocol !== 'data:' && url.protocol !== 'blob:',
      (route) => route.abort('internetdisconnected'),
    );
    const page = await context.newPage();
    this.watch(page, label);
    return page;
  }

  private watch(page: Page, label: string): void {
    page.on('console', (m: ConsoleMessage) => {
      this.console.push({ page: label, text: `[${m.type()}] ${m.text()}` });
    });
    page.on('pageerror', (e: Error) => {
      this.pageErrors.push({ page: label, text: `${e.name}: ${e.message}\n${e.stack ?? ''}` });
    });
  }

  /** Fails the test when a page threw an uncaught error since the last check (the console is printed). */
  expectNoPageErrors(): void {
    const fresh = this.pageErrors.slice(this.checkedErrors);
    this.checkedErrors = this.pageErrors.length;
    if (fresh.length) {
      throw new Error(
        `uncaught page errors:\n${fresh.map((e) => `(${e.page}) ${e.text}`).join('\n')}\n` +
          `console:\n${this.dumpConsole()}`,
      );
    }
  }

  dumpConsole(last = 60): string {
    return this.console
      .slice(-last)
      .map((c) => `(${c.page}) ${c.text}`)
      .join('\n');
  }

  /** Writes test-artifacts/screenshots/<name>-NN-<step>.png and returns its path. */
  async screenshot(page: Page, step: string): Promise<string> {
    const file = join(SCREENSHOT_DIR, `${this.name}-${String(++this.shots).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    return file;
  }

  /** Closes every context opened so far (their cameras, players and sockets with them). */
  async closeContexts(): Promise<void> {
    for (const c of this.contexts.splice(0)) await c.close().catch(() => undefined);
  }

  /** Closes the browser; every page's console lines are kept in test-artifacts/console/<name>.log. */
  async close(): Promise<void> {
    await this.closeContexts();
    mkdirSync(CONSOLE_DIR, { recursive: true });
    writeFileSync(
      join(CONSOLE_DIR, `${this.name}.log`),
      [...this.console, ...this.pageErrors.map((e) => ({ ...e, text: `[pageerror] ${e.text}` }))]
        .map((c) => `(${c.page}) ${c.text}`)
        .join('\n') + '\n',
    );
    await this.browser.close().catch(() => undefined);
  }
}
