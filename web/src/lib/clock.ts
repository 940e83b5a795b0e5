/**
 * A shared clock for useSyncExternalStore: one timer per period, running only while someone
 * subscribes; the snapshot is the time of the last tick (stable between ticks, as React needs).
 */
export interface Clock {
  subscribe: (onTick: () => void) => () => void;
  getSnapshot: () => number;
}

export function createClock(periodMs: number, now: () => number = Date.now): Clock {
  let time = now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const listeners = new Set<() => void>();
  const tick = () => {
    time = now();
    listeners.forEach((l) => l());
  };
  return {
    subscribe(onTick) {
      listeners.add(onTick);
      if (listeners.size === 1) {
        time = now(); // a clock that was idle starts from the present, not from its last tick
        timer = setInterval(tick, periodMs);
      }
      return () => {
        listeners.delete(onTick);
        if (listeners.size === 0) clearInterval(timer);
      };
    },
    getSnapshot: () => time,
  };
}

const clocks = new Map<number, Clock>();

/** The app's clock ticking every `periodMs`, shared by every component that asks for it. */
export function clockOf(periodMs: number): Clock {
  let c = clocks.get(periodMs);
  if (!c) clocks.set(periodMs, (c = createClock(periodMs)));
  return c;
}
