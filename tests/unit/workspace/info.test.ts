import assert from 'node:assert/strict';
import { workspacePath } from '../../../src/arm/workspaces';
import { isArmError } from '../../../src/core/errors';
import { readWorkspace, workspaceInfo } from '../../../src/workspace/info';
import { API_VERSION, armError, ArmTestServer, FakeCredential, json, USER_AGENT } from '../arm/support';

const REF = { subscriptionId: 'sub-1', resourceGroup: 'rg (ml)', workspace: 'ws1' };
const PATH = '/subscriptions/sub-1/resourceGroups/rg%20(ml)/providers/Microsoft.MachineLearningServices/workspaces/ws1';

describe('workspace/info: the workspace read with @azure/arm-machinelearning', () => {
  let server: ArmTestServer;
  before(async () => {
    server = await ArmTestServer.start();
  });
  after(async () => {
    await server.close();
  });
  const read = () =>
    readWorkspace(REF, {
      credential: new FakeCredential(),
      armUrl: server.url,
      scope: `${server.url}/.default`,
      apiVersion: API_VERSION,
      userAgent: USER_AGENT,
      tlsCaPem: server.caPem,
      retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    });

  it('builds the encoded workspace path', () => {
    assert.equal(workspacePath(REF), PATH);
  });

  it("GETs the workspace at the task's api-version through the SDK, and keeps the fields its models do not know", async () => {
    const resource = {
      id: PATH, name: 'ws1', location: 'westeurope', kind: 'Project',
      properties: {
        hubResourceId: '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub1',
        publicNetworkAccess: 'Disabled',
        managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' },
        privateEndpointConnections: [{ name: 'pe1', properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }],
      },
    };
    server.reset((_r, res) => json(res, 200, resource));
    const ws = await read();
    assert.deepEqual({ ...ws, raw: undefined }, {
      id: PATH, name: 'ws1', location: 'westeurope', kind: 'Project', raw: undefined,
      hubResourceId: resource.properties.hubResourceId, publicNetworkAccess: 'Disabled', managedNetworkIsolation: 'AllowOnlyApprovedOutbound',
      privateEndpointConnections: [{ name: 'pe1', status: 'Approved' }],
    });
    assert.deepEqual(ws.raw, resource);
    const req = server.requests[0]!;
    assert.deepEqual([req.method, req.url], ['GET', `${PATH}?api-version=${API_VERSION}`]);
    assert.match(String(req.headers['user-agent']), /^AzureMLConnections\/1\.0\.0 \(AzureMLConnectionCreate@1\) azsdk-js-arm-machinelearning\/2\.1\.1/);
    assert.equal(req.headers.authorization, 'Bearer test-bearer-token');
  });

  it('says which workspace was not found where', async () => {
    server.reset((_r, res) => armError(res, 404, 'ResourceNotFound', "The Resource 'Microsoft.MachineLearningServices/workspaces/ws1' was not found.", 'r-404'));
    await assert.rejects(read(), (e) => {
      assert.ok(isArmError(e));
      assert.equal(e.message, "Azure ML workspace 'ws1' was not found in resource group 'rg (ml)' (subscription 'sub-1').");
      assert.deepEqual([e.statusCode, e.code, e.requestId], [404, 'ResourceNotFound', 'r-404']);
      return true;
    });
  });

  it('says so when the resource group itself is missing', async () => {
    server.reset((_r, res) => armError(res, 404, 'ResourceGroupNotFound', "Resource group 'rg (ml)' could not be found."));
    await assert.rejects(read(), (e) => isArmError(e) && e.message === "Resource group 'rg (ml)' was not found in subscription 'sub-1'.");
  });

  it('names the missing action and what to do on a 403', async () => {
    server.reset((_r, res) => armError(res, 403, 'AuthorizationFailed', 'No access.', 'r-403'));
    await assert.rejects(read(), (e) => {
      assert.ok(isArmError(e));
      assert.equal(
        e.message,
        "The service connection's identity may not read Azure ML workspace 'ws1' in resource group 'rg (ml)' (subscription 'sub-1'): it has no role with Microsoft.MachineLearningServices/workspaces/read; grant it a role that has this action on the workspace.",
      );
      assert.deepEqual([e.statusCode, e.code, e.requestId], [403, 'AuthorizationFailed', 'r-403']);
      return true;
    });
  });

  it("passes other errors through with the service's words", async () => {
    server.reset((_r, res) => armError(res, 409, 'Conflict', 'Busy.'));
    await assert.rejects(read(), (e) => isArmError(e) && e.statusCode === 409 && e.code === 'Conflict' && e.message === 'Busy.');
  });

  it('reads the fields it uses from a minimal resource without failing', () => {
    assert.deepEqual({ ...workspaceInfo({ name: 'w' }), raw: undefined }, { id: '', name: 'w', location: undefined, kind: undefined, hubResourceId: undefined, publicNetworkAccess: undefined, privateEndpointConnections: [], managedNetworkIsolation: undefined, raw: undefined });
  });
});
