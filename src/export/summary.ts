/** Export's Markdown summary and log lines: provenance and counts here, never in the files. Pure. */
import type { WorkspaceRef } from '../arm/types';
import { escapeMarkdown, tableHeader } from '../core/markdown';
import { LISTSECRETS_ACTION } from '../engine/plan';
import { msg } from '../messages';
import { variableReference } from '../model/placeholders';
import type { ExportedConnection } from './documents';

export type SecretsMode = 'placeholders' | 'variables';

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
  /** a project: the hub connections shared with it, which are not exported (the hub's) */
  hubShared?: { hubs: string; names: string[] };
}

/** One exported file in the log: file, type, category, auth type, the secrets it references, whether it was unchanged. */
export function fileLine(e: ExportedConnection): string {
  const args = [e.file, e.type, e.category, e.authType];
  if (!e.variables.length) return e.changed ? msg('Task_ExportFileLine', ...args) : msg('Task_ExportFileLineUnchanged', ...args);
  const refs = e.variables.map(variableReference).join(', ');
  return e.changed ? msg('Task_ExportFileLineSecrets', ...args, refs) : msg('Task_ExportFileLineSecretsUnchanged', ...args, refs);
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
  if (r.hubShared) leftOut.push('', msg('Task_ExportSummaryHubShared', escapeMarkdown(r.hubShared.hubs), r.hubShared.names.map(escapeMarkdown).join(', ')));
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
