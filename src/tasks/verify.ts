/**
 * AzureMLConnectionVerify@1: prove that connections exist, match their files, hold complete and unexpired
 * credentials, and actually work (probes, and optionally the service's testconnection). No task-lib here.
 */
import { describeError, isArmError, UserError, type SourceLocation } from '../core/errors';
import type { ArmConnection, ConnectionProperties, ConnectionsApi, WorkspaceRef } from '../arm/types';
import { canonicalAuthType, secretFieldsOf, storedFieldsOf } from '../model/credentials';
import type { TestConnectionOptions, TestConnectionResult } from '../arm/connections';
import { loadConnectionFiles } from '../model';
import type { ConnectionSpec, VariableSource } from '../model/types';
import { diffConnection, formatChange, LISTSECRETS_ACTION } from '../engine';
import { needsStoredCredentials } from '../engine/diff';
import { compareNames, secretKeysOf } from '../engine/fingerprint';
import { runPool } from '../engine/pool';
import { registerSecretValues, registerTextSecrets, type TextSecrets } from '../engine/secret-values';
import { describeTargetSecrets, redactTarget } from '../core/target-secrets';
import type { FieldChange } from '../engine/types';
import type { ProbeOptions, ProbeResult, ProbeTarget } from '../probe';
import { neutralise } from '../core/log';
import { msg, type MessageKey } from '../messages';
import { reportDiagnostics } from '../model/diagnostics';
import { escapeMarkdown, tableHeader } from '../core/markdown';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './services';

export type FailOn = 'any' | 'missing' | 'none';
export type VerifyStatus = 'verified' | 'warning' | 'drifted' | 'missing' | 'failed';

/** api-versions that have POST .../connections/{name}/testconnection (arm-connections-api.md §3a). */
export const TESTCONNECTION_API_VERSIONS: ReadonlySet<string> = new Set(['2024-10-01-preview', '2025-06-01', '2026-07-15-preview']);

export const REPORT_KIND = 'azureml-connections-verify-report';
export const REPORT_VERSION = 1;

export interface VerifySettings extends WorkspaceSettings {
  /** the connectionFiles globs as given (empty when not used) */
  patterns: string[];
  /** the files they matched (absolute, sorted) */
  files: string[];
  /** connectionNames (with files: narrows the declared connections to these) */
  names: string[];
  checkCredentials: boolean;
  probe: boolean;
  testConnection: boolean;
  expiryWarningDays: number;
  failOn: FailOn;
  /** one probe request's longest wait */
  probeTimeoutMs: number;
  /** the longest wait for one testconnection, polls included */
  testConnectionTimeoutMs: number;
  /** connections checked at once */
  maxParallel: number;
  reportFile: string;
}

export interface VerifyApi extends ConnectionsApi {
  testConnection?(name: string, properties?: ConnectionProperties, options?: TestConnectionOptions): Promise<TestConnectionResult>;
}

export interface VerifyServices extends TaskServices {
  variables: VariableSource;
  connect(settings: WorkspaceSettings): Promise<{ api: VerifyApi; ref: WorkspaceRef }>;
  probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult>;
  /** the network settings and secret sink for probes (proxy, CA, User-Agent) */
  probeOptions: Omit<ProbeOptions, 'timeoutMs'>;
  now?: () => Date;
}

export type Check = 'exists' | 'drift' | 'credentials' | 'expiry' | 'probe' | 'testconnection';
export type Level = 'ok' | 'info' | 'warning' | 'error';

export interface Finding {
  check: Check;
  level: Level;
  /** one plain sentence, never a secret */
  message: string;
}

export interface VerifyItem {
  name: string;
  status: VerifyStatus;
  category?: string;
  authType?: string;
  /** the target, credentials written into it shown as `***` */
  target?: string;
  expiryTime?: string;
  /** where the connection is declared (connectionFiles) */
  location?: SourceLocation;
  /** drift: what differs from the file (secret fields carry no values) */
  changes: FieldChange[];
  findings: Finding[];
  probe?: ProbeResult;
}

export interface VerifyCounts {
  /** verified, including those with warnings */
  verified: number;
  warnings: number;
  drifted: number;
  missing: number;
  failed: number;
}


type StoredRead = { credentials: Record<string, unknown> } | { forbidden: true } | { error: string };

interface Candidate {
  name: string;
  spec?: ConnectionSpec;
  actual?: ArmConnection;
}

const DAY_MS = 86_400_000;

export async function runVerify(settings: VerifySettings, services: VerifyServices): Promise<TaskOutcome> {
  const { log, secrets } = services;
  const now = services.now?.() ?? new Date();

  // 1. What to verify: declared connections (files), named ones, or every one.
  let specs: ConnectionSpec[] | undefined;
  if (settings.files.length > 0) {
    log.info(msg('Verify_ReadingFiles', settings.files.length, settings.patterns.join(', ')));
    // Verify writes nothing: a declared http target is compared like any other (its probe never sends credentials over http)
    const loaded = loadConnectionFiles(settings.files, services.sourceFiles, {
      variables: services.variables, overrides: [], secrets, apiVersion: settings.apiVersion, allowInsecureTargets: true,
    });
    const errorCount = reportDiagnostics(log, loaded.diagnostics);
    if (errorCount > 0) return { result: 'Failed', message: msg('Verify_FileErrors', errorCount) };
    specs = loaded.connections;
    for (const spec of specs) registerSecretValues(spec.properties.credentials, secretKeysOf(spec), secrets);
    rejectDuplicates(specs);
    if (settings.names.length > 0) {
      const declared = new Set(specs.map((s) => s.name.toLowerCase()));
      const unknown = settings.names.filter((n) => !declared.has(n.toLowerCase()));
      if (unknown.length > 0) {
        throw new UserError(msg('Verify_UnknownNames', unknown.map((n) => `'${n}'`).join(', ')));
      }
      const wanted = new Set(settings.names.map((n) => n.toLowerCase()));
      specs = specs.filter((s) => wanted.has(s.name.toLowerCase()));
    }
  }

  const { api, ref } = await services.connect(settings);
  const actual = await api.list();
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  // credentials written into stored targets or metadata: masked before anything could print them
  const textSecrets = new Map(actual.map((c) => [c.name.toLowerCase(), registerTextSecrets(c.properties, secrets)]));

  let candidates: Candidate[];
  let verifying: (checks: string) => string;
  if (specs) {
    candidates = specs.map((spec) => ({ name: spec.name, spec, actual: byName.get(spec.name.toLowerCase()) }));
    const count = candidates.length;
    verifying = (checks) => msg('Verify_VerifyingDeclared', count, settings.files.length, checks, settings.failOn);
  } else if (settings.names.length > 0) {
    const seen = new Set<string>();
    candidates = [];
    for (const name of settings.names) {
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      const a = byName.get(name.toLowerCase());
      candidates.push({ name: a?.name ?? name, actual: a });
    }
    const count = candidates.length;
    verifying = (checks) => msg('Verify_VerifyingNamed', count, checks, settings.failOn);
  } else {
    candidates = actual.map((a) => ({ name: a.name, actual: a }));
    const count = candidates.length;
    verifying = (checks) => msg('Verify_VerifyingAll', count, checks, settings.failOn);
  }
  candidates.sort((a, b) => compareNames(a.name, b.name));

  const checks = [
    msg(specs ? 'Verify_CheckDrift' : 'Verify_CheckExistence'),
    settings.checkCredentials ? msg('Verify_CheckCredentials') : '',
    settings.probe ? msg('Verify_CheckProbes') : '',
    settings.testConnection ? msg('Verify_CheckTestConnection') : '',
  ]
    .filter(Boolean)
    .join(', ');
  log.info(verifying(checks));

  let testConnection = settings.testConnection && typeof api.testConnection === 'function';
  if (settings.testConnection && !TESTCONNECTION_API_VERSIONS.has(settings.apiVersion)) {
    log.warning(msg('Verify_TestConnectionUnavailable', settings.apiVersion));
    testConnection = false;
  }

  // 2. Check each connection; a slow one holds up one worker only.
  const items: VerifyItem[] = new Array(candidates.length);
  await runPool(candidates, settings.maxParallel, async (candidate, index) => {
    try {
      items[index] = await checkOne(candidate, settings, services, api, now, testConnection, textSecrets.get(candidate.name.toLowerCase()) ?? []);
    } catch (e) {
      items[index] = {
        name: candidate.name,
        status: 'failed',
        changes: [],
        findings: [{ check: 'exists', level: 'error', message: msg('Verify_CheckStopped', describeError(e)) }],
        location: candidate.spec?.location,
      };
    }
  });

  // 3. Say what was found, per connection, then the issues.
  const failing = (item: VerifyItem) => countsAsFailure(item.status, settings.failOn);
  for (const item of items) {
    log.group(msg('Verify_ConnectionGroup', item.name, statusWord(item.status)));
    const kind = [item.category, item.authType].filter(Boolean).join(', ');
    if (item.target) log.info(kind ? msg('Verify_KindAndTarget', kind, item.target) : msg('Verify_TargetOnly', item.target));
    else if (kind) log.info(kind);
    for (const change of item.changes) log.info(msg('Verify_ChangeLine', formatChange(change)));
    for (const f of item.findings) log.info(msg('Verify_FindingLine', f.level, f.check, f.message));
    log.endGroup();
  }
  for (const item of items) {
    for (const f of item.findings) {
      if (f.level !== 'error' && f.level !== 'warning') continue;
      const message = msg('Verify_ConnectionFinding', item.name, f.message);
      if (f.level === 'error' && failing(item)) log.error(message, item.location);
      else log.warning(message, item.location);
    }
  }

  const counts = countItems(items);
  services.writeFile(settings.reportFile, serializeReport(items, counts, settings, ref, now));
  log.info(msg('Verify_ReportWritten', settings.reportFile));
  services.outputs.set('verified', String(counts.verified));
  services.outputs.set('drifted', String(counts.drifted));
  services.outputs.set('missing', String(counts.missing));
  services.outputs.set('failed', String(counts.failed));
  services.outputs.set('warnings', String(counts.warnings));
  services.outputs.set('reportFile', settings.reportFile);
  services.outputs.uploadSummary('verify.md', formatVerifySummary(items, counts, { workspace: ref, checks, failOn: settings.failOn, reportFile: settings.reportFile }));
  return verifyOutcome(items, counts, settings.failOn);
}

async function checkOne(
  candidate: Candidate,
  settings: VerifySettings,
  services: VerifyServices,
  api: VerifyApi,
  now: Date,
  testConnection: boolean,
  inText: readonly TextSecrets[],
): Promise<VerifyItem> {
  const { spec, actual } = candidate;
  const item: VerifyItem = { name: candidate.name, status: 'verified', changes: [], findings: [], location: spec?.location };
  if (!actual) {
    item.status = 'missing';
    item.category = spec?.properties.category;
    item.authType = spec?.properties.authType;
    item.findings.push({
      check: 'exists',
      level: 'error',
      message: msg(spec ? 'Verify_MissingDeclared' : 'Verify_MissingNamed', api.workspace.workspace),
    });
    return item;
  }
  const props = actual.properties;
  const authType = canonicalAuthType(props.authType ?? '');
  item.name = actual.name;
  item.category = props.category;
  item.authType = props.authType;
  item.target = props.target === undefined ? undefined : redactTarget(props.target);
  item.expiryTime = props.expiryTime;
  for (const t of inText) {
    item.findings.push({ check: 'credentials', level: 'warning', message: msg('Verify_CredentialInText', t.field, describeTargetSecrets(t.found)) });
  }

  // Stored credentials: read once, only when something needs them.
  const required = storedFieldsOf(authType);
  const needForChecks = (settings.checkCredentials || settings.probe) && (required === undefined || required.length > 0);
  const needForDrift = spec !== undefined && needsStoredCredentials(spec, actual);
  let stored: StoredRead | undefined;
  if (needForChecks || needForDrift) {
    try {
      const withSecrets = await api.listSecrets(actual.name);
      const credentials = withSecrets.properties.credentials ?? {};
      const secretKeys = new Set<string>([...secretFieldsOf(withSecrets.properties.authType ?? authType), ...(spec ? secretKeysOf(spec) : [])]);
      registerSecretValues(credentials, secretKeys, services.secrets);
      stored = { credentials };
    } catch (e) {
      if (isArmError(e) && e.statusCode === 403) {
        stored = { forbidden: true };
        item.findings.push({
          check: 'credentials',
          level: 'warning',
          message: msg('Verify_CredentialsForbidden', LISTSECRETS_ACTION),
        });
      } else {
        stored = { error: describeError(e) };
        item.findings.push({ check: 'credentials', level: 'error', message: msg('Verify_CredentialsUnreadable', describeError(e)) });
      }
    }
  }
  const credentials = stored && 'credentials' in stored ? stored.credentials : undefined;

  // Drift: every field the file declares, through the engine's comparison.
  if (spec) {
    let changes = diffConnection(spec, actual, credentials);
    if (!credentials && needForDrift) {
      // Without the stored secrets a comparison of credentials would only guess: leave them out and say so.
      const dropped = changes.filter((c) => c.path.startsWith('credentials.') && (c.sensitive || c.before === undefined));
      changes = changes.filter((c) => !dropped.includes(c));
      if (dropped.length > 0) item.findings.push({ check: 'drift', level: 'warning', message: msg('Verify_CredentialsNotCompared', dropped.map((c) => c.path).join(', ')) });
    }
    item.changes = changes;
    if (changes.length > 0) {
      item.findings.push({ check: 'drift', level: 'error', message: msg('Verify_Differs', changes.map((c) => c.path).join(', ')) });
    } else {
      item.findings.push({ check: 'drift', level: 'ok', message: msg('Verify_Matches') });
    }
  }

  // Credentials: complete for the auth type, and not expired.
  let incomplete = false;
  if (settings.checkCredentials) {
    if (required === undefined) {
      item.findings.push({ check: 'credentials', level: 'info', message: msg('Verify_NoCompletenessRule', props.authType ?? '') });
    } else if (required.length === 0) {
      item.findings.push({ check: 'credentials', level: 'ok', message: msg('Verify_NoSecretStored', authType) });
    } else if (credentials) {
      const empty = required.filter((f) => isEmpty(credentials[f]));
      incomplete = empty.length > 0;
      if (incomplete) {
        item.findings.push({
          check: 'credentials',
          level: 'error',
          message: msg(empty.length === 1 ? 'Verify_CredentialIncomplete' : 'Verify_CredentialsIncomplete', authType, empty.join(', ')),
        });
      } else {
        item.findings.push({ check: 'credentials', level: 'ok', message: msg('Verify_CredentialsComplete', authType, required.join(', ')) });
      }
    }
    const expiry = checkExpiry(props.expiryTime, now, settings.expiryWarningDays);
    if (expiry) item.findings.push(expiry);
  } else if (credentials && required && required.length > 0) {
    incomplete = required.some((f) => isEmpty(credentials[f]));
  }

  // Probe: the target, with the stored credentials, only to its own https origin.
  if (settings.probe) {
    if (required && required.length > 0 && !credentials) {
      item.findings.push({ check: 'probe', level: 'info', message: msg('Verify_NotProbedUnreadable') });
    } else if (incomplete) {
      item.findings.push({ check: 'probe', level: 'info', message: msg('Verify_NotProbedIncomplete') });
    } else {
      const result = await services.probe(
        { name: actual.name, category: props.category ?? '', authType: props.authType ?? '', target: props.target ?? '', credentials },
        { ...services.probeOptions, timeoutMs: settings.probeTimeoutMs },
      );
      item.probe = result;
      const level: Level = result.status === 'ok' ? 'ok' : result.status === 'failed' ? 'error' : 'info';
      item.findings.push({ check: 'probe', level, message: result.detail });
    }
  }

  // The service's own test, where the api-version has it.
  if (testConnection && api.testConnection) {
    try {
      const r = await api.testConnection(actual.name, undefined, { maxWaitInMs: settings.testConnectionTimeoutMs });
      item.findings.push({ check: 'testconnection', level: 'ok', message: msg('Verify_TestConnectionPassed', r.status) });
    } catch (e) {
      item.findings.push({ check: 'testconnection', level: 'error', message: msg('Verify_TestConnectionFailed', describeError(e)) });
    }
  }

  item.status = statusOf(item);
  return item;
}

function statusOf(item: VerifyItem): VerifyStatus {
  if (item.findings.some((f) => f.level === 'error' && f.check !== 'drift' && f.check !== 'exists')) return 'failed';
  if (item.changes.length > 0) return 'drifted';
  if (item.findings.some((f) => f.level === 'warning')) return 'warning';
  return 'verified';
}

export function checkExpiry(expiryTime: string | undefined, now: Date, warningDays: number): Finding | undefined {
  if (!expiryTime) return undefined;
  const at = Date.parse(expiryTime);
  if (Number.isNaN(at)) return { check: 'expiry', level: 'warning', message: msg('Verify_ExpiryNotADate', expiryTime) };
  const left = at - now.getTime();
  const when = new Date(at).toISOString();
  if (left <= 0) return { check: 'expiry', level: 'error', message: msg('Verify_Expired', when) };
  const days = Math.ceil(left / DAY_MS);
  if (left <= warningDays * DAY_MS) {
    return { check: 'expiry', level: 'warning', message: msg('Verify_ExpiresSoon', when, days, warningDays) };
  }
  return { check: 'expiry', level: 'ok', message: msg('Verify_Expires', when, days) };
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim().length === 0;
  if (typeof value === 'object') {
    const values = Object.values(value as Record<string, unknown>);
    return values.length === 0 || values.some(isEmpty);
  }
  return false;
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
function statusWord(status: VerifyStatus): string {
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

export function serializeReport(items: readonly VerifyItem[], counts: VerifyCounts, settings: VerifySettings, ref: WorkspaceRef, now: Date): string {
  const report = {
    kind: REPORT_KIND,
    version: REPORT_VERSION,
    createdAt: now.toISOString(),
    workspace: ref,
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
  context: { workspace: WorkspaceRef; checks: string; failOn: FailOn; reportFile: string },
): string {
  const ws = context.workspace;
  const out: string[] = [];
  out.push(msg('Verify_SummaryHeading'), '');
  out.push(`${msg('Verify_SummaryWorkspace', escapeMarkdown(ws.workspace), escapeMarkdown(ws.resourceGroup), escapeMarkdown(ws.subscriptionId))}  `);
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

function rejectDuplicates(specs: ConnectionSpec[]): void {
  const seen = new Map<string, ConnectionSpec>();
  for (const spec of specs) {
    const first = seen.get(spec.name.toLowerCase());
    if (first) {
      throw new UserError(
        msg('Verify_DeclaredTwice', spec.name, first.location.file, first.location.line),
        spec.location,
        spec.name,
      );
    }
    seen.set(spec.name.toLowerCase(), spec);
  }
}
