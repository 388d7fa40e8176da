/**
 * What a workspace's network settings and kind mean for the tasks: whether it is private (so a probe that
 * cannot reach a target most likely ran outside its network), and whose a listed connection is (a project
 * lists its hub's shared connections beside its own). Pure: facts in, facts out.
 *
 * The rule for "private" (docs/architecture.md, Verify's help): a workspace is private when
 *   1. its publicNetworkAccess is `Disabled`; or
 *   2. it has an `Approved` private endpoint connection and public access is not explicitly on
 *      (publicNetworkAccess is not `Enabled` and allowPublicAccessWhenBehindVnet is not true); or
 *   3. its managed network isolates it (isolationMode `AllowInternetOutbound` or `AllowOnlyApprovedOutbound`).
 * A connection is reached privately when its workspace is private or the connection itself requires a
 * private endpoint (peRequirement `Required`).
 */
import type { ArmConnection, WorkspaceRef } from '../arm/types';
import type { PrivateEndpointConnectionInfo, WorkspaceInfo } from './info';

/** The network settings Verify reports (the JSON report's `workspace.network`). */
export interface WorkspaceNetwork {
  kind?: string;
  hubResourceId?: string;
  publicNetworkAccess?: string;
  privateEndpointConnections: PrivateEndpointConnectionInfo[];
  managedNetworkIsolation?: string;
  /** by the rule above */
  private: boolean;
  /** which parts of the rule made it private (`publicNetworkAccess`, `privateEndpoint`, `managedNetwork`) */
  privateBecause: ('publicNetworkAccess' | 'privateEndpoint' | 'managedNetwork')[];
}

export function workspaceNetwork(info: WorkspaceInfo): WorkspaceNetwork {
  const because: WorkspaceNetwork['privateBecause'] = [];
  const publicAccess = info.publicNetworkAccess?.toLowerCase();
  if (publicAccess === 'disabled') because.push('publicNetworkAccess');
  const properties = isRecord(info.raw.properties) ? info.raw.properties : {};
  const approved = info.privateEndpointConnections.some((p) => p.status?.toLowerCase() === 'approved');
  if (approved && publicAccess !== 'enabled' && properties.allowPublicAccessWhenBehindVnet !== true) because.push('privateEndpoint');
  const isolation = info.managedNetworkIsolation?.toLowerCase();
  if (isolation !== undefined && isolation !== 'disabled') because.push('managedNetwork');
  const out: WorkspaceNetwork = { privateEndpointConnections: info.privateEndpointConnections, private: because.length > 0, privateBecause: because };
  if (info.kind) out.kind = info.kind;
  if (info.hubResourceId) out.hubResourceId = info.hubResourceId;
  if (info.publicNetworkAccess) out.publicNetworkAccess = info.publicNetworkAccess;
  if (info.managedNetworkIsolation) out.managedNetworkIsolation = info.managedNetworkIsolation;
  return out;
}

/** A connection's private endpoint needs are not met: it requires one (peRequirement Required) that is not Active. */
export function privateEndpointInactive(c: ArmConnection): boolean {
  return c.properties.peRequirement?.toLowerCase() === 'required' && c.properties.peStatus?.toLowerCase() !== 'active';
}

/** Whether a probe of this connection's target goes to a private network (the workspace's, or the connection's own endpoint). */
export function reachedPrivately(c: ArmConnection | undefined, network: WorkspaceNetwork | undefined): boolean {
  return (network?.private ?? false) || c?.properties.peRequirement?.toLowerCase() === 'required';
}

const WORKSPACE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)/i;

/**
 * The workspace a listed connection belongs to when it is not `ref` (a hub's connection listed through
 * one of its projects), else undefined: its `id` lies under another workspace, or its read-only
 * `createdByWorkspaceArmId` names another workspace (either is enough: nothing the tasks write may land
 * on a connection that is not this workspace's own).
 */
export function owningWorkspace(c: ArmConnection, ref: WorkspaceRef): WorkspaceRef | undefined {
  const other = (id: string | undefined): WorkspaceRef | undefined => {
    const owner = id ? parseWorkspaceId(id) : undefined;
    return owner && !sameWorkspace(owner, ref) ? owner : undefined;
  };
  return other(c.id) ?? other(c.properties.createdByWorkspaceArmId);
}

export function sameWorkspace(a: WorkspaceRef, b: WorkspaceRef): boolean {
  return (
    a.subscriptionId.toLowerCase() === b.subscriptionId.toLowerCase() &&
    a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() &&
    a.workspace.toLowerCase() === b.workspace.toLowerCase()
  );
}

/** subscription, resource group and workspace of an ARM id under a workspace; undefined when it is none. */
export function parseWorkspaceId(id: string): WorkspaceRef | undefined {
  const m = WORKSPACE_ID.exec(id);
  if (!m) return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { subscriptionId: decode(m[1]), resourceGroup: decode(m[2]), workspace: decode(m[3]) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
