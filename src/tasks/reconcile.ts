/**
 * Plan and (unless mode is plan) apply declared connections against one workspace: the part of a task
 * after it has its ConnectionSpecs. Shared by Create and Migrate: the same plan output, plan file, saved
 * plan check, summary and output variables. No task-lib here.
 */
import { describeError, UserError } from '../core/errors';
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import type { ConnectionSpec } from '../model/types';
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
import type { ApplyResult, Counts, OnExisting, Plan } from '../engine/types';
import type { TaskOutcome, TaskOutputs, TaskServices } from './common';

export interface ReconcileSettings {
  mode: 'apply' | 'plan';
  /** plan mode: where to write the plan; apply mode: the saved plan to apply (undefined = plan afresh) */
  planFile?: string;
  /** where plan mode writes when planFile is not given */
  defaultPlanFile: string;
  onExisting: OnExisting;
  prune: boolean;
  maxParallel: number;
  apiVersion: string;
}

export type ReconcileServices = TaskServices;

export interface ReconcileOptions {
  /** summary title in apply mode (plan mode adds ': plan') */
  title: string;
  /** what declares the connections, for messages, e.g. 'the files' */
  declaredBy: string;
  /** Markdown appended to the uploaded summary */
  summaryAppendix?: string;
}

export interface Reconciled {
  plan: Plan;
  results?: ApplyResult[];
  counts: Counts;
  outcome: TaskOutcome;
}

export async function reconcile(
  desired: ConnectionSpec[],
  workspace: { api: ConnectionsApi; ref: WorkspaceRef },
  settings: ReconcileSettings,
  services: ReconcileServices,
  options: ReconcileOptions,
): Promise<Reconciled> {
  const { log, secrets } = services;
  const { api, ref } = workspace;
  const plan = await makePlan(desired, api, {
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
  const appendix = options.summaryAppendix ? `\n${options.summaryAppendix}` : '';

  if (settings.mode === 'plan') {
    const planFile = settings.planFile ?? settings.defaultPlanFile;
    services.writeFile(planFile, serializePlan(plan));
    log.info(`Plan written to ${planFile}. Apply it with mode 'apply' and planFile set to this file.`);
    for (const item of plan.items) if (item.error) log.error(item.error);
    const counts = countResults(plan);
    setOutputs(services.outputs, counts, plan, planFile);
    services.outputs.uploadSummary('plan.md', formatSummaryMarkdown(plan, undefined, { title: `${options.title}: plan`, workspace: ref, mode: 'plan', planFile }) + appendix);
    return { plan, counts, outcome: outcome(counts, plan.items.filter((i) => i.error !== undefined || i.action === 'conflict').map((i) => i.name), 'plan') };
  }

  // A saved plan must still describe the workspace and the declared connections.
  if (settings.planFile) {
    let saved: Plan;
    try {
      saved = parsePlan(services.readFile(settings.planFile), settings.planFile);
    } catch (e) {
      throw e instanceof UserError ? e : new UserError(`The plan file cannot be read: ${describeError(e)}.`, { file: settings.planFile, line: 1, column: 1 });
    }
    checkSavedPlan(saved, plan);
    log.info(`The saved plan ${settings.planFile} still matches the workspace and ${options.declaredBy}; applying it.`);
  }
  const results = await applyPlan(plan, desired, api, { maxParallel: settings.maxParallel, secrets, log });
  for (const r of results) if (!r.ok) log.error(r.error ?? `${r.name}: failed.`);
  const counts = countResults(plan, results);
  setOutputs(services.outputs, counts, plan, settings.planFile ?? '');
  services.outputs.uploadSummary('apply.md', formatSummaryMarkdown(plan, results, { title: options.title, workspace: ref, mode: 'apply', planFile: settings.planFile }) + appendix);
  return { plan, results, counts, outcome: outcome(counts, results.filter((r) => !r.ok).map((r) => r.name), 'apply') };
}

export function setOutputs(outputs: TaskOutputs, counts: Counts, plan: Plan | undefined, planFile: string): void {
  outputs.set('created', String(counts.created));
  outputs.set('updated', String(counts.updated));
  outputs.set('unchanged', String(counts.unchanged));
  outputs.set('deleted', String(counts.deleted));
  outputs.set('failed', String(counts.failed));
  outputs.set('hasChanges', String(!!plan?.items.some((i) => i.action === 'create' || i.action === 'update' || i.action === 'delete')));
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
