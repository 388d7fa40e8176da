import type { ConnectionProperties, ConnectionsApi } from '../arm/types';
import { secretFieldsOf } from '../model/credentials';
import { ARM_ACTIONS, isAuthorizationFailure } from '../arm/permissions';
import { describeError, isArmError } from '../core/errors';
import type { TaskLog } from '../core/log';
import { neutralise } from '../core/log';
import type { SecretSink } from '../core/secrets';
import { msg, type MessageKey } from '../messages';
import type { ConnectionSpec } from '../model/types';
import { sameText } from './diff';
import { secretKeysOf } from './fingerprint';
import { withMarker } from './marker';
import { LISTSECRETS_ACTION } from './plan';
import { runPool } from './pool';
import { registerSecretValues } from './secret-values';
import type { ApplyResult, Plan, PlanItem, StoredCredentials } from './types';

/** What applyOne returns for a write refused for want of a role. */
const REFUSED = { refused: true } as const;
/** What applyOne is handed instead of stored credentials when listsecrets was refused while planning. */
const UNREADABLE = { unreadable: true } as const;

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
 * others, except a write refused for want of a role (403 AuthorizationFailed): every write would be
 * refused alike, so no further one is started (that result is `refused`, the rest `notAttempted`).
 * Returns one result per plan item, in plan order. Logs one line per successful write; the caller
 * reports the failures (each result's `error` is one sentence naming the connection).
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
      if (item.location) result.location = item.location;
    } else if (item.action === 'conflict') {
      result.ok = false;
      result.error = msg('Platform_PlanConflict', item.name);
      if (item.location) result.location = item.location;
    } else if (item.action === 'create' || item.action === 'update' || item.action === 'delete') {
      work.push(index);
    }
  });

  let stopped = false;
  await runPool(work, options.maxParallel, async (index) => {
    const item = plan.items[index] as PlanItem;
    const result = results[index] as ApplyResult;
    if (stopped) {
      Object.assign(result, { ok: false, error: msg('Platform_ApplyNotAttempted', item.name), notAttempted: true });
      return;
    }
    const stored = plan.storedCredentials?.get(item.name.toLowerCase()) ?? (plan.listSecretsRefused ? UNREADABLE : undefined);
    const outcome = await applyOne(item, specs.get(item.name.toLowerCase()), api, options, stored);
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


/** The log line of a successful write: its marker (kept as it is) and its sentence. */
const DONE: Partial<Record<string, { marker: string; key: MessageKey }>> = {
  create: { marker: '[+]', key: 'Platform_ApplyCreated' },
  update: { marker: '[~]', key: 'Platform_ApplyUpdated' },
  delete: { marker: '[-]', key: 'Platform_ApplyDeleted' },
};

/** Returns undefined on success, REFUSED for a write refused for want of a role, else one sentence. Never throws. */
async function applyOne(
  item: PlanItem,
  spec: ConnectionSpec | undefined,
  api: ConnectionsApi,
  options: ApplyOptions,
  readByPlan: StoredCredentials | typeof UNREADABLE | undefined,
): Promise<string | typeof REFUSED | undefined> {
  if (item.action === 'delete') {
    try {
      await api.delete(item.name); // false (already gone) is what we wanted too
      return undefined;
    } catch (e) {
      return isAuthorizationFailure(e) ? REFUSED : msg('Platform_ApplyDeleteFailed', item.name, describeError(e));
    }
  }

  if (!spec) return msg('Platform_ApplyNotDeclared', item.name);
  let body: ConnectionProperties = withMarker(spec.properties);

  const optional = item.action === 'update' ? optionalSecretsNotGiven(spec) : [];
  if (item.action === 'update' && (spec.missingSecrets.length > 0 || optional.length > 0)) {
    const kept = await keepStoredSecrets(spec, api, options.secrets, optional, readByPlan);
    if (typeof kept === 'string') return kept;
    body = { ...body, credentials: { ...(body.credentials ?? {}), ...kept } };
  }

  try {
    await api.put(spec.name, body);
    return undefined;
  } catch (e) {
    if (isAuthorizationFailure(e)) return REFUSED;
    return msg(item.action === 'create' ? 'Platform_ApplyCreateFailed' : 'Platform_ApplyUpdateFailed', spec.name, describeError(e));
  }
}

/**
 * Optional secret fields of the auth type (e.g. UsernamePassword's securityToken, OAuth2's refreshToken)
 * that the file does not mention at all: a PUT would wipe a stored value, so an update keeps it too.
 */
function optionalSecretsNotGiven(spec: ConnectionSpec): string[] {
  const given = spec.properties.credentials ?? {};
  return secretFieldsOf(spec.properties.authType)
    .filter((f) => f !== 'keys' && !(f in given) && !spec.missingSecrets.includes(f));
}

/**
 * The stored values of the secrets the file does not give (registered as secrets first), or an error
 * sentence. Required ones (spec.missingSecrets) must be readable; optional ones are kept when they can
 * be read and exist, and are simply not carried when they cannot. `readByPlan`: what the plan read in
 * this run, or UNREADABLE when listsecrets was refused to it (then it is not asked again).
 */
async function keepStoredSecrets(
  spec: ConnectionSpec,
  api: ConnectionsApi,
  secrets: SecretSink,
  optional: string[],
  readByPlan: StoredCredentials | typeof UNREADABLE | undefined,
): Promise<Record<string, unknown> | string> {
  const fields = spec.missingSecrets.join(', ');
  if (readByPlan && 'unreadable' in readByPlan) return spec.missingSecrets.length === 0 ? {} : msg('Platform_ApplyKeepForbidden', spec.name, fields, LISTSECRETS_ACTION);
  let stored = readByPlan; // already read (and registered) while planning in this run
  if (!stored) {
    try {
      const read = await api.listSecrets(spec.name);
      stored = { authType: read.properties.authType ?? '', credentials: read.properties.credentials ?? {} };
    } catch (e) {
      if (spec.missingSecrets.length === 0) return {}; // nothing required: the optional ones cannot be known
      if (isArmError(e) && e.statusCode === 403) {
        return msg('Platform_ApplyKeepForbidden', spec.name, fields, LISTSECRETS_ACTION);
      }
      return msg('Platform_ApplyKeepUnreadable', spec.name, fields, describeError(e));
    }
    registerSecretValues(stored.credentials, new Set([...secretKeysOf(spec), ...secretFieldsOf(stored.authType)]), secrets);
  }
  const credentials = stored.credentials;
  if (!sameText(stored.authType, spec.properties.authType)) {
    if (spec.missingSecrets.length === 0) return {};
    return msg('Platform_ApplyKeepAuthChanged', spec.name, fields, stored.authType);
  }
  const kept: Record<string, unknown> = {};
  for (const field of [...spec.missingSecrets, ...optional]) if (credentials[field] !== undefined && credentials[field] !== '') kept[field] = credentials[field];
  return kept;
}
