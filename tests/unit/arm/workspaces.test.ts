import assert from 'node:assert/strict';
import { getWorkspace, workspacePath } from '../../../src/arm/workspaces';
import { isArmError } from '../../../src/core/errors';
import { API_VERSION, armError, ArmTestServer, json, testClient } from './support';

const REF = { subscriptionId: 'sub-1', resourceGroup: 'rg (ml)', workspace: 'ws1' };
const PATH = '/subscriptions/sub-1/resourceGroups/rg%20(ml)/providers/Microsoft.MachineLearningServices/workspaces/ws1';

describe('getWorkspace', () => {
  let server: ArmTestServer;
  before(async () => {
    server = await ArmTestServer.start();
  });
  after(async () => {
    await server.close();
  });

  it('builds the encoded workspace path', () => {
    assert.equal(workspacePath(REF), PATH);
  });

  it('GETs the workspace resource', async () => {
    const resource = { id: PATH, name: 'ws1', location: 'westeurope', kind: 'Hub', properties: { discoveryUrl: 'https://westeurope.api.azureml.ms/discovery', workspaceId: 'guid' } };
    server.reset((_r, res) => json(res, 200, resource));
    const ws = await getWorkspace(testClient(server), REF);
    assert.deepEqual(ws, resource);
    assert.deepEqual([server.requests[0].method, server.requests[0].url], ['GET', `${PATH}?api-version=${API_VERSION}`]);
  });

  it('says which workspace was not found where', async () => {
    server.reset((_r, res) => armError(res, 404, 'ResourceNotFound', "The Resource 'Microsoft.MachineLearningServices/workspaces/ws1' was not found.", 'r-404'));
    await assert.rejects(getWorkspace(testClient(server), REF), (e) => {
      assert.ok(isArmError(e));
      assert.equal(e.message, "Azure ML workspace 'ws1' was not found in resource group 'rg (ml)' (subscription 'sub-1').");
      assert.deepEqual([e.statusCode, e.code, e.requestId], [404, 'ResourceNotFound', 'r-404']);
      return true;
    });
  });

  it('says so when the resource group itself is missing', async () => {
    server.reset((_r, res) => armError(res, 404, 'ResourceGroupNotFound', "Resource group 'rg (ml)' could not be found."));
    await assert.rejects(getWorkspace(testClient(server), REF), (e) => isArmError(e) && e.message === "Resource group 'rg (ml)' was not found in subscription 'sub-1'.");
  });

  it('names the missing action and what to do on a 403', async () => {
    server.reset((_r, res) => armError(res, 403, 'AuthorizationFailed', 'No access.', 'r-403'));
    await assert.rejects(getWorkspace(testClient(server), REF), (e) => {
      assert.ok(isArmError(e));
      assert.equal(
        e.message,
        "The service connection's identity may not read Azure ML workspace 'ws1' in resource group 'rg (ml)' (subscription 'sub-1'): it has no role with Microsoft.MachineLearningServices/workspaces/read; grant it a role that has this action on the workspace.",
      );
      assert.deepEqual([e.statusCode, e.code, e.requestId], [403, 'AuthorizationFailed', 'r-403']);
      return true;
    });
  });

  it('passes other errors through', async () => {
    server.reset((_r, res) => armError(res, 409, 'Conflict', 'Busy.'));
    await assert.rejects(getWorkspace(testClient(server), REF), (e) => isArmError(e) && e.statusCode === 409 && e.message === 'Busy.');
  });
});
