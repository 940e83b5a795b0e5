import { describe, expect, it } from 'vitest';
import { formatOffset, replayedUpTo } from './replay';

describe('chat replay', () => {
  const msgs = [0, 1000, 1000, 2500, 9000].map((offsetMs, i) => ({ id: `m${i}`, offsetMs }));

  it('shows the messages up to the player time, and fewer after a seek back', () => {
    expect(replayedUpTo(msgs, -1)).toEqual([]);
    expect(replayedUpTo(msgs, 0).map((m) => m.id)).toEqual(['m0']);
    expect(replayedUpTo(msgs, 1000).map((m) => m.id)).toEqual(['m0', 'm1', 'm2']);
    expect(replayedUpTo(msgs, 8999)).toHaveLength(4);
    expect(replayedUpTo(msgs, 60_000)).toHaveLength(5);
    expect(replayedUpTo(msgs, 2000)).toHaveLength(3);
    expect(replayedUpTo([], 5000)).toEqual([]);
  });

  it('formats offsets as m:ss or h:mm:ss', () => {
    expect(formatOffset(0)).toBe('0:00');
    expect(formatOffset(65_400)).toBe('1:05');
    expect(formatOffset(3_725_000)).toBe('1:02:05');
  });
});
