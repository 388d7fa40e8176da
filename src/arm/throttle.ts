/**
 * Pacing ARM requests by ARM's own budgets. ARM throttles per subscription and principal with token
 * buckets: reads (GET), writes (every other request — a listsecrets POST spends the write budget like a
 * PUT) and deletes. Each answer says what is left (`x-ms-ratelimit-remaining-subscription-reads`,
 * `-writes`, `-deletes`); a 429 with Retry-After says it ran out. Beside each, ARM keeps a bucket for the
 * whole subscription, shared by every principal and 15 times the size
 * (`x-ms-ratelimit-remaining-subscription-global-reads`, `-global-writes`, `-global-deletes`): two
 * pipelines with service connections of their own each see their own bucket full while they empty the
 * shared one together. Each budget here follows both: a request waits for a token in either, and either
 * header being low halves the pools.
 *
 * One ArmThrottle per run, as a policy in every ARM pipeline of the run:
 *  - concurrency per pool, adaptive (additive increase, multiplicative decrease): `writes` (PUT, PATCH,
 *    DELETE; `auto` starts at 8, at most 32), `secretReads` (listsecrets; a wider pool of its own, from 16
 *    to 64) and `reads` (GET). It widens by one per success while the budget's header is comfortable and
 *    halves at once on a 429 or a low header — once per round trip: answers to requests sent before the
 *    last halving do not halve it again. Low: fewer tokens left than the pool would send, and under a
 *    tenth of ARM's bucket. A number (maxParallel) fixes the upper bound and the start;
 *  - pacing per budget: a mirror of ARM's bucket from its headers, refilled at ARM's documented rates, so
 *    a request that would find the bucket empty waits for a token instead of spending a 429;
 *  - a 429's Retry-After pauses the whole budget (every request that would spend from it), not only the
 *    one request, which is then sent again (here, not by the retry policy): throttling never becomes a
 *    retry storm, and every wait is on the throttle's clock;
 *  - a 429 whose header says a bucket is empty, though the mirror paced by its refill, means another
 *    client spends from it too: from then on the mirror counts on half that refill (once per round trip).
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { realClock, type Clock } from '../core/clock';


export type BudgetName = 'reads' | 'writes' | 'deletes';
export type PoolName = 'reads' | 'secretReads' | 'writes';

/** maxParallel: `auto`, or a fixed upper bound 1–64. */
export type Parallelism = 'auto' | number;

/** ARM's documented buckets (requests, refill per second), used until its headers say otherwise. */
export const ARM_BUDGETS: Readonly<Record<BudgetName, { size: number; refillPerSecond: number }>> = {
  reads: { size: 250, refillPerSecond: 25 },
  writes: { size: 200, refillPerSecond: 10 },
  deletes: { size: 200, refillPerSecond: 10 },
};

/** ARM's buckets for the whole subscription, shared by every principal: 15 times each principal's. */
export const ARM_GLOBAL_BUDGETS: Readonly<Record<BudgetName, { size: number; refillPerSecond: number }>> = {
  reads: { size: 3750, refillPerSecond: 375 },
  writes: { size: 3000, refillPerSecond: 150 },
  deletes: { size: 3000, refillPerSecond: 150 },
};

const BUDGETS: readonly BudgetName[] = ['reads', 'writes', 'deletes'];

/** A header under this (a tenth of its bucket) and under the pool's width is low. */
const RESERVE: Readonly<Record<BudgetName, number>> = {
  reads: ARM_BUDGETS.reads.size / 10,
  writes: ARM_BUDGETS.writes.size / 10,
  deletes: ARM_BUDGETS.deletes.size / 10,
};
const GLOBAL_RESERVE: Readonly<Record<BudgetName, number>> = {
  reads: ARM_GLOBAL_BUDGETS.reads.size / 10,
  writes: ARM_GLOBAL_BUDGETS.writes.size / 10,
  deletes: ARM_GLOBAL_BUDGETS.deletes.size / 10,
};

const AUTO: Readonly<Record<PoolName, { start: number; max: number }>> = {
  writes: { start: 8, max: 32 },
  secretReads: { start: 16, max: 64 },
  reads: { start: 8, max: 32 },
};

/** How wide a pool of work may be for this parallelism (the throttle narrows what is actually in flight). */
export function poolWidth(parallelism: Parallelism, pool: PoolName): number {
  return parallelism === 'auto' ? AUTO[pool].max : parallelism;
}

/** How wide a pool starts for this parallelism (`auto` widens from there). */
export function poolStart(parallelism: Parallelism, pool: PoolName): number {
  return parallelism === 'auto' ? AUTO[pool].start : parallelism;
}

/** Which pool and budget a request belongs to. */
export function classify(method: string, url: string): { pool: PoolName; budget: BudgetName } {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return { pool: 'reads', budget: 'reads' };
  if (m === 'DELETE') return { pool: 'writes', budget: 'deletes' };
  if (m === 'POST' && /\/listsecrets$/i.test(new URL(url).pathname)) return { pool: 'secretReads', budget: 'writes' };
  return { pool: 'writes', budget: 'writes' };
}

/** A concurrency limit that changes while work waits for it. */
class AdaptiveLimit {
  inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    public limit: number,
    readonly max: number,
  ) {}
  async acquire(): Promise<void> {
    if (this.inFlight < this.limit && this.waiting.length === 0) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    this.inFlight--;
    this.wake();
  }
  widen(): void {
    if (this.limit < this.max) {
      this.limit++;
      this.wake();
    }
  }
  narrow(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
  }
  private wake(): void {
    while (this.inFlight < this.limit && this.waiting.length) {
      this.inFlight++;
      (this.waiting.shift() as () => void)();
    }
  }
}

/** A mirror of one of ARM's buckets: what its last header said, refilled at its rate, spent by what we send. */
export class BudgetMirror {
  /** tokens we believe are left for requests not yet sent (unknown until a header says) */
  private tokens: number | undefined;
  private at = 0;
  /** requests of this budget sent and not answered yet */
  inFlight = 0;
  pausedUntil = 0;
  /** the lowest header seen and 429s received, for figures */
  lowest: number | undefined;
  throttled = 0;
  /** the refill this run counts on: ARM's, until the bucket ran out under it (another client spends from it too) */
  private refillPerSecond: number;
  constructor(
    private readonly nominalRefillPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.refillPerSecond = nominalRefillPerSecond;
  }

  /** Tokens now (the mirror refilled to this moment), or undefined when no header has been seen. */
  private current(): number | undefined {
    if (this.tokens === undefined) return undefined;
    const now = this.clock.now();
    this.tokens += ((now - this.at) / 1000) * this.refillPerSecond;
    this.at = now;
    return this.tokens;
  }

  /** Waits while the budget is paused (Retry-After) or the mirror holds no whole token; then spends one. */
  async take(): Promise<void> {
    for (;;) {
      const pause = this.pausedUntil - this.clock.now();
      if (pause > 0) {
        await this.clock.sleep(pause);
        continue;
      }
      const tokens = this.current();
      if (tokens === undefined || tokens >= 1) break;
      await this.clock.sleep(Math.ceil(((1 - tokens) / this.refillPerSecond) * 1000));
    }
    if (this.tokens !== undefined) this.tokens -= 1;
    this.inFlight++;
  }

  /** An answer arrived (its request no longer in flight). */
  done(): void {
    this.inFlight--;
  }

  /**
   * What an answer's header says is left after its request: the requests still in flight will spend from
   * it too, so what is left for new ones is that much less.
   */
  observe(remaining: number): void {
    this.tokens = remaining - this.inFlight;
    this.at = this.clock.now();
    this.lowest = this.lowest === undefined ? remaining : Math.min(this.lowest, remaining);
  }

  /**
   * The bucket ran out though this mirror paced by its refill: someone else spends from it too (another
   * pipeline on the same subscription or service connection). From now on count on half the refill (at
   * least a sixteenth of ARM's): two runs that share a bucket settle on their shares instead of taking
   * turns at its 429s.
   */
  slowDown(): void {
    this.refillPerSecond = Math.max(this.nominalRefillPerSecond / 16, this.refillPerSecond / 2);
  }

  /** A 429: nothing goes out until Retry-After has passed; then ARM said a token is back, and its next header tells the rest. */
  pause(ms: number): void {
    this.throttled++;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.tokens = undefined;
  }

  /** The header is low: fewer tokens than requests a pool would send in one round. */
  low(limit: number): boolean {
    const tokens = this.current();
    return tokens !== undefined && tokens < limit;
  }
}

export interface ThrottleOptions {
  maxParallel: Parallelism;
  clock?: Clock;
  /** how many times one request is sent again after a 429 (default 6) */
  maxThrottledRetries?: number;
  /** refill rates to pace by (default: ARM's documented ones) */
  refillPerSecond?: Partial<Record<BudgetName, number>>;
  /** the same for the subscription's shared buckets (default: ARM's, 15 times each principal's) */
  globalRefillPerSecond?: Partial<Record<BudgetName, number>>;
}

/** What the throttle saw in a run (for the benchmark and the debug log). */
export interface ThrottleFigures {
  /** 429s received, per budget */
  throttled: Record<BudgetName, number>;
  /** the lowest remaining count any header gave, per budget */
  lowest: Partial<Record<BudgetName, number>>;
  /** the same for the subscription's shared buckets (the `-global-` headers) */
  lowestGlobal: Partial<Record<BudgetName, number>>;
  /** the widest each pool got */
  widest: Record<PoolName, number>;
}

export class ArmThrottle {
  private readonly clock: Clock;
  private readonly pools: Record<PoolName, AdaptiveLimit>;
  private readonly budgets: Record<BudgetName, BudgetMirror>;
  /** the subscription's shared buckets, as their `-global-` headers tell them */
  private readonly globals: Record<BudgetName, BudgetMirror>;
  private readonly widest: Record<PoolName, number>;
  /** attempts sent so far; and, per budget, how many had been sent when its pools were last halved */
  private sent = 0;
  private readonly halvedAt: Record<BudgetName, number> = { reads: 0, writes: 0, deletes: 0 };

  constructor(readonly options: ThrottleOptions) {
    this.clock = options.clock ?? realClock;
    const p = options.maxParallel;
    const pool = (name: PoolName): AdaptiveLimit =>
      p === 'auto' ? new AdaptiveLimit(AUTO[name].start, AUTO[name].max) : new AdaptiveLimit(p, p);
    this.pools = { writes: pool('writes'), secretReads: pool('secretReads'), reads: pool('reads') };
    const rate = (b: BudgetName) => options.refillPerSecond?.[b] ?? ARM_BUDGETS[b].refillPerSecond;
    this.budgets = { reads: new BudgetMirror(rate('reads'), this.clock), writes: new BudgetMirror(rate('writes'), this.clock), deletes: new BudgetMirror(rate('deletes'), this.clock) };
    const shared = (b: BudgetName) => new BudgetMirror(options.globalRefillPerSecond?.[b] ?? ARM_GLOBAL_BUDGETS[b].refillPerSecond, this.clock);
    this.globals = { reads: shared('reads'), writes: shared('writes'), deletes: shared('deletes') };
    this.widest = { writes: this.pools.writes.limit, secretReads: this.pools.secretReads.limit, reads: this.pools.reads.limit };
  }

  /** The current limit of a pool (tests, figures). */
  limit(pool: PoolName): number {
    return this.pools[pool].limit;
  }

  figures(): ThrottleFigures {
    const lowestOf = (mirrors: Record<BudgetName, BudgetMirror>): Partial<Record<BudgetName, number>> => {
      const lowest: Partial<Record<BudgetName, number>> = {};
      for (const b of BUDGETS) if (mirrors[b].lowest !== undefined) lowest[b] = mirrors[b].lowest;
      return lowest;
    };
    return {
      throttled: { reads: this.budgets.reads.throttled, writes: this.budgets.writes.throttled, deletes: this.budgets.deletes.throttled },
      lowest: lowestOf(this.budgets),
      lowestGlobal: lowestOf(this.globals),
      widest: { ...this.widest },
    };
  }

  /** Runs one request under the throttle: its pool's limit, its budget's pace; learns from the answer. */
  async run(method: string, url: string, send: () => Promise<PipelineResponse>): Promise<PipelineResponse> {
    const { pool, budget } = classify(method, url);
    const limit = this.pools[pool];
    const spend = this.budgets[budget];
    const shared = this.globals[budget];
    await limit.acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        await spend.take();
        await shared.take();
        const seq = ++this.sent;
        let response: PipelineResponse;
        try {
          response = await send();
        } finally {
          spend.done();
          shared.done();
        }
        this.learn(pool, budget, response, seq);
        if (response.status !== 429 || attempt >= (this.options.maxThrottledRetries ?? 6)) return response;
      }
    } finally {
      limit.release();
    }
  }

  private learn(pool: PoolName, budgetName: BudgetName, response: PipelineResponse, seq: number): void {
    const budget = this.budgets[budgetName];
    const shared = this.globals[budgetName];
    const remaining = countIn(response, `x-ms-ratelimit-remaining-subscription-${budgetName}`);
    if (remaining !== undefined) budget.observe(remaining);
    const sharedRemaining = countIn(response, `x-ms-ratelimit-remaining-subscription-global-${budgetName}`);
    if (sharedRemaining !== undefined) shared.observe(sharedRemaining);
    // halve the pools that spend from this budget, unless they were halved after this request went out
    const halve = () => {
      if (seq <= this.halvedAt[budgetName]) return;
      this.halvedAt[budgetName] = this.sent;
      for (const p of Object.keys(this.pools) as PoolName[]) if (budgetOf(p, budgetName)) this.pools[p].narrow();
    };
    if (response.status === 429) {
      budget.pause(retryAfterMs(response) ?? 1000);
      // a bucket whose header says it is empty ran out under our pacing: it has another spender (once
      // per round trip, as the pools halve: the 429s of one burst are one sign)
      if (seq > this.halvedAt[budgetName]) {
        if (remaining === 0) budget.slowDown();
        if (sharedRemaining === 0) shared.slowDown();
      }
      halve();
      return;
    }
    const limit = this.pools[pool];
    if (budget.low(Math.min(limit.limit, RESERVE[budgetName])) || shared.low(Math.min(limit.limit, GLOBAL_RESERVE[budgetName]))) {
      halve();
      return;
    }
    if (response.status < 500) {
      limit.widen();
      this.widest[pool] = Math.max(this.widest[pool], limit.limit);
    }
  }

  /** The policy for an ARM pipeline: place it inside the retry policy, so each attempt is paced. */
  policy(): PipelinePolicy {
    return {
      name: 'armThrottlePolicy',
      sendRequest: (request: PipelineRequest, next) => this.run(request.method, request.url, () => next(request)),
    };
  }
}

/** A header's whole count, or undefined when it is absent or not a count. */
function countIn(response: PipelineResponse, name: string): number | undefined {
  const v = response.headers.get(name);
  return v !== undefined && v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/** Pools that spend from a budget: writes and secret reads both spend the write budget. */
function budgetOf(pool: PoolName, budget: BudgetName): boolean {
  if (budget === 'reads') return pool === 'reads';
  return pool === 'writes' || pool === 'secretReads';
}

function retryAfterMs(response: PipelineResponse): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = response.headers.get(name);
    if (v && /^\d+$/.test(v.trim())) return Number(v);
  }
  const v = response.headers.get('retry-after');
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
