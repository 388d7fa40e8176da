import { setTimeout as delay } from 'node:timers/promises';

/**
 * The time, passed in: code that reads the time or waits takes a Clock, so that a test can drive it by
 * hand (tests/support/clock.ts) instead of sleeping and measuring.
 */
export interface Clock {
  /** milliseconds since the epoch, as Date.now() */
  now(): number;
  /** resolves after `ms` milliseconds (0 or less: at once); rejects with an AbortError when `signal` is aborted first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real time. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
