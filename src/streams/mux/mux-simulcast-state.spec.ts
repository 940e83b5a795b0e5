import { planSimulcastState, restreamStates } from './mux-simulcast-state';
import type { MuxEvent } from './mux-event';

const T1 = '0b8e4f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ev = (status: string, data: Record<string, unknown>): MuxEvent => ({
  id: 'e1',
  type: `video.live_stream.simulcast_target.${status}`,
  createdAt: new Date('2026-12-07T10:00:00.000Z'),
  objectId: 'st1',
  data: { id: 'st1', ...data },
});

describe('Mux simulcast target states', () => {
  it('reads our passthrough, the status from the type, a reason only when errored', () => {
    expect(planSimulcastState(ev('broadcasting', { passthrough: `vybzz:${T1}` }))).toEqual({
      ok: true,
      change: {
        targetId: T1,
        liveStreamId: null,
        state: { status: 'broadcasting', reason: null, at: '2026-12-07T10:00:00.000Z' },
      },
    });
    const errored = planSimulcastState(
      ev('errored', { passthrough: `vybzz:${T1}`, live_stream_id: 'ls1', error: 'Connection\nrefused' }),
    );
    expect(errored).toMatchObject({
      ok: true,
      change: { liveStreamId: 'ls1', state: { status: 'errored', reason: 'Connection refused' } },
    });
  });

  it('ignores other passthroughs and other simulcast target events', () => {
    expect(planSimulcastState(ev('errored', { passthrough: 'theirs' }))).toMatchObject({ ok: false });
    expect(planSimulcastState(ev('errored', {}))).toMatchObject({ ok: false });
    expect(planSimulcastState(ev('created', { passthrough: `vybzz:${T1}` }))).toMatchObject({ ok: false });
  });

  it('maps to live / connecting / failed — reason, in the creator’s order, unknown ones connecting', () => {
    const targets = [
      { id: 'a', name: 'YouTube' },
      { id: 'b', name: 'Twitch' },
      { id: 'c', name: 'Kick' },
    ];
    expect(
      restreamStates(targets, {
        b: { status: 'errored', reason: 'refused', at: 'x' },
        a: { status: 'broadcasting', reason: null, at: 'x' },
        gone: { status: 'broadcasting', reason: null, at: 'x' },
      }),
    ).toEqual([
      { id: 'a', name: 'YouTube', state: 'live', reason: null },
      { id: 'b', name: 'Twitch', state: 'failed', reason: 'refused' },
      { id: 'c', name: 'Kick', state: 'connecting', reason: null },
    ]);
    expect(restreamStates(targets.slice(0, 1), null)).toEqual([
      { id: 'a', name: 'YouTube', state: 'connecting', reason: null },
    ]);
  });
});
