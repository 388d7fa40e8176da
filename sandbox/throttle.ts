/**
 * ARM's request throttling, as Microsoft's "Azure Resource Manager request limits and throttling"
 * describes it: token buckets per subscription and principal, one for reads (GET), one for deletes
 * (DELETE) and one for writes (every other method: PUT, PATCH, and POSTs such as listsecrets and
 * testconnection). A request spends one token from its bucket; a bucket refills continuously up to
 * its size; a request that finds its bucket empty gets 429 with Retry-After and spends nothing.
 */
import type { Clock } from '../src/core/clock';
import type { BucketKind, BucketLimit, ThrottlingOptions } from './types';

/** ARM's sizes and refill rates (per subscription and principal). */
export const ARM_BUCKETS: Readonly<Record<BucketKind, Readonly<BucketLimit>>> = {
  reads: { size: 250, refillPerSecond: 25 },
  writes: { size: 200, refillPerSecond: 10 },
  deletes: { size: 200, refillPerSecond: 10 },
};

const KINDS: readonly BucketKind[] = ['reads', 'writes', 'deletes'];

export function bucketOf(method: string): BucketKind {
  const m = method.toUpperCase();
  return m === 'GET' ? 'reads' : m === 'DELETE' ? 'deletes' : 'writes';
}

/** What one request did to its bucket. */
export interface Spend {
  bucket: BucketKind;
  /** whole tokens left after it (undefined when throttling is off) */
  remaining?: number;
  /** set when the bucket was empty: the request is to get 429 with this Retry-After */
  retryAfterSeconds?: number;
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
      for (const kind of KINDS) {
        const l = { ...ARM_BUCKETS[kind], ...given[kind] };
        if (!(l.size >= 1) || !Number.isFinite(l.size)) throw new RangeError(`sandbox: throttling.${kind}.size must be a number of at least 1, not ${l.size}`);
        if (!(l.refillPerSecond > 0) || !Number.isFinite(l.refillPerSecond)) {
          throw new RangeError(`sandbox: throttling.${kind}.refillPerSecond must be a number above 0, not ${l.refillPerSecond}`);
        }
        limits[kind] = l;
      }
      this.current = limits;
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
    if (b.units < UNIT) {
      this.throttled[bucket]++;
      // the time until one whole token is back, in whole seconds, at least 1
      const ms = (UNIT - b.units) / this.current[bucket].refillPerSecond;
      return { bucket, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
    }
    b.units -= UNIT;
    this.spent[bucket]++;
    return { bucket, remaining: Math.floor(b.units / UNIT) };
  }

  /** Whole tokens left now in one bucket (refilled to now); undefined when throttling is off. */
  remaining(subscriptionId: string, principal: string, bucket: BucketKind): number | undefined {
    return this.current ? Math.floor(this.refilled(subscriptionId, principal, bucket).units / UNIT) : undefined;
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
    const limit = (this.current as Record<BucketKind, BucketLimit>)[bucket];
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
