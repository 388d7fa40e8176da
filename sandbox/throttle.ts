/**
 * ARM's request throttling, as Microsoft's "Azure Resource Manager request limits and throttling"
 * describes it: token buckets per subscription and principal, one for reads (GET), one for deletes
 * (DELETE) and one for writes (every other method: PUT, PATCH, and POSTs such as listsecrets and
 * testconnection). A request spends one token from its bucket; a bucket refills continuously up to
 * its size; a request that finds its bucket empty gets 429 with Retry-After and spends nothing.
 *
 * Beside them, one set per subscription that every principal spends from too, 15 times the size and the
 * refill (the page's "global subscription limit"), told by x-ms-ratelimit-remaining-subscription-global-*:
 * a request needs a token in both its principal's bucket and the subscription's.
 */
import type { Clock } from '../src/core/clock';
import type { BucketKind, BucketLimit, ThrottlingOptions } from './types';

/** ARM's sizes and refill rates (per subscription and principal). */
export const ARM_BUCKETS: Readonly<Record<BucketKind, Readonly<BucketLimit>>> = {
  reads: { size: 250, refillPerSecond: 25 },
  writes: { size: 200, refillPerSecond: 10 },
  deletes: { size: 200, refillPerSecond: 10 },
};

/** ARM's buckets per subscription, shared by every principal: 15 times each principal's. */
export const ARM_GLOBAL_BUCKETS: Readonly<Record<BucketKind, Readonly<BucketLimit>>> = {
  reads: { size: 3750, refillPerSecond: 375 },
  writes: { size: 3000, refillPerSecond: 150 },
  deletes: { size: 3000, refillPerSecond: 150 },
};

const KINDS: readonly BucketKind[] = ['reads', 'writes', 'deletes'];

/** The subscription's shared buckets are keyed as this principal. */
const EVERY_PRINCIPAL = '*';

export function bucketOf(method: string): BucketKind {
  const m = method.toUpperCase();
  return m === 'GET' ? 'reads' : m === 'DELETE' ? 'deletes' : 'writes';
}

/** What one request did to its bucket. */
export interface Spend {
  bucket: BucketKind;
  /** whole tokens left after it (undefined when throttling is off) */
  remaining?: number;
  /** whole tokens left in the subscription's shared bucket after it (undefined when throttling is off) */
  globalRemaining?: number;
  /** set when a bucket was empty: the request is to get 429 with this Retry-After */
  retryAfterSeconds?: number;
  /** which bucket was empty: the principal's own, or the subscription's shared one */
  emptied?: 'principal' | 'subscription';
}

/** Tokens are kept in thousandths, so that whole-millisecond refills add up exactly. */
const UNIT = 1000;

interface Bucket {
  units: number;
  at: number;
}

function zero(): Record<BucketKind, number> {
  return { reads: 0, writes: 0, deletes: 0 };
}

export class ArmThrottle {
  /** requests that spent a token, by bucket (with throttling off: requests that would have) */
  readonly spent = zero();
  /** 429s answered because a bucket was empty, by bucket */
  readonly throttled = zero();
  private current: Record<BucketKind, BucketLimit> | false = false;
  private shared: Record<BucketKind, BucketLimit> = { ...ARM_GLOBAL_BUCKETS };
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    options: ThrottlingOptions | boolean = false,
  ) {
    this.configure(options);
  }

  /** the sizes and refill rates in force, or false when throttling is off */
  get limits(): Readonly<Record<BucketKind, Readonly<BucketLimit>>> | false {
    return this.current;
  }

  /** the subscription's shared buckets in force (meaningful while throttling is on) */
  get globalLimits(): Readonly<Record<BucketKind, Readonly<BucketLimit>>> {
    return this.shared;
  }

  /**
   * `true`: ARM's buckets; an object: ARM's with the given ones changed; `false`: off. Every bucket
   * starts full again. The counters stay (`resetCounters()` zeroes them).
   */
  configure(options: ThrottlingOptions | boolean): void {
    if (options === false) {
      this.current = false;
    } else {
      const given: ThrottlingOptions = options === true ? {} : options;
      const limits = {} as Record<BucketKind, BucketLimit>;
      const shared = {} as Record<BucketKind, BucketLimit>;
      const checked = (l: BucketLimit, name: string): BucketLimit => {
        if (!(l.size >= 1) || !Number.isFinite(l.size)) throw new RangeError(`sandbox: throttling.${name}.size must be a number of at least 1, not ${l.size}`);
        if (!(l.refillPerSecond > 0) || !Number.isFinite(l.refillPerSecond)) {
          throw new RangeError(`sandbox: throttling.${name}.refillPerSecond must be a number above 0, not ${l.refillPerSecond}`);
        }
        return l;
      };
      for (const kind of KINDS) {
        limits[kind] = checked({ ...ARM_BUCKETS[kind], ...given[kind] }, kind);
        shared[kind] = checked({ ...ARM_GLOBAL_BUCKETS[kind], ...given.global?.[kind] }, `global.${kind}`);
      }
      this.current = limits;
      this.shared = shared;
    }
    this.buckets.clear();
  }

  /** One request of `method` by `principal` on `subscriptionId`: spends a token, or says it is throttled. */
  spend(subscriptionId: string, principal: string, method: string): Spend {
    const bucket = bucketOf(method);
    if (!this.current) {
      this.spent[bucket]++;
      return { bucket };
    }
    const b = this.refilled(subscriptionId, principal, bucket);
    const g = this.refilled(subscriptionId, EVERY_PRINCIPAL, bucket);
    if (b.units < UNIT || g.units < UNIT) {
      this.throttled[bucket]++;
      // the time until one whole token is back in both, in whole seconds, at least 1
      const wait = (x: Bucket, rate: number) => Math.max(0, UNIT - x.units) / rate;
      const ms = Math.max(wait(b, this.current[bucket].refillPerSecond), wait(g, this.shared[bucket].refillPerSecond));
      const emptied = b.units < UNIT ? 'principal' : 'subscription';
      return { bucket, remaining: Math.floor(b.units / UNIT), globalRemaining: Math.floor(g.units / UNIT), retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)), emptied };
    }
    b.units -= UNIT;
    g.units -= UNIT;
    this.spent[bucket]++;
    return { bucket, remaining: Math.floor(b.units / UNIT), globalRemaining: Math.floor(g.units / UNIT) };
  }

  /** Whole tokens left now in one bucket (refilled to now); undefined when throttling is off. */
  remaining(subscriptionId: string, principal: string, bucket: BucketKind): number | undefined {
    return this.current ? Math.floor(this.refilled(subscriptionId, principal, bucket).units / UNIT) : undefined;
  }

  /** Whole tokens left now in the subscription's shared bucket; undefined when throttling is off. */
  globalRemaining(subscriptionId: string, bucket: BucketKind): number | undefined {
    return this.current ? Math.floor(this.refilled(subscriptionId, EVERY_PRINCIPAL, bucket).units / UNIT) : undefined;
  }

  /** all 429s answered because a bucket was empty */
  get throttledTotal(): number {
    return KINDS.reduce((n, k) => n + this.throttled[k], 0);
  }

  /** zeroes `spent` and `throttled` */
  resetCounters(): void {
    for (const k of KINDS) {
      this.spent[k] = 0;
      this.throttled[k] = 0;
    }
  }

  /** every bucket full again */
  refillAll(): void {
    this.buckets.clear();
  }

  private refilled(subscriptionId: string, principal: string, bucket: BucketKind): Bucket {
    const limit = principal === EVERY_PRINCIPAL ? this.shared[bucket] : (this.current as Record<BucketKind, BucketLimit>)[bucket];
    const key = `${subscriptionId.toLowerCase()}|${principal.toLowerCase()}|${bucket}`;
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { units: limit.size * UNIT, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      // refillPerSecond tokens a second = refillPerSecond thousandths a millisecond
      b.units = Math.min(limit.size * UNIT, b.units + (now - b.at) * limit.refillPerSecond);
      b.at = now;
    }
    return b;
  }
}
