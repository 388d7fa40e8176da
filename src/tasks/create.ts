/** AzureMLConnectionCreate@1: create or update connections from YAML, as a plan or applied. No task-lib here. */
import { describeError, UserError } from '../core/errors';
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import { loadConnections, parseOverrides } from '../model';
import type { VariableSource } from '../model/types';
import {
  applyPlan,
  checkSavedPlan,
  countResults,
  formatPlan,
  formatSummaryMarkdown,
  makePlan,
  parsePlan,
  serializePlan,
} from '../engine';
import type { Counts, OnExisting, Plan } from '../engine/types';
import type { TaskOutcome, TaskOutputs, WorkspaceSettings } from './common';

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
  maxParallel: number;
}

export interface CreateServices {
  log: TaskLog;
  secrets: SecretSink;
  variables: VariableSource;
  outputs: TaskOutputs;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  connect(settings: WorkspaceSettings): Promise<{ api: ConnectionsApi; ref: WorkspaceRef }>;
}

export async function runCreate(settings: CreateSettings, services: CreateServices): Promise<TaskOutcome> {
  const { log, secrets } = services;

  // 1. Read and validate every file before anything is written.
  const overrides = parseOverrides(settings.overrides);
  const files = settings.files.map((path) => ({ path, text: services.readFile(path) }));
  log.info(`Reading ${files.length} connection file(s) matched by ${settings.patterns.join(', ')}.`);
  const loaded = loadConnections(files, { variables: services.variables, overrides, secrets, apiVersion: settings.apiVersion });
  for (const d of loaded.diagnostics) {
    if (d.severity === 'error') log.error(d.message, d.location);
    else log.warning(d.message, d.location);
  }
  const errorCount = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  if (errorCount > 0) {
    return { result: 'Failed', message: `${errorCount} error(s) in the connection files; nothing was written. Fix them and run again.` };
  }
  for (const c of loaded.connections) for (const note of c.notes) log.info(`${c.name}: ${note}`);
  log.info(`${loaded.connections.length} connection(s) declared.`);

  // 2. Plan against one read of the workspace.
  const { api, ref } = await services.connect(settings);
  const plan = await makePlan(loaded.connections, api, {
    onExisting: settings.onExisting,
    prune: settings.prune,
    apiVersion: settings.apiVersion,
    secrets,
    log,
    maxParallel: settings.maxParallel,
  });
  log.group('Plan');
  for (const line of formatPlan(plan)) log.info(line);
  log.endGroup();

  if (settings.mode === 'plan') {
    const planFile = settings.planFile ?? settings.defaultPlanFile;
    services.writeFile(planFile, serializePlan(plan));
    log.info(`Plan written to ${planFile}. Apply it with mode 'apply' and planFile set to this file.`);
    for (const item of plan.items) if (item.error) log.error(item.error);
    const counts = countResults(plan);
    setOutputs(services.outputs, counts, plan, planFile);
    services.outputs.uploadSummary('plan.md', formatSummaryMarkdown(plan, undefined, { title: 'Azure ML connections: plan', workspace: ref, mode: 'plan', planFile }));
    return outcome(counts, plan.items.filter((i) => i.error !== undefined || i.action === 'conflict').map((i) => i.name), 'plan');
  }

  // 3. Apply: a saved plan must still describe the workspace and the files.
  if (settings.planFile) {
    let saved: Plan;
    try {
      saved = parsePlan(services.readFile(settings.planFile), settings.planFile);
    } catch (e) {
      throw e instanceof UserError ? e : new UserError(`The plan file cannot be read: ${describeError(e)}.`, { file: settings.planFile, line: 1, column: 1 });
    }
    checkSavedPlan(saved, plan);
    log.info(`The saved plan ${settings.planFile} still matches the workspace and the files; applying it.`);
  }
  const results = await applyPlan(plan, loaded.connections, api, { maxParallel: settings.maxParallel, secrets, log });
  for (const r of results) if (!r.ok) log.error(r.error ?? `${r.name}: failed.`);
  const counts = countResults(plan, results);
  setOutputs(services.outputs, counts, plan, settings.planFile ?? '');
  services.outputs.uploadSummary('apply.md', formatSummaryMarkdown(plan, results, { title: 'Azure ML connections', workspace: ref, mode: 'apply', planFile: settings.planFile }));
  return outcome(counts, results.filter((r) => !r.ok).map((r) => r.name), 'apply');
}

function setOutputs(outputs: TaskOutputs, counts: Counts, plan: Plan, planFile: string): void {
  outputs.set('created', String(counts.created));
  outputs.set('updated', String(counts.updated));
  outputs.set('unchanged', String(counts.unchanged));
  outputs.set('deleted', String(counts.deleted));
  outputs.set('failed', String(counts.failed));
  outputs.set('hasChanges', String(plan.items.some((i) => i.action === 'create' || i.action === 'update' || i.action === 'delete')));
  outputs.set('planFile', planFile);
}

function outcome(counts: Counts, failedNames: string[], mode: 'plan' | 'apply'): TaskOutcome {
  const verb = mode === 'plan' ? 'to ' : '';
  const summary =
    `${counts.created} ${verb}create, ${counts.updated} ${verb}update, ${counts.deleted} ${verb}delete, ${counts.unchanged} unchanged` +
    (counts.skipped ? `, ${counts.skipped} skipped` : '');
  if (counts.failed > 0) {
    const which = failedNames.length ? `: ${failedNames.join(', ')}` : '';
    const what = mode === 'plan' ? 'cannot be applied' : 'failed';
    return { result: 'Failed', message: `${counts.failed} connection(s) ${what}${which} (${summary}).` };
  }
  return { result: 'Succeeded', message: summary + '.' };
}
