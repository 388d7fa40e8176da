/**
 * The plan: what the declared connections need done to a workspace, from one snapshot of it. Pure: no
 * request, no log, no clock but the one passed in. Each item carries the exact body its write will send,
 * with secrets as references (SecretRef) resolved only when the plan is applied.
 */
import type { ArmConnection, ConnectionProperties } from '../arm/types';
import { ARM_ACTIONS } from '../arm/permissions';
import { describeError } from '../core/errors';
import { msg } from '../messages';
import { secretFieldsOf } from '../model/credentials';
import type { ConnectionSpec } from '../model/types';
import type { StoredRead, WorkspaceSnapshot } from '../workspace/snapshot';
import { diffConnection, needsStoredCredentials, sameText } from './diff';
import { combineFingerprints, compareNames, connectionFingerprint, desiredFingerprint, secretKeysOf } from './fingerprint';
import { isManaged, withMarker } from './marker';
import { checkDigest, isDigestKeyConnection, type DigestCheck } from './digest';
import { DIGEST_METADATA_KEY } from './marker';
import type { FieldChange, Plan, PlanItem, PlanOptions, PlannedWrite, SecretCheck, SecretRef } from './types';

export const LISTSECRETS_ACTION = ARM_ACTIONS.listSecrets;

/**
 * The listed connections whose stored credentials the comparison needs (listsecrets): with `read`, those a
 * file declares with a secret value, or with a non-secret credential field that GET does not return; with
 * `digest`, none (the digest in their metadata tells).
 */
export function storedNeededFor(desired: readonly ConnectionSpec[], secretCheck: SecretCheck = 'read'): (connection: ArmConnection) => boolean {
  const specs = new Map(desired.map((s) => [s.name.toLowerCase(), s]));
  return (c) => {
    if (secretCheck === 'digest') return false;
    const spec = specs.get(c.name.toLowerCase());
    return spec !== undefined && needsStoredCredentials(spec, c);
  };
}

/** Compare the declared connections with the snapshot of the workspace. Changes nothing, reads nothing. */
export function makePlan(desired: readonly ConnectionSpec[], snapshot: WorkspaceSnapshot, options: PlanOptions): Plan {
  const items: PlanItem[] = desired.map((spec) => {
    const shared = snapshot.connection(spec.name) ? undefined : snapshot.sharedConnection(spec.name);
    if (shared && !isDigestKeyConnection(spec.name)) {
      // A hub's connection, shared with this project: never written through the project (see docs/architecture.md).
      return { ...newItem(spec), error: msg('Platform_PlanHubConnection', spec.name, shared.owner.workspace, snapshot.ref.workspace), location: spec.location };
    }
    if (options.workspaceKind?.toLowerCase() === 'hub' && spec.properties.isSharedToAll === false) {
      // A hub shares every connection with its projects (ARM stores isSharedToAll true): compared and written as
      // stored, said once, instead of an update on every run that never sticks.
      const shared = { ...spec, properties: { ...spec.properties, isSharedToAll: true } };
      const item = planOne(shared, snapshot.connection(spec.name), snapshot.stored(spec.name), options);
      item.notes.push(msg('Platform_PlanNoteHubShares'));
      return item;
    }
    return planOne(spec, snapshot.connection(spec.name), snapshot.stored(spec.name), options);
  });

  const declared = new Set(desired.map((s) => s.name.toLowerCase()));
  if (options.prune) {
    for (const a of snapshot.connections) {
      if (declared.has(a.name.toLowerCase()) || !isManaged(a) || isDigestKeyConnection(a.name)) continue;
      items.push({
        name: a.name,
        action: 'delete',
        category: a.properties.category,
        authType: a.properties.authType,
        changes: [],
        notes: [msg('Platform_PlanNotePrune')],
        write: { method: 'DELETE' },
      });
    }
  }
  items.sort((x, y) => compareNames(x.name, y.name));

  // The state the plan depends on: the declared connections as they exist, and with prune every marked one.
  const connectionFingerprints: Record<string, string> = {};
  for (const a of snapshot.connections) {
    const key = a.name.toLowerCase();
    if (declared.has(key) || (options.prune && isManaged(a))) connectionFingerprints[key] = connectionFingerprint(a);
  }

  return {
    workspace: { ...snapshot.ref },
    apiVersion: options.apiVersion,
    items,
    workspaceFingerprint: combineFingerprints(connectionFingerprints),
    desiredFingerprint: desiredFingerprint(desired),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    connectionFingerprints,
  };
}

/** A declared connection's item before it is compared: a create, no changes, no notes. */
function newItem(spec: ConnectionSpec): PlanItem {
  return { name: spec.name, action: 'create', category: spec.properties.category, authType: spec.properties.authType, changes: [], notes: [] };
}

function planOne(spec: ConnectionSpec, actual: ArmConnection | undefined, stored: StoredRead | undefined, options: PlanOptions): PlanItem {
  const item = newItem(spec);
  if (isDigestKeyConnection(spec.name)) {
    item.error = msg('Platform_PlanReservedName', spec.name);
    item.location = spec.location;
    return item;
  }
  if (!actual) {
    if (spec.missingSecrets.length > 0) {
      item.error = msg('Platform_PlanCreateNeedsSecret', spec.name, list(spec.missingSecrets));
      item.location = spec.fieldLocations['credentials'] ?? spec.location;
      return item;
    }
    item.write = put(spec, 'create');
    return item;
  }

  if (stored?.status === 'failed') {
    item.action = 'update';
    item.error = msg('Platform_PlanStoredSecretsUnreadable', spec.name, describeError(stored.error));
    return item;
  }
  let digest: DigestCheck | undefined;
  if (options.secretCheck === 'digest') {
    ({ changes: item.changes, digest } = digestDiff(spec, actual, options.digestKey, item.notes));
  } else {
    item.changes = diffConnection(spec, actual, stored?.status === 'read' ? stored.credentials : undefined);
  }
  if (stored?.status === 'forbidden') item.notes.push(msg('Platform_PlanNoteListSecretsForbidden', LISTSECRETS_ACTION));
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
      return item;
    }
    item.notes.push(msg('Platform_PlanNoteKeepsSecrets', list(spec.missingSecrets)));
  }
  item.write = put(spec, 'update', digest?.storedFields);
  return item;
}

/**
 * The comparison without reading stored secrets: every field as GET returns it, and the declared
 * credentials through the digest in the connection's metadata (one `credentials` change, without values,
 * when it does not match or cannot tell).
 */
function digestDiff(spec: ConnectionSpec, actual: ArmConnection, key: Buffer | undefined, notes: string[]): { changes: FieldChange[]; digest?: DigestCheck } {
  const all = diffConnection(spec, actual, undefined);
  if (!sameText(spec.properties.authType, actual.properties.authType)) return { changes: all };
  const changes = all.filter((c) => !c.path.startsWith('credentials.'));
  const declared = spec.properties.credentials ?? {};
  if (Object.keys(declared).length === 0) return { changes };
  const digest = checkDigest(key, actual, declared);
  if (!digest.valuesMatch) {
    changes.push({ path: 'credentials', sensitive: true });
    if (!key) notes.push(msg('Platform_PlanNoteDigestNoKey'));
    else if (actual.properties.metadata?.[DIGEST_METADATA_KEY] === undefined) notes.push(msg('Platform_PlanNoteDigestMissing'));
  }
  return { changes, digest };
}

/** The PUT of a declared connection; one with credentials records their digest too. */
function put(spec: ConnectionSpec, action: 'create' | 'update', storedFields?: readonly string[]): PlannedWrite {
  const properties = body(spec, action, storedFields);
  return properties.credentials ? { method: 'PUT', properties, digest: true } : { method: 'PUT', properties };
}

/**
 * The PUT body: the declared properties plus the management marker; each secret the file gives as a
 * `declared` reference; on an update, each secret it leaves out as a `stored` one (required ones must be
 * carried over; optional ones — securityToken, OAuth2 tokens — are kept when the workspace has them, which
 * a digest can prove it does not, so that nothing is read for them).
 */
function body(spec: ConnectionSpec, action: 'create' | 'update', storedFields?: readonly string[]): ConnectionProperties {
  const properties = withMarker(spec.properties);
  const given = spec.properties.credentials;
  if (!given && (action === 'create' || spec.missingSecrets.length === 0)) return properties;
  const secret = secretKeysOf(spec);
  const credentials: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(given ?? {})) credentials[k] = secret.has(k) && v !== undefined ? ref('declared') : v;
  if (action === 'update') {
    for (const f of spec.missingSecrets) credentials[f] = ref('stored');
    for (const f of optionalSecretsNotGiven(spec)) if (!storedFields || storedFields.includes(f)) credentials[f] = ref('stored', true);
  }
  return Object.keys(credentials).length || given ? { ...properties, credentials } : properties;
}

function ref(from: SecretRef['$secret'], optional = false): SecretRef {
  return optional ? { $secret: from, optional: true } : { $secret: from };
}

/**
 * Optional secret fields of the auth type (e.g. UsernamePassword's securityToken, OAuth2's refreshToken)
 * that the file does not mention at all: a PUT would wipe a stored value, so an update keeps it too.
 */
function optionalSecretsNotGiven(spec: ConnectionSpec): string[] {
  const given = spec.properties.credentials ?? {};
  return secretFieldsOf(spec.properties.authType).filter((f) => f !== 'keys' && !(f in given) && !spec.missingSecrets.includes(f));
}

function list(fields: readonly string[]): string {
  if (fields.length <= 1) return fields.join('');
  return msg('Platform_PlanListOr', fields.slice(0, -1).join(', '), fields[fields.length - 1] as string);
}
