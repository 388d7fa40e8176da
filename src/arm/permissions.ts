/**
 * The Azure RBAC actions the tasks need on a workspace (overview.md, Permissions), and how a refusal
 * for want of one is recognised: 403 AuthorizationFailed. A 403 with another code (an Azure Policy
 * deny, RequestDisallowedByPolicy; a linked resource, LinkedAuthorizationFailed) is about that one
 * request, not about the identity's role, and is passed on as the service words it.
 */
import { isArmError, type ArmError } from '../core/errors';

const WORKSPACES = 'Microsoft.MachineLearningServices/workspaces';

export const ARM_ACTIONS = {
  workspaceRead: `${WORKSPACES}/read`,
  connectionsRead: `${WORKSPACES}/connections/read`,
  connectionsWrite: `${WORKSPACES}/connections/write`,
  connectionsDelete: `${WORKSPACES}/connections/delete`,
  listSecrets: `${WORKSPACES}/connections/listsecrets/action`,
} as const;

/** A 403 from Azure RBAC: the identity has no role with the action (code AuthorizationFailed, or no code). */
export function isAuthorizationFailure(e: unknown): e is ArmError {
  return isArmError(e) && e.statusCode === 403 && (e.code === undefined || e.code.toLowerCase() === 'authorizationfailed');
}
