/** AzureMLConnectionCreate@1: create or update connections from YAML, as a plan or applied. No task-lib here. */
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import { loadConnectionFiles, parseOverrides } from '../model';
import type { VariableSource } from '../model/types';
import type { OnExisting, SecretCheck } from '../engine/types';
import type { Parallelism } from '../arm/throttle';
import { reportDiagnostics } from '../model/diagnostics';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './services';
import { reconcile } from '../engine/reconcile';
import { msg } from '../messages';

export interface CreateSettings extends WorkspaceSettings {
  /** the globs as given, for messages */
  patterns: string[];
  /** the files they matched (absolute paths), sorted */
  files: string[];
  mode: 'apply' | 'plan';
  /** plan mode: where to write the plan; apply mode: the saved plan to apply (undefined = plan afresh) */
  planFile?: string;
  /** where plan mode writes when planFile is not given */
  defaultPlanFile: string;
  onExisting: OnExisting;
  prune: boolean;
  overrides: string;
  /** ARM requests in flight: `auto` or a fixed upper bound 1-64 */
  maxParallel: Parallelism;
  /** credentials may be sent to http:// targets */
  allowInsecureTargets: boolean;
  /** digest: declared secrets compared with the digest kept in metadata (no read); read: every stored secret read */
  secretCheck: SecretCheck;
}

export interface CreateServices extends TaskServices {
  variables: VariableSource;
  connect(settings: WorkspaceSettings): Promise<{ api: ConnectionsApi; ref: WorkspaceRef }>;
}

export async function runCreate(settings: CreateSettings, services: CreateServices): Promise<TaskOutcome> {
  const { log, secrets } = services;

  // 1. Read and validate every file before anything is written.
  const overrides = parseOverrides(settings.overrides);
  log.info(msg('Task_CreateReading', settings.files.length, settings.patterns.join(', ')));
  const loaded = loadConnectionFiles(settings.files, services.sourceFiles, {
    variables: services.variables, overrides, secrets, apiVersion: settings.apiVersion, allowInsecureTargets: settings.allowInsecureTargets,
  });
  const errorCount = reportDiagnostics(log, loaded.diagnostics);
  if (errorCount > 0) {
    return { result: 'Failed', message: msg('Task_CreateFileErrors', errorCount) };
  }
  for (const c of loaded.connections) for (const note of c.notes) log.info(msg('Task_ConnectionNote', c.name, note));
  log.info(msg('Task_CreateDeclared', loaded.connections.length));

  // 2. Plan against one read of the workspace, then apply (unless mode is plan).
  const workspace = await services.connect(settings);
  const done = await reconcile(loaded.connections, workspace, settings, services, { title: msg('Task_CreateSummaryTitle'), declaredBy: 'files' });
  return done.outcome;
}
