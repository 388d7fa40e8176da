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
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import { UserError } from '../core/errors';
import type { TaskLog } from '../core/log';
import { indent } from '../core/markdown';
import type { SecretSink } from '../core/secrets';
import { describeTargetSecrets } from '../core/target-secrets';
import { LISTSECRETS_ACTION } from '../engine/plan';
import { compareNames } from '../engine/fingerprint';
import { isDigestKeyConnection } from '../engine/digest';
import { exportDocuments, hasCredentialFields } from '../export/documents';
import { describeSelection, parseCategoryFilters, selectConnections } from '../export/select';
import { fileLine, formatExportSummary, type ExportReport, type SecretsMode } from '../export/summary';
import { msg } from '../messages';
import { listConnections, readStored } from '../workspace/snapshot';
import type { TaskOutcome, TaskOutputs, WorkspaceSettings } from './services';

export type { SecretsMode, ExportReport } from '../export/summary';
export type { ExportedConnection } from '../export/documents';
export type { CategoryFilter } from '../export/select';
export { parseCategoryFilters, selectConnections } from '../export/select';
export { fileStem } from '../export/documents';
export { formatExportSummary } from '../export/summary';

/** listsecrets calls in flight at most. */
const MAX_PARALLEL_READS = 8;

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




export async function runExport(settings: ExportSettings, services: ExportServices): Promise<TaskOutcome> {
  const { log, secrets } = services;
  const filters = parseCategoryFilters(settings.categories);
  const existing = services.files.list(settings.outputPath);
  if (existing === undefined) {
    throw new UserError(msg('Task_ExportOutputPathIsFile', settings.outputPath));
  }

  // 1. One List, then the selection.
  const { api, ref } = await services.connect(settings);
  const listed = await listConnections(api, secrets);
  const all = listed.connections.filter((c) => !isDigestKeyConnection(c.name)).sort((a, b) => compareNames(a.name, b.name));
  // A project lists its hub's shared connections too: they are the hub's, exported from the hub, never from here.
  const hubShared = listed.shared.filter((s) => !isDigestKeyConnection(s.connection.name)).sort((a, b) => compareNames(a.connection.name, b.connection.name));
  const hubs = [...new Set(hubShared.map((s) => s.owner.workspace))].join(', ');
  const namedShared = settings.connectionNames.filter((n) => !listed.connection(n) && listed.sharedConnection(n));
  if (namedShared.length) {
    throw new UserError(msg('Task_ExportHubConnection', namedShared.map((n) => `'${n}'`).join(', '), listed.sharedConnection(namedShared[0])!.owner.workspace));
  }
  // Credentials written into a target or metadata value: masked before anything prints, and never written to
  // a file (Create refuses such files; a placeholder there would not re-apply either), so those are left out.
  const chosen = selectConnections(all, settings.connectionNames, filters);
  log.info(describeSelection(all.length, chosen.length, settings.connectionNames, filters));
  const leftOut = chosen.filter((c) => listed.credentialsInText(c.name).length > 0);
  for (const c of leftOut) {
    for (const t of listed.credentialsInText(c.name)) log.warning(msg('Task_ExportCredentialInText', c.name, t.field, describeTargetSecrets(t.found)));
  }
  const selected = chosen.filter((c) => !leftOut.includes(c));

  // 2. Credentials (non-secret fields and secrets) through listsecrets, registered before anything prints.
  const toRead = new Set(selected.filter((c) => hasCredentialFields(c.properties.authType)).map((c) => c.name.toLowerCase()));
  const snapshot = await readStored(api, listed, { secrets, maxParallel: MAX_PARALLEL_READS, readStored: (c) => toRead.has(c.name.toLowerCase()) });
  const denied: string[] = [];
  for (const c of selected) {
    const read = snapshot.stored(c.name);
    if (read?.status === 'failed') throw read.error;
    if (read?.status !== 'forbidden') continue;
    if (settings.secrets === 'variables') throw new UserError(msg('Task_ExportSecretsDenied', c.name, LISTSECRETS_ACTION), undefined, c.name);
    denied.push(c.name);
  }
  denied.sort(compareNames);
  if (denied.length) {
    log.warning(msg('Task_ExportCredentialsDenied', denied.length, denied.join(', '), LISTSECRETS_ACTION));
  }

  // 3. Documents, placeholders and secret variables (deterministic: connections and fields in a fixed order).
  const { exported, texts, values, losses, renamed } = exportDocuments(
    selected,
    (name) => {
      const read = snapshot.stored(name);
      return read?.status === 'read' ? read.credentials : undefined;
    },
    { apiVersion: settings.apiVersion, secrets },
  );
  for (const sentence of renamed) log.warning(sentence);

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
  if (hubShared.length) log.info(msg('Task_ExportHubShared', hubShared.length, hubs, hubShared.map((s) => s.connection.name).join(', ')));
  if (chosen.length === 0) log.warning(msg('Task_ExportNothingMatched'));
  if (variablesSet.length) log.info(msg('Task_ExportVariablesSet', variablesSet.length, variablesSet.join(', ')));

  const report: ExportReport = {
    workspace: ref, outputPath: settings.outputPath, secrets: settings.secrets, connections: exported, variablesSet, otherFiles,
    unreadable: denied, leftOut: leftOut.map((c) => c.name), exportedAt: services.now().toISOString(),
    filtered: settings.connectionNames.length > 0 || filters.length > 0,
    ...(hubShared.length ? { hubShared: { hubs, names: hubShared.map((s) => s.connection.name) } } : {}),
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
















