/**
 * One read of a workspace, for every task: its connections (all pages, one List), and the stored
 * credentials (listsecrets) of the connections a caller needs them for — read in a bounded pool, every
 * value registered as a secret before this returns, and a refusal (403) handled here, once: after the
 * first refusal no further connection is asked, and each is recorded as `forbidden` for the caller to word.
 * Credentials written where they should not be (a stored target's user information or parameters, a URL
 * in metadata) are registered too.
 */
import type { ArmConnection, ConnectionsApi, WorkspaceRef } from '../arm/types';
import { isArmError } from '../core/errors';
import type { SecretSink } from '../core/secrets';
import { registerTargetSecrets, type TargetSecret } from '../core/target-secrets';
import { PLAIN_REST_FIELDS } from '../model/credentials';
import { runPool } from '../core/pool';
import { owningWorkspace } from './network';

/** What listsecrets gave for one connection. */
export type StoredRead =
  | { status: 'read'; authType: string; credentials: Record<string, unknown> }
  /** refused for want of a role (403), or not asked because an earlier one was */
  | { status: 'forbidden' }
  /** another failure; `error` is what was thrown */
  | { status: 'failed'; error: unknown };

/** A credential found in a stored target or metadata value (registered; shown as ***). */
export interface CredentialInText {
  /** `target` or `metadata.<key>` */
  field: string;
  found: TargetSecret[];
}

/** A connection the list returned that belongs to another workspace: a hub's, shared with this project. */
export interface SharedConnection {
  connection: ArmConnection;
  /** the workspace it belongs to (the hub) */
  owner: WorkspaceRef;
}

export interface WorkspaceSnapshot {
  readonly ref: WorkspaceRef;
  /** this workspace's own connections, as listed (never a hub's: nothing written or pruned may touch those) */
  readonly connections: readonly ArmConnection[];
  /** by name, any case: this workspace's own */
  connection(name: string): ArmConnection | undefined;
  /** the hub's connections the list returned beside this project's own (one of its own by the same name hides the hub's) */
  readonly shared: readonly SharedConnection[];
  /** by name, any case: a shared one, when this workspace has none of its own by that name */
  sharedConnection(name: string): SharedConnection | undefined;
  /** the stored credentials read for this connection, if they were asked for */
  stored(name: string): StoredRead | undefined;
  /** credentials written into this connection's target or metadata (empty when none) */
  credentialsInText(name: string): readonly CredentialInText[];
  /** a listsecrets call was refused (403): the identity has no role with the action */
  readonly listSecretsRefused: boolean;
}

export interface SnapshotOptions {
  secrets: SecretSink;
  /** listsecrets calls in flight at most */
  maxParallel: number;
  /** the connections whose stored credentials are needed (default: none) */
  readStored?: (connection: ArmConnection) => boolean;
}

/** List the workspace's connections and read the stored credentials `readStored` asks for. */
export async function readSnapshot(api: ConnectionsApi, options: SnapshotOptions): Promise<WorkspaceSnapshot> {
  return readStored(api, await listConnections(api, options.secrets), options);
}

/** The first step alone: every connection (all pages, one List), credentials written into their text registered. */
export async function listConnections(api: ConnectionsApi, secrets: SecretSink): Promise<WorkspaceSnapshot> {
  const listed = await api.list();
  const connections: ArmConnection[] = [];
  const sharedAll: SharedConnection[] = [];
  for (const c of listed) {
    const owner = owningWorkspace(c, api.workspace);
    if (owner) sharedAll.push({ connection: c, owner });
    else connections.push(c);
  }
  const byName = new Map(connections.map((c) => [c.name.toLowerCase(), c]));
  const shared = sharedAll.filter((s) => !byName.has(s.connection.name.toLowerCase()));
  const inText = new Map<string, CredentialInText[]>();
  for (const c of [...connections, ...shared.map((s) => s.connection)]) {
    const found = registerCredentialsInText(c, secrets);
    if (found.length) inText.set(c.name.toLowerCase(), found);
  }
  return snapshotOf(api.workspace, connections, shared, inText, new Map(), false);
}

/**
 * The second step: the stored credentials of the listed connections `readStored` asks for (a new
 * snapshot; the first one is left as it was). Every value is registered before this returns.
 */
export async function readStored(api: ConnectionsApi, listed: WorkspaceSnapshot, options: SnapshotOptions): Promise<WorkspaceSnapshot> {
  const stored = new Map<string, StoredRead>();
  const all = [...listed.connections, ...listed.shared.map((s) => s.connection)];
  for (const c of all) {
    const known = listed.stored(c.name);
    if (known) stored.set(c.name.toLowerCase(), known);
  }
  let refused = listed.listSecretsRefused;
  const wanted = options.readStored ? all.filter((c) => options.readStored?.(c) && !stored.has(c.name.toLowerCase())) : [];
  // the connections the reads' widest rounds will use open while the first ones are in flight, from the
  // turn after those went out (src/core/warm-agent.ts)
  const widest = Math.min(wanted.length, options.maxParallel);
  if (widest > 1) setImmediate(() => api.preconnect?.(widest));
  await runPool(wanted, options.maxParallel, async (c) => {
    const key = c.name.toLowerCase();
    if (refused) {
      stored.set(key, { status: 'forbidden' });
      return;
    }
    const read = await readStoredCredentials(api, c.name, options.secrets, c.properties.authType);
    if (read.status === 'forbidden') refused = true;
    stored.set(key, read);
  });
  const inText = new Map(all.map((c) => [c.name.toLowerCase(), [...listed.credentialsInText(c.name)]]));
  return snapshotOf(listed.ref, listed.connections, listed.shared, inText, stored, refused);
}

function snapshotOf(
  ref: WorkspaceRef,
  connections: readonly ArmConnection[],
  shared: readonly SharedConnection[],
  inText: ReadonlyMap<string, CredentialInText[]>,
  stored: ReadonlyMap<string, StoredRead>,
  refused: boolean,
): WorkspaceSnapshot {
  const byName = new Map(connections.map((c) => [c.name.toLowerCase(), c]));
  const sharedByName = new Map(shared.map((s) => [s.connection.name.toLowerCase(), s]));
  return {
    ref,
    connections,
    connection: (name) => byName.get(name.toLowerCase()),
    shared,
    sharedConnection: (name) => sharedByName.get(name.toLowerCase()),
    stored: (name) => stored.get(name.toLowerCase()),
    credentialsInText: (name) => inText.get(name.toLowerCase()) ?? [],
    listSecretsRefused: refused,
  };
}

/** One listsecrets: the stored credentials of one connection, every value registered before this returns. */
export async function readStoredCredentials(api: ConnectionsApi, name: string, secrets: SecretSink, listedAuthType?: string): Promise<StoredRead> {
  try {
    const withSecrets = await api.listSecrets(name);
    const credentials = (withSecrets.properties.credentials ?? {}) as Record<string, unknown>;
    registerStoredCredentials(credentials, secrets);
    return { status: 'read', authType: withSecrets.properties.authType ?? listedAuthType ?? '', credentials };
  } catch (e) {
    return isArmError(e) && e.statusCode === 403 ? { status: 'forbidden' } : { status: 'failed', error: e };
  }
}

/**
 * Registers every value of a stored credentials object that is not a known plain field (user names,
 * ids): whatever the auth type, an unknown field is treated as secret.
 */
export function registerStoredCredentials(credentials: Record<string, unknown>, secrets: SecretSink): void {
  const add = (value: unknown): void => {
    if (typeof value === 'string') secrets.add(value);
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) add(v);
  };
  for (const [k, v] of Object.entries(credentials)) if (!PLAIN_REST_FIELDS.has(k)) add(v);
}

/**
 * Registers every credential written into a connection's target or metadata values (a password in the
 * user information, `?sig=`, `;Password=`) read from ARM, before anything could print them; returns where they are.
 */
export function registerCredentialsInText(connection: ArmConnection, secrets: SecretSink): CredentialInText[] {
  const out: CredentialInText[] = [];
  const found = registerTargetSecrets(connection.properties.target, secrets);
  if (found.length) out.push({ field: 'target', found });
  for (const [key, value] of Object.entries(connection.properties.metadata ?? {})) {
    if (typeof value !== 'string') continue;
    const inMeta = registerTargetSecrets(value, secrets);
    if (inMeta.length) out.push({ field: `metadata.${key}`, found: inMeta });
  }
  return out;
}
