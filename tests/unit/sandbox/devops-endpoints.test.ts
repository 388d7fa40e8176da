/**
 * The sandbox's DevOps service-endpoint API, through the client the Migrate task uses
 * (src/devops/endpoints.ts on azure-devops-node-api's ServiceEndpointApi).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startSandbox, type SandboxImpl } from '../../../sandbox';
import { serviceEndpointDirectory } from '../../../src/devops/endpoints';
import { isUserError } from '../../../src/core/errors';
import { call } from './support';

describe('sandbox: DevOps service-endpoint API (azure-devops-node-api)', function () {
  this.timeout(30_000);
  let sb: SandboxImpl;
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  before(async () => {
    sb = await startSandbox();
    sb.addServiceEndpoint({ id: ids[0]!.toUpperCase(), name: 'hub', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword', parameters: { registry: 'https://index.docker.io/v1/', username: 'u', password: 'secret-1' }, data: { registrytype: 'DockerHub' } });
    sb.addServiceEndpoint({ id: ids[1]!, name: 'feed', type: 'externalPythonDownloadFeed', url: 'https://f.example/simple/', scheme: 'Token', parameters: { apitoken: 'secret-2' } });
    sb.addServiceEndpoint({ id: ids[2]!, name: 'gh', type: 'github', url: 'https://github.com', scheme: 'PersonalAccessToken', parameters: { accessToken: 'secret-3' } });
  });
  after(async () => {
    await sb?.stop();
  });
  const directory = (token = sb.jobAccessToken) =>
    serviceEndpointDirectory({ collectionUri: sb.collectionUrl, project: sb.projectId, accessToken: token, caFile: sb.caFile });

  it('lists every endpoint, or those with the given ids; never a credential', async () => {
    sb.resetRequests();
    const all = await directory().list();
    assert.deepEqual(all.map((e) => e.name).sort(), ['feed', 'gh', 'hub']);
    const hub = all.find((e) => e.name === 'hub')!;
    assert.deepEqual(hub, {
      id: ids[0]!.toLowerCase(), name: 'hub', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword',
      auth: { registry: 'https://index.docker.io/v1/', username: 'u' }, data: { registrytype: 'DockerHub' },
    });
    assert.ok(!JSON.stringify(all).includes('secret-'), 'no secret parameter is returned');
    const some = await directory().list([ids[1]!, ids[2]!]);
    assert.deepEqual(some.map((e) => e.name).sort(), ['feed', 'gh']);
    const seen = sb.requests.filter((r) => r.service === 'devops').map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(seen, [
      'OPTIONS /org/_apis/serviceendpoint',
      `GET /org/${sb.projectId}/_apis/serviceendpoint/endpoints`,
      'OPTIONS /org/_apis/serviceendpoint',
      `GET /org/${sb.projectId}/_apis/serviceendpoint/endpoints`,
    ]);
    const byIds = sb.requests.filter((r) => r.method === 'GET').at(-1)!;
    assert.equal(byIds.query.endpointIds, `${ids[1]},${ids[2]}`);
    assert.match(byIds.headers.accept ?? '', /api-version=7\.2-preview\.4/);
  });

  it('a wrong token is 401, a denied one 403 with what to grant, an unknown project 404', async () => {
    await assert.rejects(directory('not-the-job-token').list(), (e: unknown) => isUserError(e) && /HTTP 401/.test((e as Error).message));
    sb.devopsEndpoints.deny = true;
    try {
      await assert.rejects(directory().list(), (e: unknown) => isUserError(e) && /HTTP 403\); give the project's build service identity the Reader role/.test((e as Error).message));
    } finally {
      sb.devopsEndpoints.deny = false;
    }
    const r = await call('GET', `${sb.collectionUrl}nope/_apis/serviceendpoint/endpoints?api-version=7.1`, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.jobAccessToken}` } });
    assert.equal(r.status, 404);
    const noVersion = await call('GET', `${sb.collectionUrl}${sb.projectId}/_apis/serviceendpoint/endpoints`, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.jobAccessToken}` } });
    assert.equal(noVersion.status, 400);
  });

  it('get by id (getServiceEndpointDetails) answers the one endpoint without credentials', async () => {
    const r = await call('GET', `${sb.collectionUrl}${sb.projectId}/_apis/serviceendpoint/endpoints/${ids[2]}?api-version=7.1`, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.jobAccessToken}` } });
    assert.equal(r.status, 200);
    assert.equal(r.json.name, 'gh');
    assert.deepEqual(r.json.authorization, { parameters: { accessToken: null }, scheme: 'PersonalAccessToken' });
  });
});
