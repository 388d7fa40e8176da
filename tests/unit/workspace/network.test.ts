import assert from 'node:assert/strict';
import type { ArmConnection } from '../../../src/arm/types';
import { workspaceInfo } from '../../../src/workspace/info';
import { owningWorkspace, parseWorkspaceId, privateEndpointInactive, reachedPrivately, workspaceNetwork } from '../../../src/workspace/network';

const REF = { subscriptionId: 'sub-1', resourceGroup: 'rg-ml', workspace: 'proj-1' };
const WS = (name: string) => `/subscriptions/sub-1/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/${name}`;
const conn = (id: string | undefined, properties: Partial<ArmConnection['properties']> = {}): ArmConnection => ({ ...(id ? { id } : {}), name: 'c1', properties: { authType: 'None', ...properties } });
const network = (properties: Record<string, unknown>) => workspaceNetwork(workspaceInfo({ id: WS('ws'), name: 'ws', properties }));

describe('workspace/network: private workspaces and whose a listed connection is', () => {
  it('a connection is another workspace\'s when its id lies under it, or createdByWorkspaceArmId names it (any case)', () => {
    assert.equal(owningWorkspace(conn(`${WS('proj-1')}/connections/c1`), REF), undefined);
    assert.equal(owningWorkspace(conn(`${WS('PROJ-1')}/connections/c1`.replace('rg-ml', 'RG-ML')), REF), undefined);
    assert.deepEqual(owningWorkspace(conn(`${WS('hub-1')}/connections/c1`), REF), { ...REF, workspace: 'hub-1' });
    assert.deepEqual(owningWorkspace(conn(`${WS('proj-1')}/connections/c1`, { createdByWorkspaceArmId: WS('hub-1') }), REF), { ...REF, workspace: 'hub-1' });
    assert.deepEqual(owningWorkspace(conn(undefined, { createdByWorkspaceArmId: WS('hub-1') }), REF), { ...REF, workspace: 'hub-1' });
    assert.equal(owningWorkspace(conn(undefined, { createdByWorkspaceArmId: WS('proj-1') }), REF), undefined);
    assert.equal(owningWorkspace(conn('not-an-arm-id'), REF), undefined);
    assert.deepEqual(parseWorkspaceId(`/subscriptions/s/resourceGroups/rg%20(ml)/providers/Microsoft.MachineLearningServices/workspaces/w`), { subscriptionId: 's', resourceGroup: 'rg (ml)', workspace: 'w' });
  });

  it('private: public access Disabled; an approved endpoint with public access not on; a managed network that isolates', () => {
    assert.deepEqual(network({}).privateBecause, []);
    assert.deepEqual(network({ publicNetworkAccess: 'Disabled' }).privateBecause, ['publicNetworkAccess']);
    const approved = [{ name: 'pe', properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }];
    const pending = [{ name: 'pe', properties: { privateLinkServiceConnectionState: { status: 'Pending' } } }];
    assert.deepEqual(network({ privateEndpointConnections: approved }).privateBecause, ['privateEndpoint']);
    assert.deepEqual(network({ privateEndpointConnections: approved, publicNetworkAccess: 'Enabled' }).privateBecause, []);
    assert.deepEqual(network({ privateEndpointConnections: approved, allowPublicAccessWhenBehindVnet: true }).privateBecause, []);
    assert.deepEqual(network({ privateEndpointConnections: pending }).privateBecause, []);
    assert.deepEqual(network({ managedNetwork: { isolationMode: 'Disabled' } }).privateBecause, []);
    assert.deepEqual(network({ managedNetwork: { isolationMode: 'AllowInternetOutbound' } }).privateBecause, ['managedNetwork']);
    assert.equal(network({ managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' } }).private, true);
  });

  it('a required private endpoint must be Active; such a connection is reached privately whatever its workspace', () => {
    assert.equal(privateEndpointInactive(conn(undefined, { peRequirement: 'Required', peStatus: 'Inactive' })), true);
    assert.equal(privateEndpointInactive(conn(undefined, { peRequirement: 'Required' })), true);
    assert.equal(privateEndpointInactive(conn(undefined, { peRequirement: 'required', peStatus: 'active' })), false);
    assert.equal(privateEndpointInactive(conn(undefined, { peRequirement: 'NotRequired', peStatus: 'Inactive' })), false);
    assert.equal(reachedPrivately(conn(undefined, { peRequirement: 'Required' }), network({ publicNetworkAccess: 'Enabled' })), true);
    assert.equal(reachedPrivately(conn(undefined), network({ publicNetworkAccess: 'Enabled' })), false);
    assert.equal(reachedPrivately(conn(undefined), undefined), false);
  });
});
