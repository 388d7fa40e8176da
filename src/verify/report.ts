/** Verify's results as a user reads them: counts, the task outcome, the JSON report and the Markdown summary. Pure. */
import type { WorkspaceRef } from '../arm/types';
import { neutralise } from '../core/log';
import { escapeMarkdown, tableHeader } from '../core/markdown';
import type { TaskOutcome } from '../core/task';
import { formatChange } from '../engine/format';
import { msg, type MessageKey } from '../messages';
import type { FailOn, Level, VerifyCounts, VerifyItem, VerifyStatus } from './types';
import { parseWorkspaceId, type WorkspaceNetwork } from '../workspace/network';

export const REPORT_KIND = 'azureml-connections-verify-report';
export const REPORT_VERSION = 1;

/** What the report says about how Verify ran. */
export interface ReportSettings {
  apiVersion: string;
  failOn: FailOn;
  files: readonly string[];
  checkCredentials: boolean;
  probe: boolean;
  testConnection: boolean;
  expiryWarningDays: number;
}

export function countsAsFailure(status: VerifyStatus, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'missing') return status === 'missing';
  return status === 'missing' || status === 'drifted' || status === 'failed';
}

export function countItems(items: readonly VerifyItem[]): VerifyCounts {
  const c: VerifyCounts = { verified: 0, warnings: 0, drifted: 0, missing: 0, failed: 0 };
  for (const i of items) {
    if (i.status === 'verified') c.verified++;
    else if (i.status === 'warning') {
      c.verified++;
      c.warnings++;
    } else c[i.status]++;
  }
  return c;
}

function totals(c: VerifyCounts): string {
  return c.warnings
    ? msg('Verify_TotalsWithWarnings', c.verified, c.warnings, c.drifted, c.missing, c.failed)
    : msg('Verify_Totals', c.verified, c.drifted, c.missing, c.failed);
}

const STATUS_WORD: Record<VerifyStatus, MessageKey> = {
  verified: 'Verify_StatusVerified',
  warning: 'Verify_StatusWarning',
  drifted: 'Verify_StatusDrifted',
  missing: 'Verify_StatusMissing',
  failed: 'Verify_StatusFailed',
};

/** The status as a user reads it (the report keeps the status value itself). */
export function statusWord(status: VerifyStatus): string {
  return msg(STATUS_WORD[status]);
}

function withStatus(items: readonly VerifyItem[]): string {
  return items.map((i) => msg('Verify_NameWithStatus', i.name, statusWord(i.status))).join(', ');
}

export function verifyOutcome(items: readonly VerifyItem[], counts: VerifyCounts, failOn: FailOn): TaskOutcome {
  const bad = items.filter((i) => countsAsFailure(i.status, failOn));
  if (bad.length > 0) {
    return { result: 'Failed', message: msg('Verify_OutcomeFailed', bad.length, withStatus(bad), totals(counts)) };
  }
  const issues = items.filter((i) => i.status !== 'verified');
  if (issues.length > 0) {
    return { result: 'SucceededWithIssues', message: msg('Verify_OutcomeIssues', totals(counts), failOn, withStatus(issues)) };
  }
  return { result: 'Succeeded', message: msg('Verify_OutcomeSucceeded', totals(counts)) };
}

export function serializeReport(items: readonly VerifyItem[], counts: VerifyCounts, settings: ReportSettings, ref: WorkspaceRef, now: Date, network?: WorkspaceNetwork): string {
  const report = {
    kind: REPORT_KIND,
    version: REPORT_VERSION,
    createdAt: now.toISOString(),
    workspace: ref,
    // the workspace's kind, hub and network settings, when they were read (the rule for `private`: src/workspace/network.ts)
    network,
    apiVersion: settings.apiVersion,
    failOn: settings.failOn,
    checks: {
      drift: settings.files.length > 0,
      credentials: settings.checkCredentials,
      probe: settings.probe,
      testConnection: settings.testConnection,
      expiryWarningDays: settings.expiryWarningDays,
    },
    counts,
    connections: items.map((i) => ({
      name: i.name,
      status: i.status,
      category: i.category,
      authType: i.authType,
      target: i.target,
      expiryTime: i.expiryTime,
      peRequirement: i.peRequirement,
      peStatus: i.peStatus,
      sharedFrom: i.sharedFrom,
      file: i.location ? `${i.location.file}:${i.location.line}:${i.location.column}` : undefined,
      changes: i.changes,
      findings: i.findings,
      probe: i.probe,
    })),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

const STATUS_TEXT: Record<VerifyStatus, MessageKey> = {
  verified: 'Verify_SummaryVerified',
  warning: 'Verify_SummaryWarning',
  drifted: 'Verify_SummaryDrifted',
  missing: 'Verify_SummaryMissing',
  failed: 'Verify_SummaryFailed',
};

export function formatVerifySummary(
  items: readonly VerifyItem[],
  counts: VerifyCounts,
  context: { workspace: WorkspaceRef; checks: string; failOn: FailOn; reportFile: string; network?: WorkspaceNetwork },
): string {
  const ws = context.workspace;
  const out: string[] = [];
  out.push(msg('Verify_SummaryHeading'), '');
  out.push(`${msg('Verify_SummaryWorkspace', escapeMarkdown(ws.workspace), escapeMarkdown(ws.resourceGroup), escapeMarkdown(ws.subscriptionId))}  `);
  const network = context.network;
  if (network?.hubResourceId) {
    const shared = items.filter((i) => i.sharedFrom).map((i) => escapeMarkdown(i.name));
    out.push(`${msg('Verify_SummaryProject', escapeMarkdown(hubName(network.hubResourceId)), shared.join(', ') || msg('Verify_NetworkNone'))}  `);
  } else if (network?.kind && network.kind.toLowerCase() !== 'default') {
    out.push(`${msg('Verify_SummaryKind', escapeMarkdown(network.kind))}  `);
  }
  if (network) out.push(`${msg('Verify_SummaryNetwork', ...networkWords(network).map(escapeMarkdown))}  `);
  out.push(msg('Verify_SummaryChecks', escapeMarkdown(context.checks), context.failOn, escapeMarkdown(context.reportFile)), '');
  out.push(tableHeader(['Verify_ColumnVerified', 'Verify_ColumnWithWarnings', 'Verify_ColumnDrifted', 'Verify_ColumnMissing', 'Verify_ColumnFailed']), '|---:|---:|---:|---:|---:|');
  out.push(`| ${counts.verified} | ${counts.warnings} | ${counts.drifted} | ${counts.missing} | ${counts.failed} |`, '');
  if (items.length === 0) {
    out.push(msg('Verify_SummaryNothing'));
    return out.join('\n') + '\n';
  }
  out.push(tableHeader(['Verify_ColumnConnection', 'Verify_ColumnCategory', 'Verify_ColumnStatus', 'Verify_ColumnWhatDiffers', 'Verify_ColumnWhy']), '|---|---|---|---|---|');
  for (const i of items) {
    const differs = i.changes.map((c) => escapeMarkdown(formatChange(c))).join('<br>');
    const order: Level[] = ['error', 'warning', 'ok', 'info'];
    const why = [...i.findings]
      .filter((f) => f.check !== 'drift' || f.level !== 'error')
      .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))
      .map((f) => {
        const text = `${f.check}: ${escapeMarkdown(f.message)}`;
        return f.level === 'error' ? `**${text}**` : f.level === 'warning' ? `_${text}_` : text;
      })
      .join('<br>');
    out.push(`| ${escapeMarkdown(i.name)} | ${escapeMarkdown(i.category ?? '')} | ${msg(STATUS_TEXT[i.status])} | ${differs} | ${why} |`);
  }
  return neutralise(out.join('\n')) + '\n';
}

/** public network access, private endpoints, managed network isolation, private or public: the words of the log and the summary. */
export function networkWords(network: WorkspaceNetwork): [string, string, string, string] {
  const endpoints = network.privateEndpointConnections.length
    ? network.privateEndpointConnections.map((p) => msg('Verify_PrivateEndpointState', p.name, p.status ?? msg('Verify_NetworkNotSet'), p.provisioningState ?? msg('Verify_NetworkNotSet'))).join(', ')
    : msg('Verify_NetworkNone');
  const because = network.privateBecause.map((b) =>
    msg(b === 'publicNetworkAccess' ? 'Verify_PrivateBecausePublicAccess' : b === 'privateEndpoint' ? 'Verify_PrivateBecauseEndpoint' : 'Verify_PrivateBecauseManagedNetwork'),
  );
  return [
    network.publicNetworkAccess ?? msg('Verify_NetworkNotSet'),
    endpoints,
    network.managedNetworkIsolation ?? msg('Verify_NetworkNotSet'),
    network.private ? msg('Verify_NetworkPrivate', because.join('; ')) : msg('Verify_NetworkPublic'),
  ];
}


/** The workspace name at the end of a hub's ARM id. */
export function hubName(id: string): string {
  return parseWorkspaceId(id)?.workspace ?? id;
}
