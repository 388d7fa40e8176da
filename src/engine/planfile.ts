import type { ConnectionProperties, WorkspaceRef } from '../arm/types';
import { UserError } from '../core/errors';
import { msg, type MessageArg, type MessageKey } from '../messages';
import type { Action, FieldChange, Plan, PlanItem } from './types';

export const PLAN_FILE_KIND = 'azureml-connections-plan';
export const PLAN_FILE_VERSION = 1;

const ACTIONS: readonly Action[] = ['create', 'update', 'unchanged', 'delete', 'skip', 'conflict'];

/**
 * The plan as a JSON document (stable key order, two-space indent). It holds no secret: sensitive
 * changes carry no values, each write's body holds references in place of secrets (SecretRef), and
 * fingerprints hash non-secret fields and the presence of secrets only.
 */
export function serializePlan(plan: Plan): string {
  const doc = {
    kind: PLAN_FILE_KIND,
    version: PLAN_FILE_VERSION,
    createdAt: plan.createdAt ?? new Date().toISOString(),
    workspace: {
      subscriptionId: plan.workspace.subscriptionId,
      resourceGroup: plan.workspace.resourceGroup,
      workspace: plan.workspace.workspace,
    },
    apiVersion: plan.apiVersion,
    workspaceFingerprint: plan.workspaceFingerprint,
    desiredFingerprint: plan.desiredFingerprint,
    connectionFingerprints: sortedRecord(plan.connectionFingerprints ?? {}),
    items: plan.items.map((item) => ({
      name: item.name,
      action: item.action,
      category: item.category,
      authType: item.authType,
      changes: item.changes.map((c) =>
        c.sensitive ? { path: c.path, sensitive: true } : { path: c.path, sensitive: false, before: c.before, after: c.after },
      ),
      notes: [...item.notes],
      error: item.error,
      write: item.write,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k] as string;
  return out;
}

/** Read a plan written by serializePlan; a UserError naming `file` on anything else. */
export function parsePlan(text: string, file: string): Plan {
  const bad: Bad = (key, ...args) => new UserError(msg(key, file, ...args), undefined);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad('Platform_PlanFileNotJson', e instanceof Error ? e.message : String(e));
  }
  if (!isObject(doc) || doc['kind'] !== PLAN_FILE_KIND) throw bad('Platform_PlanFileNotPlan');
  if (doc['version'] !== PLAN_FILE_VERSION) {
    throw bad('Platform_PlanFileVersion', String(JSON.stringify(doc['version'])), PLAN_FILE_VERSION);
  }
  const ws = doc['workspace'];
  if (!isObject(ws) || !isString(ws['subscriptionId']) || !isString(ws['resourceGroup']) || !isString(ws['workspace'])) {
    throw bad('Platform_PlanFileNoWorkspace');
  }
  for (const key of ['apiVersion', 'workspaceFingerprint', 'desiredFingerprint'] as const) {
    if (!isString(doc[key])) throw bad('Platform_PlanFileFieldMissing', key);
  }
  if (doc['createdAt'] !== undefined && !isString(doc['createdAt'])) throw bad('Platform_PlanFileCreatedAt');
  const fps = doc['connectionFingerprints'];
  if (fps !== undefined && (!isObject(fps) || !Object.values(fps).every(isString))) {
    throw bad('Platform_PlanFileFingerprints');
  }
  const rawItems = doc['items'];
  if (!Array.isArray(rawItems)) throw bad('Platform_PlanFileNoItems');
  const items = rawItems.map((raw, i) => parseItem(raw, i, bad));

  const workspace: WorkspaceRef = {
    subscriptionId: ws['subscriptionId'] as string,
    resourceGroup: ws['resourceGroup'] as string,
    workspace: ws['workspace'] as string,
  };
  const plan: Plan = {
    workspace,
    apiVersion: doc['apiVersion'] as string,
    items,
    workspaceFingerprint: doc['workspaceFingerprint'] as string,
    desiredFingerprint: doc['desiredFingerprint'] as string,
    source: file,
  };
  if (isString(doc['createdAt'])) plan.createdAt = doc['createdAt'];
  if (fps !== undefined) plan.connectionFingerprints = { ...(fps as Record<string, string>) };
  return plan;
}

/** A UserError saying why the plan file cannot be used; the file is the template's first argument. */
type Bad = (key: MessageKey, ...args: MessageArg[]) => UserError;

function parseItem(raw: unknown, index: number, bad: Bad): PlanItem {
  const where = index + 1;
  if (!isObject(raw) || !isString(raw['name'])) throw bad('Platform_PlanFileItemNoName', where);
  const action = raw['action'];
  if (!isString(action) || !(ACTIONS as readonly string[]).includes(action)) throw bad('Platform_PlanFileItemAction', where);
  for (const key of ['category', 'authType', 'error'] as const) {
    if (raw[key] !== undefined && !isString(raw[key])) throw bad('Platform_PlanFileItemNotString', where, key);
  }
  const notes = raw['notes'] ?? [];
  if (!Array.isArray(notes) || !notes.every(isString)) throw bad('Platform_PlanFileItemNotes', where);
  const rawChanges = raw['changes'] ?? [];
  if (!Array.isArray(rawChanges)) throw bad('Platform_PlanFileItemChangesList', where);
  const changes: FieldChange[] = rawChanges.map((c) => {
    if (!isObject(c) || !isString(c['path']) || typeof c['sensitive'] !== 'boolean') throw bad('Platform_PlanFileItemChange', where);
    const change: FieldChange = { path: c['path'], sensitive: c['sensitive'] };
    if (!change.sensitive) {
      if (isString(c['before'])) change.before = c['before'];
      if (isString(c['after'])) change.after = c['after'];
    }
    return change;
  });
  const item: PlanItem = { name: raw['name'], action: action as Action, changes, notes: [...notes] };
  if (isString(raw['category'])) item.category = raw['category'];
  if (isString(raw['authType'])) item.authType = raw['authType'];
  if (isString(raw['error'])) item.error = raw['error'];
  const write = raw['write'];
  if (write !== undefined) {
    if (isObject(write) && write['method'] === 'DELETE') item.write = { method: 'DELETE' };
    else if (isObject(write) && write['method'] === 'PUT' && isObject(write['properties']) && isString(write['properties']['authType'])) {
      item.write = { method: 'PUT', properties: write['properties'] as unknown as ConnectionProperties, ...(write['digest'] === true ? { digest: true } : {}) };
    } else throw bad('Platform_PlanFileItemWrite', where);
  }
  return item;
}

/**
 * Refuse a saved plan that no longer describes what would be done: another workspace or api-version,
 * connections that changed in the workspace since, or connection files that changed since.
 * `fresh` is a plan made now from the same files against the same workspace.
 */
export function checkSavedPlan(saved: Plan, fresh: Plan, file: string = saved.source ?? msg('Platform_PlanFileDefaultName')): void {
  const stale: Bad = (key, ...args) => new UserError(msg(key, file, ...args));

  const a = saved.workspace;
  const b = fresh.workspace;
  const sameWs =
    a.subscriptionId.toLowerCase() === b.subscriptionId.toLowerCase() &&
    a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() &&
    a.workspace.toLowerCase() === b.workspace.toLowerCase();
  if (!sameWs) {
    throw stale('Platform_PlanStaleWorkspace', a.workspace, a.resourceGroup, b.workspace, b.resourceGroup);
  }
  if (saved.apiVersion !== fresh.apiVersion) {
    throw stale('Platform_PlanStaleApiVersion', saved.apiVersion, fresh.apiVersion);
  }
  if (saved.desiredFingerprint !== fresh.desiredFingerprint) {
    throw stale('Platform_PlanStaleDesired');
  }
  if (saved.workspaceFingerprint !== fresh.workspaceFingerprint) {
    const names = changedConnections(saved.connectionFingerprints, fresh.connectionFingerprints);
    throw names.length ? stale('Platform_PlanStaleConnections', names.join(', ')) : stale('Platform_PlanStaleWorkspaceChanged');
  }
  const itemKey = (i: PlanItem): string =>
    JSON.stringify([
      i.name.toLowerCase(),
      i.action,
      i.error !== undefined,
      i.changes.map((c) => c.path).sort(),
    ]);
  const savedItems = new Map(saved.items.map((i) => [i.name.toLowerCase(), itemKey(i)]));
  const freshItems = new Map(fresh.items.map((i) => [i.name.toLowerCase(), itemKey(i)]));
  const differing = [...new Set([...savedItems.keys(), ...freshItems.keys()])]
    .filter((n) => savedItems.get(n) !== freshItems.get(n))
    .sort();
  if (differing.length) {
    const names = differing.map((n) => fresh.items.find((i) => i.name.toLowerCase() === n)?.name ?? saved.items.find((i) => i.name.toLowerCase() === n)?.name ?? n);
    throw stale('Platform_PlanStaleItems', names.join(', '));
  }
}

function changedConnections(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  if (!a || !b) return [];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((n) => a[n] !== b[n]).sort();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
