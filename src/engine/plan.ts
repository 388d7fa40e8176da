import type { ArmConnection, ConnectionsApi } from '../arm/types';
import { secretFieldsOf } from '../model/credentials';
import { ARM_ACTIONS } from '../arm/permissions';
import { UserError, describeError, isArmError } from '../core/errors';
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import { msg } from '../messages';
import type { ConnectionSpec } from '../model/types';
import { diffConnection, needsStoredCredentials, sameText } from './diff';
import { combineFingerprints, compareNames, connectionFingerprint, desiredFingerprint, secretKeysOf } from './fingerprint';
import { isManaged } from './marker';
import { runPool } from './pool';
import { registerSecretValues, registerTextSecrets } from './secret-values';
import type { Plan, PlanItem, PlanOptions, StoredCredentials } from './types';

export const LISTSECRETS_ACTION = ARM_ACTIONS.listSecrets;

export interface MakePlanOptions extends PlanOptions {
  secrets: SecretSink;
  log: TaskLog;
  /** listsecrets calls in flight at most */
  maxParallel: number;
  /** clock for `createdAt` (tests) */
  now?: () => Date;
}

type StoredRead = { credentials: Record<string, unknown> } | { forbidden: true } | { error: string };

/**
 * Compare the declared connections with the workspace: one paged List for the actual state, plus
 * listsecrets (bounded by maxParallel) only for existing connections whose file gives secret values
 * (or non-secret credential fields GET does not return). Changes nothing in the workspace.
 */
export async function makePlan(desired: ConnectionSpec[], api: ConnectionsApi, options: MakePlanOptions): Promise<Plan> {
  const { secrets, log } = options;
  for (const spec of desired) registerSecretValues(spec.properties.credentials, secretKeysOf(spec), secrets);
  rejectDuplicates(desired);

  const actual = await api.list();
  const actualByName = new Map<string, ArmConnection>();
  for (const c of actual) {
    // a credential written into a stored target or metadata value: masked before anything prints it
    registerTextSecrets(c.properties, secrets);
    actualByName.set(c.name.toLowerCase(), c);
  }

  // Stored secrets, read only where the comparison needs them.
  const stored = new Map<string, StoredRead>();
  const storedCredentials = new Map<string, StoredCredentials>();
  const toRead = desired.filter((spec) => {
    const a = actualByName.get(spec.name.toLowerCase());
    return a !== undefined && needsStoredCredentials(spec, a);
  });
  // A refusal (403) is about the identity's role, not one connection: after the first, no more are asked.
  let refused = false;
  await runPool(toRead, options.maxParallel, async (spec) => {
    const key = spec.name.toLowerCase();
    const a = actualByName.get(key) as ArmConnection;
    if (refused) {
      stored.set(key, { forbidden: true });
      return;
    }
    try {
      const withSecrets = await api.listSecrets(a.name);
      const creds = withSecrets.properties.credentials ?? {};
      const secretKeys = new Set([...secretKeysOf(spec), ...secretFieldsOf(withSecrets.properties.authType ?? '')]);
      registerSecretValues(creds, secretKeys, secrets);
      stored.set(key, { credentials: creds });
      storedCredentials.set(key, { authType: withSecrets.properties.authType ?? '', credentials: creds });
    } catch (e) {
      if (isArmError(e) && e.statusCode === 403) {
        refused = true;
        stored.set(key, { forbidden: true });
      } else {
        stored.set(key, { error: describeError(e) });
      }
    }
  });

  const forbidden = [...stored.values()].filter((s) => 'forbidden' in s).length;
  if (forbidden > 0) log.warning(msg('Platform_PlanListSecretsForbidden', forbidden, LISTSECRETS_ACTION));

  const items: PlanItem[] = desired.map((spec) =>
    planOne(spec, actualByName.get(spec.name.toLowerCase()), stored.get(spec.name.toLowerCase()), options),
  );

  const declared = new Set(desired.map((s) => s.name.toLowerCase()));
  if (options.prune) {
    for (const a of actual) {
      if (declared.has(a.name.toLowerCase()) || !isManaged(a)) continue;
      items.push({
        name: a.name,
        action: 'delete',
        category: a.properties.category,
        authType: a.properties.authType,
        changes: [],
        notes: [msg('Platform_PlanNotePrune')],
      });
    }
  }
  items.sort((x, y) => compareNames(x.name, y.name));

  // The state the plan depends on: the declared connections as they exist, and with prune every marked one.
  const connectionFingerprints: Record<string, string> = {};
  for (const a of actual) {
    const key = a.name.toLowerCase();
    if (declared.has(key) || (options.prune && isManaged(a))) connectionFingerprints[key] = connectionFingerprint(a);
  }

  return {
    workspace: { ...api.workspace },
    apiVersion: options.apiVersion,
    items,
    workspaceFingerprint: combineFingerprints(connectionFingerprints),
    desiredFingerprint: desiredFingerprint(desired),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    connectionFingerprints,
    storedCredentials,
    ...(refused ? { listSecretsRefused: true } : {}),
  };
}

function planOne(
  spec: ConnectionSpec,
  actual: ArmConnection | undefined,
  stored: StoredRead | undefined,
  options: PlanOptions,
): PlanItem {
  const item: PlanItem = {
    name: spec.name,
    action: 'create',
    category: spec.properties.category,
    authType: spec.properties.authType,
    changes: [],
    notes: [],
  };
  if (!actual) {
    if (spec.missingSecrets.length > 0) {
      item.error = msg('Platform_PlanCreateNeedsSecret', spec.name, list(spec.missingSecrets));
      item.location = spec.fieldLocations['credentials'] ?? spec.location;
    }
    return item;
  }

  if (stored && 'error' in stored) {
    item.action = 'update';
    item.error = msg('Platform_PlanStoredSecretsUnreadable', spec.name, stored.error);
    return item;
  }
  const credentials = stored && 'credentials' in stored ? stored.credentials : undefined;
  item.changes = diffConnection(spec, actual, credentials);
  if (stored && 'forbidden' in stored) {
    item.notes.push(msg('Platform_PlanNoteListSecretsForbidden', LISTSECRETS_ACTION));
  }
  if (item.changes.length === 0) {
    item.action = 'unchanged';
    return item;
  }

  switch (options.onExisting) {
    case 'skip':
      item.action = 'skip';
      item.notes.push(msg('Platform_PlanNoteSkip'));
      return item;
    case 'fail':
      item.action = 'conflict';
      item.notes.push(msg('Platform_PlanNoteConflict'));
      item.error = msg('Platform_PlanConflict', spec.name);
      item.location = spec.location;
      return item;
    case 'update':
      item.action = 'update';
      break;
  }

  if (spec.missingSecrets.length > 0) {
    if (!sameText(spec.properties.authType, actual.properties.authType)) {
      item.error = msg('Platform_PlanAuthChangeNeedsSecret', spec.name, list(spec.missingSecrets), actual.properties.authType, spec.properties.authType);
      item.location = spec.fieldLocations['credentials'] ?? spec.location;
    } else {
      item.notes.push(msg('Platform_PlanNoteKeepsSecrets', list(spec.missingSecrets)));
    }
  }
  return item;
}


function rejectDuplicates(desired: ConnectionSpec[]): void {
  const seen = new Map<string, ConnectionSpec>();
  for (const spec of desired) {
    const key = spec.name.toLowerCase();
    const first = seen.get(key);
    if (first) {
      throw new UserError(
        msg('Platform_PlanDuplicate', spec.name, `${first.location.file}:${first.location.line}`),
        spec.location,
        spec.name,
      );
    }
    seen.set(key, spec);
  }
}

function list(fields: readonly string[]): string {
  if (fields.length <= 1) return fields.join('');
  return msg('Platform_PlanListOr', fields.slice(0, -1).join(', '), fields[fields.length - 1] as string);
}
