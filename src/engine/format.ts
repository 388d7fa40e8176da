import type { WorkspaceRef } from '../arm/types';
import { neutralise } from '../core/log';
import { escapeMarkdown } from '../core/markdown';
import { MESSAGES, msg, type MessageKey } from '../messages';
import type { Action, ApplyResult, Counts, FieldChange, Plan, PlanItem } from './types';

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
  if (change.sensitive) return `~ ${path}: ${msg('Platform_FormatSensitive')}`;
  if (change.before === undefined && change.after !== undefined) return `+ ${path}: ${showValue(change.after)}`;
  if (change.after === undefined && change.before !== undefined) return `- ${path}: ${showValue(change.before)}`;
  return `~ ${path}: ${showValue(change.before ?? 'null')} -> ${showValue(change.after ?? 'null')}`;
}

function describeKind(item: PlanItem, withAuth: boolean): string | undefined {
  const parts = [item.category, withAuth ? item.authType : undefined].filter((p): p is string => !!p);
  return parts.length ? safe(parts.join(', ')) : undefined;
}

/** Per action: the plan line's marker (kept as it is), and its words without and with the kind (category, auth type). */
const LINE: Record<Exclude<Action, 'conflict'>, { marker: string; plain: MessageKey; kind: MessageKey }> = {
  create: { marker: '[+]', plain: 'Platform_FormatCreate', kind: 'Platform_FormatCreateKind' },
  update: { marker: '[~]', plain: 'Platform_FormatUpdate', kind: 'Platform_FormatUpdateKind' },
  delete: { marker: '[-]', plain: 'Platform_FormatDelete', kind: 'Platform_FormatDeleteKind' },
  unchanged: { marker: '[=]', plain: 'Platform_FormatUnchanged', kind: 'Platform_FormatUnchangedKind' },
  skip: { marker: '[ ]', plain: 'Platform_FormatSkip', kind: 'Platform_FormatSkipKind' },
};

function actionWords(action: Exclude<Action, 'conflict'>, name: string, kind: string | undefined): string {
  const line = LINE[action];
  return kind === undefined ? msg(line.plain, name) : msg(line.kind, name, kind);
}

function headline(item: PlanItem): string {
  const name = safe(item.name);
  if (item.action === 'conflict') return `[!] ${msg('Platform_FormatConflict', name)}`;
  if (item.error !== undefined) {
    const words = actionWords(item.action, name, describeKind(item, item.action === 'create'));
    return `[!] ${msg('Platform_FormatFailing', words, safe(item.error))}`;
  }
  const kind = item.action === 'create' ? describeKind(item, true) : item.action === 'update' ? describeKind(item, false) : undefined;
  return `${LINE[item.action].marker} ${actionWords(item.action, name, kind)}`;
}

/** The conflict headline says it already; the note is not repeated (in this culture's words, or English from an older plan file). */
function repeatsConflict(note: string): boolean {
  return note === msg('Platform_PlanNoteConflict') || note === MESSAGES.Platform_PlanNoteConflict;
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
      if (item.action === 'conflict' && repeatsConflict(note)) continue;
      lines.push(`    ${msg('Platform_FormatNote', safe(note))}`);
    }
  }
  const c = countResults(plan);
  const base = [c.created, c.updated, c.deleted, c.unchanged];
  if (c.skipped && c.failed) lines.push(msg('Platform_FormatTotalSkippedFailing', ...base, c.skipped, c.failed));
  else if (c.skipped) lines.push(msg('Platform_FormatTotalSkipped', ...base, c.skipped));
  else if (c.failed) lines.push(msg('Platform_FormatTotalFailing', ...base, c.failed));
  else lines.push(msg('Platform_FormatTotal', ...base));
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


export interface SummaryContext {
  title: string;
  workspace: WorkspaceRef;
  mode: 'plan' | 'apply';
  planFile?: string;
}

/** Per action: its word in the summary's Action column, and the outcome of a successful run. */
const SUMMARY: Record<Action, { action: MessageKey; outcome: MessageKey }> = {
  create: { action: 'Platform_SummaryActionCreate', outcome: 'Platform_SummaryOutcomeCreated' },
  update: { action: 'Platform_SummaryActionUpdate', outcome: 'Platform_SummaryOutcomeUpdated' },
  delete: { action: 'Platform_SummaryActionDelete', outcome: 'Platform_SummaryOutcomeDeleted' },
  unchanged: { action: 'Platform_SummaryActionUnchanged', outcome: 'Platform_SummaryOutcomeUnchanged' },
  skip: { action: 'Platform_SummaryActionSkip', outcome: 'Platform_SummaryOutcomeSkipped' },
  conflict: { action: 'Platform_SummaryActionConflict', outcome: 'Platform_SummaryOutcomeFailed' },
};

/** A Markdown summary for the run's Extensions tab. Holds no secret: sensitive changes carry no values. */
export function formatSummaryMarkdown(plan: Plan, results: ApplyResult[] | undefined, context: SummaryContext): string {
  const ws = context.workspace;
  const counts = countResults(plan, results);
  const out: string[] = [];
  out.push(`## ${escapeMarkdown(context.title)}`, '');
  out.push(
    // two trailing spaces: a Markdown line break
    `${msg('Platform_SummaryWorkspace', escapeMarkdown(ws.workspace), escapeMarkdown(ws.resourceGroup), escapeMarkdown(ws.subscriptionId))}  `,
  );
  const planFile = context.planFile === undefined || context.planFile === '' ? undefined : escapeMarkdown(context.planFile);
  if (context.mode === 'plan') out.push(planFile ? msg('Platform_SummaryModePlanFile', planFile) : msg('Platform_SummaryModePlan'), '');
  else out.push(planFile ? msg('Platform_SummaryModeApplyFile', planFile) : msg('Platform_SummaryModeApply'), '');

  const headKeys: MessageKey[] =
    context.mode === 'plan'
      ? ['Platform_SummaryToCreate', 'Platform_SummaryToUpdate', 'Platform_SummaryToDelete', 'Platform_SummaryUnchanged', 'Platform_SummarySkipped', 'Platform_SummaryFailing']
      : ['Platform_SummaryCreated', 'Platform_SummaryUpdated', 'Platform_SummaryDeleted', 'Platform_SummaryUnchanged', 'Platform_SummarySkipped', 'Platform_SummaryFailed'];
  const heads = headKeys.map((key) => escapeMarkdown(msg(key)));
  out.push(
    `| ${heads.join(' | ')} |`,
    '|---:|---:|---:|---:|---:|---:|',
    `| ${counts.created} | ${counts.updated} | ${counts.deleted} | ${counts.unchanged} | ${counts.skipped} | ${counts.failed} |`,
    '',
  );

  if (plan.items.length === 0) {
    out.push(msg('Platform_SummaryNothing'));
    return out.join('\n') + '\n';
  }
  const columns: MessageKey[] = [
    'Platform_SummaryColumnConnection',
    'Platform_SummaryColumnAction',
    'Platform_SummaryColumnCategory',
    'Platform_SummaryColumnChanges',
    'Platform_SummaryColumnOutcome',
  ];
  out.push(`| ${columns.map((key) => escapeMarkdown(msg(key))).join(' | ')} |`, '|---|---|---|---|---|');
  plan.items.forEach((item, index) => {
    const result = results?.[index];
    const changes = item.changes.map((c) => escapeMarkdown(formatChange(c))).join('<br>');
    const notes = item.notes.map((n) => `_${escapeMarkdown(n)}_`).join('<br>');
    const what = [changes, notes].filter(Boolean).join('<br>');
    let outcome: string;
    const error = result ? result.error : item.error;
    const failed = escapeMarkdown(msg('Platform_SummaryOutcomeFailed'));
    const words = SUMMARY[item.action];
    if (result ? !result.ok : item.error !== undefined) outcome = `**${failed}**: ${escapeMarkdown(error ?? msg('Platform_SummaryOutcomeFailed'))}`;
    else if (!result) outcome = escapeMarkdown(msg(context.mode === 'plan' ? 'Platform_SummaryOutcomePlanned' : 'Platform_SummaryOutcomeNotRun'));
    else outcome = escapeMarkdown(msg(words.outcome));
    const action = escapeMarkdown(msg(words.action));
    out.push(
      `| ${escapeMarkdown(item.name)} | ${action} | ${escapeMarkdown(item.category ?? '')} | ${what} | ${outcome} |`,
    );
  });
  return out.join('\n') + '\n';
}
