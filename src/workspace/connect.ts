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
import { contextFor, goesThroughProxy, requestWritten, type NetworkOptions, type ProxySettings } from '../core/network';
import { WarmingAgent } from '../core/warm-agent';
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
 * The connections to ARM opened ahead of a run's first reads, one for each of them: they go out together
 * (the list, the digest key's listsecrets, the workspace's GET).
 */
const FIRST_READS = 3;

/**
 * Signs in with the service connection: the credential, and its first token fetched (from Entra, and for
 * workload identity federation the ID token from Azure DevOps first). No ARM request: a task starts this
 * before its files are read and validated, and the ARM pipelines of the run are handed the same token.
 *
 * Meanwhile it opens the connections of the run's first ARM reads (FIRST_READS; none through a proxy):
 * their TCP and TLS set-up, two round trips to ARM, then passes while the files are read instead of in
 * the way of the first request. A connection is not a request: with a file refused, none is sent, and the
 * connections, unused, keep nothing alive.
 */
export async function signIn(settings: WorkspaceSettings, secrets: SecretSink): Promise<ArmAuth & { agent: WarmingAgent }> {
  const net = { tlsCaPem: settings.caPem, proxy: settings.proxy };
  const auth = await createArmAuth(settings.azure, settings.job, secrets, net);
  const agent = armAgentAhead(auth.armUrl, net);
  await auth.credential.getToken(auth.scope);
  return { ...auth, agent };
}

/** A keep-alive agent for ARM that has started opening the first reads' connections (none through a proxy). */
function armAgentAhead(armUrl: string, net: NetworkOptions): WarmingAgent {
  const agent = new WarmingAgent();
  // (an ARM URL that is not https is refused with its own sentence by the ARM client, before any request)
  if (URL.canParse(armUrl) && !goesThroughProxy(armUrl, net)) agent.preconnect(armUrl, FIRST_READS, contextFor(net));
  return agent;
}

/**
 * A credential for ARM and the facts that go with it: from a service connection (createArmAuth) or the
 * command line's sign-in; `agent`, the keep-alive agent for ARM with the connections the sign-in opened.
 */
export type ArmSignIn = Pick<ArmAuth, 'credential' | 'armUrl' | 'scope' | 'environment' | 'scheme' | 'subscriptionId' | 'resourceGroup' | 'workspace'> & { agent?: WarmingAgent };

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
    // one keep-alive agent for the run's ARM requests, the workspace's GET among them. Without a sign-in
    // started ahead (Export, Migrate, Verify without files, the command line), the first reads'
    // connections open now, while the first request's token is fetched.
    agent: auth.agent ?? armAgentAhead(auth.armUrl, { proxy: settings.proxy, tlsCaPem: settings.caPem }),
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
