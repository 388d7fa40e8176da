/**
 * Export's documents: each selected connection as one re-appliable az-ml YAML file, secrets as
 * `$(AZUREML_<NAME>_<FIELD>)` placeholders (with the values read, for secret variables), and what the
 * file cannot carry. Pure but for registering secrets: the files are written by the task.
 */
import type { ArmConnection } from '../arm/types';
import { UserError } from '../core/errors';
import type { SecretSink } from '../core/secrets';
import { stableJson } from '../engine/fingerprint';
import { DIGEST_METADATA_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../engine/marker';
import { msg } from '../messages';
import { credentialForAuthType, loadConnections, resolveType, serializeDocuments, toConnectionDocument } from '../model';
import { secretFieldName, secretVariableName, variableReference } from '../model/placeholders';

/** Properties the service sets; never exported. */
const READ_ONLY = new Set(['peStatus', 'error', 'group', 'createdByWorkspaceArmId']);
/** Properties the connection YAML carries. */
const CARRIED = new Set(['authType', 'category', 'target', 'metadata', 'isSharedToAll', 'credentials']);
const DATASTORE_CATEGORIES = new Set(['azureblob', 'adlsgen2', 'azureonelake']);

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

export interface ExportedConnection {
  name: string;
  /** file name inside outputPath */
  file: string;
  category: string;
  authType: string;
  /** the `type` written */
  type: string;
  /** written in the generic form (no az-ml type expresses it) */
  generic: boolean;
  /** the secret variable names its file references */
  variables: string[];
  /** false when the file already held exactly this text */
  changed: boolean;
  notes: string[];
}

/** The documents of an export, before anything is written. */
export interface ExportDocuments {
  exported: ExportedConnection[];
  /** the YAML text of each exported connection, in the same order */
  texts: string[];
  /** secret variable name -> value (values read with listsecrets) */
  values: Map<string, string>;
  /** per connection: its notes that mean the file does not carry everything the workspace stores */
  losses: Map<ExportedConnection, string[]>;
  /** sentences to log: a variable name already taken by another connection, renamed */
  renamed: string[];
}

/**
 * The documents of the selected connections; `stored` gives the credentials read for a connection
 * (undefined when they were not read). Connections and fields in a fixed order, so an unchanged
 * workspace gives byte-identical files.
 */
export function exportDocuments(
  selected: readonly ArmConnection[],
  stored: (name: string) => Record<string, unknown> | undefined,
  options: { apiVersion: string; secrets: SecretSink },
): ExportDocuments {
  const usedNames = new Set<string>();
  const usedFiles = new Map<string, string>();
  const out: ExportDocuments = { exported: [], texts: [], values: new Map(), losses: new Map(), renamed: [] };
  for (const c of selected) {
    const creds = stored(c.name);
    const source = exportSource(c, creds);
    const variables: string[] = [];
    const notes: string[] = [];
    const lossNotes: string[] = [];
    const credential = credentialForAuthType(c.properties.authType ?? 'None');
    const doc = toConnectionDocument(source, {
      secretValue: (field) => {
        let value: string | undefined;
        if (creds) {
          value = secretAt(creds, field);
          if (value === undefined) return undefined;
        } else if (!credential?.requiredSecrets.includes(field)) {
          return undefined;
        }
        const wanted = secretVariableName(c.name, secretFieldName(c.properties.authType, field));
        const name = uniqueName(wanted, usedNames);
        if (name !== wanted) out.renamed.push(msg('Task_ExportVariableRenamed', c.name, wanted, name));
        variables.push(name);
        if (value !== undefined) out.values.set(name, value);
        return variableReference(name);
      },
    });
    const file = `${fileStem(c.name)}.yml`;
    const clash = usedFiles.get(file.toLowerCase());
    if (clash) throw new UserError(msg('Task_ExportFileClash', clash, c.name, file));
    usedFiles.set(file.toLowerCase(), c.name);

    const text = serializeDocuments([doc]);
    out.texts.push(text);
    const type = String(doc.type);
    const generic = resolveType(type)?.shape === 'generic';
    for (const key of notCarried(c)) lossNotes.push(msg('Task_ExportNoteNotCarried', key));
    if (creds || !hasCredentialFields(c.properties.authType)) {
      const lost = reapplyLosses(text, c, creds, out.values, options);
      if (lost === 'file') lossNotes.push(msg('Task_ExportNoteFileNotReapplied'));
      else for (const l of lost) lossNotes.push(msg('Task_ExportNoteNotReapplied', l));
      notes.push(...lossNotes);
    } else {
      notes.push(...lossNotes, msg('Task_ExportNoteUnreadable'));
    }
    if (generic) notes.push(msg('Task_ExportNoteGeneric', type));
    const entry: ExportedConnection = {
      name: c.name, file, category: c.properties.category ?? '', authType: c.properties.authType ?? '', type, generic, variables, notes,
      changed: true,
    };
    out.exported.push(entry);
    out.losses.set(entry, lossNotes);
  }
  return out;
}

/** Whether the auth type stores credential fields (so listsecrets has something to return). */
export function hasCredentialFields(authType: string | undefined): boolean {
  const c = credentialForAuthType(authType ?? 'None');
  return c ? c.fields.some((f) => !f.dropped) : authType !== undefined && !['none', 'aad'].includes(lower(authType));
}

/** The secret at a REST path (`pat`, `keys.<k>`), when it is a non-empty string. */
function secretAt(creds: Record<string, unknown>, field: string): string | undefined {
  let value: unknown;
  if (field.startsWith('keys.')) {
    const keys = creds.keys;
    value = keys && typeof keys === 'object' ? (keys as Record<string, unknown>)[field.slice('keys.'.length)] : undefined;
  } else value = creds[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What the document is made from: the listed connection with its credentials, without our own marker. */
function exportSource(c: ArmConnection, creds: Record<string, unknown> | undefined): ArmConnection {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.properties.metadata ?? {})) {
    if ((k === MANAGED_BY_KEY && v === MANAGED_BY_VALUE) || k === DIGEST_METADATA_KEY) continue;
    metadata[k] = v;
  }
  return { name: c.name, properties: { ...c.properties, metadata, credentials: creds ?? c.properties.credentials } };
}

/** Properties with a value that the connection YAML cannot carry (e.g. expiryTime). */
function notCarried(c: ArmConnection): string[] {
  return Object.entries(c.properties)
    .filter(([k, v]) => !CARRIED.has(k) && !READ_ONLY.has(k) && hasValue(v))
    .map(([k]) => k)
    .sort();
}

function hasValue(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/**
 * Load the file back as Create would (placeholders resolved from the values read) and name every carried
 * field that would differ from what the workspace stores ('file' when the file would not load at all).
 * Credentials are compared only when they were read.
 */
function reapplyLosses(
  text: string,
  c: ArmConnection,
  creds: Record<string, unknown> | undefined,
  values: ReadonlyMap<string, string>,
  options: { apiVersion: string; secrets: SecretSink },
): string[] | 'file' {
  const loaded = loadConnections([{ path: `${c.name}.yml`, text }], {
    variables: { get: (name) => (values.has(name.toUpperCase()) ? { value: values.get(name.toUpperCase()) as string, secret: true } : undefined) },
    overrides: [],
    secrets: options.secrets,
    apiVersion: options.apiVersion,
    allowInsecureTargets: true, // the file says what the workspace holds; Create refuses http targets with credentials unless told
  });
  const spec = loaded.connections[0];
  if (!spec || loaded.diagnostics.some((d) => d.severity === 'error')) return 'file';
  const want = c.properties;
  const got = spec.properties;
  const lost: string[] = [];
  const datastore = DATASTORE_CATEGORIES.has(lower(want.category));
  const auth = (a: string | undefined) => (datastore && lower(a) === 'none' ? 'aad' : lower(a ?? 'None'));
  if (auth(want.authType) !== auth(got.authType)) lost.push('authType');
  if (lower(want.category) !== lower(got.category)) lost.push('category');
  if ((want.target ?? undefined) !== (got.target ?? undefined)) lost.push('target');
  if (typeof want.isSharedToAll === 'boolean' && want.isSharedToAll !== got.isSharedToAll) lost.push('isSharedToAll');
  const meta = exportSource(c, undefined).properties.metadata ?? {};
  const wantMeta = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== null && v !== undefined));
  if (stableJson(wantMeta) !== stableJson(got.metadata ?? {})) lost.push('metadata');
  if (creds !== undefined && stableJson(nonEmpty(creds)) !== stableJson(nonEmpty(got.credentials ?? {}))) lost.push('credentials');
  return lost;
}

function nonEmpty(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined || v === '') continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const inner = nonEmpty(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

function uniqueName(wanted: string, used: Set<string>): string {
  let name = wanted;
  for (let i = 2; used.has(name); i++) name = `${wanted}_${i}`;
  used.add(name);
  return name;
}

/** A file name for a connection name: anything but letters, digits, `.`, `_` and `-` becomes `_`; no leading dot. */
export function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
}
