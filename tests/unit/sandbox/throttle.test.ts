/** ARM's token buckets in the sandbox, on a manual clock: no test waits on real time. */
import * as assert from 'node:assert/strict';
import { ArmThrottle, ARM_BUCKETS, startSandbox, type SandboxImpl } from '../../../sandbox';
import { ManualClock } from '../../support/clock';
import { API, arm, call, type Reply } from './support';

const ws = { subscriptionId: 'cccccccc-0000-0000-0000-000000000001', resourceGroup: 'rg-thr', workspace: 'ws-thr' };
const otherSub = { subscriptionId: 'cccccccc-0000-0000-0000-000000000002', resourceGroup: 'rg-thr', workspace: 'ws-thr' };
const git = (target = 'https://git.example/r') => ({ properties: { authType: 'PAT', category: 'Git', target, credentials: { pat: 'pat-secret' } } });
const HEADER = 'x-ms-ratelimit-remaining-subscription-';

/** the principal's rate-limit headers of an answer, by bucket */
function rateLimits(r: Reply): Record<string, string> {
  return Object.fromEntries(Object.entries(r.headers).flatMap(([k, v]) => (k.startsWith(HEADER) && !k.startsWith(`${HEADER}global-`) ? [[k.slice(HEADER.length), String(v)]] : [])));
}

/** the subscription's (every principal's) rate-limit headers of an answer, by bucket */
function globalLimits(r: Reply): Record<string, string> {
  return Object.fromEntries(Object.entries(r.headers).flatMap(([k, v]) => (k.startsWith(`${HEADER}global-`) ? [[k.slice(HEADER.length + 'global-'.length), String(v)]] : [])));
}

describe('sandbox ARM throttling (token buckets)', () => {
  let sb: SandboxImpl;
  let clock: ManualClock;
  let a: ReturnType<typeof arm>;
  beforeEach(async () => {
    clock = new ManualClock();
    sb = await startSandbox({ clock });
    sb.addWorkspace(ws);
    a = arm(sb, ws);
  });
  afterEach(async () => sb.stop());

  it('is off by default: no rate-limit header and no 429, but each request still names its bucket and is counted', async () => {
    assert.equal(sb.throttling, false);
    for (let i = 0; i < 3; i++) assert.deepEqual(rateLimits(await a.put(a.conn('off-one'), git())), {});
    assert.deepEqual(rateLimits(await a.get(a.conn('off-one'))), {});
    assert.deepEqual(
      sb.requests.map((r) => [r.method, r.status, r.bucket, r.remaining, r.throttled]),
      [
        ['PUT', 200, 'writes', undefined, undefined],
        ['PUT', 200, 'writes', undefined, undefined],
        ['PUT', 200, 'writes', undefined, undefined],
        ['GET', 200, 'reads', undefined, undefined],
      ],
    );
    assert.deepEqual(sb.throttle.spent, { reads: 1, writes: 3, deletes: 0 });
    assert.equal(sb.throttle.throttledTotal, 0);
  });

  it("`true` is ARM's buckets: reads 250 (25/s), writes 200 (10/s), deletes 200 (10/s)", async () => {
    sb.throttling = true;
    assert.deepEqual(sb.throttling, { reads: { size: 250, refillPerSecond: 25 }, writes: { size: 200, refillPerSecond: 10 }, deletes: { size: 200, refillPerSecond: 10 } });
    assert.deepEqual(ARM_BUCKETS, sb.throttling);
    const fromOptions = await startSandbox({ clock, throttling: true, specDir: false });
    try {
      assert.deepEqual(fromOptions.throttling, ARM_BUCKETS);
    } finally {
      await fromOptions.stop();
    }
  });

  it('puts the bucket each request spent from, after spending, on every answer: GET reads, DELETE deletes, any other method writes', async () => {
    sb.throttling = true;
    sb.seedConnection(ws, 'seeded', git().properties);
    const answers = [
      await a.get(`${a.base}?${API}`),
      await a.put(a.conn('git-one'), git()),
      await a.patch(a.conn('git-one'), { properties: { authType: 'PAT', category: 'Git', target: 'https://b' } }),
      await a.post(a.conn('git-one', '/listsecrets')),
      await a.post(a.conn('seeded', '/testconnection')),
      await a.get(`${a.base}/connections?${API}`),
      await a.get(a.conn('missing-one')),
      await a.del(a.conn('git-one')),
      await a.del(a.conn('git-one')),
    ];
    assert.deepEqual(
      answers.map((r) => [r.status, rateLimits(r)]),
      [
        [200, { reads: '249' }],
        [200, { writes: '199' }],
        [200, { writes: '198' }],
        [200, { writes: '197' }],
        [202, { writes: '196' }],
        [200, { reads: '248' }],
        [404, { reads: '247' }],
        [200, { deletes: '199' }],
        [204, { deletes: '198' }],
      ],
    );
    assert.deepEqual(
      sb.requests.map((r) => [r.bucket, r.remaining]),
      [['reads', 249], ['writes', 199], ['writes', 198], ['writes', 197], ['writes', 196], ['reads', 248], ['reads', 247], ['deletes', 199], ['deletes', 198]],
    );
    // the testconnection poll is a GET: a read
    const poll = await call('GET', answers[4].headers.location as string, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.armToken()}` } });
    assert.deepEqual(rateLimits(poll), { reads: '246' });
    assert.deepEqual(sb.throttle.spent, { reads: 4, writes: 4, deletes: 2 });
  });

  it('answers 429 with Retry-After when the bucket is empty; the 429 spends nothing and stores nothing', async () => {
    sb.throttling = { writes: { size: 3, refillPerSecond: 1 } };
    const ok = [await a.put(a.conn('thr-0'), git()), await a.put(a.conn('thr-1'), git()), await a.put(a.conn('thr-2'), git())];
    assert.deepEqual(ok.map((r) => [r.status, rateLimits(r)]), [[200, { writes: '2' }], [200, { writes: '1' }], [200, { writes: '0' }]]);

    const throttled = await a.put(a.conn('thr-3'), git());
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '1');
    assert.deepEqual(rateLimits(throttled), { writes: '0' });
    assert.equal(throttled.json.error.code, 'SubscriptionRequestsThrottled');
    assert.equal(
      throttled.json.error.message,
      `Number of 'write' requests for subscription '${ws.subscriptionId}' actor 'sandbox-test-client' exceeded. Please try again after '1' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    );
    assert.equal(sb.storedConnection(ws, 'thr-3'), undefined, 'a throttled PUT stores nothing');
    const last = sb.requests.at(-1)!;
    assert.deepEqual([last.status, last.bucket, last.remaining, last.throttled, last.fault], [429, 'writes', 0, true, undefined]);

    // a PATCH, a listsecrets (a write too) and the DELETE bucket's neighbour: nothing handled
    const patch = await a.patch(a.conn('thr-0'), { properties: { authType: 'PAT', category: 'Git', target: 'https://changed' } });
    const secrets = await a.post(a.conn('thr-0', '/listsecrets'));
    assert.deepEqual([patch.status, secrets.status], [429, 429]);
    assert.equal(sb.storedConnection(ws, 'thr-0')?.properties.target, 'https://git.example/r');
    assert.equal(secrets.json.properties, undefined, 'no credentials in a 429');

    // 999 ms later 0.999 tokens are back: still empty, and the 429s did not push the refill back
    await clock.advance(999);
    assert.equal((await a.put(a.conn('thr-3'), git())).status, 429);
    await clock.advance(1);
    const again = await a.put(a.conn('thr-3'), git());
    assert.deepEqual([again.status, rateLimits(again)], [200, { writes: '0' }]);
    assert.deepEqual(sb.throttle.throttled, { reads: 0, writes: 4, deletes: 0 });
    assert.equal(sb.throttle.throttledTotal, 4);
    assert.equal(sb.throttle.spent.writes, 4);
  });

  it('says in Retry-After the whole seconds until one token is back, at least 1', async () => {
    sb.throttling = { writes: { size: 1, refillPerSecond: 0.25 } }; // one token every 4 s
    assert.equal((await a.put(a.conn('ra-0'), git())).status, 200);
    const retryAfter = async () => {
      const r = await a.put(a.conn('ra-1'), git());
      return r.status === 429 ? r.headers['retry-after'] : `status ${r.status}`;
    };
    assert.equal(await retryAfter(), '4');
    await clock.advance(1_500);
    assert.equal(await retryAfter(), '3', '2.5 s to go, rounded up');
    await clock.advance(2_000);
    assert.equal(await retryAfter(), '1', '0.5 s to go: 1');
    await clock.advance(500);
    assert.equal(await retryAfter(), 'status 200');

    sb.throttling = { reads: { size: 2, refillPerSecond: 100 } };
    await a.get(`${a.base}?${API}`);
    await a.get(`${a.base}?${API}`);
    const fast = await a.get(`${a.base}?${API}`);
    assert.deepEqual([fast.status, fast.headers['retry-after']], [429, '1'], '10 ms to go is still 1 s');
  });

  it('refills at refillPerSecond up to the size, never beyond', async () => {
    sb.throttling = { reads: { size: 5, refillPerSecond: 2 } };
    for (let i = 0; i < 5; i++) await a.get(`${a.base}?${API}`);
    assert.equal(sb.throttle.remaining(ws.subscriptionId, 'sandbox-test-client', 'reads'), 0);
    await clock.advance(1_000);
    assert.equal(sb.throttle.remaining(ws.subscriptionId, 'sandbox-test-client', 'reads'), 2);
    await clock.advance(250);
    assert.equal(sb.throttle.remaining(ws.subscriptionId, 'sandbox-test-client', 'reads'), 2, '2.5 tokens: 2 whole ones');
    assert.deepEqual(rateLimits(await a.get(`${a.base}?${API}`)), { reads: '1' });
    await clock.advance(60_000);
    assert.deepEqual(rateLimits(await a.get(`${a.base}?${API}`)), { reads: '4' }, 'full at 5, then one spent');
  });

  it('keeps one set of buckets per principal and per subscription', async () => {
    sb.throttling = { writes: { size: 1 } };
    sb.addWorkspace(otherSub);
    const other = arm(sb, ws, sb.armToken('other-client'));
    const elsewhere = arm(sb, otherSub);
    assert.equal((await a.put(a.conn('pp-0'), git())).status, 200);
    assert.equal((await a.put(a.conn('pp-1'), git())).status, 429);
    const byOther = await other.put(other.conn('pp-1'), git());
    assert.deepEqual([byOther.status, rateLimits(byOther)], [200, { writes: '0' }], "another principal has its own bucket");
    const inOtherSub = await elsewhere.put(elsewhere.conn('pp-1'), git());
    assert.deepEqual([inOtherSub.status, rateLimits(inOtherSub)], [200, { writes: '0' }], 'another subscription has its own bucket');
    assert.equal((await other.put(other.conn('pp-2'), git())).status, 429);
    assert.deepEqual(
      sb.requests.map((r) => [r.principal, r.status]),
      [
        ['sandbox-test-client', 200],
        ['sandbox-test-client', 429],
        ['other-client', 200],
        ['sandbox-test-client', 200],
        ['other-client', 429],
      ],
    );
  });

  it("keeps a bucket per subscription that every principal spends from too (15 times each principal's), told by the -global- header", async () => {
    sb.throttling = true;
    assert.deepEqual(sb.throttle.globalLimits, { reads: { size: 3750, refillPerSecond: 375 }, writes: { size: 3000, refillPerSecond: 150 }, deletes: { size: 3000, refillPerSecond: 150 } });
    const first = await a.put(a.conn('gl-0'), git());
    assert.deepEqual([rateLimits(first), globalLimits(first)], [{ writes: '199' }, { writes: '2999' }]);
    // two principals, each with a full bucket of its own, empty the subscription's together
    sb.throttling = { writes: { size: 5 }, global: { writes: { size: 3, refillPerSecond: 1 } } };
    const other = arm(sb, ws, sb.armToken('other-client'));
    const answers = [await a.put(a.conn('gl-1'), git()), await other.put(other.conn('gl-2'), git()), await a.put(a.conn('gl-3'), git()), await other.put(other.conn('gl-4'), git())];
    assert.deepEqual(
      answers.map((r) => [r.status, rateLimits(r), globalLimits(r)]),
      [
        [200, { writes: '4' }, { writes: '2' }],
        [200, { writes: '4' }, { writes: '1' }],
        [200, { writes: '3' }, { writes: '0' }],
        [429, { writes: '4' }, { writes: '0' }],
      ],
    );
    assert.equal(answers[3].headers['retry-after'], '1');
    assert.match(String(answers[3].json.error.message), /requests for subscription '[^']+' exceeded/);
    assert.doesNotMatch(String(answers[3].json.error.message), /actor/, "the subscription's bucket, not the principal's");
    assert.equal(sb.storedConnection(ws, 'gl-4'), undefined, 'the 429 stored nothing');
    assert.deepEqual(sb.requests.slice(-4).map((r) => [r.remaining, r.globalRemaining, r.throttled]), [[4, 2, undefined], [4, 1, undefined], [3, 0, undefined], [4, 0, true]]);
    await clock.advance(1000);
    assert.equal(sb.throttle.globalRemaining(ws.subscriptionId, 'writes'), 1, 'refilled at its own rate');
    assert.equal((await other.put(other.conn('gl-4'), git())).status, 200);
  });

  it('keeps deletes apart from writes', async () => {
    sb.throttling = { writes: { size: 1 }, deletes: { size: 1 } };
    sb.seedConnection(ws, 'del-0', git().properties);
    sb.seedConnection(ws, 'del-1', git().properties);
    assert.equal((await a.put(a.conn('del-2'), git())).status, 200);
    assert.equal((await a.put(a.conn('del-3'), git())).status, 429);
    const del = await a.del(a.conn('del-0'));
    assert.deepEqual([del.status, rateLimits(del)], [200, { deletes: '0' }], 'the empty write bucket does not stop a DELETE');
    const throttled = await a.del(a.conn('del-1'));
    assert.deepEqual([throttled.status, throttled.headers['retry-after'], rateLimits(throttled)], [429, '1', { deletes: '0' }]);
    assert.ok(throttled.json.error.message.startsWith("Number of 'delete' requests"));
    assert.ok(sb.storedConnection(ws, 'del-1'), 'a throttled DELETE deletes nothing');
    assert.deepEqual(sb.throttle.throttled, { reads: 0, writes: 1, deletes: 1 });
  });

  it('charges only requests with a valid token, before validation and routing, as ARM does', async () => {
    sb.throttling = { writes: { size: 5 } };
    const noToken = await call('PUT', a.conn('auth-0'), { ca: sb.caPem, body: git() });
    assert.deepEqual([noToken.status, rateLimits(noToken)], [401, {}]);
    const invalid = await a.put(a.conn('x'), git()); // the name is too short: 400
    assert.deepEqual([invalid.status, rateLimits(invalid)], [400, { writes: '4' }]);
    sb.faults.status(503, { method: 'PUT' });
    const injected = await a.put(a.conn('auth-1'), git());
    assert.deepEqual([injected.status, rateLimits(injected)], [503, {}], 'an injected fault stands in for the whole request');
    assert.equal(sb.throttle.remaining(ws.subscriptionId, 'sandbox-test-client', 'writes'), 4);
  });

  it('can be changed on a live sandbox (every bucket full again), turned off, and its counters reset', async () => {
    sb.throttling = { writes: { size: 1 } };
    await a.put(a.conn('live-0'), git());
    assert.equal((await a.put(a.conn('live-1'), git())).status, 429);
    sb.throttling = { writes: { size: 2 } };
    const limits = sb.throttling;
    assert.ok(limits);
    assert.deepEqual(limits.writes, { size: 2, refillPerSecond: 10 }, "the refill not given stays ARM's");
    assert.deepEqual(limits.reads, ARM_BUCKETS.reads);
    assert.deepEqual(rateLimits(await a.put(a.conn('live-1'), git())), { writes: '1' });
    sb.throttling = false;
    assert.deepEqual(rateLimits(await a.put(a.conn('live-2'), git())), {});
    assert.equal(sb.throttle.remaining(ws.subscriptionId, 'sandbox-test-client', 'writes'), undefined);
    assert.deepEqual([sb.throttle.throttledTotal, sb.throttle.spent.writes], [1, 3]);
    sb.throttle.resetCounters();
    assert.deepEqual([sb.throttle.throttled, sb.throttle.spent], [{ reads: 0, writes: 0, deletes: 0 }, { reads: 0, writes: 0, deletes: 0 }]);
  });

  it('refuses sizes and refill rates that cannot work', () => {
    const t = new ArmThrottle(clock);
    assert.throws(() => t.configure({ writes: { size: 0 } }), /throttling\.writes\.size must be a number of at least 1, not 0/);
    assert.throws(() => t.configure({ reads: { refillPerSecond: 0 } }), /throttling\.reads\.refillPerSecond must be a number above 0, not 0/);
    assert.throws(() => t.configure({ deletes: { size: Number.NaN } }), RangeError);
    assert.equal(t.limits, false, 'a refused configuration changes nothing');
  });

  it('keeps exact counts over many small refills (thousandths of a token)', async () => {
    const t = new ArmThrottle(clock, { writes: { size: 1, refillPerSecond: 10 } });
    assert.equal(t.spend('s', 'p', 'PUT').remaining, 0);
    for (let i = 0; i < 100; i++) {
      assert.equal(t.spend('s', 'p', 'POST').retryAfterSeconds, 1, `after ${i} ms`);
      await clock.advance(1);
    }
    assert.deepEqual(t.spend('s', 'p', 'PATCH'), { bucket: 'writes', remaining: 0, globalRemaining: 2999 }, 'one token after exactly 100 ms at 10/s');
  });
});
