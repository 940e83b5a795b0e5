/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdaptationPolicy, LADDER } from './adaptation';
import type { Decision, UplinkSample } from './adaptation';
import { UplinkSender } from './uplink-sender';
import { defined } from '../lib/test-defined';

/** A policy that moves along the ladder as scripted, one decision per tick. */
class Scripted extends AdaptationPolicy {
  private at = 0;
  private now = 0;
  constructor(private readonly script: Decision[]) {
    super();
  }
  override get rung(): number {
    return this.now;
  }
  override get current() {
    return defined(this.ladder[this.now], `rung ${this.now}`);
  }
  override decide(_: UplinkSample): Decision {
    const d = this.script[this.at++] ?? { kind: 'hold' };
    if (d.kind === 'switch') this.now = d.rung;
    return d;
  }
}

const down = (rung: number): Decision => ({ kind: 'switch', rung, direction: 'down', flush: false });
const up = (rung: number): Decision => ({ kind: 'switch', rung, direction: 'up', flush: false });
const hold: Decision = { kind: 'hold' };

/** `weak` after each tick of the script. */
function weakAfter(script: Decision[]): boolean[] {
  const sender = new UplinkSender(new Scripted(script));
  return script.map((_, i) => {
    sender.tick(1000 * (i + 1));
    return sender.state(1000 * (i + 1)).weak;
  });
}

describe('UplinkSender: the weak-connection notice', () => {
  it('stays weak until the quality is back where it was, not at the first step up', () => {
    expect(weakAfter([hold, down(3), hold, up(2), up(1), hold, up(0), hold])).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('counts from the rung it had when trouble began (a probe that failed does not move it)', () => {
    expect(weakAfter([down(1), down(2), up(1), down(2), up(1), up(0)])).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('a flush alone (no step) is weak only while the backlog says so', () => {
    expect(weakAfter([{ kind: 'flush' }, hold, hold])).toEqual([true, false, false]);
  });
});

describe('UplinkSender: the quality label tells the height really encoded', () => {
  // A real Chromium recording whose WebM header says 1280×720, as Chromium records a camera that was
  // asked for a lower height but kept its size.
  const hd = new Uint8Array(readFileSync(new URL('../../../test/fixtures/h264-720p.webm', import.meta.url)));

  it("labels the latest recording from its WebM header once, with the rung's bitrate", () => {
    const sender = new UplinkSender(new Scripted([]));
    const rung = LADDER[4]; // asked for 240p at 150 kbit/s
    sender.recordingStarted(1, 0, rung);
    sender.enqueue(1, hd.subarray(0, 20), 0);
    expect(sender.encodedQuality(1)).toBeNull(); // header not complete yet
    sender.enqueue(1, hd.subarray(20, 4000), 0);
    expect(sender.encodedQuality(1)).toBe('720p · 150 kbit/s');
    expect(sender.encodedQuality(1)).toBeNull(); // told once
    sender.recordingStarted(2, 1, LADDER[2]);
    sender.enqueue(2, hd.subarray(0, 4000), 1);
    sender.recordingStarted(3, 2, LADDER[3]);
    expect(sender.encodedQuality(2)).toBeNull(); // not the latest recording any more
  });

  it('labels a new recording at a height asked before with the height then encoded, not the asked one', () => {
    const sender = new UplinkSender(new Scripted([]));
    expect(sender.expectedQuality(LADDER[4]!)).toBeNull(); // nothing learnt yet
    sender.recordingStarted(1, 0, LADDER[4]);
    sender.enqueue(1, hd.subarray(0, 4000), 0);
    expect(sender.encodedQuality(1)).toBe('720p · 150 kbit/s');
    expect(sender.expectedQuality(LADDER[4]!)).toBe('720p · 150 kbit/s');
    expect(sender.expectedQuality(LADDER[2]!)).toBeNull(); // 480p was never asked for
  });
});
