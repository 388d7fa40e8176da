/**
 * AzureMLConnectionExport@1: workspace connections -> one re-appliable az-ml YAML file per connection.
 * No task-lib here.
 *
 * - Output is deterministic (sorted keys and connections, no header, no timestamps): re-exporting an unchanged
 *   workspace gives byte-identical files. Provenance (workspace, time, counts) goes in the Markdown summary.
 * - Secret fields are written as `$(AZUREML_<NAME>_<FIELD>)`; with `secrets: variables` the values are set as
 *   secret pipeline variables of exactly those names, never written to disk.
 * - Non-secret credential fields (usernames, client ids) are only returned by listsecrets, so it is called in
 *   both modes for connections whose auth type has credentials.
 * - Every file is loaded back through the same loader Create uses and compared with the workspace; anything
 *   that would not re-apply identically is reported.
 * - Only `<name>.yml` files of the exported connections are written; nothing in the folder is ever deleted.
 */
import { join } from 'node:path';
import type { ArmConnection, ConnectionsApi, WorkspaceRef } from '../arm/types';
import { UserError, isArmError } from '../core/errors';
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import { LISTSECRETS_ACTION } from '../engine';
import { msg } from '../messages';
import { compareNames, stableJson } from '../engine/fingerprint';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../engine/marker';
import { runPool } from '../engine/pool';
import { registerTextSecrets } from '../engine/secret-values';
import { describeTargetSecrets } from '../core/target-secrets';
import {
  AZML_TYPES,
  REST_CATEGORIES,
  closest,
  credentialForAuthType,
  loadConnections,
  resolveType,
  serializeDocuments,
  toConnectionDocument,
} from '../model';
import { secretFieldName, secretVariableName, variableReference } from '../model/placeholders';
import { escapeMarkdown, indent, tableHeader } from '../core/markdown';
import type { TaskOutcome, TaskOutputs, WorkspaceSettings } from './services';

export type SecretsMode = 'placeholders' | 'variables';

export interface ExportSettings extends WorkspaceSettings {
  /** connection names to export (any case); empty = all */
  connectionNames: string[];
  /** az-ml type names or REST categories (any case); empty = all */
  categories: string[];
  /** absolute folder */
  outputPath: string;
  secrets: SecretsMode;
}

/** The few file operations Export needs (the folder is created by `write`). */
export interface ExportFiles {
  /** names of the entries directly inside `dir`; [] when it does not exist; undefined when it is not a folder */
  list(dir: string): string[] | undefined;
  /** the file's text, or undefined when it does not exist */
  read(path: string): string | undefined;
  write(path: string, text: string): void;
}

export interface ExportServices {
  log: TaskLog;
  secrets: SecretSink;
  outputs: TaskOutputs;
  files: ExportFiles;
  connect(settings: WorkspaceSettings): Promise<{ api: ConnectionsApi; ref: WorkspaceRef }>;
  /** the clock, for the summary only (never in files) */
  now(): Date;
}

/** One `categories` line, translated to what ARM stores (bug 3: az-ml names are not REST categories). */
export interface CategoryFilter {
  /** as given */
  input: string;
  /** the REST category */
  category: string;
  /** for az-ml types that share a category (content safety, speech): the metadata Kind */
  kind?: string;
}

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

export interface ExportReport {
  workspace: WorkspaceRef;
  outputPath: string;
  secrets: SecretsMode;
  connections: ExportedConnection[];
  /** names of secret variables set (variables mode) */
  variablesSet: string[];
  /** YAML files in the folder this export did not write (left alone) */
  otherFiles: string[];
  /** connections whose credentials could not be read (placeholders mode, listsecrets denied) */
  unreadable: string[];
  /** connections not exported because a credential is written into their target or a metadata value */
  leftOut: string[];
  exportedAt: string;
  filtered: boolean;
}

/** listsecrets calls in flight at most. */
const MAX_PARALLEL_READS = 8;

/** Properties the service sets; never exported. */
const READ_ONLY = new Set(['peStatus', 'error', 'group', 'createdByWorkspaceArmId']);
/** Properties the connection YAML carries. */
const CARRIED = new Set(['authType', 'category', 'target', 'metadata', 'isSharedToAll', 'credentials']);
const DATASTORE_CATEGORIES = new Set(['azureblob', 'adlsgen2', 'azureonelake']);

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
const looseKind = (s: string | undefined): string => lower(s).replace(/[\s_-]/g, '');

export async function runExport(settings: ExportSettings, services: ExportServices): Promise<TaskOutcome> {
  const { log, secrets } = services;
  const filters = parseCategoryFilters(settings.categories);
  const existing = services.files.list(settings.outputPath);
  if (existing === undefined) {
    throw new UserError(msg('Task_ExportOutputPathIsFile', settings.outputPath));
  }

  // 1. One List, then the selection.
  const { api, ref } = await services.connect(settings);
  const all = (await api.list()).sort((a, b) => compareNames(a.name, b.name));
  // Credentials written into a target or metadata value: masked before anything prints, and never written to
  // a file (Create refuses such files; a placeholder there would not re-apply either), so those are left out.
  const inText = new Map(all.map((c) => [c.name.toLowerCase(), registerTextSecrets(c.properties, secrets)]));
  const chosen = selectConnections(all, settings.connectionNames, filters);
  log.info(describeSelection(all.length, chosen.length, settings, filters));
  const leftOut = chosen.filter((c) => (inText.get(c.name.toLowerCase()) ?? []).length > 0);
  for (const c of leftOut) {
    for (const t of inText.get(c.name.toLowerCase()) ?? []) log.warning(msg('Task_ExportCredentialInText', c.name, t.field, describeTargetSecrets(t.found)));
  }
  const selected = chosen.filter((c) => !leftOut.includes(c));

  // 2. Credentials (non-secret fields and secrets) through listsecrets, registered before anything prints.
  const stored = new Map<string, Record<string, unknown>>();
  const denied: string[] = [];
  const toRead = selected.filter((c) => hasCredentialFields(c.properties.authType));
  await runPool(toRead, MAX_PARALLEL_READS, async (c) => {
    try {
      const read = await api.listSecrets(c.name);
      const creds = (read.properties.credentials ?? {}) as Record<string, unknown>;
      registerSecrets(c.properties.authType, creds, secrets);
      stored.set(c.name.toLowerCase(), creds);
    } catch (e) {
      if (!(isArmError(e) && e.statusCode === 403)) throw e;
      if (settings.secrets === 'variables') {
        throw new UserError(msg('Task_ExportSecretsDenied', c.name, LISTSECRETS_ACTION), undefined, c.name);
      }
      denied.push(c.name);
    }
  });
  denied.sort(compareNames);
  if (denied.length) {
    log.warning(msg('Task_ExportCredentialsDenied', denied.length, denied.join(', '), LISTSECRETS_ACTION));
  }

  // 3. Documents, placeholders and secret variables (deterministic: connections and fields in a fixed order).
  const usedNames = new Set<string>();
  const usedFiles = new Map<string, string>();
  const values = new Map<string, string>();
  const exported: ExportedConnection[] = [];
  const texts: string[] = [];
  /** per connection: its notes that mean the file does not carry everything the workspace stores */
  const losses = new Map<ExportedConnection, string[]>();
  for (const c of selected) {
    const creds = stored.get(c.name.toLowerCase());
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
        if (name !== wanted) {
          log.warning(msg('Task_ExportVariableRenamed', c.name, wanted, name));
        }
        variables.push(name);
        if (value !== undefined) values.set(name, value);
        return variableReference(name);
      },
    });
    const file = `${fileStem(c.name)}.yml`;
    const clash = usedFiles.get(file.toLowerCase());
    if (clash) {
      throw new UserError(msg('Task_ExportFileClash', clash, c.name, file));
    }
    usedFiles.set(file.toLowerCase(), c.name);

    const text = serializeDocuments([doc]);
    texts.push(text);
    const type = String(doc.type);
    const generic = resolveType(type)?.shape === 'generic';
    for (const key of notCarried(c)) lossNotes.push(msg('Task_ExportNoteNotCarried', key));
    if (creds || !hasCredentialFields(c.properties.authType)) {
      const lost = reapplyLosses(text, c, creds, values, settings, secrets);
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
    exported.push(entry);
    losses.set(entry, lossNotes);
  }

  // 4. Write the files (only ours; nothing is deleted), then the secret variables.
  if (settings.secrets === 'variables') {
    const multiline = [...values.entries()].find(([, v]) => /[\r\n]/.test(v));
    if (multiline) {
      const owner = exported.find((e) => e.variables.includes(multiline[0]))?.name;
      throw new UserError(msg('Task_ExportMultilineSecret', multiline[0]), undefined, owner);
    }
  }
  exported.forEach((e, i) => {
    const path = join(settings.outputPath, e.file);
    e.changed = services.files.read(path) !== texts[i];
    if (e.changed) services.files.write(path, texts[i] as string);
  });
  const written = new Set(exported.map((e) => e.file.toLowerCase()));
  const otherFiles = existing.filter((f) => /\.ya?ml$/i.test(f) && !written.has(f.toLowerCase())).sort(compareNames);
  const variablesSet: string[] = [];
  if (settings.secrets === 'variables') {
    for (const name of [...values.keys()].sort()) {
      services.outputs.setSecretVariable(name, values.get(name) as string);
      variablesSet.push(name);
    }
  }

  // 5. Report.
  log.group(msg('Task_ExportGroup', settings.outputPath));
  for (const e of exported) {
    log.info(fileLine(e));
    for (const n of e.notes) log.info(indent(2, msg('Task_ConnectionNote', e.name, n)));
  }
  log.endGroup();
  for (const e of exported) {
    for (const n of losses.get(e) ?? []) log.warning(msg('Task_ExportLossWarning', e.name, n));
  }
  if (otherFiles.length) {
    const first = otherFiles.slice(0, 5).join(', ');
    const shown = otherFiles.length > 5 ? msg('Task_ExportListMore', first, otherFiles.length - 5) : first;
    const message = msg('Task_ExportOtherFiles', otherFiles.length, settings.outputPath, shown);
    if (settings.connectionNames.length || filters.length) log.info(message);
    else log.warning(message);
  }
  if (chosen.length === 0) log.warning(msg('Task_ExportNothingMatched'));
  if (variablesSet.length) log.info(msg('Task_ExportVariablesSet', variablesSet.length, variablesSet.join(', ')));

  const report: ExportReport = {
    workspace: ref, outputPath: settings.outputPath, secrets: settings.secrets, connections: exported, variablesSet, otherFiles,
    unreadable: denied, leftOut: leftOut.map((c) => c.name), exportedAt: services.now().toISOString(),
    filtered: settings.connectionNames.length > 0 || filters.length > 0,
  };
  services.outputs.set('exported', String(exported.length));
  services.outputs.set('outputPath', settings.outputPath);
  services.outputs.uploadSummary('export.md', formatExportSummary(report));

  const changed = exported.filter((e) => e.changed).length;
  const message =
    settings.secrets === 'variables'
      ? msg('Task_ExportOutcomeVariables', exported.length, settings.outputPath, changed, exported.length - changed, variablesSet.length)
      : msg('Task_ExportOutcome', exported.length, settings.outputPath, changed, exported.length - changed);
  const issues = denied.length > 0 || leftOut.length > 0 || exported.some((e) => (losses.get(e) ?? []).length > 0);
  return { result: issues ? 'SucceededWithIssues' : 'Succeeded', message };
}

/** One exported file in the log: file, type, category, auth type, the secrets it references, whether it was unchanged. */
function fileLine(e: ExportedConnection): string {
  const args = [e.file, e.type, e.category, e.authType];
  if (!e.variables.length) return e.changed ? msg('Task_ExportFileLine', ...args) : msg('Task_ExportFileLineUnchanged', ...args);
  const refs = e.variables.map(variableReference).join(', ');
  return e.changed ? msg('Task_ExportFileLineSecrets', ...args, refs) : msg('Task_ExportFileLineSecretsUnchanged', ...args, refs);
}

/** Translate `categories` lines: az-ml type names (`custom`, `azure_ai_search`) and REST categories, any case. */
export function parseCategoryFilters(values: readonly string[]): CategoryFilter[] {
  return values.map((input) => {
    const t = resolveType(input);
    if (t) return { input, category: t.category, ...(t.fixedMetadata?.Kind ? { kind: t.fixedMetadata.Kind } : {}) };
    const near = closest(input, [...AZML_TYPES.map((a) => a.name), ...REST_CATEGORIES]);
    if (near || !/^[A-Za-z][A-Za-z0-9]*$/.test(input)) {
      throw new UserError(near ? msg('Task_ExportCategoryUnknownNear', input, near) : msg('Task_ExportCategoryUnknown', input));
    }
    // ConnectionCategory is an open enum: a newer category than ours is matched by its name
    return { input, category: input };
  });
}

/** The connections to export: the name filter (each name must exist) and the category filter, in name order. */
export function selectConnections(all: readonly ArmConnection[], names: readonly string[], filters: readonly CategoryFilter[]): ArmConnection[] {
  let out = [...all];
  if (names.length) {
    const byName = new Map(all.map((c) => [c.name.toLowerCase(), c]));
    const missing = names.filter((n) => !byName.has(n.toLowerCase()));
    if (missing.length) {
      const list = missing.map((n) => `'${n}'`).join(', ');
      throw new UserError(msg('Task_ExportNoSuchConnection', list));
    }
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    out = out.filter((c) => wanted.has(c.name.toLowerCase()));
  }
  if (filters.length) out = out.filter((c) => filters.some((f) => matchesCategory(c, f)));
  return out;
}

function matchesCategory(c: ArmConnection, f: CategoryFilter): boolean {
  if (lower(c.properties.category) !== lower(f.category)) return false;
  // bug 17: other tools write Kind differently (ContentSafety, Content Safety)
  return f.kind === undefined || looseKind(c.properties.metadata?.Kind) === looseKind(f.kind);
}

function describeSelection(total: number, selected: number, settings: ExportSettings, filters: CategoryFilter[]): string {
  const names = settings.connectionNames.join(', ');
  const categories = filters
    .map((f) => (f.input === f.category ? f.input : f.kind ? msg('Task_ExportCategoryFilterKind', f.input, f.category, f.kind) : msg('Task_ExportCategoryFilter', f.input, f.category)))
    .join(', ');
  if (names && categories) return msg('Task_ExportSelectionNamesCategories', total, selected, names, categories);
  if (names) return msg('Task_ExportSelectionNames', total, selected, names);
  if (categories) return msg('Task_ExportSelectionCategories', total, selected, categories);
  return msg('Task_ExportSelection', total, selected);
}

/** Whether the auth type stores credential fields (so listsecrets has something to return). */
function hasCredentialFields(authType: string | undefined): boolean {
  const c = credentialForAuthType(authType ?? 'None');
  return c ? c.fields.some((f) => !f.dropped) : authType !== undefined && !['none', 'aad'].includes(lower(authType));
}

function registerSecrets(authType: string, creds: Record<string, unknown>, sink: SecretSink): void {
  const secretRest = new Set((credentialForAuthType(authType)?.fields ?? []).filter((f) => f.secret).map((f) => f.rest));
  for (const [k, v] of Object.entries(creds)) {
    // unknown auth types: every credential value is treated as secret
    if (secretRest.size && !secretRest.has(k)) continue;
    if (typeof v === 'string') sink.add(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) if (typeof x === 'string') sink.add(x);
  }
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
    if (k === MANAGED_BY_KEY && v === MANAGED_BY_VALUE) continue;
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
  settings: ExportSettings,
  secrets: SecretSink,
): string[] | 'file' {
  const loaded = loadConnections([{ path: `${c.name}.yml`, text }], {
    variables: { get: (name) => (values.has(name.toUpperCase()) ? { value: values.get(name.toUpperCase()) as string, secret: true } : undefined) },
    overrides: [],
    secrets,
    apiVersion: settings.apiVersion,
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

/** The Markdown summary: provenance and counts here, never in the files. Holds no secret (variable names only). */
export function formatExportSummary(r: ExportReport): string {
  const ws = r.workspace;
  const out: string[] = [`## ${msg('Task_ExportSummaryTitle')}`, ''];
  out.push(
    `${msg('Task_ExportSummaryWorkspace', escapeMarkdown(ws.workspace), escapeMarkdown(ws.resourceGroup), escapeMarkdown(ws.subscriptionId))}  `,
    `${msg(r.filtered ? 'Task_ExportSummaryExportedAtFiltered' : 'Task_ExportSummaryExportedAt', escapeMarkdown(r.exportedAt), escapeMarkdown(r.outputPath))}  `,
    r.secrets === 'variables' ? msg('Task_ExportSummarySecretsVariables', r.variablesSet.length) : msg('Task_ExportSummarySecretsPlaceholders'),
    '',
  );
  const changed = r.connections.filter((c) => c.changed).length;
  const generic = r.connections.filter((c) => c.generic).length;
  out.push(
    tableHeader(['Task_ColumnExported', 'Task_ColumnWritten', 'Task_ColumnUnchanged', 'Task_ColumnGenericForm', 'Task_ColumnSecretPlaceholders']),
    '|---:|---:|---:|---:|---:|',
    `| ${r.connections.length} | ${changed} | ${r.connections.length - changed} | ${generic} | ${r.connections.reduce((n, c) => n + c.variables.length, 0)} |`,
    '',
  );
  const leftOut = r.leftOut.length ? ['', msg('Task_ExportSummaryLeftOut', r.leftOut.map(escapeMarkdown).join(', '))] : [];
  if (r.connections.length === 0) {
    out.push(msg('Task_ExportSummaryNoMatch'), ...leftOut);
    return out.join('\n') + '\n';
  }
  out.push(
    tableHeader(['Task_ColumnConnection', 'Task_ColumnFile', 'Task_ColumnType', 'Task_ColumnCategory', 'Task_ColumnAuth', 'Task_ColumnSecretVariables', 'Task_ColumnNotes']),
    '|---|---|---|---|---|---|---|',
  );
  for (const c of r.connections) {
    out.push(
      `| ${escapeMarkdown(c.name)} | ${c.changed ? escapeMarkdown(c.file) : msg('Task_ExportSummaryFileUnchanged', escapeMarkdown(c.file))} | ${escapeMarkdown(c.type)} | ${escapeMarkdown(c.category)} | ${escapeMarkdown(c.authType)} | ` +
        `${c.variables.map(escapeMarkdown).join('<br>')} | ${c.notes.map((n) => `_${escapeMarkdown(n)}_`).join('<br>')} |`,
    );
  }
  if (generic) {
    out.push('', msg('Task_ExportSummaryGeneric', generic));
  }
  if (r.unreadable.length) {
    out.push('', msg('Task_ExportSummaryUnreadable', r.unreadable.map(escapeMarkdown).join(', '), escapeMarkdown(LISTSECRETS_ACTION)));
  }
  if (r.otherFiles.length) {
    out.push('', msg('Task_ExportSummaryOtherFiles', r.otherFiles.map(escapeMarkdown).join(', ')));
  }
  out.push(...leftOut);
  return out.join('\n') + '\n';
}
