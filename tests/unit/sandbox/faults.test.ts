import * as assert from 'node:assert/strict';
import { Faults, startSandbox, type FaultSpec, type RandomFaultKind, type SandboxImpl } from '../../../sandbox';
import { API, arm } from './support';
import { ManualClock, settle } from '../../support/clock';

const ws = { subscriptionId: 'bbbbbbbb-0000-0000-0000-000000000001', resourceGroup: 'rg-faults', workspace: 'ws-faults' };
const body = { properties: { authType: 'None', category: 'Git', target: 'https://x' } };

describe('sandbox faults and latency', function () {
  let sb: SandboxImpl;
  let a: ReturnType<typeof arm>;
  beforeEach(async () => {
    sb = await startSandbox();
    sb.addWorkspace(ws);
    a = arm(sb, ws);
  });
  afterEach(async () => sb.stop());

  it('injects a status (429 with Retry-After) for the next N matching requests only', async () => {
    sb.faults.status(429, { method: 'PUT', path: /\/connections\//, count: 2, retryAfter: 3 });
    const get = await a.get(`${a.base}/connections?${API}`);
    assert.equal(get.status, 200, 'other methods are untouched');
    const r1 = await a.put(a.conn('f-one'), body);
    assert.equal(r1.status, 429);
    assert.equal(r1.headers['retry-after'], '3');
    assert.equal(r1.json.error.code, 'TooManyRequests');
    assert.ok(r1.headers['x-ms-request-id']);
    assert.equal((await a.put(a.conn('f-one'), body)).status, 429);
    assert.equal((await a.put(a.conn('f-one'), body)).status, 200);
    assert.equal(sb.faults.pending, 0);
    assert.deepEqual(
      sb.requests.filter((r) => r.method === 'PUT').map((r) => [r.status, r.fault]),
      [
        [429, 'status'],
        [429, 'status'],
        [200, undefined],
      ],
    );
  });

  it('injects 500 and 503', async () => {
    sb.faults.status(500, { method: 'GET' });
    sb.faults.status(503, { method: 'GET' });
    assert.equal((await a.get(`${a.base}?${API}`)).status, 500);
    const r = await a.get(`${a.base}?${API}`);
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, 'ServiceUnavailable');
    assert.equal((await a.get(`${a.base}?${API}`)).status, 200);
  });

  it('injects a connection reset', async () => {
    sb.faults.reset({ method: 'DELETE' });
    await assert.rejects(a.del(a.conn('gone-one')), (e: NodeJS.ErrnoException) => ['ECONNRESET', 'EPIPE'].includes(e.code ?? '') || /socket hang up/.test(e.message));
    assert.equal((await a.del(a.conn('gone-one'))).status, 204);
    assert.equal(sb.requests[0].fault, 'reset');
  });

  it('injects a lost answer: the write is stored, then the connection drops before the answer', async () => {
    sb.faults.lostAnswer({ method: 'PUT' });
    await assert.rejects(a.put(a.conn('lost-one'), body), (e: NodeJS.ErrnoException) => ['ECONNRESET', 'EPIPE'].includes(e.code ?? '') || /socket hang up/.test(e.message));
    assert.equal(sb.storedConnection(ws, 'lost-one')?.properties.target, 'https://x', 'the write happened');
    assert.deepEqual(
      sb.requests.map((r) => [r.method, r.status, r.fault]),
      [['PUT', 200, 'lostAnswer']],
      'recorded with the status it was handled with',
    );
    assert.equal((await a.put(a.conn('lost-one'), body)).status, 200, 'the retry is answered');
    assert.deepEqual(sb.faults.injected, { lostAnswer: 1 });
  });

  it('counts every injected fault by kind (status faults by their status)', async () => {
    sb.faults.status(429, { method: 'GET', retryAfter: 1 });
    sb.faults.status(403, { method: 'GET', code: 'AuthorizationFailed' });
    sb.faults.reset({ method: 'DELETE' });
    assert.equal((await a.get(`${a.base}?${API}`)).status, 429);
    const forbidden = await a.get(`${a.base}?${API}`);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.json.error.code, 'AuthorizationFailed');
    await assert.rejects(a.del(a.conn('gone-one')));
    assert.deepEqual(sb.faults.injected, { '429': 1, '403': 1, reset: 1 });
    assert.equal(sb.faults.injectedTotal, 3);
    sb.faults.resetInjected();
    assert.deepEqual(sb.faults.injected, {});
  });

  describe('random faults', () => {
    const ALL: RandomFaultKind[] = ['429', '500', '503', 'reset', 'lostAnswer'];
    const label = (f: FaultSpec | undefined) => (f === undefined ? '-' : f.kind === 'status' ? String(f.status) : String(f.kind));
    const draw = (faults: Faults, n: number, method = 'PUT') => Array.from({ length: n }, (_, i) => label(faults.take('arm', method, `/subscriptions/s/c${i}`)));

    it('is seeded: the same seed gives the same faults in the same order, another seed others', () => {
      const one = new Faults();
      const two = new Faults();
      const other = new Faults();
      one.random({ rate: 0.2, seed: 7 });
      two.random({ rate: 0.2, seed: 7 });
      other.random({ rate: 0.2, seed: 8 });
      const a1 = draw(one, 300);
      assert.deepEqual(draw(two, 300), a1);
      assert.notDeepEqual(draw(other, 300), a1);
    });

    it('hits about `rate` of the matching requests, every kind about equally, and counts them by kind', () => {
      const faults = new Faults();
      faults.random({ rate: 0.2, seed: 42, kinds: ALL });
      const outcomes = draw(faults, 10_000);
      const hits = outcomes.filter((o) => o !== '-');
      assert.ok(hits.length > 1_850 && hits.length < 2_150, `${hits.length} of 10000`);
      for (const kind of ALL) {
        const n = hits.filter((h) => h === kind).length;
        assert.ok(n > 330 && n < 470, `${kind}: ${n}`);
        assert.equal(faults.injected[kind], n);
      }
      assert.equal(faults.injectedTotal, hits.length);
    });

    it('only touches matching requests, draws only the given kinds, lets scripted faults go first, and ends with clear()', () => {
      const faults = new Faults();
      faults.random({ rate: 1, seed: 3, kinds: ['503', 'reset'], service: 'arm', method: 'PUT', path: /\/connections\// });
      assert.equal(label(faults.take('entra', 'PUT', '/t/connections/x')), '-');
      assert.equal(label(faults.take('arm', 'GET', '/w/connections/x')), '-');
      assert.equal(label(faults.take('arm', 'PUT', '/w/other')), '-');
      const drawn = Array.from({ length: 50 }, () => label(faults.take('arm', 'PUT', '/w/connections/x')));
      assert.deepEqual([...new Set(drawn)].sort(), ['503', 'reset']);
      faults.status(429, { method: 'PUT', retryAfter: 2 });
      const scripted = faults.take('arm', 'PUT', '/w/connections/x');
      assert.deepEqual([label(scripted), scripted?.retryAfter], ['429', 2]);
      faults.clear();
      assert.equal(label(faults.take('arm', 'PUT', '/w/connections/x')), '-');
      assert.throws(() => faults.random({ rate: 1.5 }), RangeError);
      assert.throws(() => faults.random({ rate: 0.5, kinds: [] }), RangeError);
    });

    it('over HTTP: 429 with the given Retry-After, 500, 503, a reset before handling and a lost answer after it', async () => {
      sb.faults.random({ rate: 1, seed: 1, kinds: ['429'], retryAfter: 4, service: 'arm' });
      const throttled = await a.put(a.conn('rnd-429'), body);
      assert.deepEqual([throttled.status, throttled.headers['retry-after'], throttled.json.error.code], [429, '4', 'TooManyRequests']);
      for (const status of [500, 503] as const) {
        sb.faults.random({ rate: 1, kinds: [String(status) as RandomFaultKind], service: 'arm' });
        const r = await a.put(a.conn(`rnd-${status}`), body);
        assert.equal(r.status, status);
        assert.equal(r.headers['retry-after'], undefined);
      }
      sb.faults.random({ rate: 1, kinds: ['reset'], service: 'arm' });
      await assert.rejects(a.put(a.conn('rnd-reset'), body));
      sb.faults.random({ rate: 1, kinds: ['lostAnswer'], service: 'arm' });
      await assert.rejects(a.put(a.conn('rnd-lost'), body));
      sb.faults.clear();
      assert.deepEqual(
        sb.storedConnections(ws).map((c) => c.name),
        ['rnd-lost'],
        'only the lost answer was handled',
      );
      assert.deepEqual(sb.faults.injected, { '429': 1, '500': 1, '503': 1, reset: 1, lostAnswer: 1 });
      assert.deepEqual(
        sb.requests.map((r) => [r.status, r.fault]),
        [
          [429, 'status'],
          [500, 'status'],
          [503, 'status'],
          [0, 'reset'],
          [200, 'lostAnswer'],
        ],
      );
    });
  });

  describe('on the sandbox clock', () => {
    let clock: ManualClock;
    beforeEach(async () => {
      await sb.stop();
      clock = new ManualClock();
      sb = await startSandbox({ clock });
      sb.addWorkspace(ws);
      a = arm(sb, ws);
    });
    /** whether the sandbox sleeps on its clock before `request` is answered (a broken wait fails at once, not by timeout) */
    const sleepsFirst = (request: Promise<unknown>) =>
      Promise.race([clock.untilSleeping().then(() => 'sleeping'), request.then(() => 'answered', () => 'dropped')]);

    it('injects a timeout: the request is held without an answer for delayMs, then its connection is dropped', async () => {
      sb.faults.timeout({ path: /workspaces\/ws-faults$/, delayMs: 30_000 });
      let settled = false;
      const held = a.get(`${a.base}?${API}`).finally(() => (settled = true));
      const dropped = assert.rejects(held, (e: NodeJS.ErrnoException) => ['ECONNRESET', 'EPIPE'].includes(e.code ?? '') || /socket hang up/.test(e.message));
      assert.equal(await sleepsFirst(held), 'sleeping');
      assert.deepEqual(clock.sleeps, [30_000]);
      await clock.advance(29_999);
      assert.equal(settled, false, 'no answer before delayMs');
      assert.equal(sb.requests.length, 0, 'not answered, so not recorded yet');
      await clock.advance(1);
      await dropped;
      assert.deepEqual(sb.requests.map((r) => [r.status, r.fault]), [[0, 'timeout']]);
      assert.deepEqual(sb.faults.injected, { timeout: 1 });
      assert.equal((await a.get(`${a.base}?${API}`)).status, 200, 'the next one is answered');
    });

    it('holds a timeout without delayMs until stop()', async () => {
      sb.faults.timeout({ path: /workspaces\/ws-faults$/ });
      const dropped = assert.rejects(a.get(`${a.base}?${API}`));
      while (sb.requests.length === 0) await settle(1);
      assert.deepEqual(sb.requests.map((r) => [r.status, r.fault]), [[0, 'timeout']]);
      assert.deepEqual(clock.sleeps, [], 'held, not slept on');
      await sb.stop();
      await dropped;
    });

    it('delays a request by delayMs, then handles it', async () => {
      sb.faults.add({ kind: 'delay', method: 'PUT', delayMs: 250 });
      const put = a.put(a.conn('slow-one'), body);
      assert.equal(await sleepsFirst(put), 'sleeping');
      assert.deepEqual(clock.sleeps, [250]);
      assert.equal(sb.storedConnection(ws, 'slow-one'), undefined, 'not handled before delayMs');
      const t0 = clock.now();
      await clock.advance(250);
      assert.equal((await put).status, 200);
      assert.deepEqual(sb.requests.map((r) => [r.method, r.status, r.fault, r.at - t0]), [['PUT', 200, 'delay', 250]]);
    });

    it('adds latency to every ARM request', async () => {
      sb.latencyMs = 150;
      const t0 = clock.now();
      const get = a.get(`${a.base}?${API}`);
      assert.equal(await sleepsFirst(get), 'sleeping');
      assert.deepEqual(clock.sleeps, [150]);
      await clock.advance(149);
      assert.equal(sb.requests.length, 0, 'not answered before the latency has passed');
      await clock.advance(1);
      assert.equal((await get).status, 200);
      assert.deepEqual(sb.requests.map((r) => r.at - t0), [150], 'answered after 150 ms of the sandbox clock');
    });
  });
});
