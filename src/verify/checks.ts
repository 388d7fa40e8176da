/**
 * Verify's checks of one connection against the workspace snapshot: it exists, matches its file (drift),
 * holds complete and unexpired credentials. Pure: what to probe is returned, not done.
 */
import type { ArmConnection, WorkspaceRef } from '../arm/types';
import { describeError } from '../core/errors';
import { describeTargetSecrets, redactTarget } from '../core/target-secrets';
import { diffConnection, needsStoredCredentials } from '../engine/diff';
import { LISTSECRETS_ACTION } from '../engine/plan';
import { msg } from '../messages';
import { canonicalAuthType, storedFieldsOf } from '../model/credentials';
import type { ConnectionSpec } from '../model/types';
import type { ProbeTarget } from '../probe';
import type { CredentialInText, StoredRead } from '../workspace/snapshot';
import { privateEndpointInactive } from '../workspace/network';
import type { Finding, VerifyItem, VerifyStatus } from './types';

const DAY_MS = 86_400_000;

/** One connection to verify: declared in a file (spec), named, or found in the workspace (actual). */
export interface Candidate {
  name: string;
  spec?: ConnectionSpec;
  actual?: ArmConnection;
  /** `actual` is a hub's connection listed through one of its projects: the hub */
  sharedFrom?: WorkspaceRef;
}

export interface CheckOptions {
  checkCredentials: boolean;
  probe: boolean;
  expiryWarningDays: number;
}

/** Whether a connection's stored credentials (listsecrets) are needed: for the credential checks, the probe, or the drift of secrets. */
export function needsStored(candidate: Candidate, options: CheckOptions): boolean {
  const { spec, actual } = candidate;
  if (!actual) return false;
  const required = storedFieldsOf(canonicalAuthType(actual.properties.authType ?? ''));
  const forChecks = (options.checkCredentials || options.probe) && (required === undefined || required.length > 0);
  return forChecks || (spec !== undefined && needsStoredCredentials(spec, actual));
}

/**
 * The findings of one connection, in the order a user reads them; `probe` is what to probe (with the
 * stored credentials), when a probe was asked for and makes sense. The status is set again after probing.
 */
export function checkConnection(
  candidate: Candidate,
  stored: StoredRead | undefined,
  inText: readonly CredentialInText[],
  options: CheckOptions,
  now: Date,
  workspace: string,
): { item: VerifyItem; probe?: ProbeTarget } {
  const { spec, actual } = candidate;
  const item: VerifyItem = { name: candidate.name, status: 'verified', changes: [], findings: [], location: spec?.location };
  if (!actual) {
    item.status = 'missing';
    item.category = spec?.properties.category;
    item.authType = spec?.properties.authType;
    item.findings.push({ check: 'exists', level: 'error', message: msg(spec ? 'Verify_MissingDeclared' : 'Verify_MissingNamed', workspace) });
    return { item };
  }
  const props = actual.properties;
  const authType = canonicalAuthType(props.authType ?? '');
  item.name = actual.name;
  item.category = props.category;
  item.authType = props.authType;
  item.target = props.target === undefined ? undefined : redactTarget(props.target);
  item.expiryTime = props.expiryTime;
  if (candidate.sharedFrom) {
    item.sharedFrom = candidate.sharedFrom;
    item.findings.push({ check: 'hub', level: 'info', message: msg('Verify_SharedFromHub', candidate.sharedFrom.workspace) });
  }
  // Private endpoint: one that is required must be active, or the workspace cannot reach the target.
  if (props.peRequirement !== undefined) item.peRequirement = props.peRequirement;
  if (props.peStatus !== undefined) item.peStatus = props.peStatus;
  if (privateEndpointInactive(actual)) {
    item.findings.push({ check: 'network', level: 'error', message: msg('Verify_PrivateEndpointInactive', props.peStatus ?? msg('Verify_PeStatusNotReported')) });
  } else if (props.peRequirement?.toLowerCase() === 'required') {
    item.findings.push({ check: 'network', level: 'ok', message: msg('Verify_PrivateEndpointActive') });
  } else if (props.peRequirement !== undefined) {
    item.findings.push({ check: 'network', level: 'info', message: msg('Verify_PrivateEndpointNotRequired', props.peRequirement, props.peStatus ?? msg('Verify_PeStatusNotReported')) });
  }
  for (const t of inText) {
    item.findings.push({ check: 'credentials', level: 'warning', message: msg('Verify_CredentialInText', t.field, describeTargetSecrets(t.found)) });
  }
  if (stored?.status === 'forbidden') {
    item.findings.push({ check: 'credentials', level: 'warning', message: msg('Verify_CredentialsForbidden', LISTSECRETS_ACTION) });
  } else if (stored?.status === 'failed') {
    item.findings.push({ check: 'credentials', level: 'error', message: msg('Verify_CredentialsUnreadable', describeError(stored.error)) });
  }
  const credentials = stored?.status === 'read' ? stored.credentials : undefined;
  const required = storedFieldsOf(authType);

  // Drift: every field the file declares, through the engine's comparison.
  if (spec) {
    let changes = diffConnection(spec, actual, credentials);
    if (!credentials && needsStoredCredentials(spec, actual)) {
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
  if (options.checkCredentials) {
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
    const expiry = checkExpiry(props.expiryTime, now, options.expiryWarningDays);
    if (expiry) item.findings.push(expiry);
  } else if (credentials && required && required.length > 0) {
    incomplete = required.some((f) => isEmpty(credentials[f]));
  }

  // Probe: the target, with the stored credentials, only to its own https origin.
  let probe: ProbeTarget | undefined;
  if (options.probe) {
    if (required && required.length > 0 && !credentials) {
      item.findings.push({ check: 'probe', level: 'info', message: msg('Verify_NotProbedUnreadable') });
    } else if (incomplete) {
      item.findings.push({ check: 'probe', level: 'info', message: msg('Verify_NotProbedIncomplete') });
    } else {
      probe = { name: actual.name, category: props.category ?? '', authType: props.authType ?? '', target: props.target ?? '', credentials };
    }
  }
  item.status = statusOf(item);
  return probe ? { item, probe } : { item };
}

export function statusOf(item: VerifyItem): VerifyStatus {
  if (item.status === 'missing') return 'missing';
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
