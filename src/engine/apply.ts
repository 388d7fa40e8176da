/**
 * Carrying out a plan: each item's planned write (PUT with its body, or DELETE), its secret references
 * resolved now — declared values from this run's connection files, stored values from what this run
 * already read (else one listsecrets) — and registered before anything could print them.
 */
import type { ConnectionProperties, ConnectionsApi } from '../arm/types';
import { ARM_ACTIONS, isAuthorizationFailure } from '../arm/permissions';
import { describeError } from '../core/errors';
import type { TaskLog } from '../core/log';
import { neutralise } from '../core/log';
import { runPool } from '../core/pool';
import type { SecretSink } from '../core/secrets';
import { msg, type MessageKey } from '../messages';
import { readStoredCredentials, type StoredRead } from '../workspace/snapshot';
import { sameText } from './diff';
import { DIGEST_METADATA_KEY, secretDigest } from './digest';
import { LISTSECRETS_ACTION } from './plan';
import { isSecretRef, type ApplyResult, type Plan, type PlanItem } from './types';

/** What applyOne returns for a write refused for want of a role. */
const REFUSED = { refused: true } as const;

/** The secret values a plan's references stand for, in this run. */
export interface SecretValues {
  /** the declared credentials of a connection (the values its files give), by name */
  declared(name: string): Record<string, unknown> | undefined;
  /** the stored credentials this run already read (or was refused), by name */
  stored(name: string): StoredRead | undefined;
  /** the workspace's digest key (made on first use); undefined when it cannot be had */
  digestKey?(): Promise<Buffer | undefined>;
}

export interface ApplyOptions {
  /** writes in flight at most */
  maxParallel: number;
  secrets: SecretSink;
  log: TaskLog;
  values: SecretValues;
  /** called once the last write has been started (handed to the ARM client, which may still hold it back) */
  onAllStarted?: () => void;
}

/**
 * Carry out a plan: its planned writes; nothing for unchanged/skip and for items that failed while
 * planning (conflicts included). At most `maxParallel` requests are in flight. One connection failing
 * does not stop the others, except a write refused for want of a role (403 AuthorizationFailed): every
 * write would be refused alike, so no further one is started (that result is `refused`, the rest
 * `notAttempted`). Returns one result per plan item, in plan order. Logs one line per successful write;
 * the caller reports the failures (each result's `error` is one sentence naming the connection).
 */
export async function applyPlan(plan: Plan, api: ConnectionsApi, options: ApplyOptions): Promise<ApplyResult[]> {
  const results: ApplyResult[] = plan.items.map((item) => ({ name: item.name, action: item.action, ok: true }));
  const work: number[] = [];
  plan.items.forEach((item, index) => {
    const result = results[index] as ApplyResult;
    if (item.error !== undefined) {
      result.ok = false;
      result.error = item.error;
      if (item.location) result.location = item.location;
    } else if (item.action === 'conflict') {
      result.ok = false;
      result.error = msg('Platform_PlanConflict', item.name);
      if (item.location) result.location = item.location;
    } else if (isWrittenByApply(item)) {
      work.push(index);
    }
  });

  let stopped = false;
  let started = 0;
  await runPool(work, options.maxParallel, async (index) => {
    const item = plan.items[index] as PlanItem;
    const result = results[index] as ApplyResult;
    if (++started === work.length) options.onAllStarted?.();
    if (stopped) {
      Object.assign(result, { ok: false, error: msg('Platform_ApplyNotAttempted', item.name), notAttempted: true });
      return;
    }
    const outcome = await applyOne(item, api, options);
    if (outcome === undefined) {
      const done = DONE[item.action];
      options.log.info(neutralise(done ? `${done.marker} ${msg(done.key, item.name)}` : `${item.action} ${item.name}`));
    } else if (typeof outcome === 'string') {
      result.ok = false;
      result.error = outcome;
    } else {
      stopped = true;
      const action = item.action === 'delete' ? ARM_ACTIONS.connectionsDelete : ARM_ACTIONS.connectionsWrite;
      Object.assign(result, { ok: false, error: msg('Platform_ApplyWriteForbidden', item.name, action, plan.workspace.workspace), refused: true });
    }
  });
  return results;
}

/** Whether applying the plan writes this item: a planned write, not failed while planning, not a conflict. */
export function isWrittenByApply(item: PlanItem): boolean {
  return item.error === undefined && item.action !== 'conflict' && item.write !== undefined;
}

/**
 * Writes again the connections this plan wrote with a digest (those that succeeded), their digests made
 * with the key `options.values` gives now: for a run whose new digest key another run, making its own at
 * the same moment, replaced. Logs nothing; returns how many were written.
 */
export async function rewriteDigests(plan: Plan, results: readonly ApplyResult[], api: ConnectionsApi, options: ApplyOptions): Promise<number> {
  const again = plan.items.filter((item, index) => item.write?.method === 'PUT' && item.write.digest && results[index]?.ok);
  let written = 0;
  await runPool(again, options.maxParallel, async (item) => {
    if ((await applyOne(item, api, options)) === undefined) written++;
  });
  return written;
}

/** The log line of a successful write: its marker (kept as it is) and its sentence. */
const DONE: Partial<Record<string, { marker: string; key: MessageKey }>> = {
  create: { marker: '[+]', key: 'Platform_ApplyCreated' },
  update: { marker: '[~]', key: 'Platform_ApplyUpdated' },
  delete: { marker: '[-]', key: 'Platform_ApplyDeleted' },
};

/** Returns undefined on success, REFUSED for a write refused for want of a role, else one sentence. Never throws. */
async function applyOne(item: PlanItem, api: ConnectionsApi, options: ApplyOptions): Promise<string | typeof REFUSED | undefined> {
  const write = item.write;
  if (!write) return undefined;
  if (write.method === 'DELETE') {
    try {
      await api.delete(item.name); // false (already gone) is what we wanted too
      return undefined;
    } catch (e) {
      return isAuthorizationFailure(e) ? REFUSED : msg('Platform_ApplyDeleteFailed', item.name, describeError(e));
    }
  }
  // resolved only where there is something to resolve, so that a plain write starts at once
  let body = hasSecretRefs(write.properties) ? await resolveSecrets(item.name, write.properties, api, options) : write.properties;
  if (typeof body === 'string') return body;
  if (write.digest) body = await withDigest(item.name, body, options);
  try {
    await api.put(item.name, body);
    return undefined;
  } catch (e) {
    if (isAuthorizationFailure(e)) return REFUSED;
    return msg(item.action === 'create' ? 'Platform_ApplyCreateFailed' : 'Platform_ApplyUpdateFailed', item.name, describeError(e));
  }
}

/**
 * The body with every SecretRef replaced by its value, or one sentence when a required stored secret
 * cannot be carried over (unreadable, refused, or stored under another auth type). Optional stored
 * secrets are kept when they can be read and exist, and are simply left out when they cannot.
 */
async function resolveSecrets(
  name: string,
  properties: ConnectionProperties,
  api: ConnectionsApi,
  options: ApplyOptions,
): Promise<ConnectionProperties | string> {
  const credentials = properties.credentials ?? {};
  const declared = options.values.declared(name) ?? {};
  const requiredStored = Object.entries(credentials).filter(([, v]) => isSecretRef(v) && v.$secret === 'stored' && !v.optional).map(([k]) => k);
  const fields = requiredStored.join(', ');
  let stored: StoredRead | undefined;
  const resolved: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(credentials)) {
    if (!isSecretRef(value)) {
      resolved[field] = value;
      continue;
    }
    if (value.$secret === 'declared') {
      resolved[field] = declared[field];
      continue;
    }
    stored ??= await storedOf(name, api, options);
    if (stored.status !== 'read' || !sameText(stored.authType, properties.authType)) {
      if (value.optional) continue;
      if (stored.status === 'forbidden') return msg('Platform_ApplyKeepForbidden', name, fields, LISTSECRETS_ACTION);
      if (stored.status === 'failed') return msg('Platform_ApplyKeepUnreadable', name, fields, describeError(stored.error));
      return msg('Platform_ApplyKeepAuthChanged', name, fields, stored.authType);
    }
    const v = stored.credentials[field];
    if (v !== undefined && v !== '') resolved[field] = v;
  }
  return { ...properties, credentials: resolved };
}

/** The body with metadata.SecretDigest of what it writes (left out when the run has no digest key). */
async function withDigest(name: string, body: ConnectionProperties, options: ApplyOptions): Promise<ConnectionProperties> {
  const key = await options.values.digestKey?.();
  if (!key) return body;
  const digest = secretDigest(key, name, body.authType, options.values.declared(name) ?? {}, Object.keys(body.credentials ?? {}));
  return { ...body, metadata: { ...(body.metadata ?? {}), [DIGEST_METADATA_KEY]: digest } };
}

function hasSecretRefs(properties: ConnectionProperties): boolean {
  return Object.values(properties.credentials ?? {}).some(isSecretRef);
}

/** What this run read of a connection's stored credentials, else one listsecrets now. */
async function storedOf(name: string, api: ConnectionsApi, options: ApplyOptions): Promise<StoredRead> {
  return options.values.stored(name) ?? readStoredCredentials(api, name, options.secrets);
}
