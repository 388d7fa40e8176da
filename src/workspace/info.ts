/**
 * The workspace itself (kind, network settings), read with the design's SDK, @azure/arm-machinelearning,
 * through the same credential, cloud endpoint, api-version, proxy, CA, retries and per-attempt timeout as
 * every other ARM call of the task.
 *
 * Connections are NOT read or written with this SDK: its 2.1.1 release (the one available) pins
 * api-version 2022-10-01 models, and its serializer drops every property outside them — ApiKey credentials,
 * metadata, isSharedToAll, expiryTime — so a PUT through it would wipe what it does not know (see
 * arm-connections-api.md). src/arm/connections.ts keeps the connections on plain REST. For the workspace,
 * the SDK's api-version is set to the task's and the answer is taken as the service wrote it (the
 * `onResponse` body), so fields newer than the SDK's models (kind, managed network) are not lost either.
 */
import { isRestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { ARM_ACTIONS } from '../arm/permissions';
import type { ArmThrottle } from '../arm/throttle';
import type { WarmingAgent } from '../core/warm-agent';
import type { WorkspaceRef } from '../arm/types';
import { attemptPolicy, DEFAULT_ARM_RETRY, type ArmRequestInfo, type ArmRetryOptions } from '../arm/client';
import { ArmError } from '../core/errors';
import { attemptTimeoutPolicy, networkPolicy, type NetworkOptions } from '../core/network';
import { msg } from '../messages';
import { loadWorkspaceSdk } from './sdk';

/** The parts of a Microsoft.MachineLearningServices/workspaces resource the tasks use; `raw` keeps the rest. */
export interface WorkspaceInfo {
  id: string;
  name: string;
  location?: string;
  /** `Default`, `Hub`, `Project`, `FeatureStore` */
  kind?: string;
  /** a project's hub (its ARM id) */
  hubResourceId?: string;
  /** `Enabled` or `Disabled` */
  publicNetworkAccess?: string;
  /** status: `Approved`, `Pending`, `Rejected`, `Disconnected`; provisioningState: `Succeeded`, `Creating`, `Deleting`, `Failed` */
  privateEndpointConnections: PrivateEndpointConnectionInfo[];
  /** the managed virtual network's isolation mode: `Disabled`, `AllowInternetOutbound`, `AllowOnlyApprovedOutbound` */
  managedNetworkIsolation?: string;
  /** the resource as the service returned it */
  raw: Record<string, unknown>;
}

export interface PrivateEndpointConnectionInfo {
  name: string;
  status?: string;
  provisioningState?: string;
}

export interface WorkspaceReadOptions extends NetworkOptions {
  credential: TokenCredential;
  /** the cloud's ARM endpoint, e.g. https://management.azure.com */
  armUrl: string;
  /** the token scope, e.g. https://management.azure.com/.default */
  scope: string;
  apiVersion: string;
  userAgent: string;
  retry?: ArmRetryOptions;
  /** per attempt; default 100000 */
  timeoutInMs?: number;
  onRequest?: (info: ArmRequestInfo) => void;
  /** the keep-alive agent of the ARM client, so that the workspace's GET uses the connections it holds */
  agent?: WarmingAgent;
  /** the run's throttle, shared with the ARM client */
  throttle?: ArmThrottle;
  /** settles when the caller's first ARM request is on its way (the SDK is loaded after it) */
  ready?: Promise<void>;
}

/** GET the workspace through the SDK. A 404 or 403 becomes one sentence naming the workspace (and the missing action). */
export async function readWorkspace(ref: WorkspaceRef, options: WorkspaceReadOptions): Promise<WorkspaceInfo> {
  // The SDK is loaded only once the caller's first ARM request is on its way (`ready`: written out), so
  // that compiling and evaluating it — some 50 ms of CPU — runs while that request is in flight instead
  // of before it leaves. Should no such request come, 50 ms after the sign-in it is loaded anyway; a
  // failed sign-in is the caller's request's to report (the SDK's request below asks again).
  const signedIn = options.credential.getToken(options.scope).then(
    () => new Promise((resolve) => setTimeout(resolve, 50)),
    () => undefined,
  );
  await Promise.race([options.ready ?? new Promise((resolve) => setImmediate(resolve)), signedIn]);
  const { AzureMachineLearningWorkspaces } = await loadWorkspaceSdk();
  const client = new AzureMachineLearningWorkspaces(options.credential, ref.subscriptionId, {
    endpoint: options.armUrl.replace(/\/+$/, ''),
    credentialScopes: [options.scope],
    apiVersion: options.apiVersion,
    userAgentOptions: { userAgentPrefix: options.userAgent },
    retryOptions: {
      maxRetries: options.retry?.maxRetries ?? DEFAULT_ARM_RETRY.maxRetries,
      retryDelayInMs: options.retry?.retryDelayInMs ?? DEFAULT_ARM_RETRY.retryDelayInMs,
      maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? DEFAULT_ARM_RETRY.maxRetryDelayInMs,
    },
    additionalPolicies: [
      ...(options.throttle ? [{ policy: options.throttle.policy(), position: 'perRetry' as const }] : []),
      { policy: networkPolicy(options, options.agent), position: 'perRetry' },
      { policy: attemptPolicy(options.onRequest), position: 'perRetry' },
      { policy: attemptTimeoutPolicy(options.timeoutInMs ?? 100_000), position: 'perRetry' },
    ],
  });
  // the agent's proxy settings (networkPolicy) are the only ones that count, as for every other request
  client.pipeline.removePolicy({ name: 'proxyPolicy' });
  let raw: unknown;
  try {
    await client.workspaces.get(ref.resourceGroup, ref.workspace, {
      onResponse: (response) => {
        raw = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
      },
    });
  } catch (e) {
    throw workspaceError(e, ref);
  }
  return workspaceInfo(isRecord(raw) ? raw : {});
}

/** The fields the tasks use, from the resource as the service wrote it. */
export function workspaceInfo(raw: Record<string, unknown>): WorkspaceInfo {
  const properties = isRecord(raw.properties) ? raw.properties : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const endpoints = Array.isArray(properties.privateEndpointConnections) ? properties.privateEndpointConnections : [];
  const managed = isRecord(properties.managedNetwork) ? properties.managedNetwork : undefined;
  return {
    id: text(raw.id) ?? '',
    name: text(raw.name) ?? '',
    location: text(raw.location),
    kind: text(raw.kind),
    hubResourceId: text(properties.hubResourceId),
    publicNetworkAccess: text(properties.publicNetworkAccess),
    privateEndpointConnections: endpoints.filter(isRecord).map((p) => {
      const inner = isRecord(p.properties) ? p.properties : {};
      const state = isRecord(inner.privateLinkServiceConnectionState) ? inner.privateLinkServiceConnectionState : {};
      const out: PrivateEndpointConnectionInfo = { name: text(p.name) ?? '', status: text(state.status) };
      const provisioning = text(inner.provisioningState);
      if (provisioning) out.provisioningState = provisioning;
      return out;
    }),
    managedNetworkIsolation: text(managed?.isolationMode),
    raw,
  };
}

function workspaceError(e: unknown, ref: WorkspaceRef): unknown {
  if (!isRestError(e)) return e;
  const status = e.statusCode;
  let code: string | undefined;
  let message = e.message;
  try {
    const body = e.response?.bodyAsText ? (JSON.parse(e.response.bodyAsText) as unknown) : undefined;
    const err = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    code = typeof err?.code === 'string' ? err.code : undefined;
    if (typeof err?.message === 'string' && err.message.trim()) message = err.message.trim();
  } catch {
    // not JSON: the SDK's message stands
  }
  const requestId = e.response?.headers.get('x-ms-request-id') ?? undefined;
  if (status === 403) {
    message = msg('Platform_ArmWorkspaceForbidden', ref.workspace, ref.resourceGroup, ref.subscriptionId, ARM_ACTIONS.workspaceRead);
  } else if (status === 404) {
    message =
      code === 'ResourceGroupNotFound'
        ? msg('Platform_ArmResourceGroupNotFound', ref.resourceGroup, ref.subscriptionId)
        : msg('Platform_ArmWorkspaceNotFound', ref.workspace, ref.resourceGroup, ref.subscriptionId);
  } else if (status === undefined) {
    message = msg('Platform_ArmUnreachable', new URL(e.request?.url ?? 'https://unknown').host, e.message);
  }
  return new ArmError(message, status, code ?? e.code, requestId, 'GET', e.request?.url);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
