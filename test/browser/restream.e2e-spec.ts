/**
 * Issue 12 in the browser (local mode, no broadcast): the dashboard's "Restream" section (add with
 * field errors, listed with its key hint and never the key, disable, delete), "Allow downloads" on the
 * profile, and a VOD post's poster and "Download" link for the author and, once allowed, for anyone.
 */
import type { TestApp } from '../support/app';
import { useBrowserApp } from '../support/browser-app';
import { BrowserSession, signUpCreator } from '../support/browser';
import { eventually } from '../support/eventually';
import { uniqueName } from '../support/factories';

describe('restream and downloads in the SPA', () => {
  let t: TestApp;
  let s: BrowserSession;
  useBrowserApp('restream', {}, (app, session) => {
    t = app;
    s = session;
  });

  it('targets: add, listed with the key hint only, disable, delete; allow downloads; Download link', async () => {
    const page = await s.newPage('creator');
    const handle = uniqueName('rs').toLowerCase();
    await signUpCreator(page, { name: 'Restreamer', handle });
    const section = page.getByRole('region', { name: 'Restream' });
    await section.waitFor();
    await section.getByText('No restream targets yet.').waitFor();

    // field errors first, at their fields
    await section.getByRole('button', { name: 'Add target' }).click();
    await expect(section.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await section.getByLabel('RTMP URL').fill('https://youtube.com/live');
    await section.getByRole('button', { name: 'Add target' }).click();
    await section.getByText('Use an rtmp:// or rtmps:// address', { exact: false }).waitFor();

    const key = 'yt-secret-stream-key-9Qz1';
    await section.getByLabel('Name', { exact: true }).fill('YouTube');
    await section.getByLabel('RTMP URL').fill('rtmp://a.rtmp.youtube.com/live2');
    await section.getByLabel('Stream key').fill(key);
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/users/me/restream-targets') && r.request().method() === 'POST',
    );
    await section.getByRole('button', { name: 'Add target' }).click();
    expect((await created).status()).toBe(201);
    const item = section.getByRole('listitem').filter({ hasText: 'YouTube' });
    await item.getByText('••••9Qz1').waitFor();
    expect(await section.getByLabel('Stream key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(key);
    await s.screenshot(page, 'target-added');

    // disable, then delete
    const enabled = item.getByRole('checkbox', { name: 'Enabled: YouTube' });
    expect(await enabled.isChecked()).toBe(true);
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await enabled.click();
    expect((await patched).status()).toBe(200);
    await eventually('the checkbox unchecked', async () => !(await enabled.isChecked()), 5000);
    const row = await t.prisma.restreamTarget.findFirstOrThrow({
      where: { name: 'YouTube', keyHint: '9Qz1' },
    });
    expect(row.enabled).toBe(false);
    await item.getByRole('button', { name: 'Delete YouTube' }).click();
    await section.getByText('No restream targets yet.').waitFor();
    expect(await t.prisma.restreamTarget.count({ where: { id: row.id } })).toBe(0);

    // a VOD post with a poster and a download (as a Mux recording would have)
    const user = await t.prisma.creatorProfile.findUniqueOrThrow({ where: { handle } });
    const post = await t.prisma.post.create({
      data: {
        authorId: user.userId,
        kind: 'VOD',
        title: 'Keep this one',
        assetId: `asset-${handle}`,
        playbackId: `pb${handle}`,
        playbackUrl: `/media/none-${handle}/index.m3u8`,
        durationSec: 30,
        posterUrl: `/media/none-${handle}/poster.jpg`,
        downloadUrl: `https://stream.mux.com/pb${handle}/highest.mp4`,
      },
    });
    await page.goto(`/c/${handle}`);
    const card = page.locator(`article[data-post-id="${post.id}"]`);
    const link = card.getByRole('link', { name: 'Download Keep this one' });
    expect(await link.getAttribute('href')).toBe(`https://stream.mux.com/pb${handle}/highest.mp4`);
    expect(await card.locator('video').getAttribute('poster')).toBe(`/media/none-${handle}/poster.jpg`);

    // a visitor sees no Download link until the creator allows downloads
    const visitor = await s.newPage('visitor');
    await visitor.goto(`/c/${handle}`);
    const seen = visitor.locator(`article[data-post-id="${post.id}"]`);
    await seen.waitFor();
    expect(await seen.getByRole('link', { name: /Download/ }).count()).toBe(0);

    await page.goto('/dashboard');
    const allow = page.getByRole('checkbox', { name: 'Allow downloads' });
    expect(await allow.isChecked()).toBe(false);
    await allow.check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.userId } })).allowDownloads).toBe(true);
    await page.reload();
    expect(await page.getByRole('checkbox', { name: 'Allow downloads' }).isChecked()).toBe(true);

    await visitor.reload();
    await seen.getByRole('link', { name: 'Download Keep this one' }).waitFor();
    await s.screenshot(visitor, 'download-link');
    s.expectNoPageErrors();
  });
});
