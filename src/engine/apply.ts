import type { ConnectionProperties, ConnectionsApi } from '../arm/types';
import { secretFieldsOf } from '../arm/types';
import { describeError, isArmError } from '../core/errors';
import type { TaskLog } from '../core/log';
import { neutralise } from '../core/log';
import type { SecretSink } from '../core/secrets';
import type { ConnectionSpec } from '../model/types';
import { sameText } from './diff';
import { secretKeysOf } from './fingerprint';
import { withMarker } from './marker';
import { LISTSECRETS_ACTION } from './plan';
import { runPool } from './pool';
import { registerSecretValues } from './secret-values';
import type { ApplyResult, Plan, PlanItem } from './types';

export interface ApplyOptions {
  /** writes in flight at most */
  maxParallel: number;
  secrets: SecretSink;
  log: TaskLog;
}

/**
 * Carry out a plan: PUT for create/update (the declared properties plus the management marker),
 * DELETE for delete, nothing for unchanged/skip and for items that failed while planning (conflicts
 * included). At most `maxParallel` requests are in flight. One connection failing does not stop the
 * others. Returns one result per plan item, in plan order. Logs one line per successful write; the
 * caller reports the failures (each result's `error` is one sentence naming the connection).
 */
export async function applyPlan(
  plan: Plan,
  desired: ConnectionSpec[],
  api: ConnectionsApi,
  options: ApplyOptions,
): Promise<ApplyResult[]> {
  const specs = new Map(desired.map((s) => [s.name.toLowerCase(), s]));
  const results: ApplyResult[] = plan.items.map((item) => ({ name: item.name, action: item.action, ok: true }));
  const work: number[] = [];
  plan.items.forEach((item, index) => {
    const result = results[index] as ApplyResult;
    if (item.error !== undefined) {
      result.ok = false;
      result.error = item.error;
    } else if (item.action === 'conflict') {
      result.ok = false;
      result.error = `Connection '${item.name}' exists and differs from its file, and onExisting is 'fail'; nothing was written for it.`;
    } else if (item.action === 'create' || item.action === 'update' || item.action === 'delete') {
      work.push(index);
    }
  });

  await runPool(work, options.maxParallel, async (index) => {
    const item = plan.items[index] as PlanItem;
    const error = await applyOne(item, specs.get(item.name.toLowerCase()), api, options);
    const result = results[index] as ApplyResult;
    if (error === undefined) {
      options.log.info(neutralise(`${PAST[item.action] ?? item.action} ${item.name}`));
    } else {
      result.ok = false;
      result.error = error;
    }
  });
  return results;
}

const PAST: Partial<Record<string, string>> = { create: '[+] created', update: '[~] updated', delete: '[-] deleted' };

/** Returns undefined on success, else one sentence. Never throws. */
async function applyOne(
  item: PlanItem,
  spec: ConnectionSpec | undefined,
  api: ConnectionsApi,
  options: ApplyOptions,
): Promise<string | undefined> {
  if (item.action === 'delete') {
    try {
      await api.delete(item.name); // false (already gone) is what we wanted too
      return undefined;
    } catch (e) {
      return `Could not delete connection '${item.name}': ${describeError(e)}`;
    }
  }

  if (!spec) return `Connection '${item.name}' is in the plan but no connection file declares it; make a new plan.`;
  let body: ConnectionProperties = withMarker(spec.properties);

  if (item.action === 'update' && spec.missingSecrets.length > 0) {
    const kept = await keepStoredSecrets(spec, api, options.secrets);
    if (typeof kept === 'string') return kept;
    body = { ...body, credentials: { ...(body.credentials ?? {}), ...kept } };
  }

  try {
    await api.put(spec.name, body);
    return undefined;
  } catch (e) {
    return `Could not ${item.action} connection '${spec.name}': ${describeError(e)}`;
  }
}

/** The stored values of the secrets the file does not give (registered as secrets first), or an error sentence. */
async function keepStoredSecrets(
  spec: ConnectionSpec,
  api: ConnectionsApi,
  secrets: SecretSink,
): Promise<Record<string, unknown> | string> {
  const fields = spec.missingSecrets.join(', ');
  let stored;
  try {
    stored = await api.listSecrets(spec.name);
  } catch (e) {
    if (isArmError(e) && e.statusCode === 403) {
      return `Connection '${spec.name}': the stored ${fields} cannot be kept because reading it needs ${LISTSECRETS_ACTION}, which is not granted; give it in the file or with an override.`;
    }
    return `Connection '${spec.name}': could not read the stored ${fields} to keep it: ${describeError(e)}`;
  }
  const credentials = stored.properties.credentials ?? {};
  registerSecretValues(
    credentials,
    new Set([...secretKeysOf(spec), ...secretFieldsOf(stored.properties.authType ?? '')]),
    secrets,
  );
  if (!sameText(stored.properties.authType, spec.properties.authType)) {
    return `Connection '${spec.name}': the stored ${fields} cannot be kept because the stored connection uses auth type ${stored.properties.authType}; give it in the file or with an override.`;
  }
  const kept: Record<string, unknown> = {};
  for (const field of spec.missingSecrets) if (credentials[field] !== undefined) kept[field] = credentials[field];
  return kept;
}
