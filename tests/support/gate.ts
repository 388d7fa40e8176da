/**
 * Calls that wait until the test lets them go, instead of taking a while: a fake awaits
 * `gate.wait(label)`; the test sees who is held (`held`), lets everything runnable run (`settle()`),
 * and releases calls in the order it chooses.
 *
 *   const gate = new Gate();
 *   const run = codeUnderTest(fakeThatAwaits(gate));
 *   while ((await gate.settle()) > 0) gate.release(); // oldest first
 *   await run;
 */
import { settle } from './clock';

export class Gate {
  private readonly waiting: { label: string; release: () => void }[] = [];

  /** held until released */
  wait(label = ''): Promise<void> {
    return new Promise((resolve) => this.waiting.push({ label, release: resolve }));
  }

  /** the labels of the calls held now, oldest first */
  get held(): string[] {
    return this.waiting.map((w) => w.label);
  }

  /** Lets everything that can run without a held call run (in-memory work only), then says how many calls are held. */
  async settle(): Promise<number> {
    await settle();
    return this.waiting.length;
  }

  /** Lets the oldest held call go, or the oldest one with this label. */
  release(label?: string): void {
    const i = label === undefined ? 0 : this.waiting.findIndex((w) => w.label === label);
    const w = i >= 0 ? this.waiting[i] : undefined;
    if (!w) throw new Error(label === undefined ? 'Gate.release: no call is held' : `Gate.release: no call '${label}' is held`);
    this.waiting.splice(i, 1);
    w.release();
  }
}
