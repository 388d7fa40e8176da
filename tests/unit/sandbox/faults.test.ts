import * as assert from 'node:assert/strict';
import { startSandbox, type SandboxImpl } from '../../../sandbox';
import { API, arm, call } from './support';

const ws = { subscriptionId: 'bbbbbbbb-0000-0000-0000-000000000001', resourceGroup: 'rg-faults', workspace: 'ws-faults' };
const body = { properties: { authType: 'None', category: 'Git', target: 'https://x' } };

describe('sandbox faults, latency and throttling', function () {
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

  it('injects a timeout: the request gets no answer (the client gives up)', async () => {
    sb.faults.timeout({ path: /workspaces\/ws-faults$/ });
    const started = Date.now();
    await assert.rejects(
      new Promise((resolve, reject) => {
        void call('GET', `${a.base}?${API}`, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.armToken()}` } }).then(resolve, reject);
        setTimeout(() => reject(new Error('client timeout')), 300);
      }),
      /client timeout/,
    );
    assert.ok(Date.now() - started >= 290);
    assert.equal((await a.get(`${a.base}?${API}`)).status, 200);
  });

  it('adds latency to every ARM request', async () => {
    sb.latencyMs = 150;
    const t = Date.now();
    await a.get(`${a.base}?${API}`);
    assert.ok(Date.now() - t >= 140);
  });

  it('throttles writes above maxWritesPerSecond with 429 Retry-After: 1', async () => {
    sb.maxWritesPerSecond = 3;
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => a.put(a.conn(`thr-${i}`), body)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const throttled = results.find((r) => r.status === 429)!;
    assert.equal(throttled.headers['retry-after'], '1');
    // reads are not throttled
    assert.equal((await a.get(`${a.base}/connections?${API}`)).status, 200);
    await new Promise((r) => setTimeout(r, 1050));
    assert.equal((await a.put(a.conn('thr-9'), body)).status, 200);
  });
});
