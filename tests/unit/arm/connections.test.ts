import assert from 'node:assert/strict';
import { WorkspaceConnections, retryAfterInMs } from '../../../src/arm/connections';
import type { ArmConnection } from '../../../src/arm/types';
import { isArmError, isUserError } from '../../../src/core/errors';
import { API_VERSION, armError, ArmTestServer, json, sequence, testClient, type Handler } from './support';
import { ManualClock } from '../../support/clock';

const REF = { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-ml', workspace: 'ws1' };
const BASE = `/subscriptions/${REF.subscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws1/connections`;
const AV = `api-version=${API_VERSION}`;

function conn(name: string): ArmConnection {
  return { id: `${BASE}/${name}`, name, type: 'Microsoft.MachineLearningServices/workspaces/connections', properties: { authType: 'PAT', category: 'Git', target: `https://git/${name}` } };
}

describe('WorkspaceConnections', () => {
  let server: ArmTestServer;
  let api: WorkspaceConnections;
  before(async () => {
    server = await ArmTestServer.start();
    api = new WorkspaceConnections(testClient(server), REF);
  });
  after(async () => {
    await server.close();
  });

  describe('list', () => {
    it('follows nextLink verbatim across 3 pages, sending the filters once', async () => {
      const page2 = `${server.url}${BASE}?api-version=${API_VERSION}&%24skip=2&target=https%3A%2F%2Fgit`;
      const page3 = `${server.url}${BASE}?%24skiptoken=abc%3D%3D&api-version=${API_VERSION}`;
      server.reset(
        sequence(
          (_r, res) => json(res, 200, { value: [conn('c1'), conn('c2')], nextLink: page2 }),
          (_r, res) => json(res, 200, { value: [conn('c3')], nextLink: page3 }),
          (_r, res) => json(res, 200, { value: [conn('c4')] }),
        ),
      );

      const all = await api.list({ target: 'https://git/x y', category: 'Git', includeAll: true });

      assert.deepEqual(all.map((c) => c.name), ['c1', 'c2', 'c3', 'c4']);
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.url]),
        [
          ['GET', `${BASE}?target=https%3A%2F%2Fgit%2Fx%20y&category=Git&includeAll=true&${AV}`],
          ['GET', page2.slice(server.url.length)],
          ['GET', page3.slice(server.url.length)],
        ],
      );
    });

    it('sends only api-version without filters, and takes a page without value as empty', async () => {
      server.reset((_r, res) => json(res, 200, {}));
      assert.deepEqual(await api.list(), []);
      assert.deepEqual(server.requests.map((r) => r.url), [`${BASE}?${AV}`]);
    });

    it('names the missing action and what to do on a 403', async () => {
      server.reset((_r, res) => armError(res, 403, 'AuthorizationFailed', 'No access.', 'r-403'));
      await assert.rejects(api.list(), (e) => {
        assert.ok(isArmError(e));
        assert.equal(
          e.message,
          "The service connection's identity may not list the connections of workspace 'ws1': it has no role with Microsoft.MachineLearningServices/workspaces/connections/read; grant it a role that has this action on the workspace.",
        );
        assert.deepEqual([e.statusCode, e.code, e.requestId], [403, 'AuthorizationFailed', 'r-403']);
        return true;
      });
    });

    it('stops with an error when the service repeats a nextLink', async () => {
      const again = `${server.url}${BASE}?%24skip=1&${AV}`;
      server.reset((_r, res) => json(res, 200, { value: [conn('c1')], nextLink: again }));
      await assert.rejects(api.list(), (e) => isArmError(e) && e.code === 'PagingLoop');
      assert.equal(server.requests.length, 2);
    });
  });

  describe('get', () => {
    it('GETs the connection by its encoded name', async () => {
      server.reset((_r, res) => json(res, 200, conn('my conn')));
      const c = await api.get('my conn/x');
      assert.equal(c?.name, 'my conn');
      assert.equal(server.requests[0].url, `${BASE}/my%20conn%2Fx?${AV}`);
    });

    it('returns undefined on 404', async () => {
      server.reset((_r, res) => armError(res, 404, 'NotFound', 'Connection not found.'));
      assert.equal(await api.get('missing'), undefined);
    });

    it('throws when the 404 says the parent is missing', async () => {
      server.reset((_r, res) => armError(res, 404, 'ParentResourceNotFound', 'Workspace ws1 not found.'));
      await assert.rejects(api.get('c1'), (e) => isArmError(e) && e.statusCode === 404 && e.code === 'ParentResourceNotFound');
    });

    it('refuses dot segments without sending anything', async () => {
      server.reset((_r, res) => json(res, 200, {}));
      await assert.rejects(api.get('..'), (e) => isUserError(e) && /'\.\.'/.test((e as Error).message));
      await assert.rejects(api.delete(''), (e) => isUserError(e));
      assert.equal(server.requests.length, 0);
    });
  });

  describe('put, patch, listSecrets', () => {
    it('PUTs {properties} and returns the 200 resource', async () => {
      server.reset((r, res) => json(res, 200, { ...conn('c1'), properties: (JSON.parse(r.body) as ArmConnection).properties }));
      const properties = { authType: 'PAT', category: 'Git', target: 'https://git/c1', credentials: { pat: 'ghp_secret' } };
      const out = await api.put('c1', properties);
      const req = server.requests[0];
      assert.deepEqual([req.method, req.url], ['PUT', `${BASE}/c1?${AV}`]);
      assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(JSON.parse(req.body), { properties });
      assert.equal(out.name, 'c1');
    });

    it('fails a PUT that does not answer 200 with the resource', async () => {
      server.reset((_r, res) => json(res, 202, undefined, { 'x-ms-request-id': 'r-202' }));
      await assert.rejects(api.put('c1', { authType: 'None' }), (e) => isArmError(e) && e.statusCode === 202 && e.code === 'UnexpectedResponse' && e.requestId === 'r-202');
    });

    it('PATCHes {properties}', async () => {
      server.reset((_r, res) => json(res, 200, conn('c1')));
      await api.patch('c1', { metadata: { a: 'b' } });
      const req = server.requests[0];
      assert.deepEqual([req.method, req.url, JSON.parse(req.body)], ['PATCH', `${BASE}/c1?${AV}`, { properties: { metadata: { a: 'b' } } }]);
    });

    it('POSTs listsecrets with no body', async () => {
      server.reset((_r, res) => json(res, 200, { ...conn('c1'), properties: { ...conn('c1').properties, credentials: { pat: 'ghp_x' } } }));
      const out = await api.listSecrets('c1');
      const req = server.requests[0];
      assert.deepEqual([req.method, req.url, req.body], ['POST', `${BASE}/c1/listsecrets?${AV}`, '']);
      assert.equal(req.headers['content-type'], undefined);
      assert.equal(req.headers['content-length'], '0');
      assert.deepEqual(out.properties.credentials, { pat: 'ghp_x' });
    });
  });

  describe('delete', () => {
    for (const [status, expected] of [[200, true], [204, false], [404, false]] as const) {
      it(`returns ${expected} on ${status}`, async () => {
        server.reset((_r, res) => (status === 404 ? armError(res, 404, 'NotFound', 'gone') : json(res, status, status === 200 ? {} : undefined)));
        assert.equal(await api.delete('c1'), expected);
        assert.deepEqual([server.requests[0].method, server.requests[0].url], ['DELETE', `${BASE}/c1?${AV}`]);
      });
    }
  });

  describe('testConnection', () => {
    const pending = (retryAfter: string): Handler => (_r, res) => json(res, 202, undefined, { location: `${server.url}/subscriptions/s/providers/p/operations/op1?${AV}`, 'retry-after': retryAfter });

    it('POSTs testconnection, then polls the Location (honouring Retry-After) until 200', async () => {
      server.reset(sequence(pending('1'), pending('0'), (_r, res) => json(res, 200, {})));
      const clock = new ManualClock();
      const testing = api.testConnection('c1', undefined, { pollIntervalInMs: 5_000, clock });
      await clock.untilSleeping();
      assert.deepEqual(clock.pending, [1000], "the service's Retry-After, not the poll interval");
      await clock.advance(999);
      assert.equal(server.requests.length, 1, 'no poll before the Retry-After has passed');
      await clock.advance(1);
      const result = await testing;
      assert.deepEqual(result, { status: 200, body: {}, polls: 2 });
      assert.deepEqual(clock.sleeps, [1000, 0], "the service's Retry-After (1 s, then 0), not the 5 s poll interval");
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.url, r.body]),
        [
          ['POST', `${BASE}/c1/testconnection?${AV}`, ''],
          ['GET', `/subscriptions/s/providers/p/operations/op1?${AV}`, ''],
          ['GET', `/subscriptions/s/providers/p/operations/op1?${AV}`, ''],
        ],
      );
    });

    it('waits pollIntervalInMs between polls when the service sends no Retry-After', async () => {
      const noRetryAfter: Handler = (_r, res) => json(res, 202, undefined, { location: `${server.url}/subscriptions/s/providers/p/operations/op1?${AV}` });
      server.reset(sequence(noRetryAfter, noRetryAfter, (_r, res) => json(res, 200, {})));
      const clock = new ManualClock();
      const testing = api.testConnection('c1', undefined, { pollIntervalInMs: 700, clock });
      for (let i = 0; i < 2; i++) {
        await clock.untilSleeping();
        assert.deepEqual(clock.pending, [700]);
        await clock.advance(700);
      }
      assert.deepEqual(await testing, { status: 200, body: {}, polls: 2 });
      assert.deepEqual(clock.sleeps, [700, 700]);
    });

    it('sends the properties when given, and accepts 204', async () => {
      server.reset(sequence(pending('0'), (_r, res) => json(res, 204)));
      const result = await api.testConnection('c1', { authType: 'None', category: 'ContainerRegistry', target: 'x' });
      assert.deepEqual(result, { status: 204, body: undefined, polls: 1 });
      assert.deepEqual(JSON.parse(server.requests[0].body), { properties: { authType: 'None', category: 'ContainerRegistry', target: 'x' } });
    });

    it('throws the ArmError of a failed test', async () => {
      server.reset(sequence(pending('0'), (_r, res) => armError(res, 400, 'ConnectionTestFailed', 'Could not log in to the registry.', 'r-t')));
      await assert.rejects(api.testConnection('c1'), (e) => isArmError(e) && e.statusCode === 400 && e.code === 'ConnectionTestFailed' && e.message === 'Could not log in to the registry.');
    });

    it('throws when the final body reports a failure', async () => {
      server.reset(sequence(pending('0'), (_r, res) => json(res, 200, { status: 'Failed', error: { code: 'BadCreds', message: 'Wrong password.' } })));
      await assert.rejects(api.testConnection('c1'), (e) => isArmError(e) && e.code === 'BadCreds' && e.message === 'Wrong password.');
    });

    it('gives up after maxWaitInMs, its last wait cut to what is left', async () => {
      server.reset(pending('1'));
      const clock = new ManualClock();
      const testing = api.testConnection('c1', undefined, { maxWaitInMs: 2_500, clock });
      const failed = assert.rejects(testing, (e) => isArmError(e) && e.code === 'PollingTimeout');
      for (const wait of [1000, 1000, 500]) {
        await clock.untilSleeping();
        assert.deepEqual(clock.pending, [wait]);
        await clock.next();
      }
      await failed;
      assert.deepEqual(clock.sleeps, [1000, 1000, 500]);
      assert.equal(server.requests.length, 4, 'the POST and three polls');
    });

    it('refuses a 202 without Location', async () => {
      server.reset((_r, res) => json(res, 202));
      await assert.rejects(api.testConnection('c1'), (e) => isArmError(e) && e.code === 'NoLocation');
    });
  });

  describe('retryAfterInMs', () => {
    it('reads milliseconds headers first, then seconds, then an HTTP date', () => {
      assert.equal(retryAfterInMs({ 'retry-after-ms': '250', 'retry-after': '9' }), 250);
      assert.equal(retryAfterInMs({ 'x-ms-retry-after-ms': '40' }), 40);
      assert.equal(retryAfterInMs({ 'retry-after': '2' }), 2000);
      const now = Date.parse('2025-03-01T12:00:00Z');
      assert.equal(retryAfterInMs({ 'retry-after': new Date(now + 5_000).toUTCString() }, now), 5_000);
      assert.equal(retryAfterInMs({ 'retry-after': new Date(now - 5_000).toUTCString() }, now), 0, 'a date in the past: at once');
      assert.equal(retryAfterInMs({ 'retry-after': 'soon' }), undefined);
      assert.equal(retryAfterInMs({}), undefined);
    });
  });
});
