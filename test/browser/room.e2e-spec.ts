/**
 * The live room in real Chromium (issue 11, Must show 1), local mode: a creator goes live from the Go
 * Live dialog; an anonymous viewer and a signed-in viewer watch in their own browser contexts. The
 * count reaches 2, the signed-in viewer's message reaches the creator and the anonymous viewer within
 * 1 s (measured), the creator deletes it (gone everywhere) and bans the viewer (their next message is
 * refused with a visible notice); after Stop Streaming the VOD post's chat replay follows its player.
 */
import type { Locator, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { useBrowserApp } from '../support/browser-app';
import { eventually } from '../support/eventually';
import { BrowserSession, signUpCreator, videoState } from '../support/browser';
import { uniqueName } from '../support/factories';

interface CreatedStream {
  id: string;
}
interface ReplayItem {
  id: string;
  text: string;
  offsetMs: number;
}

/** Records the text frames the page's room socket (/room/…) receives. */
function recordRoomFrames(page: Page): Array<{ type: string; reason?: string }> {
  const frames: Array<{ type: string; reason?: string }> = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/room/')) return;
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string') frames.push(JSON.parse(f.payload) as { type: string });
    });
  });
  return frames;
}

/** In the page: the wall-clock time a chat line holding `text` first appears (polled every animation frame). */
function watchFor(page: Page, text: string): Promise<number> {
  return page.evaluate(
    (t) =>
      new Promise<number>((resolve) => {
        const seen = () =>
          [...document.querySelectorAll('.chat-line .chat-text')].some((e) => e.textContent === t);
        const check = () => (seen() ? resolve(Date.now()) : requestAnimationFrame(check));
        new MutationObserver(() => seen() && resolve(Date.now())).observe(document.body, {
          childList: true,
          subtree: true,
        });
        check();
      }),
    text,
  );
}

const line = (list: Locator, text: string) => list.locator('li', { hasText: text });

describe('The live room in the browser (local provider)', () => {
  let t: TestApp;
  let s: BrowserSession;

  useBrowserApp('room', {}, (app, session) => {
    t = app;
    s = session;
  });

  it('counts viewers, delivers chat within 1 s, deletes, bans, and replays the chat beside the VOD', async () => {
    const handle = uniqueName('room').toLowerCase();
    const creator = await s.newPage('creator');
    await signUpCreator(creator, { name: 'Room Creator', handle });
    await creator.goto('/dashboard');
    const created = creator.waitForResponse((r) => r.url().endsWith('/stream/create'));
    await creator.getByRole('button', { name: 'Go Live' }).click();
    const stream = (await (await created).json()) as CreatedStream;
    const dialog = creator.getByRole('dialog', { name: 'Go Live' });
    await eventually(
      'the camera preview',
      async () => (await videoState(dialog.getByLabel('Camera preview'))).videoWidth > 0,
    );
    await dialog.getByRole('button', { name: 'Start Streaming' }).click();
    await dialog.getByRole('status').getByText('LIVE', { exact: true }).waitFor({ timeout: 30_000 });
    const creatorChat = dialog.getByRole('list', { name: 'Chat' });
    await creatorChat.waitFor();

    // Two viewers in their own contexts: one anonymous, one signed in (on a phone-sized screen).
    const anon = await s.newPage('anonymous', { camera: false });
    const fan = await s.newPage('fan', { camera: false, viewport: { width: 390, height: 844 } });
    const fanFrames = recordRoomFrames(fan);
    await fan.goto('/sign-in');
    await fan.getByLabel('Name').fill('Chatty Fan');
    await fan.getByRole('button', { name: 'Sign in' }).click();
    await fan.waitForURL('**/dashboard');
    for (const p of [anon, fan]) await p.goto(`/c/${handle}`);

    // The count reaches 2: in the Go Live dialog and next to each viewer's LIVE badge.
    await dialog.getByText('2 watching').waitFor({ timeout: 10_000 });
    for (const p of [anon, fan])
      await p.getByRole('heading', { name: 'Room Creator' }).getByText('2 watching').waitFor();
    await anon.getByRole('link', { name: 'Sign in to chat' }).waitFor();
    await expect(anon.getByLabel('Message').count()).resolves.toBe(0);
    const anonChat = anon.getByRole('list', { name: 'Chat' });
    const fanChat = fan.getByRole('list', { name: 'Chat' });

    // The signed-in viewer's message reaches the creator and the anonymous viewer within 1 s.
    const first = 'hello from the fan';
    const seenBy = Promise.all([watchFor(creator, first), watchFor(anon, first)]);
    await fan.getByLabel('Message').fill(first);
    // Timed from the click in the fan's page (the same clock as the others'), not from when the test
    // asked Playwright for it: under load its actionability checks alone took hundreds of ms.
    const clickedAt = fan.evaluate(
      () =>
        new Promise<number>((resolve) =>
          document.addEventListener(
            'click',
            (e) => (e.target as Element).closest('button')?.textContent === 'Send' && resolve(Date.now()),
            { capture: true },
          ),
        ),
    );
    await fan.getByRole('button', { name: 'Send' }).click();
    const sentAt = await clickedAt;
    const [creatorAt, anonAt] = await seenBy;
    const delivery = { creator: creatorAt - sentAt, anonymous: anonAt - sentAt };
    console.log(`chat delivery in the browser (click → shown): ${JSON.stringify(delivery)} ms`);
    expect(delivery.creator).toBeLessThan(1000);
    expect(delivery.anonymous).toBeLessThan(1000);
    await line(fanChat, first).waitFor();
    await s.screenshot(creator, 'creator-chat');

    // The creator's own message has no Delete / Ban; the viewer's has both.
    await dialog.getByLabel('Message').fill('welcome, everyone');
    await dialog.getByRole('button', { name: 'Send' }).click();
    const own = line(creatorChat, 'welcome, everyone');
    await own.waitFor();
    await expect(own.getByRole('button').count()).resolves.toBe(0);
    const fanLine = line(creatorChat, first);
    await expect(fanLine.getByRole('button', { name: 'Ban' }).isVisible()).resolves.toBe(true);

    // Delete: gone for everyone.
    await fanLine.getByRole('button', { name: 'Delete' }).click();
    for (const list of [creatorChat, anonChat, fanChat])
      await line(list, first).waitFor({ state: 'detached', timeout: 5000 });

    // A second message, kept (it is the one the replay shows), then Ban (for good).
    const second = 'still here';
    await fan.getByLabel('Message').fill(second);
    await fan.getByRole('button', { name: 'Send' }).click();
    await line(creatorChat, second).waitFor();
    await line(creatorChat, second).getByRole('button', { name: 'Ban' }).click();
    await fan.getByRole('alert').filter({ hasText: 'banned' }).waitFor({ timeout: 5000 });

    // The banned viewer's next message is refused by the server, with a visible notice.
    const refusedBefore = fanFrames.filter((f) => f.type === 'refused').length;
    await fan.getByLabel('Message').fill('let me back in');
    await fan.getByRole('button', { name: 'Send' }).click();
    await eventually('the refusal', () =>
      fanFrames.slice(refusedBefore).some((f) => f.type === 'refused' && f.reason === 'banned'),
    );
    await expect(fan.getByRole('alert').filter({ hasText: 'You are banned' }).isVisible()).resolves.toBe(
      true,
    );
    await s.screenshot(fan, 'fan-banned');
    await creator.waitForTimeout(500);
    await expect(line(creatorChat, 'let me back in').count()).resolves.toBe(0);

    // A last message a few seconds later, so the replay has two distinct times.
    await creator.waitForTimeout(3000);
    await dialog.getByLabel('Message').fill('thanks for watching');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await line(creatorChat, 'thanks for watching').waitFor();
    await creator.waitForTimeout(3000);

    // Stop Streaming → the VOD post; its chat replay has the kept messages at their times.
    await dialog.getByRole('button', { name: 'Stop Streaming' }).click();
    await dialog.getByText('Stream stopped').waitFor({ timeout: 15_000 });
    const replay = (
      (await (await fetch(`${t.url}/streams/${stream.id}/chat`)).json()) as { items: ReplayItem[] }
    ).items;
    expect(replay.map((m) => m.text)).toEqual(['welcome, everyone', second, 'thanks for watching']);
    const [welcome, kept, last] = replay as [ReplayItem, ReplayItem, ReplayItem];
    expect(last.offsetMs - kept.offsetMs).toBeGreaterThan(2500);

    const vod = anon.getByRole('article').filter({ has: anon.locator('video') });
    await vod.waitFor({ timeout: 40_000 });
    const panel = vod.getByRole('list', { name: 'Chat replay' });
    await panel.waitFor();
    const video = vod.locator('video');
    await eventually('the VOD metadata', async () => (await videoState(video)).duration > 0, 20_000);
    const duration = (await videoState(video)).duration;
    expect(duration * 1000).toBeGreaterThan(last.offsetMs);
    const seek = (sec: number) =>
      video.evaluate((v: HTMLVideoElement, to) => {
        v.currentTime = to;
      }, sec);
    const shown = async () => (await panel.locator('li .chat-text').allTextContents()).join('|');

    // At 0 nothing has been said yet; before the last message, the earlier ones; then all (at their times).
    await seek(0);
    await eventually('no message at 0', async () => (await shown()) === '');
    await seek((kept.offsetMs + last.offsetMs) / 2000);
    const before = `welcome, everyone|${second}`;
    await eventually('the earlier messages only', async () => (await shown()) === before);
    await seek(last.offsetMs / 1000 + 0.5);
    await eventually('both messages', async () => (await shown()) === `${before}|thanks for watching`);
    const times = await panel.locator('li time').allTextContents();
    const fmt = (ms: number) =>
      `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
    expect(times).toEqual([welcome, kept, last].map((m) => fmt(m.offsetMs)));
    await expect(panel.getByText(first).count()).resolves.toBe(0); // deleted: never replayed

    // Seeking back hides the later one; playing on brings it back as the player passes its time.
    await seek(Math.max(0, last.offsetMs / 1000 - 1.5));
    await eventually('the later message hidden again', async () => (await shown()) === before);
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      void v.play();
    });
    await eventually(
      'the later message as the video plays',
      async () => (await shown()).includes('thanks'),
      15_000,
    );
    const playedTo = (await videoState(video)).currentTime;
    expect(playedTo * 1000).toBeGreaterThanOrEqual(last.offsetMs - 100);
    expect(playedTo * 1000).toBeLessThan(last.offsetMs + 1500);
    await vod.scrollIntoViewIfNeeded();
    await s.screenshot(anon, 'vod-chat-replay');
  });
});
