/** What every task shares: its outcome, its outputs, and connecting to a workspace. No task-lib here. */
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import { UserError } from '../core/errors';
import { msg, type MessageKey } from '../messages';
import type { ArmConnection, ListConnectionsOptions, WorkspaceRef } from '../arm/types';
import { createArmAuth, type AzureRmEndpoint, type JobContext } from '../auth';
import { ArmClient, WorkspaceConnections, getWorkspace } from '../arm';
import type { ProxySettings } from '../core/network';
import type { Diagnostic } from '../model/types';
import type { SourceFileReader } from '../model/files';

export interface TaskOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message: string;
}

export interface TaskOutputs {
  /** an output variable (isOutput=true) */
  set(name: string, value: string): void;
  /** a secret pipeline variable, registered with the agent first */
  setSecretVariable(name: string, value: string): void;
  /** a Markdown summary for the run's Extensions tab */
  uploadSummary(fileName: string, markdown: string): void;
}

/** A Markdown table's header row from column-name messages (a `|` in a translation is escaped). */
export function tableHeader(columns: readonly MessageKey[]): string {
  return `| ${columns.map((k) => msg(k).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** A log line indented under the one before it. */
export function indent(spaces: number, line: string): string {
  return ' '.repeat(spaces) + line;
}

/** The agent's proxy; the one definition is in src/core/network. */
export type { ProxySettings } from '../core/network';

/** What every task's logic is handed (the pipeline adapter implements it; tests pass fakes). */
export interface TaskServices {
  log: TaskLog;
  secrets: SecretSink;
  outputs: TaskOutputs;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  /** connection files as bytes (their size and kind first), read through src/model/files.ts */
  sourceFiles: SourceFileReader;
}

/** The most file problems printed one by one; the rest are counted in one line. */
export const MAX_DIAGNOSTICS_SHOWN = 100;

/** Prints diagnostics (at most MAX_DIAGNOSTICS_SHOWN, errors first) and returns the number of errors. */
export function reportDiagnostics(log: TaskLog, diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = [...errors, ...diagnostics.filter((d) => d.severity !== 'error')].slice(0, MAX_DIAGNOSTICS_SHOWN);
  const order = new Map(diagnostics.map((d, i) => [d, i]));
  for (const d of shown.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))) {
    if (d.severity === 'error') log.error(d.message, d.location);
    else log.warning(d.message, d.location);
  }
  if (diagnostics.length > shown.length) log.error(msg('Task_MoreDiagnostics', diagnostics.length - shown.length));
  return errors.length;
}

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
}

export const EXTENSION_VERSION: string = process.env.AZUREML_CONNECTIONS_VERSION_OVERRIDE ?? (typeof __EXTENSION_VERSION__ === 'string' ? __EXTENSION_VERSION__ : '0.0.0-dev');
declare const __EXTENSION_VERSION__: string | undefined;

export interface WorkspaceConnection {
  api: WorkspaceConnections;
  ref: WorkspaceRef;
  armUrl: string;
}

/** Authenticates with the service connection, checks the workspace exists, and returns its connections API. */
export async function connectWorkspace(settings: WorkspaceSettings, secrets: SecretSink, log: TaskLog): Promise<WorkspaceConnection> {
  const auth = await createArmAuth(settings.azure, settings.job, secrets, { tlsCaPem: settings.caPem, proxy: settings.proxy });
  const resourceGroup = settings.resourceGroup || auth.resourceGroup || '';
  const workspace = settings.workspace || auth.workspace || '';
  if (!auth.subscriptionId) {
    throw new UserError(msg('Task_NoSubscription'));
  }
  if (!resourceGroup) throw new UserError(msg('Task_NoResourceGroup'));
  if (!workspace) throw new UserError(msg('Task_NoWorkspace'));
  const ref: WorkspaceRef = { subscriptionId: auth.subscriptionId, resourceGroup, workspace };
  const client = new ArmClient({
    armUrl: auth.armUrl,
    credential: auth.credential,
    scope: auth.scope,
    apiVersion: settings.apiVersion,
    userAgent: `AzureMLConnections/${EXTENSION_VERSION} (${settings.taskId})`,
    proxy: settings.proxy,
    tlsCaPem: settings.caPem,
    onRequest: (info) => {
      log.debug(`${info.method} ${info.url} -> ${info.status ?? 'no response'} (${Math.round(info.durationMs)} ms)`);
    },
  });
  const check = getWorkspace(client, ref).then(() =>
    log.info(msg('Task_WorkspaceSignedIn', ref.workspace, ref.resourceGroup, ref.subscriptionId, auth.environment, auth.scheme)),
  );
  return { api: new CheckedWorkspaceConnections(client, ref, check), ref, armUrl: auth.armUrl };
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
