import assert from 'node:assert/strict';
import { isUserError } from '../../../src/core/errors';
import { ManualClock } from '../../support/clock';
import { inspect } from 'node:util';
import type { ArmRequestInfo } from '../../../src/arm/client';
import { ArmClient } from '../../../src/arm/client';
import { describeError, isArmError, type ArmError } from '../../../src/core/errors';
import {
  activeTimers,
  API_VERSION,
  armError,
  ArmTestServer,
  ConnectProxy,
  FakeCredential,
  json,
  reset,
  sequence,
  testClient,
  TOKEN,
  USER_AGENT,
} from './support';


async function rejects(promise: Promise<unknown>): Promise<ArmError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isArmError(e), `expected an ArmError, got ${inspect(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('ArmClient', () => {
  let server: ArmTestServer;
  before(async () => {
    server = await ArmTestServer.start();
  });
  after(async () => {
    await server.close();
  });

  describe('requests', () => {
    it('sends JSON with api-version, bearer token, our User-Agent and Content-Type, and parses the answer', async () => {
      server.reset((_req, res) => json(res, 200, { name: 'c1' }, { 'x-ms-request-id': 'r-1' }));
      const credential = new FakeCredential();
      const client = testClient(server, { credential, scope: 'https://management.azure.com/.default' });

      const response = await client.send<{ name: string }>('PUT', '/subscriptions/s/x?a=1', { properties: { authType: 'None' } });

      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { name: 'c1' });
      assert.equal(response.headers['x-ms-request-id'], 'r-1');
      assert.equal(server.requests.length, 1);
      const req = server.requests[0];
      assert.equal(req.method, 'PUT');
      assert.equal(req.url, `/subscriptions/s/x?a=1&api-version=${API_VERSION}`);
      assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
      assert.ok(req.headers['user-agent']?.startsWith(USER_AGENT), req.headers['user-agent']);
      assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(req.headers.accept, 'application/json');
      assert.ok(req.headers['x-ms-client-request-id']);
      assert.deepEqual(JSON.parse(req.body), { properties: { authType: 'None' } });
      assert.deepEqual(credential.scopes, [['https://management.azure.com/.default']]);
    });

    it('sends no body and no Content-Type when there is no body; an empty answer gives body undefined', async () => {
      server.reset((_req, res) => json(res, 204));
      const response = await testClient(server).send('DELETE', '/a');
      assert.equal(response.status, 204);
      assert.equal(response.body, undefined);
      assert.equal(server.requests[0].headers['content-type'], undefined);
      assert.equal(server.requests[0].body, '');
      assert.equal(server.requests[0].url, `/a?api-version=${API_VERSION}`);
    });

    it('follows an absolute link verbatim, adds api-version only when it has none, and refuses other hosts', async () => {
      server.reset((_req, res) => json(res, 200, {}));
      const client = testClient(server);
      await client.send('GET', `${server.url}/next?%24skip=2&api-version=2020-01-01&x=a%2Fb`);
      await client.send('GET', `${server.url}/op/1`);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ['/next?%24skip=2&api-version=2020-01-01&x=a%2Fb', `/op/1?api-version=${API_VERSION}`],
      );

      const err = await rejects(client.send('GET', 'https://evil.example.com/next?api-version=1'));
      assert.equal(err.code, 'UntrustedLink');
      assert.equal(server.requests.length, 2);
    });

    it('refuses a plain http ARM URL with one sentence (a UserError)', () => {
      assert.throws(() => new ArmClient({ armUrl: 'http://127.0.0.1:1', credential: new FakeCredential(), scope: 's', apiVersion: API_VERSION, userAgent: USER_AGENT }), (e) => isUserError(e) && /http:\/\/127\.0\.0\.1:1/.test((e as Error).message));
    });

    it('does not trust the test CA unless tlsCaPem is given', async () => {
      server.reset((_req, res) => json(res, 200, {}));
      const err = await rejects(testClient(server, { tlsCaPem: undefined }).send('GET', '/a'));
      assert.equal(err.statusCode, undefined);
      assert.match(err.message, /^Could not reach 127\.0\.0\.1:\d+: .*certificate/);
      assert.equal(server.requests.length, 0);
    });

    it('lets an error from the credential through unchanged', async () => {
      server.reset((_req, res) => json(res, 200, {}));
      const credential = { getToken: async () => Promise.reject(new Error('no token for you')) };
      await assert.rejects(testClient(server, { credential }).send('GET', '/a'), (e: Error) => !isArmError(e) && e.message === 'no token for you');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('errors', () => {
    it('turns an ARM error body into an ArmError with status, code, message and request id', async () => {
      server.reset((_req, res) => armError(res, 409, 'Conflict', 'The connection is being updated.', 'req-409'));
      const err = await rejects(testClient(server).send('PUT', '/c/x', { properties: {} }));
      assert.equal(err.name, 'ArmError');
      assert.equal(err.statusCode, 409);
      assert.equal(err.code, 'Conflict');
      assert.equal(err.message, 'The connection is being updated.');
      assert.equal(err.requestId, 'req-409');
      assert.equal(err.method, 'PUT');
      assert.equal(err.url, `${server.url}/c/x?api-version=${API_VERSION}`);
      assert.equal(describeError(err), 'The connection is being updated. (HTTP 409, Conflict, request id req-409)');
    });

    it('accepts the top-level {code, message} shape too', async () => {
      server.reset((_req, res) => json(res, 400, { code: 'BadThing', message: 'Bad thing.' }));
      const err = await rejects(testClient(server).send('GET', '/a'));
      assert.deepEqual([err.statusCode, err.code, err.message], [400, 'BadThing', 'Bad thing.']);
    });

    it('never shows a non-JSON error body', async () => {
      server.reset((_req, res) => {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>gateway secret-ish page</html>');
      });
      const err = await rejects(testClient(server, { retry: { maxRetries: 0 } }).send('GET', '/a/b'));
      assert.equal(err.message, 'GET /a/b failed with HTTP 502.');
      assert.equal(err.code, undefined);
    });

    it('keeps a secret sent in a PUT body out of the error, even when the service echoes it', async () => {
      const secret = 'sup3r-S3cret-key/with+chars==';
      server.reset((req, res) => {
        const sent = JSON.parse(req.body) as { properties: { credentials: { key: string } } };
        armError(res, 400, 'ValidationError', `Invalid key '${sent.properties.credentials.key}' for ApiKey.`);
      });
      const err = await rejects(
        testClient(server).send('PUT', '/c/x', { properties: { authType: 'ApiKey', credentials: { key: secret } } }),
      );
      assert.equal(err.statusCode, 400);
      assert.equal(err.message, "Invalid key '***' for ApiKey.");
      for (const text of [err.message, describeError(err), inspect(err, { depth: 5 }), JSON.stringify(err), String(err.stack)]) {
        assert.ok(!text.includes(secret), text);
        assert.ok(!text.includes(TOKEN), text);
      }
    });
  });

  describe('retries', () => {
    it('retries 429 after Retry-After seconds (on its clock), then succeeds', async () => {
      server.reset(sequence((_r, res) => armError(res, 429, 'TooManyRequests', 'slow down', 'r', { 'Retry-After': '1' }), (_r, res) => json(res, 200, { ok: true })));
      const clock = new ManualClock();
      const sent = testClient(server, { clock }).send('GET', '/a');
      await clock.untilSleeping();
      assert.deepEqual(clock.sleeps, [1000], 'it waits what the service said');
      assert.equal(server.requests.length, 1, 'and sends nothing meanwhile');
      await clock.advance(1000);
      const response = await sent;
      assert.deepEqual(response.body, { ok: true });
      assert.equal(server.requests.length, 2);
    });

    it('honours retry-after-ms and x-ms-retry-after-ms on 429', async () => {
      server.reset(
        sequence(
          (_r, res) => armError(res, 429, 'TooManyRequests', 'slow down', 'r', { 'retry-after-ms': '30' }),
          (_r, res) => armError(res, 429, 'TooManyRequests', 'slow down', 'r', { 'x-ms-retry-after-ms': '30' }),
          (_r, res) => json(res, 200, {}),
        ),
      );
      const clock = new ManualClock();
      const sent = testClient(server, { clock }).send('GET', '/a');
      await clock.untilSleeping();
      await clock.advance(30);
      await clock.untilSleeping();
      await clock.advance(30);
      await sent;
      assert.deepEqual(clock.sleeps, [30, 30]);
      assert.equal(server.requests.length, 3);
    });

    for (const status of [500, 503, 408]) {
      it(`retries ${status}, then succeeds`, async () => {
        server.reset(sequence((_r, res) => armError(res, status, 'Transient', 'try again'), (_r, res) => json(res, 200, { ok: 1 })));
        const response = await testClient(server).send('GET', '/a');
        assert.equal(response.status, 200);
        assert.equal(server.requests.length, 2);
      });
    }

    it('retries a reset connection, and reports every attempt to onRequest', async () => {
      server.reset(sequence(reset, (_r, res) => json(res, 200, { ok: 1 })));
      const seen: ArmRequestInfo[] = [];
      const response = await testClient(server, { onRequest: (i) => seen.push(i) }).send('POST', '/a/listsecrets');
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(
        seen.map(({ method, url, status, attempt }) => ({ method, url, status, attempt })),
        [
          { method: 'POST', url: `${server.url}/a/listsecrets?api-version=${API_VERSION}`, status: undefined, attempt: 1 },
          { method: 'POST', url: `${server.url}/a/listsecrets?api-version=${API_VERSION}`, status: 200, attempt: 2 },
        ],
      );
      assert.ok(seen.every((i) => i.durationMs >= 0 && Object.keys(i).length === 5));
    });

    it('retries a request that times out', async () => {
      server.reset(sequence(() => undefined /* never answers */, (_r, res) => json(res, 200, { ok: 1 })));
      const response = await testClient(server, { timeoutInMs: 150 }).send('GET', '/slow');
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 2);
    });

    it('reports a timeout that outlasts the retries as an ArmError', async () => {
      server.reset(() => undefined);
      const attempts: (number | undefined)[] = [];
      const client = testClient(server, { timeoutInMs: 200, retry: { maxRetries: 1, retryDelayInMs: 1 }, onRequest: (i) => attempts.push(i.status) });
      const err = await rejects(client.send('GET', '/slow'));
      assert.equal(err.code, 'ETIMEDOUT');
      assert.match(err.message, /timed out after 200 ms/);
      assert.deepEqual(attempts, [undefined, undefined]);
    });

    it('retries a lost connection six times by default before giving up', async () => {
      const fast = { retryDelayInMs: 1, maxRetryDelayInMs: 2 }; // the default count, without the default waits
      server.reset(sequence(reset, reset, reset, reset, reset, reset, (_r, res) => json(res, 200, { ok: 1 })));
      assert.equal((await testClient(server, { retry: fast }).send('GET', '/a')).status, 200);
      assert.equal(server.requests.length, 7);
      server.reset(reset);
      await rejects(testClient(server, { retry: fast }).send('GET', '/a'));
      assert.equal(server.requests.length, 7);
    });

    it('leaves no timer running after an attempt whose connection was reset (it would hold the task process for the whole timeout)', async () => {
      server.reset(sequence(reset, reset, (_r, res) => json(res, 200, { ok: 1 })));
      const before = await activeTimers();
      const response = await testClient(server, { timeoutInMs: 60_000 }).send('PUT', '/a', { properties: {} });
      assert.equal(response.status, 200);
      assert.equal(server.requests.length, 3);
      assert.deepEqual(await activeTimers(), before, 'no timer of the client is left once the call has returned');
    });

    it('leaves no timer running after a call that failed on resets, or timed out', async () => {
      const before = await activeTimers();
      server.reset(reset);
      await rejects(testClient(server, { timeoutInMs: 60_000, retry: { maxRetries: 1, retryDelayInMs: 1 } }).send('DELETE', '/a'));
      server.reset(() => undefined);
      await rejects(testClient(server, { timeoutInMs: 100, retry: { maxRetries: 1, retryDelayInMs: 1 } }).send('GET', '/slow'));
      assert.deepEqual(await activeTimers(), before);
    });

    it("a caller's abort cancels the attempt in flight, is not retried and is not a timeout", async () => {
      server.reset(() => undefined);
      const controller = new AbortController();
      const before = await activeTimers();
      const call = testClient(server, { timeoutInMs: 60_000 }).send('GET', '/slow', undefined, { abortSignal: controller.signal });
      while (server.requests.length === 0) await new Promise((r) => setImmediate(r));
      controller.abort();
      const err = await rejects(call);
      assert.equal(err.code, 'Aborted');
      assert.match(err.message, /^The request to 127\.0\.0\.1:\d+ was cancelled\.$/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(await activeTimers(), before);
    });

    for (const status of [400, 401, 403, 404, 501, 505]) {
      it(`does not retry ${status}`, async () => {
        server.reset((_r, res) => armError(res, status, `E${status}`, `failed ${status}`));
        const err = await rejects(testClient(server).send('GET', '/a'));
        assert.equal(err.statusCode, status);
        assert.equal(err.code, `E${status}`);
        assert.equal(server.requests.length, 1);
      });
    }

    it('gives up after maxRetries with the last status', async () => {
      const statuses = [500, 502, 504, 503];
      server.reset(sequence(...statuses.map((s) => (_r: unknown, res: Parameters<typeof json>[0]) => armError(res, s, `E${s}`, `failed ${s}`, `req-${s}`))));
      const err = await rejects(testClient(server, { retry: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 } }).send('GET', '/a'));
      assert.equal(server.requests.length, 3);
      assert.deepEqual([err.statusCode, err.code, err.message, err.requestId], [504, 'E504', 'failed 504', 'req-504']);
    });

    it('gives up on a connection that keeps resetting with an ArmError naming the host', async () => {
      server.reset(reset);
      const err = await rejects(testClient(server, { retry: { maxRetries: 1, retryDelayInMs: 1 } }).send('GET', '/a'));
      assert.equal(server.requests.length, 2);
      assert.equal(err.statusCode, undefined);
      assert.equal(err.code, 'ECONNRESET');
      assert.match(err.message, /^Could not reach 127\.0\.0\.1:\d+: socket hang up$/);
    });
  });

  describe('proxy', () => {
    let proxy: ConnectProxy;
    before(async () => {
      proxy = await ConnectProxy.start();
    });
    after(async () => {
      await proxy.close();
    });

    it('tunnels through the proxy with its credentials, still trusting the extra CA', async () => {
      proxy.connects.length = 0;
      server.reset((_r, res) => json(res, 200, { via: 'proxy' }));
      const password = 'p@ss:w/rd%';
      const client = testClient(server, { proxy: { url: proxy.url, username: 'agent', password } });
      const response = await client.send('GET', '/through');
      assert.deepEqual(response.body, { via: 'proxy' });
      assert.equal(proxy.connects.length, 1);
      assert.equal(proxy.connects[0].target, `127.0.0.1:${server.port}`);
      assert.equal(proxy.connects[0].proxyAuthorization, `Basic ${Buffer.from(`agent:${password}`).toString('base64')}`);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(server.requests[0].headers['proxy-authorization'], undefined);

      const inUrl = new URL(proxy.url);
      inUrl.username = 'agent';
      inUrl.password = 'p@ss';
      await testClient(server, { proxy: { url: inUrl.href } }).send('GET', '/through');
      assert.equal(proxy.connects[1].proxyAuthorization, `Basic ${Buffer.from('agent:p@ss').toString('base64')}`);
    });

    it('goes direct for a host on the bypass list (regular expressions, as the agent has them)', async () => {
      proxy.connects.length = 0;
      server.reset((_r, res) => json(res, 200, {}));
      const client = testClient(server, { proxy: { url: proxy.url, bypass: ['example\\.com', '127\\.0\\.0\\.1'] } });
      await client.send('GET', '/direct');
      assert.equal(proxy.connects.length, 0);
      assert.equal(server.requests.length, 1);
    });
  });
});
