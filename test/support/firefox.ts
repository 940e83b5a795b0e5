/**
 * Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi, for the shaped-uplink walk: the
 * fake camera and microphone (`media.navigator.streams.fake`), no permission prompt, and a WalkDriver
 * that presses the dialog's buttons through the DOM (Puppeteer's mouse clicks hit a sticky header).
 */
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { freePort } from './rtmp-receiver';
import { installUplinkProbe } from './uplink-probe';
import type { ProbeLog } from './uplink-probe';
import type { ShapedUplink } from './uplink-netns';
import type { CreatedStream, WalkDriver } from './uplink-walk';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Firefox inside the shaped namespace; its BiDi port is bridged back to this machine's loopback. */
export async function launchFirefox(uplink: ShapedUplink): Promise<Browser> {
  const port = await freePort();
  await uplink.bridgePort(port);
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: uplink.wrapper(FIREFOX_PATH, port),
    headless: true,
    protocolTimeout: 60_000,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
    },
  });
}

/** Buttons and links by their text, fields by their label: what a person sees. */
async function click(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (t: string) =>
      [...document.querySelectorAll<HTMLElement>('button, a')].some(
        (e) => e.textContent?.trim() === t && !(e as HTMLButtonElement).disabled,
      ),
    { timeout: 20_000 },
    text,
  );
  await page.evaluate((t: string) => {
    const all = [...document.querySelectorAll<HTMLElement>('button, a')].filter(
      (e) => e.textContent?.trim() === t && !(e as HTMLButtonElement).disabled,
    );
    const target = all.find((e) => e.tagName === 'BUTTON') ?? all[0];
    if (!target) throw new Error(`no enabled button or link "${t}"`);
    target.click();
  }, text);
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.waitForFunction(
    (l: string) => [...document.querySelectorAll('label')].some((x) => x.textContent?.trim().startsWith(l)),
    { timeout: 20_000 },
    label,
  );
  await page.evaluate(
    (l: string, v: string) => {
      const lab = [...document.querySelectorAll('label')].find((x) => x.textContent?.trim().startsWith(l))!;
      const input = (lab.control ?? lab.querySelector('input, textarea')) as HTMLInputElement;
      // React tracks the value: set it through the prototype's setter, then announce the input.
      const desc = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input) as object, 'value');
      desc?.set?.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    label,
    value,
  );
}

const waitText = (page: Page, text: string, timeout = 20_000) =>
  page.waitForFunction((t: string) => document.body.innerText.includes(t), { timeout }, text);

export function puppeteerDriver(page: Page, appUrl: string): WalkDriver {
  return {
    async prepare(handle) {
      await page.evaluateOnNewDocument(installUplinkProbe);
      await page.goto(`${appUrl}/`);
      await click(page, 'Sign in');
      await fill(page, 'Name', `Uplink ${handle}`);
      await click(page, 'Sign in');
      await page.waitForFunction(() => location.pathname === '/dashboard', { timeout: 20_000 });
      await fill(page, 'Handle', handle);
      await fill(page, 'Display name', `Uplink ${handle}`);
      await click(page, 'Save profile');
      await waitText(page, 'Profile saved.');
      const created = page.waitForResponse((r) => r.url().endsWith('/stream/create'), { timeout: 20_000 });
      await click(page, 'Go Live');
      const stream = (await (await created).json()) as CreatedStream;
      await page.waitForFunction(
        () => document.querySelector<HTMLVideoElement>('video[aria-label="Camera preview"]')?.videoWidth,
        { timeout: 20_000 },
      );
      return stream;
    },
    startStreaming: () => click(page, 'Start Streaming'),
    probe: () => page.evaluate(() => (window as unknown as { __uplinkProbe: ProbeLog }).__uplinkProbe),
    async waitLive(timeout) {
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('dialog[open] [role=status] *')].some(
            (e) => e.textContent?.trim() === 'LIVE',
          ),
        { timeout },
      );
    },
    observe: () =>
      page.evaluate(() => {
        const d = document.querySelector('dialog[open]');
        const clean = (e: Element | null | undefined) =>
          e ? (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim() : null;
        return {
          badge: [...(d?.querySelectorAll('[role=status] *') ?? [])].some(
            (e) => e.textContent?.trim() === 'LIVE',
          ),
          uplink: clean(d?.querySelector('section[aria-label="Uplink"]')),
          status: clean(d?.querySelector('[role=status]')),
        };
      }),
    async stopStreaming() {
      await click(page, 'Stop Streaming');
      await waitText(page, 'Stream stopped');
    },
  };
}
