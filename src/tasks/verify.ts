/**
 * AzureMLConnectionVerify@1: prove that connections exist, match their files, hold complete and unexpired
 * credentials, and actually work (probes, and optionally the service's testconnection). The checks are
 * pure steps on one snapshot of the workspace (src/verify); this file reads, probes and writes the log,
 * the report, the summary and the output variables. No task-lib here.
 */
import type { ArmConnection, ConnectionProperties, ConnectionsApi, WorkspaceRef } from '../arm/types';
import type { ArmSignIn } from '../workspace/connect';
import { nextTurn } from '../core/turn';
import type { TestConnectionOptions, TestConnectionResult } from '../arm/connections';
import { describeError, UserError } from '../core/errors';
import { runPool } from '../core/pool';
import { formatChange } from '../engine/format';
import { compareNames, secretKeysOf } from '../engine/fingerprint';
import { registerSecretValues } from '../engine/secret-values';
import { isDigestKeyConnection } from '../engine/digest';
import { msg } from '../messages';
import { loadConnectionFilesGivingWay } from '../model';
import { reportDiagnostics } from '../model/diagnostics';
import { rejectDuplicateNames } from '../model/load';
import type { ConnectionSpec, VariableSource } from '../model/types';
import { UNREACHABLE_CODES, type ProbeOptions, type ProbeResult, type ProbeTarget } from '../probe';
import { checkConnection, needsStored, statusOf, type Candidate } from '../verify/checks';
import { countItems, countsAsFailure, formatVerifySummary, hubName, networkWords, serializeReport, statusWord, verifyOutcome } from '../verify/report';
import { redactTarget } from '../core/target-secrets';
import type { FailOn, Level, VerifyItem } from '../verify/types';
import { readSnapshot } from '../workspace/snapshot';
import type { WorkspaceInfo } from '../workspace/info';
import { reachedPrivately, workspaceNetwork, type WorkspaceNetwork } from '../workspace/network';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './services';

export type { FailOn, VerifyStatus, VerifyItem, Finding } from '../verify/types';
export { checkExpiry } from '../verify/checks';
export { countsAsFailure, REPORT_KIND, REPORT_VERSION } from '../verify/report';

/** api-versions that have POST .../connections/{name}/testconnection (arm-connections-api.md §3a). */
export const TESTCONNECTION_API_VERSIONS: ReadonlySet<string> = new Set(['2024-10-01-preview', '2025-06-01', '2026-07-15-preview']);

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
  /** Starts signing in (no ARM request) while the files are read; its failure is reported by `connect`, if reached. */
  signIn?(settings: WorkspaceSettings): Promise<ArmSignIn>;
  /** `info`: the workspace itself (kind, network settings), when the adapter reads it */
  connect(settings: WorkspaceSettings, signedIn?: Promise<ArmSignIn>): Promise<{ api: VerifyApi; ref: WorkspaceRef; info?: Promise<WorkspaceInfo> }>;
  probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult>;
  /** the network settings and secret sink for probes (proxy, CA, User-Agent) */
  probeOptions: Omit<ProbeOptions, 'timeoutMs'>;
  now?: () => Date;
}

export async function runVerify(settings: VerifySettings, services: VerifyServices): Promise<TaskOutcome> {
  const { log, secrets } = services;
  const now = services.now?.() ?? new Date();

  // 1. What to verify: declared connections (files), named ones, or every one.
  let specs: ConnectionSpec[] | undefined;
  const signedIn = settings.files.length > 0 ? services.signIn?.(settings) : undefined;
  signedIn?.catch(() => undefined); // connect reports it; with a file refused, nobody needs it
  if (settings.files.length > 0) {
    log.info(msg('Verify_ReadingFiles', settings.files.length, settings.patterns.join(', ')));
    // Verify writes nothing: a declared http target is compared like any other (its probe never sends credentials over http)
    const loaded = await loadConnectionFilesGivingWay(
      settings.files,
      services.sourceFiles,
      { variables: services.variables, overrides: [], secrets, apiVersion: settings.apiVersion, allowInsecureTargets: true },
      nextTurn,
    );
    const errorCount = reportDiagnostics(log, loaded.diagnostics);
    if (errorCount > 0) return { result: 'Failed', message: msg('Verify_FileErrors', errorCount) };
    specs = loaded.connections;
    for (const spec of specs) registerSecretValues(spec.properties.credentials, secretKeysOf(spec), secrets);
    rejectDuplicateNames(specs);
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

  const { api, ref, info: infoRead } = await services.connect(settings, signedIn);
  infoRead?.catch(() => undefined); // a failed read fails the list below, with its own sentence
  // One read of the workspace: the list, and the stored credentials of the connections to verify that need them.
  const declared = specs && new Map(specs.map((s) => [s.name.toLowerCase(), s]));
  const named = new Set(settings.names.map((n) => n.toLowerCase()));
  const toVerify = (c: ArmConnection): Candidate | undefined => {
    const key = c.name.toLowerCase();
    if (declared) return declared.has(key) ? { name: c.name, spec: declared.get(key), actual: c } : undefined;
    if (named.size === 0 && isDigestKeyConnection(c.name)) return undefined; // ours, not the user's
    return named.size === 0 || named.has(key) ? { name: c.name, actual: c } : undefined;
  };
  const snapshot = await readSnapshot(api, {
    secrets,
    maxParallel: settings.maxParallel,
    readStored: (c) => {
      const candidate = toVerify(c);
      return candidate !== undefined && needsStored(candidate, settings);
    },
  });
  // A project's list holds its hub's shared connections too: verified like its own, and said to be the hub's.
  const sharedFrom = new Map(snapshot.shared.map((s) => [s.connection.name.toLowerCase(), s.owner]));
  const actual = [...snapshot.connections, ...snapshot.shared.map((s) => s.connection)];
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const info = infoRead ? await infoRead : undefined;
  const network = info ? workspaceNetwork(info) : undefined;
  if (info && network) logWorkspace(services, info, network, snapshot.shared.map((s) => s.connection.name).filter((n) => !isDigestKeyConnection(n)), ref);

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
    candidates = actual.filter((a) => !isDigestKeyConnection(a.name)).map((a) => ({ name: a.name, actual: a }));
    const count = candidates.length;
    verifying = (checks) => msg('Verify_VerifyingAll', count, checks, settings.failOn);
  }
  for (const c of candidates) {
    const owner = c.actual ? sharedFrom.get(c.actual.name.toLowerCase()) : undefined;
    if (owner) c.sharedFrom = owner;
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

  // 2. The checks (pure), then probes and the service's test; a slow probe holds up one worker only.
  const checked = candidates.map((c) => checkConnection(c, snapshot.stored(c.name), snapshot.credentialsInText(c.name), settings, now, api.workspace.workspace));
  const items: VerifyItem[] = checked.map((c) => c.item);
  await runPool(checked, settings.maxParallel, async ({ item, probe }) => {
    try {
      const privately = reachedPrivately(probe ? byName.get(probe.name.toLowerCase()) : undefined, network);
      await reachOne(item, probe, settings, services, api, testConnection, privately ? ref.workspace : undefined);
    } catch (e) {
      item.findings = [{ check: 'exists', level: 'error', message: msg('Verify_CheckStopped', describeError(e)) }];
      item.changes = [];
    }
    item.status = statusOf(item);
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
  services.writeFile(settings.reportFile, serializeReport(items, counts, settings, ref, now, network));
  log.info(msg('Verify_ReportWritten', settings.reportFile));
  services.outputs.set('verified', String(counts.verified));
  services.outputs.set('drifted', String(counts.drifted));
  services.outputs.set('missing', String(counts.missing));
  services.outputs.set('failed', String(counts.failed));
  services.outputs.set('warnings', String(counts.warnings));
  services.outputs.set('reportFile', settings.reportFile);
  services.outputs.uploadSummary('verify.md', formatVerifySummary(items, counts, { workspace: ref, checks, failOn: settings.failOn, reportFile: settings.reportFile, network }));
  return verifyOutcome(items, counts, settings.failOn);
}

/** The checks that reach out: the probe (with the stored credentials) and the service's own test. */
async function reachOne(
  item: VerifyItem,
  probe: ProbeTarget | undefined,
  settings: VerifySettings,
  services: VerifyServices,
  api: VerifyApi,
  testConnection: boolean,
  /** the workspace, when the target is reached through its private network (see src/workspace/network.ts) */
  privateWorkspace: string | undefined,
): Promise<void> {
  if (item.status === 'missing') return;
  if (probe) {
    const result = await services.probe(probe, { ...services.probeOptions, timeoutMs: settings.probeTimeoutMs });
    if (privateWorkspace && result.status === 'failed' && result.networkCode && UNREACHABLE_CODES.has(result.networkCode)) {
      // Not a bare DNS or timeout error: from outside a private network this is what a probe meets.
      result.detail = msg('Verify_ProbeOutsideNetwork', probeHost(result.url, probe.target), result.networkCode, privateWorkspace);
    }
    item.probe = result;
    const level: Level = result.status === 'ok' ? 'ok' : result.status === 'failed' ? 'error' : 'info';
    item.findings.push({ check: 'probe', level, message: result.detail });
  }
  if (testConnection && api.testConnection) {
    try {
      const r = await api.testConnection(item.name, undefined, { maxWaitInMs: settings.testConnectionTimeoutMs });
      item.findings.push({ check: 'testconnection', level: 'ok', message: msg('Verify_TestConnectionPassed', r.status) });
    } catch (e) {
      item.findings.push({ check: 'testconnection', level: 'error', message: msg('Verify_TestConnectionFailed', describeError(e)) });
    }
  }
}

/** What the workspace is (kind, a project's hub and the connections it shares) and its network, in the log. */
function logWorkspace(services: VerifyServices, info: WorkspaceInfo, network: WorkspaceNetwork, sharedNames: string[], ref: WorkspaceRef): void {
  const { log } = services;
  const name = info.name || ref.workspace;
  const hub = network.hubResourceId ? hubName(network.hubResourceId) : undefined;
  if (hub) log.info(msg('Verify_WorkspaceProject', name, hub, sharedNames.length, sharedNames.join(', ') || msg('Verify_NetworkNone')));
  else if (network.kind && network.kind.toLowerCase() !== 'default') log.info(msg('Verify_WorkspaceKind', name, network.kind));
  log.info(msg('Verify_WorkspaceNetwork', name, ...networkWords(network)));
}

function probeHost(url: string | undefined, target: string): string {
  for (const candidate of [url, target]) {
    if (!candidate) continue;
    try {
      return new URL(candidate).host;
    } catch {
      // not a URL: the next
    }
  }
  return redactTarget(target);
}
