export * from './types';
export { ArmClient, type ArmClientOptions, type ArmRetryOptions, type ArmRequestInfo, type ArmResponse, type ArmSendOptions } from './client';
export { WorkspaceConnections, retryAfterInMs, type TestConnectionOptions, type TestConnectionResult } from './connections';
export { workspacePath, pathSegment, type PathSegmentKind } from './workspaces';
export { ARM_ACTIONS, isAuthorizationFailure } from './permissions';
