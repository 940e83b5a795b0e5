/**
 * The creator's experience (issue 15), walked in a real Chromium against the real app at 1280×800 and
 * on a 390×844 touch screen, with axe-core on every page and dialog state: field errors at their
 * fields, focus after each action, long posts clamped, Delete that asks, a VOD post placed by date,
 * phone tap targets and a 320 px header; then a broadcast that Escape cannot end silently (the
 * "You're live" bar), the unload warning, the other-tab notice, "Tap to unmute", the viewer's
 * "The stream has ended — watch the replay", and the camera-denied preview.
 */
import type { Page } from 'playwright-core';
import { startApp, TestApp } from '../support/app';
import { AxeLog, docShot } from '../support/axe';
import { eventually } from '../support/eventually';
import {
  BrowserSession,
  ensureWebBuilt,
  PHONE,
  recordIngestSockets,
  signUpCreator,
  videoState,
} from '../support/browser';
import { uniqueName } from '../support/factories';

interface Focused {
  tag: string;
  text: string;
  name: string | null;
  postId: string | null;
}

/** What has keyboard focus. */
const focused = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return null;
    return {
      tag: a.tagName,
      text: (a.textContent ?? '').trim().slice(0, 80),
      name: a.getAttribute('name'),
      postId: a.getAttribute('data-post-id'),
    };
  });

async function expectFocus(page: Page, what: string, test: (f: Focused) => boolean): Promise<void> {
  await eventually(
    `focus on ${what}`,
    async () => {
      const f = await focused(page);
      return f && test(f);
    },
    5000,
  );
}

/** Visible controls smaller than 44×44 px (the skip link is off screen until focused). */
const smallTargets = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(
        ({ el, r }) =>
          r.width > 0 &&
          r.height > 0 &&
          r.right > 0 &&
          r.left < innerWidth &&
          !el.closest('dialog:not([open])'),
      )
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el.outerHTML.slice(0, 90)} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );

/** Pairs of header items that overlap, and items that leave the screen. */
const headerClashes = (page: Page) =>
  page.evaluate(() => {
    const items = Array.from(
      document.querySelectorAll<HTMLElement>('.site-header a, .site-header button'),
    ).filter((el) => el.getBoundingClientRect().width > 0 && !el.classList.contains('skip-link'));
    const out: string[] = [];
    const rects = items.map((el) => ({
      t: (el.textContent ?? '').trim() || el.getAttribute('aria-label'),
      r: el.getBoundingClientRect(),
    }));
    rects.forEach((a, i) => {
      if (a.r.right > innerWidth + 0.5 || a.r.left < -0.5) out.push(`${a.t} leaves the screen`);
      rects.slice(i + 1).forEach((b) => {
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 0.5 && y > 0.5) out.push(`${a.t} overlaps ${b.t}`);
      });
    });
    return out;
  });

/** The element an input's aria-describedby names, holding `text`, must sit in the input's own field. */
async function expectFieldError(page: Page, label: string, text: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await eventually(
    `${label} to be aria-invalid`,
    async () => (await input.getAttribute('aria-invalid')) === 'true',
    5000,
  );
  const ok = await input.evaluate((el, want) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const error = ids.map((id) => document.getElementById(id)).find((d) => d?.textContent === want);
    return !!error && error.closest('.field') === el.closest('.field');
  }, text);
  expect({ label, text, atItsField: ok }).toEqual({ label, text, atItsField: true });
}

describe('The creator’s experience in the browser (issue 15)', () => {
  let t: TestApp;
  let s: BrowserSession;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startApp();
    s = await BrowserSession.start(t.url, 'ux');
  });
  afterEach(async () => {
    await s.closeContexts();
    s.expectNoPageErrors();
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('forms, focus and lists: errors at their fields, focus after each action, clamped posts, Delete asks', async () => {
    const axe = new AxeLog();
    const name = 'Focus Walker';
    const handle = uniqueName('walk').toLowerCase();
    const d = await s.newPage('desk', { bypassCSP: true, camera: false });

    // Home and sign-in, signed out.
    await d.goto('/');
    await d.getByRole('heading', { level: 1 }).waitFor();
    await axe.scan(d, 'home, signed out (1280)');
    await d.getByRole('link', { name: 'Sign in' }).click();
    await d.getByLabel('Name').waitFor();
    await expectFocus(d, 'the Name field (autofocus wins over the heading)', (f) => f.name === 'name');
    await axe.scan(d, 'sign-in (1280)');
    await d.getByRole('button', { name: 'Sign in' }).click();
    await expectFieldError(d, 'Name', 'Enter a name to sign in with.');
    await axe.scan(d, 'sign-in with an error (1280)');

    // Signing in moves focus to the dashboard's heading.
    await d.getByLabel('Name').fill(name);
    await d.getByRole('button', { name: 'Sign in' }).click();
    await d.waitForURL('**/dashboard');
    await expectFocus(d, 'the Dashboard heading', (f) => f.tag === 'H1' && f.text === 'Dashboard');

    // Errors at their fields, checked in the browser with the server's rules: nothing is sent.
    let profileRequests = 0;
    d.on('request', (r) => r.url().endsWith('/users/me/creator-profile') && profileRequests++);
    await d.getByLabel('Handle').fill('Bad Handle!');
    expect(await d.getByLabel('Handle').inputValue()).toBe('badhandle!'); // lower case, no spaces
    await d.getByLabel('Display name').fill('');
    await d.getByRole('button', { name: 'Save profile' }).click();
    await expectFieldError(d, 'Handle', 'Use only letters a–z, digits 0–9 and the underscore _.');
    await expectFieldError(d, 'Display name', 'Enter the name your viewers will see.');
    expect(await d.getByLabel('Bio').getAttribute('aria-invalid')).toBeNull();
    await expectFocus(d, 'the first bad field', (f) => f.name === 'handle');
    expect(
      await d
        .locator('.field', { has: d.getByLabel('Handle') })
        .locator('.hint')
        .textContent(),
    ).not.toContain('badhandle');
    expect(profileRequests).toBe(0);
    await axe.scan(d, 'dashboard, profile errors (1280)');
    await s.screenshot(d, 'profile-errors');

    // Capitals are lower-cased as typed; Save keeps focus on its button (busy, never disabled).
    await d.getByLabel('Handle').fill(handle.toUpperCase());
    expect(await d.getByLabel('Handle').inputValue()).toBe(handle);
    await d.getByLabel('Display name').fill(name);
    await d.getByRole('button', { name: 'Save profile' }).click();
    await d.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    await expectFocus(d, 'Save profile', (f) => f.text === 'Save profile');
    expect(await d.getByLabel('Handle').getAttribute('aria-invalid')).toBeNull();

    // The post body: the server's limit as maxLength, with a counter it is described by.
    const body = d.getByLabel('Body');
    expect(await body.getAttribute('maxlength')).toBe('20000');
    await body.fill('hello');
    const counter = await body.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent)
        .find((x) => x?.includes('characters')),
    );
    expect(counter).toBe('5 / 20,000 characters');
    await d.getByRole('button', { name: 'Publish post' }).click();
    await expectFieldError(d, 'Title', 'Give your post a title.');
    await expectFocus(d, 'the Title field', (f) => f.name === 'title');

    // Three posts; focus goes back to Title after each (the button stays where it was).
    const publish = async (title: string, text: string) => {
      await d.getByLabel('Title').fill(title);
      await d.getByLabel('Body').fill(text);
      await d.getByRole('button', { name: 'Publish post' }).click();
      await d.getByRole('article', { name: title }).waitFor();
      await expectFocus(d, 'Title after Publish post', (f) => f.name === 'title');
    };
    const long = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a very long post.`).join('\n');
    await publish('First post', 'Short and sweet.');
    await publish('Long post', long);
    await publish('Third post', 'The newest one.');

    // Long posts are clamped with "Read more".
    const longArticle = d.getByRole('article', { name: 'Long post' });
    const clamp = () =>
      longArticle.locator('.post-body').evaluate((el) => ({ shown: el.clientHeight, full: el.scrollHeight }));
    const clamped = await clamp();
    expect(clamped.shown).toBeLessThan(clamped.full / 3);
    const readMore = longArticle.getByRole('button', { name: 'Read more' });
    expect(await readMore.getAttribute('aria-expanded')).toBe('false');
    await readMore.click();
    const open = await clamp();
    expect(open.shown).toBeGreaterThanOrEqual(open.full);
    await longArticle.getByRole('button', { name: 'Show less' }).click();
    await axe.scan(d, 'dashboard with posts (1280)');
    await docShot(d, 'dashboard');

    // Delete asks first; afterwards focus is on the next post.
    const ids = await d
      .locator('.own-posts article')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('aria-label') ?? e.textContent?.slice(0, 20),
          e.getAttribute('data-post-id'),
        ]),
      );
    expect(ids).toHaveLength(3);
    const firstId = ids[2][1]!;
    await longArticle.getByRole('button', { name: 'Delete' }).click();
    const confirm = longArticle.getByRole('group', { name: 'Delete “Long post”?' });
    await confirm.waitFor();
    await expectFocus(d, 'Keep (the safe choice)', (f) => f.text === 'Keep');
    await axe.scan(d, 'dashboard, Delete asks (1280)');
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await longArticle.waitFor({ state: 'detached' });
    await expectFocus(d, 'the next post', (f) => f.tag === 'ARTICLE' && f.postId === firstId);
    expect((await fetch(`${t.url}/posts/${ids[1][1]}`)).status).toBe(404);

    // A VOD post that arrives by polling goes where its date puts it, not on top.
    const profile = await t.prisma.creatorProfile.findUniqueOrThrow({ where: { handle } });
    const first = await t.prisma.post.findUniqueOrThrow({ where: { id: firstId } });
    const vod = await t.prisma.post.create({
      data: {
        authorId: profile.userId,
        kind: 'VOD',
        title: 'Older broadcast',
        createdAt: new Date(first.createdAt.getTime() + 1),
      },
    });
    await d.locator(`.own-posts article[data-post-id="${vod.id}"]`).waitFor({ timeout: 20_000 });
    const order = await d
      .locator('.own-posts article')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')));
    expect(order).toEqual([ids[0][1], vod.id, firstId]);

    // Navigation moves focus to the new page's heading.
    await d.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await expectFocus(d, 'the home heading', (f) => f.tag === 'H1' && f.text.startsWith('Go live'));
    await d.getByRole('link', { name: name, exact: true }).click();
    await expectFocus(d, 'the creator’s heading', (f) => f.tag === 'H1' && f.text.startsWith(name));
    await axe.scan(d, 'creator page (1280)');

    // The same pages on a phone: axe, 44 px targets, and a header that fits down to 320 px.
    const m = await s.newPage('phone', { bypassCSP: true, camera: false, viewport: PHONE, touch: true });
    await m.goto('/');
    await m.getByRole('heading', { level: 1 }).waitFor();
    await axe.scan(m, 'home, signed out (390)');
    expect(await smallTargets(m)).toEqual([]);
    await m.setViewportSize({ width: 320, height: 700 });
    expect(await headerClashes(m)).toEqual([]);
    await m.setViewportSize(PHONE);
    await m.goto('/sign-in');
    await m.getByLabel('Name').fill(name);
    await axe.scan(m, 'sign-in (390)');
    await m.getByRole('button', { name: 'Sign in' }).click();
    await m.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await m.getByRole('article').first().waitFor();
    await axe.scan(m, 'dashboard (390)');
    expect(await smallTargets(m)).toEqual([]);
    await docShot(m, 'dashboard-phone');
    await m.setViewportSize({ width: 320, height: 700 });
    expect(await headerClashes(m)).toEqual([]);
    await m.setViewportSize(PHONE);
    await m.goto(`/c/${handle}`);
    await m.getByRole('heading', { name: name }).waitFor();
    await m.getByRole('article').first().waitFor();
    await axe.scan(m, 'creator page (390)');
    expect(await smallTargets(m)).toEqual([]);

    // Every state above was scanned, at both sizes.
    expect(axe.scanned.filter((x) => x.endsWith('(1280)'))).toHaveLength(7);
    expect(axe.scanned.filter((x) => x.endsWith('(390)'))).toHaveLength(4);
    axe.expectClean();
  });

  it('a broadcast: Escape shrinks it into a bar, unload warns, other tabs know, viewers are told', async () => {
    const axe = new AxeLog();
    const name = 'Bar Streamer';
    const handle = uniqueName('bar').toLowerCase();
    const c = await s.newPage('creator', { bypassCSP: true });
    const sockets = recordIngestSockets(c);
    await signUpCreator(c, { name, handle });

    // The dialog before Start.
    await c.getByRole('button', { name: 'Go Live' }).click();
    const dialog = c.getByRole('dialog', { name: 'Go Live' });
    await dialog.waitFor();
    await eventually(
      'the preview',
      async () => (await videoState(dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await axe.scan(c, 'Go Live dialog, preview (1280)');

    // Start → focus on Stop, the main action while live; the title says so.
    await dialog.getByRole('button', { name: 'Start Streaming' }).click();
    await expectFocus(c, 'Stop Streaming', (f) => f.text === 'Stop Streaming');
    await dialog.getByRole('status').getByText('LIVE', { exact: true }).waitFor({ timeout: 20_000 });
    await dialog.getByRole('heading', { name: "Go Live You're live" }).waitFor();
    await expect(dialog.getByRole('definition').filter({ hasText: 'Good' }).count()).resolves.toBe(1);
    await axe.scan(c, 'Go Live dialog, live (1280)');
    await docShot(c, 'go-live-dialog-live');
    const sock = sockets[0];

    // Escape does not end the broadcast: the dialog shrinks into the "You're live" bar.
    await c.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const bar = c.getByRole('region', { name: 'Your broadcast' });
    await bar.getByText("You're live").waitFor();
    await expectFocus(c, 'Back to stream', (f) => f.text === 'Back to stream');
    const frames = sock.binaryFrames;
    await eventually('media to keep flowing', () => sock.binaryFrames >= frames + 4, 5000);
    expect(sock.closed).toBe(false);
    await axe.scan(c, 'dashboard with the live bar (1280)');
    await docShot(c, 'live-bar');

    // Leaving the page asks first (the browser's own "Leave site?"); staying keeps the broadcast.
    const unload = new Promise<string>((resolve) =>
      c.once('dialog', (dlg) => {
        resolve(dlg.type());
        void dlg.dismiss();
      }),
    );
    await c.evaluate(() => setTimeout(() => location.reload(), 0));
    expect(await unload).toBe('beforeunload');
    await c.waitForTimeout(300);
    expect(sock.closed).toBe(false);
    await bar.getByText("You're live").waitFor();

    // Signing out while live asks first too; "Cancel" keeps the broadcast.
    const ask = new Promise<string>((resolve) =>
      c.once('dialog', (dlg) => {
        resolve(`${dlg.type()}: ${dlg.message()}`);
        void dlg.dismiss();
      }),
    );
    await c.getByRole('button', { name: 'Sign out' }).click();
    expect(await ask).toBe('confirm: You are live. Signing out ends your stream. Sign out anyway?');
    await bar.getByText("You're live").waitFor();
    expect(sock.closed).toBe(false);

    // The same creator in another tab (a phone): told before Start.
    const c2 = await s.newPage('second-tab', { bypassCSP: true, viewport: PHONE, touch: true });
    await c2.goto('/sign-in');
    await c2.getByLabel('Name').fill(name);
    await c2.getByRole('button', { name: 'Sign in' }).click();
    await c2.getByRole('button', { name: 'Go Live' }).click();
    const dialog2 = c2.getByRole('dialog', { name: 'Go Live' });
    await dialog2.getByRole('status').filter({ hasText: "You're live in another tab" }).waitFor();
    await eventually(
      'the preview',
      async () => (await videoState(dialog2.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await axe.scan(c2, 'Go Live dialog, live in another tab (390)');
    expect(await smallTargets(c2)).toEqual([]);
    await dialog2.getByRole('button', { name: 'Close' }).click();
    await dialog2.waitFor({ state: 'detached' });
    await expectFocus(c2, 'Go Live again', (f) => f.text === 'Go Live');

    // A viewer on a phone: the live player starts muted, and says how to unmute.
    const v = await s.newPage('viewer', { bypassCSP: true, camera: false, viewport: PHONE, touch: true });
    await v.goto(`/c/${handle}`);
    const unmute = v.getByRole('button', { name: 'Tap to unmute' });
    await unmute.waitFor({ timeout: 20_000 });
    const liveVideo = v.locator('.live-section video');
    expect(await liveVideo.evaluate((el: HTMLVideoElement) => el.muted)).toBe(true);
    await axe.scan(v, 'creator page, live (390)');
    expect(await smallTargets(v)).toEqual([]);
    await docShot(v, 'creator-page-live-phone');
    await unmute.click();
    await unmute.waitFor({ state: 'detached' });
    expect(await liveVideo.evaluate((el: HTMLVideoElement) => el.muted)).toBe(false);

    // The creator keeps using the app while live: navigation keeps the broadcast and the bar.
    await c.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await c
      .getByRole('link', { name: new RegExp(name) })
      .first()
      .click();
    await c.getByRole('heading', { name: 'Live now' }).waitFor();
    await bar.getByText("You're live").waitFor();
    expect(sock.closed).toBe(false);
    await axe.scan(c, 'creator page, live, with the bar (1280)');
    await docShot(c, 'creator-page-live');

    // Stop from the bar: the session ends; both viewers are told, then offered the replay.
    await bar.getByRole('button', { name: 'Stop Streaming' }).click();
    await eventually('the socket to close', () => sock.closed, 15_000);
    await bar.waitFor({ state: 'detached', timeout: 15_000 });
    const ended = v.getByRole('status').filter({ hasText: 'The stream has ended' });
    await ended.waitFor({ timeout: 20_000 });
    await axe.scan(v, 'creator page, stream ended (390)');
    const replay = ended.getByRole('link', { name: 'watch the replay' });
    await replay.waitFor({ timeout: 45_000 });
    expect(await ended.textContent()).toBe('The stream has ended — watch the replay');
    await replay.click();
    await expectFocus(v, 'the replay’s post', (f) => f.tag === 'ARTICLE');
    const own = c.getByRole('status').filter({ hasText: 'The stream has ended — watch the replay' });
    await own.waitFor({ timeout: 20_000 });
    await axe.scan(c, 'creator page, replay offered (1280)');
    await docShot(c, 'creator-page-vod-post');

    // The live dialog and the bar on the phone.
    await c2.getByRole('button', { name: 'Go Live' }).click();
    await dialog2.waitFor();
    await eventually(
      'the preview',
      async () => (await videoState(dialog2.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await dialog2.getByRole('button', { name: 'Start Streaming' }).click();
    await dialog2.getByRole('status').getByText('LIVE', { exact: true }).waitFor({ timeout: 20_000 });
    await axe.scan(c2, 'Go Live dialog, live (390)');
    expect(await smallTargets(c2)).toEqual([]);
    await docShot(c2, 'go-live-dialog-live-phone');
    await dialog2.getByRole('button', { name: 'Hide (keep streaming)' }).click();
    const bar2 = c2.getByRole('region', { name: 'Your broadcast' });
    await bar2.getByText("You're live").waitFor();
    await axe.scan(c2, 'dashboard with the live bar (390)');
    expect(await smallTargets(c2)).toEqual([]);
    await docShot(c2, 'live-bar-phone');
    await bar2.getByRole('button', { name: 'Back to stream' }).click();
    await dialog2.getByRole('button', { name: 'Stop Streaming' }).click();
    await dialog2.getByText('Stream stopped').waitFor({ timeout: 15_000 });
    await expectFocus(c2, 'Start Streaming after Stop', (f) => f.text === 'Start Streaming');
    await axe.scan(c2, 'Go Live dialog, stopped (390)');

    // Camera denied, at both sizes: "Permission needed" inside the preview, no empty pickers.
    for (const [label, viewport] of [
      ['1280', undefined],
      ['390', PHONE],
    ] as const) {
      const p = await s.newPage(`denied-${label}`, {
        bypassCSP: true,
        camera: false,
        viewport,
        touch: !!viewport,
      });
      await p.goto('/sign-in');
      await p.getByLabel('Name').fill(name);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('button', { name: 'Go Live' }).click();
      const dlg = p.getByRole('dialog', { name: 'Go Live' });
      await dlg.locator('.preview').getByRole('heading', { name: 'Permission needed' }).waitFor();
      await expect(dlg.getByLabel('Camera', { exact: true }).count()).resolves.toBe(0);
      await axe.scan(p, `Go Live dialog, camera denied (${label})`);
      if (viewport) expect(await smallTargets(p)).toEqual([]);
      await docShot(p, label === '390' ? 'camera-denied-phone' : 'camera-denied');
    }

    // Every state above was scanned, at both sizes.
    expect(axe.scanned.filter((x) => x.endsWith('(1280)'))).toHaveLength(6);
    expect(axe.scanned.filter((x) => x.endsWith('(390)'))).toHaveLength(7);
    axe.expectClean();
    // Two broadcasts, five contexts and a VOD to wait for: room for a loaded machine.
  }, 300_000);
});
