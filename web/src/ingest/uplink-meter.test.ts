import { describe, expect, it } from 'vitest';
import { SendQueue } from './send-queue';
import { UplinkMeter } from './uplink-meter';

describe('UplinkMeter', () => {
  it('ages the oldest unacknowledged media and forgets what the server acknowledged', () => {
    const m = new UplinkMeter();
    m.segmentStarted(1000);
    m.sent(1250, 100, 1260);
    m.sent(1500, 100, 1510);
    expect(m.backlogMs(2000, null)).toBe(750);
    m.ack(2000, { bytes: 150, mediaMs: 240, segment: 1 });
    expect(m.unackedBytes).toBe(50);
    expect(m.backlogMs(2100, 1750)).toBe(600); // the second chunk, captured at 1500
    m.ack(2250, { bytes: 200, mediaMs: 490, segment: 1 });
    expect(m.backlogMs(2300, 1750)).toBe(550); // only the queued chunk is left
    expect(m.backlogMs(2300, null)).toBe(0);
  });

  it('computes the delay from the segment the ack names and its media time', () => {
    const m = new UplinkMeter();
    m.segmentStarted(10_000);
    m.sent(10_250, 1000);
    m.ack(10_500, { bytes: 1000, mediaMs: 230, segment: 1 });
    expect(m.delayMs(10_500)).toBe(270);
    m.segmentStarted(20_000); // a new recorder on the same socket: media time starts again at 0
    m.sent(20_250, 1000);
    m.ack(20_600, { bytes: 2000, mediaMs: 250, segment: 2 });
    expect(m.delayMs(20_600)).toBe(350);
    // an ack naming an unknown segment changes nothing
    m.ack(21_000, { bytes: 2000, mediaMs: 9000, segment: 7 });
    expect(m.delayMs(21_000)).toBe(750);
  });

  it('measures the acknowledged throughput over its window, across a new socket', () => {
    const m = new UplinkMeter(2000);
    expect(m.ackedBps(0)).toBeNull();
    for (let t = 250; t <= 4000; t += 250) {
      m.sent(t, 12_500, t);
      m.ack(t, { bytes: (t / 250) * 12_500, mediaMs: t, segment: 1 });
    }
    expect(m.ackedBps(4000)).toBe(400_000); // 100 kB in the last 2 s
    m.newSocket();
    expect(m.unackedBytes).toBe(0);
    m.sent(4100, 5000, 4100);
    m.ack(4250, { bytes: 5000, mediaMs: 0, segment: 1 });
    expect(m.ackedBps(4250)).toBe(Math.round(((87_500 + 5000) * 8) / 2));
    expect(m.ackedBps(4250, 500)).toBe(Math.round(((12_500 + 5000) * 8) / 0.5));
  });

  it('ignores acks that go backwards or claim more than was sent', () => {
    const m = new UplinkMeter();
    m.sent(0, 100, 0);
    m.ack(100, { bytes: 5000, mediaMs: 0, segment: 1 });
    expect(m.unackedBytes).toBe(0);
    m.sent(200, 100, 200);
    m.ack(300, { bytes: 50, mediaMs: 0, segment: 1 });
    expect(m.unackedBytes).toBe(100);
  });
});

describe('SendQueue', () => {
  const chunk = (capturedAt: number, bytes = 10_000, segment = 1) => ({
    data: capturedAt,
    bytes,
    capturedAt,
    segment,
  });

  it('sends freely before any ack, then within the window', () => {
    const q = new SendQueue<number>({ windowSec: 1, minWindowBytes: 20_000, maxInFlightAgeMs: 450 });
    q.push(chunk(0));
    q.push(chunk(250));
    q.push(chunk(500));
    expect(q.take({ unackedBytes: 500_000, oldestAgeMs: 5000, ackedBps: null })?.data).toBe(0);
    // 80 kbit/s acknowledged → a 20 kB window (the minimum): one more 10 kB chunk fits, two do not
    expect(q.take({ unackedBytes: 10_000, oldestAgeMs: 100, ackedBps: 80_000 })?.data).toBe(250);
    expect(q.take({ unackedBytes: 20_000, oldestAgeMs: 100, ackedBps: 80_000 })).toBeNull();
    // in flight for too long: hold back even when the window has room
    expect(q.take({ unackedBytes: 1000, oldestAgeMs: 600, ackedBps: 8_000_000 })).toBeNull();
    // nothing in flight: always one
    expect(q.take({ unackedBytes: 0, oldestAgeMs: 0, ackedBps: 1000 })?.data).toBe(500);
  });

  it('drops everything queued, or one segment', () => {
    const q = new SendQueue<number>();
    q.push(chunk(0, 100, 1));
    q.push(chunk(250, 200, 2));
    q.push(chunk(500, 300, 2));
    expect(q.oldestCapture()).toBe(0);
    expect(q.dropSegment(1)).toBe(100);
    expect(q.oldestCapture()).toBe(250);
    expect(q.clear()).toBe(500);
    expect(q.length).toBe(0);
    expect(q.oldestCapture()).toBeNull();
  });
});
