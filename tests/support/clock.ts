/**
 * A clock the test moves by hand. `sleep(ms)` resolves only when the test calls `advance()` past its
 * end; `sleeps` records every wait asked for; `untilSleeping(n)` resolves once n sleeps are pending.
 *
 *   const clock = new ManualClock();
 *   const done = codeUnderTest({ clock });
 *   await clock.untilSleeping();          // it is waiting now
 *   assert.deepEqual(clock.sleeps, [1000]); // for as long as it should
 *   await clock.advance(1000);            // wakes it (and lets it run until it next waits)
 */
import type { Clock } from '../../src/core/clock';

interface Sleeper {
  until: number;
  seq: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  /** every sleep asked for (ms, as asked), oldest first */
  readonly sleeps: number[] = [];
  private time: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];
  private watchers: { count: number; resolve: () => void }[] = [];

  /** starts at `start` (default: the real time now, so that tokens and certificates made with it look valid) */
  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { until: this.time + ms, seq: this.seq++, resolve };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortError(signal!));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notify();
    });
  }

  /** how long each pending sleep still has to wait (ms), soonest first */
  get pending(): number[] {
    return this.ordered().map((s) => s.until - this.time);
  }

  /** resolves once at least `count` sleeps are pending (at once when they already are) */
  untilSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /**
   * Moves the time forward by `ms`. Each sleep that ends on the way is woken at its own time, in order,
   * and what it woke is let run (until it waits again) before the next; a sleep begun meanwhile that
   * ends within `ms` is woken too.
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.ordered()[0];
      if (!next || next.until > target) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.time = Math.max(this.time, next.until);
      next.resolve();
      await settle();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }

  /** Advances to the end of the soonest pending sleep; returns how far it moved. */
  async next(): Promise<number> {
    const first = this.ordered()[0];
    if (!first) throw new Error('ManualClock.next: nobody is sleeping');
    const step = first.until - this.time;
    await this.advance(step);
    return step;
  }

  private ordered(): Sleeper[] {
    return [...this.sleepers].sort((a, b) => a.until - b.until || a.seq - b.seq);
  }

  private notify(): void {
    const ready = this.watchers.filter((w) => this.sleepers.length >= w.count);
    this.watchers = this.watchers.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}

/** Lets promise chains and pending I/O callbacks run: a few turns of the event loop, no time. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: signal.reason as unknown });
}
