/** Reaching one workspace: sign in with the service connection, check the workspace, and hand out its connections API. */
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import { UserError } from '../core/errors';
import { EXTENSION_VERSION } from '../core/version';
import { msg } from '../messages';
import type { ArmConnection, ListConnectionsOptions, WorkspaceRef } from '../arm/types';
import { createArmAuth, type ArmAuth, type AzureRmEndpoint, type JobContext } from '../auth';
import { ArmClient, WorkspaceConnections, type ArmRequestInfo } from '../arm';
import { ArmThrottle, type Parallelism } from '../arm/throttle';
import { readWorkspace, type WorkspaceInfo } from './info';
import { requestWritten, type ProxySettings } from '../core/network';
import { nextTurn } from '../core/turn';
import { loadWorkspaceSdk } from './sdk';

/** The inputs every task takes to reach a workspace. */
export interface WorkspaceSettings {
  azure: AzureRmEndpoint;
  job: JobContext;
  /** from the input; empty means "from the service connection's scope" */
  resourceGroup: string;
  workspace: string;
  apiVersion: string;
  proxy?: ProxySettings;
  caPem?: string;
  /** e.g. AzureMLConnectionCreate@1 */
  taskId: string;
  /** ARM requests in flight: `auto` (adapts to ARM's budgets) or a fixed upper bound; default auto */
  maxParallel?: Parallelism;
}

export interface WorkspaceConnection {
  api: WorkspaceConnections;
  ref: WorkspaceRef;
  armUrl: string;
  /** the workspace itself (kind, network settings), read with the SDK beside the first list of connections */
  info: Promise<WorkspaceInfo>;
  /** what paces this run's ARM requests (its figures say what it saw) */
  throttle: ArmThrottle;
}

/**
 * Authenticates with the service connection (or takes the sign-in `signIn` started), checks the workspace
 * exists, and returns its connections API.
 */
export async function connectWorkspace(settings: WorkspaceSettings, secrets: SecretSink, log: TaskLog, signedIn?: Promise<ArmSignIn>): Promise<WorkspaceConnection> {
  if (!signedIn) return openWorkspace(await createArmAuth(settings.azure, settings.job, secrets, { tlsCaPem: settings.caPem, proxy: settings.proxy }), settings, log);
  // A sign-in still under way once the files are read holds back every ARM request: the workspace SDK
  // (some 50 ms of CPU) is loaded in that wait rather than beside the first request.
  let settled = false;
  signedIn.then(() => (settled = true), () => (settled = true));
  await nextTurn();
  const sdkLoaded = !settled;
  if (sdkLoaded) await loadWorkspaceSdk();
  return openWorkspace(await signedIn, settings, log, { sdkLoaded });
}

/**
 * Signs in with the service connection: the credential, and its first token fetched (from Entra, and for
 * workload identity federation the ID token from Azure DevOps first). No ARM request: a task starts this
 * before its files are read and validated, and the ARM pipelines of the run are handed the same token.
 */
export async function signIn(settings: WorkspaceSettings, secrets: SecretSink): Promise<ArmAuth> {
  const auth = await createArmAuth(settings.azure, settings.job, secrets, { tlsCaPem: settings.caPem, proxy: settings.proxy });
  await auth.credential.getToken(auth.scope);
  return auth;
}

/** A credential for ARM and the facts that go with it: from a service connection (createArmAuth) or the command line's sign-in. */
export type ArmSignIn = Pick<ArmAuth, 'credential' | 'armUrl' | 'scope' | 'environment' | 'scheme' | 'subscriptionId' | 'resourceGroup' | 'workspace'>;

/** The workspace's connections API once signed in; the workspace's existence is checked beside the first request. */
export function openWorkspace(auth: ArmSignIn, settings: WorkspaceSettings, log: TaskLog, options: { sdkLoaded?: boolean } = {}): WorkspaceConnection {
  const resourceGroup = settings.resourceGroup || auth.resourceGroup || '';
  const workspace = settings.workspace || auth.workspace || '';
  if (!auth.subscriptionId) {
    throw new UserError(msg('Task_NoSubscription'));
  }
  if (!resourceGroup) throw new UserError(msg('Task_NoResourceGroup'));
  if (!workspace) throw new UserError(msg('Task_NoWorkspace'));
  const ref: WorkspaceRef = { subscriptionId: auth.subscriptionId, resourceGroup, workspace };
  const throttle = new ArmThrottle({ maxParallel: settings.maxParallel ?? 'auto' });
  const common = {
    throttle,
    armUrl: auth.armUrl,
    credential: auth.credential,
    scope: auth.scope,
    apiVersion: settings.apiVersion,
    userAgent: `AzureMLConnections/${EXTENSION_VERSION} (${settings.taskId})`,
    proxy: settings.proxy,
    tlsCaPem: settings.caPem,
    onRequest: (info: ArmRequestInfo) => {
      log.debug(`${info.method} ${info.url} -> ${info.status ?? 'no response'} (${Math.round(info.durationMs)} ms)`);
    },
  };
  const client = new ArmClient(common);
  const info = readWorkspace(ref, { ...common, ready: options.sdkLoaded ? Promise.resolve() : requestWritten(auth.armUrl, '/subscriptions/') });
  const check = info.then(() =>
    log.info(msg('Task_WorkspaceSignedIn', ref.workspace, ref.resourceGroup, ref.subscriptionId, auth.environment, auth.scheme)),
  );
  info.catch(() => undefined); // observed through `check` by the first call
  return { api: new CheckedWorkspaceConnections(client, ref, check), ref, armUrl: auth.armUrl, info, throttle };
}

/**
 * The connections of a workspace whose existence is checked beside the first request (the one paged
 * list every task starts with) instead of before it: one round trip fewer, and a missing workspace
 * still fails with the check's own sentence rather than the list's 404.
 */
class CheckedWorkspaceConnections extends WorkspaceConnections {
  constructor(
    client: ArmClient,
    ref: WorkspaceRef,
    private readonly check: Promise<void>,
  ) {
    super(client, ref);
    check.catch(() => undefined); // observed by the first call below
  }
  private async afterCheck<T>(op: Promise<T>): Promise<T> {
    const [workspace, result] = await Promise.allSettled([this.check, op]);
    if (workspace.status === 'rejected') throw workspace.reason;
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }
  override list(options?: ListConnectionsOptions): Promise<ArmConnection[]> {
    return this.afterCheck(super.list(options));
  }
  override async get(name: string): Promise<ArmConnection | undefined> {
    await this.check;
    return super.get(name);
  }
}
