/** ARM paths of a workspace and its segments, encoded; '.' and '..' refused. */
import { UserError } from '../core/errors';
import { msg, type MessageKey } from '../messages';
import type { WorkspaceRef } from './types';

export type PathSegmentKind = 'subscription' | 'resourceGroup' | 'workspace' | 'connection';

const INVALID_SEGMENT: Record<PathSegmentKind, MessageKey> = {
  subscription: 'Platform_ArmInvalidSubscriptionId',
  resourceGroup: 'Platform_ArmInvalidResourceGroup',
  workspace: 'Platform_ArmInvalidWorkspaceName',
  connection: 'Platform_ArmInvalidConnectionName',
};

/** One path segment, encoded; '.' and '..' would be resolved away by URL parsing, so they are refused. */
export function pathSegment(value: string, what: PathSegmentKind): string {
  if (!value || value === '.' || value === '..') throw new UserError(msg(INVALID_SEGMENT[what], value));
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
