/**
 * Issue 16 item 12 in a real Chromium: the app opened over plain HTTP at a name that is not localhost
 * (vybzz.test, mapped to loopback by Chromium's resolver rules, so the page is not a secure context).
 * With `upgrade-insecure-requests` (what helmet's default CSP sent) Chromium fetches the assets over
 * https and the page stays blank; without it the app works, and the Go Live dialog says why the camera
 * cannot start and how to fix it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startApp, TestApp } from '../support/app';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  ensureWebBuilt,
  SCREENSHOT_DIR,
  signUpCreator,
  VIEWPORT,
} from '../support/browser';
import { uniqueName } from '../support/factories';

const NAME = 'vybzz.test';

describe('the app over plain HTTP at a LAN-style name (not a secure context)', () => {
  let browser: Browser;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    ensureWebBuilt();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    for (const t of apps) await t.close();
  });

  async function openAt(
    env: Record<string, string>,
  ): Promise<{ page: Page; base: string; failed: string[] }> {
    const t = await startApp(env, { logLevel: 'silent' });
    apps.push(t);
    const base = t.url.replace('127.0.0.1', NAME);
    const context = await browser.newContext({ viewport: VIEWPORT, baseURL: base });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto('/');
    return { page, base, failed };
  }

  it('with upgrade-insecure-requests the assets go to https:// and fail: the page stays blank', async () => {
    const { page, base, failed } = await openAt({ CSP_UPGRADE_INSECURE_REQUESTS: 'always' });
    await page.waitForLoadState('load');
    const httpsBase = base.replace('http://', 'https://');
    expect(failed.some((u) => u.startsWith(`${httpsBase}/assets/`))).toBe(true);
    expect(await page.locator('#root').innerHTML()).toBe('');
    await page.context().close();
  });

  it('by default the page works; Go Live says the page is not secure and how to fix it', async () => {
    const { page, base } = await openAt({});
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const handle = uniqueName('lan').toLowerCase();
    await signUpCreator(page, { name: `LAN ${handle}`, handle });
    await page.getByRole('button', { name: 'Go Live' }).click();
    const dialog = page.getByRole('dialog', { name: 'Go Live' });
    const notice = dialog.getByRole('alert').filter({ hasText: 'not a secure connection' });
    await notice.waitFor();
    const port = new URL(base).port;
    expect(await notice.getByRole('link', { name: `https://${NAME}:${port}/dashboard` }).count()).toBe(1);
    expect(await notice.getByRole('link', { name: `http://localhost:${port}/dashboard` }).count()).toBe(1);
    expect(await dialog.getByRole('button', { name: 'Start Streaming' }).isDisabled()).toBe(true);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'insecure-context-golive.png') });
    await page.context().close();
  });
});
