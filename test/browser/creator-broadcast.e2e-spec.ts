/**
 * The creator's experience (issue 15), part 2, in a real Chromium against the real app: a broadcast that
 * Escape cannot end silently (the "You're live" bar), the unload warning, the other-tab notice, "Tap to
 * unmute", the viewer's "The stream has ended — watch the replay", and the camera-denied preview.
 */
import { useBrowserApp } from '../support/browser-app';
import { AxeLog, docShot } from '../support/axe';
import { eventually } from '../support/eventually';
import { BrowserSession, PHONE, recordIngestSockets, signUpCreator, videoState } from '../support/browser';
import { uniqueName } from '../support/factories';
import { defined } from '../support/indexing';
import { expectFocus, smallTargets } from '../support/page-checks';

describe('The creator’s experience in the browser (issue 15): a broadcast', () => {
  let s: BrowserSession;

  useBrowserApp('ux', { closeContexts: true }, (_app, session) => {
    s = session;
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
    const sock = defined(sockets[0], 'the ingest socket');

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
