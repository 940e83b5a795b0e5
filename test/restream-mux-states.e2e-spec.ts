/**
 * Mux mode of issue 12, build point 2: each simulcast target's state, reported by Mux's signed
 * `video.live_stream.simulcast_target.*` webhooks, reaches the creator's ingest socket as
 * `status.pipeline.restream` (what the Go Live dialog shows), in event order, per target,
 * and again to a publisher that comes back on a new socket.
 */
import request from 'supertest';
import type { TestApp } from './support/app';
import { addRestreamTarget, makeCreator } from './support/factories';
import { Publisher, restreamOf } from './support/ingest-client';
import { withMuxApp } from './support/mux-app';
import { MuxStandin } from './support/mux-standin';

const TARGET = 'video.live_stream.simulcast_target.';

describe('restream target states in Mux mode (signed webhooks)', () => {
  let mux: MuxStandin;
  let t: TestApp;
  withMuxApp((s) => ({ mux, t } = s));

  it('shows "live" and "failed — reason" per target; an older event does not overwrite a newer one', async () => {
    const c = await makeCreator(t);
    const add = (name: string, url: string, streamKey: string) =>
      addRestreamTarget(t, c, { name, url, streamKey });
    const yt = await add('YouTube', 'rtmp://a.rtmp.youtube.com/live2', 'yt-key-SECRET-0001');
    const tw = await add('Twitch', 'rtmps://live.twitch.tv/app', 'tw-key-SECRET-0002');
    const stream = (await request(t.url).post('/stream/create').set(c.auth).send({}).expect(201)).body;
    const ls = [...mux.liveStreams.values()].find((s) => s.stream_key === stream.streamKey)!;
    const muxTarget = (id: string) => ls.simulcast_targets.find((x) => x.passthrough === `vybzz:${id}`)!;
    expect(ls.simulcast_targets).toHaveLength(2);

    const p = await Publisher.connect(t.wsUrl, stream.streamKey);
    p.hello(c.token);
    await p.ready;

    const at = (ms: number) => new Date(Date.parse('2026-12-07T10:00:00Z') + ms);
    const send = async (status: string, target: { id: string }, createdAt: Date, extra = {}) => {
      const st = muxTarget(target.id);
      expect(
        await mux.deliver(
          t.url,
          TARGET + status,
          { id: st.id, passthrough: st.passthrough, status, url: st.url, ...extra },
          { createdAt },
        ),
      ).toBe(200);
    };
    await send('starting', yt, at(0));
    await send('starting', tw, at(0));
    await send('broadcasting', yt, at(2_000));
    await send('errored', tw, at(3_000), { error_severity: 'normal' });

    const want = [
      { id: yt.id, name: 'YouTube', state: 'live', reason: null },
      { id: tw.id, name: 'Twitch', state: 'failed', reason: 'Mux could not reach this target' },
    ];
    await p.waitFor((m) => JSON.stringify(restreamOf(m)) === JSON.stringify(want), 5_000);

    // Delivered late: YouTube's `starting` from before it went live changes nothing; an unknown
    // passthrough and a target of nobody here are ignored, and the webhook is still answered 200.
    const sent = p.messages.length;
    await send('starting', yt, at(1_000));
    expect(
      await mux.deliver(t.url, TARGET + 'errored', {
        id: 'x1',
        passthrough: 'someone-else',
        status: 'errored',
      }),
    ).toBe(200);
    expect(
      await mux.deliver(t.url, TARGET + 'errored', {
        id: 'x2',
        passthrough: 'vybzz:00000000-0000-4000-8000-000000000000',
        status: 'errored',
      }),
    ).toBe(200);
    // A newer event still applies: Twitch reconnects.
    await send('broadcasting', tw, at(4_000));
    const after = await p.waitFor((m) => p.messages.indexOf(m) >= sent && restreamOf(m) !== undefined, 5_000);
    expect(restreamOf(after)).toEqual([want[0], { id: tw.id, name: 'Twitch', state: 'live', reason: null }]);
    const row = await t.prisma.liveStream.findUniqueOrThrow({ where: { id: stream.id } });
    expect(row.simulcastStates).toMatchObject({
      [yt.id]: { status: 'broadcasting', at: at(2_000).toISOString() },
      [tw.id]: { status: 'broadcasting', at: at(4_000).toISOString() },
    });
    p.ws.close();
    await p.closed;

    // The publisher comes back on a new socket: it is told the states known so far.
    const again = await Publisher.connect(t.wsUrl, stream.streamKey);
    again.hello(c.token);
    await again.ready;
    const replayed = await again.waitFor((m) => restreamOf(m) !== undefined, 5_000);
    expect(restreamOf(replayed)).toEqual(restreamOf(after));
    expect(again.messages.findIndex((m) => m.type === 'ready')).toBeLessThan(
      again.messages.indexOf(replayed),
    );
    again.ws.close();
    await again.closed;
  });
});
