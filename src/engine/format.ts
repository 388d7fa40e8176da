import type { WorkspaceRef } from '../arm/types';
import { neutralise } from '../core/log';
import type { ApplyResult, Counts, FieldChange, Plan, PlanItem } from './types';

/** Longest value shown in full; longer ones are cut and end with an ellipsis. */
const MAX_VALUE_CHARS = 60;

/** Outside text on one line, unable to start a logging command. */
function safe(text: string): string {
  return neutralise(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
}

/** A stored JSON-text value for display: strings JSON-quoted and truncated when long. */
function showValue(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = json;
  }
  if (typeof value === 'string') {
    const cut = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS - 1)}…` : value;
    return safe(JSON.stringify(cut));
  }
  const text = JSON.stringify(value) ?? 'null';
  return safe(text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text);
}

/** `~ target: "a" -> "b"`, `+ metadata.X: "v"`, `- metadata.Y: "v"`, `~ credentials.pat: (sensitive)` */
export function formatChange(change: FieldChange): string {
  const path = safe(change.path);
  if (change.sensitive) return `~ ${path}: (sensitive)`;
  if (change.before === undefined && change.after !== undefined) return `+ ${path}: ${showValue(change.after)}`;
  if (change.after === undefined && change.before !== undefined) return `- ${path}: ${showValue(change.before)}`;
  return `~ ${path}: ${showValue(change.before ?? 'null')} -> ${showValue(change.after ?? 'null')}`;
}

function describeKind(item: PlanItem, withAuth: boolean): string {
  const parts = [item.category, withAuth ? item.authType : undefined].filter((p): p is string => !!p);
  return parts.length ? ` (${safe(parts.join(', '))})` : '';
}

function headline(item: PlanItem): string {
  const name = safe(item.name);
  if (item.error !== undefined && item.action !== 'conflict') {
    return `[!] ${item.action} ${name}${describeKind(item, item.action === 'create')}: ${safe(item.error)}`;
  }
  switch (item.action) {
    case 'create':
      return `[+] create ${name}${describeKind(item, true)}`;
    case 'update':
      return `[~] update ${name}${describeKind(item, false)}`;
    case 'delete':
      return `[-] delete ${name}`;
    case 'unchanged':
      return `[=] unchanged ${name}`;
    case 'conflict':
      return `[!] conflict ${name}: exists and differs (onExisting: fail)`;
    case 'skip':
      return `[ ] skip ${name}`;
  }
}

/** The plan as printable lines: one headline per connection, indented field changes and notes, then a total. */
export function formatPlan(plan: Plan): string[] {
  const lines: string[] = [];
  for (const item of plan.items) {
    lines.push(headline(item));
    if (item.action !== 'unchanged' && item.action !== 'delete') {
      for (const c of item.changes) lines.push(`    ${formatChange(c)}`);
    }
    for (const note of item.notes) {
      if (item.action === 'conflict' && note.startsWith('exists and differs')) continue;
      lines.push(`    note: ${safe(note)}`);
    }
  }
  const c = countResults(plan);
  let total = `Plan: ${c.created} to create, ${c.updated} to update, ${c.deleted} to delete, ${c.unchanged} unchanged`;
  if (c.skipped) total += `, ${c.skipped} skipped`;
  if (c.failed) total += `, ${c.failed} failing`;
  lines.push(`${total}.`);
  return lines;
}

/**
 * Without results: what the plan would do (items that failed while planning count as failed).
 * With results: what happened (a failed write counts as failed, not as its action).
 */
export function countResults(plan: Plan, results?: ApplyResult[]): Counts {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, skipped: 0 };
  plan.items.forEach((item, index) => {
    const result = results?.[index];
    const failed = result ? !result.ok : item.error !== undefined || item.action === 'conflict';
    if (failed) {
      counts.failed++;
      return;
    }
    switch (item.action) {
      case 'create':
        counts.created++;
        break;
      case 'update':
        counts.updated++;
        break;
      case 'delete':
        counts.deleted++;
        break;
      case 'unchanged':
        counts.unchanged++;
        break;
      case 'skip':
        counts.skipped++;
        break;
      case 'conflict':
        counts.failed++;
        break;
    }
  });
  return counts;
}

/** Escape text for a Markdown table cell: no markup, no HTML, no line breaks, no logging commands. */
export function escapeMarkdown(text: string): string {
  return safe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#+\-]|\d+\.)/, '\\$1');
}

export interface SummaryContext {
  title: string;
  workspace: WorkspaceRef;
  mode: 'plan' | 'apply';
  planFile?: string;
}

const OUTCOME: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  unchanged: 'unchanged',
  skip: 'skipped',
  conflict: 'failed',
};

/** A Markdown summary for the run's Extensions tab. Holds no secret: sensitive changes carry no values. */
export function formatSummaryMarkdown(plan: Plan, results: ApplyResult[] | undefined, context: SummaryContext): string {
  const ws = context.workspace;
  const counts = countResults(plan, results);
  const out: string[] = [];
  out.push(`## ${escapeMarkdown(context.title)}`, '');
  out.push(
    `Workspace **${escapeMarkdown(ws.workspace)}** in resource group **${escapeMarkdown(ws.resourceGroup)}**, subscription ${escapeMarkdown(ws.subscriptionId)}  `,
  );
  const mode = context.mode === 'plan' ? 'plan (nothing was changed)' : 'apply';
  out.push(`Mode: ${mode}${context.planFile ? `; plan file ${escapeMarkdown(context.planFile)}` : ''}`, '');

  const heads =
    context.mode === 'plan'
      ? ['To create', 'To update', 'To delete', 'Unchanged', 'Skipped', 'Failing']
      : ['Created', 'Updated', 'Deleted', 'Unchanged', 'Skipped', 'Failed'];
  out.push(
    `| ${heads.join(' | ')} |`,
    '|---:|---:|---:|---:|---:|---:|',
    `| ${counts.created} | ${counts.updated} | ${counts.deleted} | ${counts.unchanged} | ${counts.skipped} | ${counts.failed} |`,
    '',
  );

  if (plan.items.length === 0) {
    out.push('No connections declared or to delete.');
    return out.join('\n') + '\n';
  }
  out.push('| Connection | Action | Category | What changed | Outcome |', '|---|---|---|---|---|');
  plan.items.forEach((item, index) => {
    const result = results?.[index];
    const changes = item.changes.map((c) => escapeMarkdown(formatChange(c))).join('<br>');
    const notes = item.notes.map((n) => `_${escapeMarkdown(n)}_`).join('<br>');
    const what = [changes, notes].filter(Boolean).join('<br>');
    let outcome: string;
    const error = result ? result.error : item.error;
    if (result ? !result.ok : item.error !== undefined) outcome = `**failed**: ${escapeMarkdown(error ?? 'failed')}`;
    else if (!result) outcome = context.mode === 'plan' ? 'planned' : 'not run';
    else outcome = OUTCOME[item.action] ?? item.action;
    out.push(
      `| ${escapeMarkdown(item.name)} | ${item.action} | ${escapeMarkdown(item.category ?? '')} | ${what} | ${outcome} |`,
    );
  });
  return out.join('\n') + '\n';
}
