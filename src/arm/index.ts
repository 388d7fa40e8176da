export * from './types';
export { ArmClient, type ArmClientOptions, type ArmRetryOptions, type ArmRequestInfo, type ArmResponse, type ArmSendOptions } from './client';
export { WorkspaceConnections, retryAfterInMs, type TestConnectionOptions, type TestConnectionResult } from './connections';
export { getWorkspace, workspacePath, pathSegment, type ArmWorkspace, type PathSegmentKind } from './workspaces';
export { ARM_ACTIONS, isAuthorizationFailure } from './permissions';
