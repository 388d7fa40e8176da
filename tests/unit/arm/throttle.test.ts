import * as assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ArmThrottle, BudgetMirror, classify, poolWidth } from '../../../src/arm/throttle';
import { ManualClock } from '../../support/clock';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const ARM = 'https://arm.example/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/connections';

function response(status: number, headers: Record<string, string> = {}): PipelineResponse {
  return { status, headers: createHttpHeaders(headers), request: createPipelineRequest({ url: ARM }) };
}

/** Requests the test answers by hand: send() returns a promise the test resolves. */
class Server {
  readonly pending: { method: string; url: string; answer: (r: PipelineResponse) => void }[] = [];
  send(throttle: ArmThrottle, method: string, url = `${ARM}/c`): Promise<PipelineResponse> {
    return throttle.run(method, url, () => new Promise((answer) => this.pending.push({ method, url, answer })));
  }
  answer(i: number, r: PipelineResponse): void {
    const [p] = this.pending.splice(i, 1);
    p!.answer(r);
  }
}

describe('arm/throttle', () => {
  it('tells the pool and budget of a request: GET reads, listsecrets its own pool on the write budget, DELETE the delete budget', () => {
    assert.deepEqual(classify('GET', `${ARM}?api-version=1`), { pool: 'reads', budget: 'reads' });
    assert.deepEqual(classify('POST', `${ARM}/c/listsecrets?api-version=1`), { pool: 'secretReads', budget: 'writes' });
    assert.deepEqual(classify('POST', `${ARM}/c/testconnection?api-version=1`), { pool: 'writes', budget: 'writes' });
    assert.deepEqual(classify('PUT', `${ARM}/c?api-version=1`), { pool: 'writes', budget: 'writes' });
    assert.deepEqual(classify('DELETE', `${ARM}/c?api-version=1`), { pool: 'writes', budget: 'deletes' });
    assert.deepEqual([poolWidth('auto', 'writes'), poolWidth('auto', 'secretReads'), poolWidth(5, 'writes')], [32, 64, 5]);
  });

  it('auto: starts 8 writes in flight, widens by one per success, never beyond 32', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const done = Array.from({ length: 40 }, () => server.send(t, 'PUT'));
    await flush();
    assert.equal(server.pending.length, 8, 'eight at first');
    server.answer(0, response(200));
    await flush();
    assert.equal(server.pending.length, 9, 'one answered, limit 9: two more started');
    for (let i = 0; i < 30; i++) {
      server.answer(0, response(200));
      await flush();
    }
    assert.equal(t.limit('writes'), 32);
    assert.ok(server.pending.length <= 32);
    while (server.pending.length) {
      server.answer(0, response(200));
      await flush();
    }
    await Promise.all(done);
    assert.equal(t.figures().widest.writes, 32);
  });

  it('a number fixes the bound and the start', async () => {
    const t = new ArmThrottle({ maxParallel: 3, clock: new ManualClock(0) });
    const server = new Server();
    const done = Array.from({ length: 10 }, () => server.send(t, 'PUT'));
    await flush();
    assert.equal(server.pending.length, 3);
    while (server.pending.length) {
      assert.ok(server.pending.length <= 3);
      server.answer(0, response(200));
      await flush();
    }
    await Promise.all(done);
    assert.equal(t.limit('writes'), 3);
  });

  it("a 429's Retry-After pauses the whole write budget (writes and secret reads), not the reads; the pools sharing it halve; the request is sent again", async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const first = server.send(t, 'PUT');
    await flush();
    server.answer(0, response(429, { 'retry-after': '2' }));
    await flush();
    assert.deepEqual([t.limit('writes'), t.limit('secretReads'), t.limit('reads')], [4, 8, 8]);

    const put = server.send(t, 'PUT');
    const secrets = server.send(t, 'POST', `${ARM}/c/listsecrets`);
    const get = server.send(t, 'GET');
    await flush();
    assert.deepEqual(server.pending.map((p) => p.method), ['GET'], 'only the read goes out during the pause');
    await clock.advance(1999);
    assert.equal(server.pending.length, 1);
    await clock.advance(1);
    assert.deepEqual(server.pending.map((p) => p.method).sort(), ['GET', 'POST', 'PUT', 'PUT'], 'the throttled PUT again, and the others');
    while (server.pending.length) server.answer(0, response(200));
    assert.deepEqual((await Promise.all([first, put, secrets, get])).map((r) => r.status), [200, 200, 200, 200]);
    assert.deepEqual(t.figures().throttled, { reads: 0, writes: 1, deletes: 0 });
  });

  it('gives a 429 back after as many retries as it may make', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock, maxThrottledRetries: 1 });
    const server = new Server();
    const only = server.send(t, 'PUT');
    await flush();
    server.answer(0, response(429, { 'retry-after': '1' }));
    await clock.untilSleeping();
    await clock.advance(1000);
    await flush();
    server.answer(0, response(429, { 'retry-after': '1' }));
    assert.equal((await only).status, 429);
    assert.deepEqual(clock.sleeps, [1000]);
  });

  it('paces by the budget header: when it says nothing is left, the next write waits for one token at ARM refill rate', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const a = server.send(t, 'PUT');
    await flush();
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '0' }));
    await a;
    assert.equal(t.limit('writes'), 4, 'a low header halves the pool at once');
    const b = server.send(t, 'PUT');
    await flush();
    assert.equal(server.pending.length, 0, 'held: no token left');
    assert.deepEqual(clock.sleeps, [100], 'one token at 10 writes a second');
    await clock.advance(100);
    assert.equal(server.pending.length, 1);
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '150' }));
    await b;
    const c = server.send(t, 'DELETE');
    await flush();
    assert.equal(server.pending.length, 1, 'deletes spend from their own budget');
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-deletes': '199' }));
    await c;
    assert.deepEqual(t.figures().lowest, { writes: 0, deletes: 199 });
  });

  it("follows the subscription's shared bucket too: a low -global- header halves the pools though the principal's own is full, and paces at its rate", async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    // another pipeline (another principal) has all but emptied the subscription's write bucket
    const a = server.send(t, 'PUT');
    await flush();
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '199', 'x-ms-ratelimit-remaining-subscription-global-writes': '0' }));
    await a;
    assert.deepEqual([t.limit('writes'), t.limit('secretReads'), t.limit('reads')], [4, 8, 8], 'the pools on the write budget halve; reads do not');
    const b = server.send(t, 'PUT');
    await flush();
    assert.equal(server.pending.length, 0, 'held: the shared bucket has no token');
    assert.deepEqual(clock.sleeps, [Math.ceil(1000 / 150)], 'one token at the subscription-wide 150 writes a second');
    await clock.advance(7);
    assert.equal(server.pending.length, 1);
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '198', 'x-ms-ratelimit-remaining-subscription-global-writes': '2500' }));
    await b;
    // comfortable in both: the pool widens again
    const c = server.send(t, 'PUT');
    await flush();
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '197', 'x-ms-ratelimit-remaining-subscription-global-writes': '2499' }));
    await c;
    assert.equal(t.limit('writes'), 6, 'halved to 4, then one more per answer that left both buckets comfortable');
    assert.deepEqual(t.figures().lowest, { writes: 197 });
    assert.deepEqual(t.figures().lowestGlobal, { writes: 0 });
  });

  it("a shared bucket's header above the pool's width is not low, however far below its size: 2,999 of 3,000 and 40 of 3,000 alike", async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const done = Array.from({ length: 3 }, () => server.send(t, 'PUT'));
    await flush();
    for (const left of ['2999', '40', '39']) {
      server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '190', 'x-ms-ratelimit-remaining-subscription-global-writes': left }));
      await flush();
    }
    await Promise.all(done);
    assert.equal(t.limit('writes'), 11, 'widened by one per answer: none of them was low against a pool of at most 10');
  });

  it('a 429 from a bucket its header says is empty: someone else spends from it, so the run counts on half its refill from then on (once per round trip)', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const empty = { 'x-ms-ratelimit-remaining-subscription-writes': '150', 'x-ms-ratelimit-remaining-subscription-global-writes': '0', 'retry-after': '1' };
    // two 429s of one burst, then one without any header (not a sign of a shared bucket)
    const done = [server.send(t, 'PUT'), server.send(t, 'PUT')];
    await flush();
    server.answer(0, response(429, empty));
    server.answer(0, response(429, empty));
    await flush();
    await clock.advance(1000);
    // the retries: the shared bucket says nothing is left, so the next write waits at the halved refill, 75 a second
    assert.equal(server.pending.length, 2);
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '149', 'x-ms-ratelimit-remaining-subscription-global-writes': '1' }));
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '148', 'x-ms-ratelimit-remaining-subscription-global-writes': '0' }));
    await Promise.all(done);
    const before = clock.sleeps.length;
    const next = server.send(t, 'PUT');
    await flush();
    assert.equal(server.pending.length, 0, 'held: no token in the shared bucket');
    assert.deepEqual(clock.sleeps.slice(before), [Math.ceil(1000 / 75)], 'one token at half of 150 a second: one 429 burst halved it once');
    await clock.advance(14);
    server.answer(0, response(429, { 'retry-after': '1' }));
    await flush();
    await clock.advance(1000);
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '147', 'x-ms-ratelimit-remaining-subscription-global-writes': '0' }));
    await next;
    const again = clock.sleeps.length;
    const last = server.send(t, 'PUT');
    await flush();
    assert.deepEqual(clock.sleeps.slice(again), [Math.ceil(1000 / 75)], 'a 429 with no empty bucket in its headers did not halve it again');
    await clock.advance(14);
    server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '146', 'x-ms-ratelimit-remaining-subscription-global-writes': '5' }));
    await last;
  });

  it('halves once per round trip: answers to requests sent before the halving do not halve it again', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const low = { 'x-ms-ratelimit-remaining-subscription-writes': '0' };
    const done = Array.from({ length: 12 }, () => server.send(t, 'PUT'));
    await flush();
    assert.equal(server.pending.length, 8);
    for (let i = 0; i < 8; i++) {
      server.answer(0, response(200, low));
      await flush();
    }
    assert.equal(t.limit('writes'), 4, 'eight low answers of one round: halved once, 8 -> 4');
    assert.equal(server.pending.length, 0, 'and held: the header left no token');
    await clock.advance(1000); // ten tokens back
    assert.equal(server.pending.length, 4, 'the next round, four wide');
    server.answer(0, response(200, low));
    await flush();
    assert.equal(t.limit('writes'), 2, 'a low answer to a request sent after the halving halves again');
    while (server.pending.length) server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '150' }));
    assert.equal((await Promise.all(done)).length, 12);
  });

  it('a header under the pool but above a tenth of the bucket is not low: the pool keeps widening', async () => {
    const clock = new ManualClock(0);
    const t = new ArmThrottle({ maxParallel: 'auto', clock });
    const server = new Server();
    const done = Array.from({ length: 40 }, () => server.send(t, 'PUT'));
    await flush();
    for (let i = 0; i < 16; i++) {
      server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '180' }));
      await flush();
    }
    assert.equal(t.limit('writes'), 24);
    // what a header says is left, less the requests still in flight (they spend from it too)
    const leaving = (n: number) => ({ 'x-ms-ratelimit-remaining-subscription-writes': String(n + server.pending.length - 1) });
    server.answer(0, response(200, leaving(21)));
    await flush();
    assert.equal(t.limit('writes'), 25, '21 left: fewer than the pool sends, but above the reserve of 20, so not low');
    server.answer(0, response(200, leaving(10)));
    await flush();
    assert.equal(t.limit('writes'), 12, '10 left: low, halved');
    while (server.pending.length) {
      server.answer(0, response(200, { 'x-ms-ratelimit-remaining-subscription-writes': '150' }));
      await flush();
    }
    assert.equal((await Promise.all(done)).length, 40);
  });

  it('counts requests still in flight against what a header says is left, and refills at the rate', async () => {
    const clock = new ManualClock(0);
    const b = new BudgetMirror(10, clock);
    for (const _ of [0, 1, 2]) await b.take(); // no header yet: nothing known, nothing held
    b.done();
    b.observe(4); // four left after the first; the two still in flight will spend two of them
    await b.take();
    await b.take();
    let third = false;
    const waiting = b.take().then(() => (third = true));
    await flush();
    assert.equal(third, false);
    assert.deepEqual(clock.sleeps, [100]);
    await clock.advance(100);
    await waiting;
    assert.equal(third, true);
    assert.equal(b.low(1), true, 'nothing left now');
    await clock.advance(1000);
    assert.equal(b.low(10), false, 'ten refilled in a second');
  });
});
