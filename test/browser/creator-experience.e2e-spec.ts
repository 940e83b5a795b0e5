/**
 * The creator's experience (issue 15), walked in a real Chromium against the real app at 1280×800 and
 * on a 390×844 touch screen, with axe-core on every page and dialog state: field errors at their
 * fields, focus after each action, long posts clamped, Delete that asks, a VOD post placed by date,
 * phone tap targets and a 320 px header; then a broadcast that Escape cannot end silently (the
 * "You're live" bar), the unload warning, the other-tab notice, "Tap to unmute", the viewer's
 * "The stream has ended — watch the replay", and the camera-denied preview.
 */
import type { TestApp } from '../support/app';
import { useBrowserApp } from '../support/browser-app';
import { AxeLog, docShot } from '../support/axe';
import { BrowserSession, PHONE } from '../support/browser';
import { uniqueName } from '../support/factories';
import { defined } from '../support/indexing';
import { expectFocus, smallTargets, headerClashes, expectFieldError } from '../support/page-checks';

describe('The creator’s experience in the browser (issue 15): forms, focus, lists', () => {
  let t: TestApp;
  let s: BrowserSession;

  useBrowserApp('ux', { closeContexts: true }, (app, session) => {
    t = app;
    s = session;
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
    const postId = (i: number) => defined(ids[i]?.[1] ?? undefined, `the id of post ${i}`);
    const firstId = postId(2);
    await longArticle.getByRole('button', { name: 'Delete' }).click();
    const confirm = longArticle.getByRole('group', { name: 'Delete “Long post”?' });
    await confirm.waitFor();
    await expectFocus(d, 'Keep (the safe choice)', (f) => f.text === 'Keep');
    await axe.scan(d, 'dashboard, Delete asks (1280)');
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await longArticle.waitFor({ state: 'detached' });
    await expectFocus(d, 'the next post', (f) => f.tag === 'ARTICLE' && f.postId === firstId);
    expect((await fetch(`${t.url}/posts/${postId(1)}`)).status).toBe(404);

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
    expect(order).toEqual([postId(0), vod.id, firstId]);

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
});
