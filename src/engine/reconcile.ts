/**
 * Plan and (unless mode is plan) apply declared connections against one workspace: the part of a task
 * after it has its ConnectionSpecs. Shared by Create and Migrate: the same plan output, plan file, saved
 * plan check, summary and output variables. No task-lib here.
 */
import { describeError, UserError } from '../core/errors';
import { msg } from '../messages';
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import type { WorkspaceInfo } from '../workspace/info';
import type { ConnectionSpec } from '../model/types';
import { poolStart, poolWidth, type Parallelism } from '../arm/throttle';
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import type { TaskOutcome, TaskOutputs } from '../core/task';
import { rejectDuplicateNames } from '../model/load';
import { readSnapshot, readStoredCredentials, type StoredRead, type WorkspaceSnapshot } from '../workspace/snapshot';
import { DIGEST_KEY_CONNECTION, digestKeyFrom, digestKeyProperties, newDigestKey } from './digest';
import { applyPlan, isWrittenByApply, rewriteDigests, type SecretValues } from './apply';
import { formatPlan, formatSummaryMarkdown, countResults } from './format';
import { LISTSECRETS_ACTION, makePlan, storedNeededFor } from './plan';
import { checkSavedPlan, parsePlan, serializePlan } from './planfile';
import { registerSecretValues } from './secret-values';
import { secretKeysOf } from './fingerprint';
import type { ApplyResult, Counts, OnExisting, Plan, PlanOptions, SecretCheck } from './types';

export interface ReconcileSettings {
  mode: 'apply' | 'plan';
  /** plan mode: where to write the plan; apply mode: the saved plan to apply (undefined = plan afresh) */
  planFile?: string;
  /** where plan mode writes when planFile is not given */
  defaultPlanFile: string;
  onExisting: OnExisting;
  prune: boolean;
  /** `auto` or a fixed upper bound: the pools' widths (the run's throttle decides what is in flight) */
  maxParallel: Parallelism;
  /** how declared secrets are compared with stored ones (default digest) */
  secretCheck?: SecretCheck;
  apiVersion: string;
}

/** What reconciling needs from the task's adapter. */
export interface ReconcileServices {
  log: TaskLog;
  secrets: SecretSink;
  outputs: TaskOutputs;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
}

export interface ReconcileOptions {
  /** summary title in apply mode, already a message (plan mode adds ': plan') */
  title: string;
  /** what declares the connections, for the saved-plan message */
  declaredBy: 'files' | 'serviceConnections';
  /** Markdown appended to the uploaded summary */
  summaryAppendix?: string;
}

export interface Reconciled {
  plan: Plan;
  results?: ApplyResult[];
  counts: Counts;
  /** the counts as one clause without a full stop, e.g. `1 create, 0 update, 0 delete, 2 unchanged` */
  summary: string;
  outcome: TaskOutcome;
}

export async function reconcile(
  desired: ConnectionSpec[],
  workspace: { api: ConnectionsApi; ref: WorkspaceRef; info?: Promise<WorkspaceInfo> },
  settings: ReconcileSettings,
  services: ReconcileServices,
  options: ReconcileOptions,
): Promise<Reconciled> {
  const { log, secrets } = services;
  const { api, ref } = workspace;
  const { plan, snapshot, keyRead } = await planAgainst(desired, api, {
    onExisting: settings.onExisting, prune: settings.prune, apiVersion: settings.apiVersion, secrets, log,
    maxParallel: poolWidth(settings.maxParallel, 'secretReads'), secretCheck: settings.secretCheck ?? 'digest',
    // the reads' own two (the list, the digest key's listsecrets) and a first round of writes, with the key's GET beside it
    connectionsAhead: 2 + Math.min(desired.length, poolStart(settings.maxParallel, 'writes')),
    kind: workspace.info?.then((i) => i.kind, () => undefined),
  });
  log.group(msg('Task_PlanGroup'));
  for (const line of formatPlan(plan)) log.info(line);
  log.endGroup();
  const appendix = options.summaryAppendix ? `\n${options.summaryAppendix}` : '';

  if (settings.mode === 'plan') {
    const planFile = settings.planFile ?? settings.defaultPlanFile;
    services.writeFile(planFile, serializePlan(plan));
    log.info(msg('Task_PlanWritten', planFile));
    for (const item of plan.items) if (item.error) log.error(item.error, item.location);
    const counts = countResults(plan);
    setOutputs(services.outputs, counts, plan, planFile);
    services.outputs.uploadSummary('plan.md', formatSummaryMarkdown(plan, undefined, { title: msg('Task_PlanSummaryTitle', options.title), workspace: ref, mode: 'plan', planFile }) + appendix);
    const failedNames = plan.items.filter((i) => i.error !== undefined || i.action === 'conflict').map((i) => i.name);
    return { plan, counts, summary: summarize(counts, 'plan'), outcome: outcome(counts, failedNames, 'plan') };
  }

  // A saved plan must still describe the workspace and the declared connections.
  if (settings.planFile) {
    let saved: Plan;
    try {
      saved = parsePlan(services.readFile(settings.planFile), settings.planFile);
    } catch (e) {
      throw e instanceof UserError ? e : new UserError(msg('Task_PlanFileUnreadable', describeError(e)), { file: settings.planFile, line: 1, column: 1 });
    }
    checkSavedPlan(saved, plan);
    log.info(msg(options.declaredBy === 'files' ? 'Task_SavedPlanMatchesFiles' : 'Task_SavedPlanMatchesServiceConnections', settings.planFile));
  }
  const digestKey = digestKeyFor(api, snapshot, keyRead, services);
  const values = secretValues(desired, snapshot, digestKey.key);
  // the key's read-back (a run that made one) goes out beside the last writes, not after them
  let allStarted = (): void => undefined;
  const lastStarted = new Promise<void>((resolve) => (allStarted = resolve));
  const readBack = digestKey.replacedBy(lastStarted);
  readBack.catch(() => undefined); // awaited below, once the writes are done
  const applying = applyPlan(plan, api, { maxParallel: poolWidth(settings.maxParallel, 'writes'), secrets, log, values, onAllStarted: allStarted });
  // the connections the pool's widest rounds will use open while its first round is in flight: from the
  // turn after that round was handed to its connections, so that opening them does not hold it up
  const writes = plan.items.filter(isWrittenByApply).length;
  const widest = Math.min(writes, poolWidth(settings.maxParallel, 'writes'));
  if (widest > poolStart(settings.maxParallel, 'writes')) setImmediate(() => api.preconnect?.(widest));
  const results = await applying;
  allStarted();
  await digestKey.written();
  const replaced = await readBack;
  if (replaced) {
    const again = secretValues(desired, snapshot, async () => replaced);
    const n = await rewriteDigests(plan, results, api, { maxParallel: poolWidth(settings.maxParallel, 'writes'), secrets, log, values: again });
    log.info(msg('Platform_DigestKeyReplaced', DIGEST_KEY_CONNECTION, n));
  }
  // A refused write stops the apply: its one sentence is the outcome; what it left unwritten is in the summary.
  const refusal = results.find((r) => r.refused);
  for (const r of results) if (!r.ok && !r.refused && !r.notAttempted) log.error(r.error ?? msg('Task_ConnectionFailed', r.name), r.location);
  const counts = countResults(plan, results);
  setOutputs(services.outputs, counts, plan, settings.planFile ?? '');
  services.outputs.uploadSummary('apply.md', formatSummaryMarkdown(plan, results, { title: options.title, workspace: ref, mode: 'apply', planFile: settings.planFile }) + appendix);
  const done = refusal?.error ? { result: 'Failed' as const, message: refusal.error } : outcome(counts, results.filter((r) => !r.ok).map((r) => r.name), 'apply');
  return { plan, results, counts, summary: summarize(counts, 'apply'), outcome: done };
}

export interface PlanAgainstOptions extends PlanOptions {
  secrets: SecretSink;
  log: TaskLog;
  /** listsecrets calls in flight at most */
  maxParallel: number;
  /** the workspace's kind, read beside the list (a failed read fails the list with its own sentence) */
  kind?: Promise<string | undefined>;
  /** ARM connections to have open while the reads are in flight: theirs, and a first round of writes' should the plan have any */
  connectionsAhead?: number;
}

/**
 * The plan step of a run: the declared secrets registered, duplicate names refused, one snapshot of the
 * workspace (the list, and the stored credentials the comparison needs), then the pure plan.
 */
export async function planAgainst(
  desired: readonly ConnectionSpec[],
  api: ConnectionsApi,
  options: PlanAgainstOptions,
): Promise<{ plan: Plan; snapshot: WorkspaceSnapshot; keyRead?: StoredRead }> {
  for (const spec of desired) registerSecretValues(spec.properties.credentials, secretKeysOf(spec), options.secrets);
  rejectDuplicateNames(desired);
  const secretCheck = options.secretCheck ?? 'read';
  // With digests, the one listsecrets of the run (the key) goes out beside the list, not after it.
  const withCredentials = desired.some((s) => Object.keys(s.properties.credentials ?? {}).length > 0);
  const reads = Promise.all([
    readSnapshot(api, { secrets: options.secrets, maxParallel: options.maxParallel, readStored: storedNeededFor(desired, secretCheck) }),
    secretCheck === 'digest' && withCredentials ? readStoredCredentials(api, DIGEST_KEY_CONNECTION, options.secrets) : undefined,
    options.kind,
  ]);
  // opened while the reads are in flight (from the turn after they went out), a first round of writes finds
  // its connections ready; a run with nothing to write leaves them unused
  const ahead = options.connectionsAhead;
  if (ahead) setImmediate(() => api.preconnect?.(ahead));
  const [snapshot, keyRead, workspaceKind] = await reads;
  const digestKey = keyRead?.status === 'read' ? digestKeyFrom(keyRead.credentials) : undefined;
  const forbidden = desired.filter((s) => snapshot.stored(s.name)?.status === 'forbidden').length;
  if (forbidden > 0) options.log.warning(msg('Platform_PlanListSecretsForbidden', forbidden, LISTSECRETS_ACTION));
  if (keyRead?.status === 'forbidden') options.log.warning(msg('Platform_DigestKeyForbidden', LISTSECRETS_ACTION));
  const plan = makePlan(desired, snapshot, { onExisting: options.onExisting, prune: options.prune, apiVersion: options.apiVersion, now: options.now, secretCheck, digestKey, workspaceKind: workspaceKind ?? options.workspaceKind });
  return { plan, snapshot, ...(keyRead ? { keyRead } : {}) };
}

/** The values a plan's secret references stand for in this run: the declared credentials, what the snapshot read, the digest key. */
export function secretValues(
  desired: readonly ConnectionSpec[],
  snapshot: WorkspaceSnapshot | undefined,
  digestKey?: () => Promise<Buffer | undefined>,
): SecretValues {
  const declared = new Map(desired.map((s) => [s.name.toLowerCase(), s.properties.credentials ?? {}]));
  return { declared: (name) => declared.get(name.toLowerCase()), stored: (name) => snapshot?.stored(name), ...(digestKey ? { digestKey } : {}) };
}

/**
 * The digest key for this run's writes, once: the one the plan read; else the key connection's (read now);
 * else a new one, made at once so that the first writes need not wait. Its connection is written beside
 * those writes — unless a GET, sent beside them too, finds that another run has made a key since this
 * run's list: that key is then kept (replacing it would make every digest made with it stale) and this
 * run's writes get their digests again with it (replacedBy). Two runs that both find no key write one each
 * at the same moment and the later write wins: the run that made a key reads it back once its last write
 * has gone out (one listsecrets, only in a run that made a key, beside those last writes rather than
 * after them) and, if it lost, does the same. Should the key's write fail, the next run finds no key and
 * writes the credentials again. Undefined (and said once) when the key connection exists but cannot be read.
 */
function digestKeyFor(api: ConnectionsApi, snapshot: WorkspaceSnapshot, planRead: StoredRead | undefined, services: ReconcileServices): DigestKeySource {
  let key: Promise<Buffer | undefined> | undefined;
  let made: Buffer | undefined;
  /** settles when the made key's connection is written, or found to be another run's */
  let settled: Promise<'written' | 'theirs' | 'failed'> = Promise.resolve('failed');
  const readKey = async (read?: StoredRead): Promise<Buffer | undefined> => {
    const r = read ?? (await readStoredCredentials(api, DIGEST_KEY_CONNECTION, services.secrets));
    return r.status === 'read' ? digestKeyFrom(r.credentials) : undefined;
  };
  const obtain = async (): Promise<Buffer | undefined> => {
    // A project whose hub shares its key (a hub shares every connection) uses the hub's, read through the
    // project: the key's name is the hub's there, and nothing is ever written under a hub's name.
    if (snapshot.connection(DIGEST_KEY_CONNECTION) || snapshot.sharedConnection(DIGEST_KEY_CONNECTION)) {
      const found = await readKey(planRead);
      if (!found) services.log.warning(msg('Platform_DigestKeyUnreadable', DIGEST_KEY_CONNECTION));
      return found;
    }
    const value = newDigestKey();
    services.secrets.add(value);
    settled = (async () => {
      try {
        if (await api.get(DIGEST_KEY_CONNECTION)) return 'theirs';
        await api.put(DIGEST_KEY_CONNECTION, digestKeyProperties(value));
        services.log.info(msg('Platform_DigestKeyCreated', DIGEST_KEY_CONNECTION));
        return 'written';
      } catch (e) {
        services.log.warning(msg('Platform_DigestKeyNotWritten', DIGEST_KEY_CONNECTION, describeError(e)));
        return 'failed';
      }
    })();
    made = digestKeyFrom(digestKeyProperties(value).credentials);
    return made;
  };
  return {
    key: () => (key ??= obtain()),
    written: async () => {
      await settled;
    },
    replacedBy: async (after) => {
      await after;
      if (!made || (await settled) === 'failed') return undefined;
      // a listsecrets this run was refused: reading the key back would be refused too
      if (planRead?.status === 'forbidden' || snapshot.connections.some((c) => snapshot.stored(c.name)?.status === 'forbidden')) return undefined;
      const now = await readKey();
      return now && !now.equals(made) ? now : undefined;
    },
  };
}

interface DigestKeySource {
  key(): Promise<Buffer | undefined>;
  /** settles once the key's own write (if this run made one) has been answered */
  written(): Promise<void>;
  /**
   * When this run made a key and another run's key replaced it since, that key; else undefined. Reads the
   * key back once `after` has settled and the key's own write has been answered.
   */
  replacedBy(after: Promise<void>): Promise<Buffer | undefined>;
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

/** The counts as one clause: `1 to create, ...` for a plan, `1 create, ...` after apply. */
export function summarize(counts: Counts, mode: 'plan' | 'apply'): string {
  const n = [counts.created, counts.updated, counts.deleted, counts.unchanged];
  if (mode === 'plan') return counts.skipped ? msg('Task_CountsPlannedSkipped', ...n, counts.skipped) : msg('Task_CountsPlanned', ...n);
  return counts.skipped ? msg('Task_CountsAppliedSkipped', ...n, counts.skipped) : msg('Task_CountsApplied', ...n);
}

function outcome(counts: Counts, failedNames: string[], mode: 'plan' | 'apply'): TaskOutcome {
  const summary = summarize(counts, mode);
  if (counts.failed > 0) {
    const names = failedNames.join(', ');
    const message =
      mode === 'plan'
        ? failedNames.length ? msg('Task_OutcomePlanFailedNames', counts.failed, names, summary) : msg('Task_OutcomePlanFailed', counts.failed, summary)
        : failedNames.length ? msg('Task_OutcomeApplyFailedNames', counts.failed, names, summary) : msg('Task_OutcomeApplyFailed', counts.failed, summary);
    return { result: 'Failed', message };
  }
  return { result: 'Succeeded', message: msg('Task_OutcomeSummary', summary) };
}
