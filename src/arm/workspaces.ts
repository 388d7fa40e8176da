import { ArmError, isArmError } from '../core/errors';
import { msg, type MessageKey } from '../messages';
import type { ArmClient } from './client';
import { ARM_ACTIONS } from './permissions';
import type { WorkspaceRef } from './types';

/** The parts of a Microsoft.MachineLearningServices/workspaces resource the tasks use; the rest is kept. */
export interface ArmWorkspace {
  id: string;
  name: string;
  type?: string;
  location: string;
  /** e.g. `Default`, `Hub`, `Project`, `FeatureStore` */
  kind?: string;
  properties?: {
    workspaceId?: string;
    discoveryUrl?: string;
    mlFlowTrackingUri?: string;
    hubResourceId?: string;
    provisioningState?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type PathSegmentKind = 'subscription' | 'resourceGroup' | 'workspace' | 'connection';

const INVALID_SEGMENT: Record<PathSegmentKind, MessageKey> = {
  subscription: 'Platform_ArmInvalidSubscriptionId',
  resourceGroup: 'Platform_ArmInvalidResourceGroup',
  workspace: 'Platform_ArmInvalidWorkspaceName',
  connection: 'Platform_ArmInvalidConnectionName',
};

/** One path segment, encoded; '.' and '..' would be resolved away by URL parsing, so they are refused. */
export function pathSegment(value: string, what: PathSegmentKind): string {
  if (!value || value === '.' || value === '..') throw new RangeError(msg(INVALID_SEGMENT[what], value));
  return encodeURIComponent(value);
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}` */
export function workspacePath(ref: WorkspaceRef): string {
  return (
    `/subscriptions/${pathSegment(ref.subscriptionId, 'subscription')}` +
    `/resourceGroups/${pathSegment(ref.resourceGroup, 'resourceGroup')}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${pathSegment(ref.workspace, 'workspace')}`
  );
}

/**
 * GET the workspace. A 404 becomes an ArmError that names the workspace and the resource group; a
 * 403 one that names the missing action (workspaces/read) and what to do.
 */
export async function getWorkspace(client: ArmClient, ref: WorkspaceRef): Promise<ArmWorkspace> {
  try {
    return (await client.send<ArmWorkspace>('GET', workspacePath(ref))).body;
  } catch (e) {
    if (isArmError(e) && e.statusCode === 403) {
      const message = msg('Platform_ArmWorkspaceForbidden', ref.workspace, ref.resourceGroup, ref.subscriptionId, ARM_ACTIONS.workspaceRead);
      throw new ArmError(message, e.statusCode, e.code, e.requestId, e.method, e.url);
    }
    if (isArmError(e) && e.statusCode === 404) {
      const message =
        e.code === 'ResourceGroupNotFound'
          ? msg('Platform_ArmResourceGroupNotFound', ref.resourceGroup, ref.subscriptionId)
          : msg('Platform_ArmWorkspaceNotFound', ref.workspace, ref.resourceGroup, ref.subscriptionId);
      throw new ArmError(message, e.statusCode, e.code, e.requestId, e.method, e.url);
    }
    throw e;
  }
}
