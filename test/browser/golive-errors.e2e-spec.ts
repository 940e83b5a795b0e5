/**
 * When going live cannot work, the Go Live dialog says why, in a real browser against the real app:
 * the camera is denied; the server refuses a second publisher on the same key (4009); the server
 * refuses a key whose stream has ended (4004), and Go Live again gives a key that works.
 */
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { useBrowserApp } from '../support/browser-app';
import { eventually } from '../support/eventually';
import { BrowserSession, metric, recordIngestSockets, signUpCreator, videoState } from '../support/browser';
import { uniqueName } from '../support/factories';
import { LiveStateService } from '../../src/streams/live-state.service';

interface CreatedStream {
  id: string;
  streamKey: string;
  ingestPath: string;
}

/** Clicks "Go Live" and returns the dialog and the stream POST /stream/create answered with. */
async function openGoLive(page: Page) {
  const created = page.waitForResponse((r) => r.url().endsWith('/stream/create'));
  await page.getByRole('button', { name: 'Go Live' }).click();
  const res = await created;
  expect(res.status()).toBe(201);
  const dialog = page.getByRole('dialog', { name: 'Go Live' });
  await dialog.waitFor();
  return { dialog, stream: (await res.json()) as CreatedStream };
}

const parse = (frames: string[]) => frames.map((f) => JSON.parse(f) as { type: string });

describe('Go Live in the browser: what the creator is told when it cannot work', () => {
  let t: TestApp;
  let s: BrowserSession;

  useBrowserApp('errors', { closeContexts: true }, (app, session) => {
    t = app;
    s = session;
  });

  it('camera or microphone denied: the dialog says so, and nothing can be started', async () => {
    // This context has no camera/microphone permission: getUserMedia rejects with NotAllowedError.
    const page = await s.newPage('denied', { camera: false });
    const sockets = recordIngestSockets(page);
    await signUpCreator(page, { name: 'Denied Creator', handle: uniqueName('deny').toLowerCase() });
    const { dialog } = await openGoLive(page);

    const alert = dialog.getByRole('alert').filter({ hasText: 'Camera or microphone access was denied' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'Camera or microphone access was denied. Allow both for this site in your browser settings, then press Try again.',
    );
    expect((await videoState(dialog.getByLabel('Camera preview'))).videoWidth).toBe(0);
    // Said inside the preview, with what to do; no empty device pickers over a black box.
    const preview = dialog.locator('.preview');
    await expect(preview.getByRole('heading', { name: 'Permission needed' }).isVisible()).resolves.toBe(true);
    await expect(preview.getByRole('alert').isVisible()).resolves.toBe(true);
    await expect(preview.getByText('Set Camera and Microphone to Allow').isVisible()).resolves.toBe(true);
    await expect(dialog.getByLabel('Camera', { exact: true }).count()).resolves.toBe(0);
    await expect(dialog.getByText('None found').count()).resolves.toBe(0);
    await expect(dialog.getByRole('button', { name: 'Start Streaming' }).isDisabled()).resolves.toBe(true);
    await expect(dialog.getByRole('button', { name: 'Stop Streaming' }).isDisabled()).resolves.toBe(true);
    await s.screenshot(page, 'camera-denied');

    // "Try again" asks again, and is denied again: the same message, still no stream started.
    await dialog.getByRole('button', { name: 'Try again' }).click();
    await alert.waitFor();
    await expect(dialog.getByRole('button', { name: 'Start Streaming' }).isDisabled()).resolves.toBe(true);
    expect(sockets).toHaveLength(0);
  });

  it('a second tab streaming to the same key is refused with 4009 and told why; the first keeps streaming', async () => {
    const name = 'Two Tabs';
    const handle = uniqueName('twotabs').toLowerCase();
    const first = await s.newPage('first-tab');
    const firstSockets = recordIngestSockets(first);
    await signUpCreator(first, { name, handle });
    const a = await openGoLive(first);
    await eventually(
      'the first preview',
      async () => (await videoState(a.dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await a.dialog.getByRole('button', { name: 'Start Streaming' }).click();
    const firstSock = await eventually('the first tab’s socket', () => firstSockets[0]);
    await eventually('the first tab’s ready', () =>
      parse(firstSock.received).some((m) => m.type === 'ready'),
    );
    await eventually(
      'one pipeline',
      async () => (await metric(t.url, 'vybzz_ingest_active_pipelines')) === 1,
    );

    // The same creator on another device: local sign-in with the same name is the same account.
    const second = await s.newPage('second-tab');
    const secondSockets = recordIngestSockets(second);
    await second.goto('/sign-in');
    await second.getByLabel('Name').fill(name);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.waitForURL('**/dashboard');
    const b = await openGoLive(second);
    expect(b.stream.streamKey).toBe(a.stream.streamKey); // one reusable stream per creator
    await eventually(
      'the second preview',
      async () => (await videoState(b.dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );
    // The server knows the stream is being published: the second tab says so before Start.
    await b.dialog.getByRole('status').filter({ hasText: "You're live in another tab" }).waitFor();
    await b.dialog.getByRole('button', { name: 'Start Streaming' }).click();

    const refusal = b.dialog.getByRole('alert').filter({
      hasText: 'Another tab or device is already streaming to this key. Stop streaming there first.',
    });
    await refusal.waitFor();
    const secondSock = await eventually('the second tab’s socket', () => secondSockets[0]);
    await eventually('the second tab’s socket to close', () => secondSock.closed, 5000);
    expect(parse(secondSock.received).some((m) => m.type === 'ready')).toBe(false);
    expect(secondSock.binaryFrames).toBe(0);
    // Said once, in our words; the code and the server's reason are under "Details".
    expect(await refusal.textContent()).not.toContain('Server said');
    await b.dialog.getByText('Details', { exact: true }).click();
    await expect(b.dialog.getByText('closed (4009)').isVisible()).resolves.toBe(true);
    await expect(b.dialog.getByText('Not streaming', { exact: true }).isVisible()).resolves.toBe(true);
    // A refusal is final: the second tab does not keep retrying.
    await expect(b.dialog.getByRole('button', { name: 'Start Streaming' }).isEnabled()).resolves.toBe(true);
    await s.screenshot(second, 'second-publisher-4009');

    // The first tab is unharmed: still connected, still sending, still the only pipeline.
    const framesBefore = firstSock.binaryFrames;
    await eventually('the first tab to keep sending', () => firstSock.binaryFrames >= framesBefore + 4, 5000);
    expect(firstSock.closed).toBe(false);
    expect(secondSockets).toHaveLength(1);
    await expect(a.dialog.getByRole('alert').count()).resolves.toBe(0);
    expect(await metric(t.url, 'vybzz_ingest_active_pipelines')).toBe(1);

    await a.dialog.getByRole('button', { name: 'Stop Streaming' }).click();
    await a.dialog.getByText('Stream stopped').waitFor();
    await eventually('no pipeline', async () => (await metric(t.url, 'vybzz_ingest_active_pipelines')) === 0);
  });

  it('a key whose stream has ended is refused with 4004 and told why; Go Live again works', async () => {
    const page = await s.newPage('ended-key');
    const sockets = recordIngestSockets(page);
    await signUpCreator(page, { name: 'Ended Key', handle: uniqueName('ended').toLowerCase() });
    const first = await openGoLive(page);
    await eventually(
      'the preview',
      async () => (await videoState(first.dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );

    // While the dialog is open the stream ends at the provider (what Mux's video.live_stream.disabled
    // does), through the same service the webhooks and the local provider use.
    const row = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: first.stream.id } });
    expect(await t.app.get(LiveStateService).applyChange(row.providerStreamId, 'ended', new Date())).toBe(
      'applied',
    );

    await first.dialog.getByRole('button', { name: 'Start Streaming' }).click();
    const refusal = first.dialog.getByRole('alert').filter({
      hasText: 'The server does not know this stream key. Close this dialog and press Go Live again.',
    });
    await refusal.waitFor();
    await eventually('the refused socket to close', () => sockets[0]?.closed === true, 5000);
    await first.dialog.getByText('Details', { exact: true }).click();
    await expect(first.dialog.getByText('closed (4004)').isVisible()).resolves.toBe(true);
    await s.screenshot(page, 'ended-key-4004');

    // As the message says: close the dialog, press Go Live again → a new stream and key that work.
    await first.dialog.getByRole('button', { name: 'Close' }).click();
    await first.dialog.waitFor({ state: 'detached' });
    const again = await openGoLive(page);
    expect(again.stream.streamKey).not.toBe(first.stream.streamKey);
    await eventually(
      'the preview',
      async () => (await videoState(again.dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await again.dialog.getByRole('button', { name: 'Start Streaming' }).click();
    const sock = await eventually('a second socket', () => sockets[1]);
    expect(sock.ws.url()).toBe(`${t.wsUrl}${again.stream.ingestPath}`);
    await eventually('ready', () => parse(sock.received).some((m) => m.type === 'ready'));
    await eventually('media frames', () => sock.binaryFrames >= 4);
    await expect(again.dialog.getByRole('alert').count()).resolves.toBe(0);
    await again.dialog.getByRole('button', { name: 'Stop Streaming' }).click();
    await again.dialog.getByText('Stream stopped').waitFor();
    await eventually('no pipeline', async () => (await metric(t.url, 'vybzz_ingest_active_pipelines')) === 0);
  });
});
