import { useSyncExternalStore } from 'react';
import { clockOf } from '../lib/clock';

const still = () => () => {};

/** The current time, refreshed every `ms` while `enabled` (while not, the time it last showed). */
export function useNow(ms: number, enabled = true): number {
  const clock = clockOf(ms);
  return useSyncExternalStore(enabled ? clock.subscribe : still, clock.getSnapshot);
}
