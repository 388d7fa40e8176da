import type { ArmConnection, ConnectionProperties } from '../arm/types';
import { redactTarget } from '../core/target-secrets';
import type { ConnectionSpec } from '../model/types';
import { secretKeysOf, stableJson } from './fingerprint';
import { withoutMarker } from './marker';
import type { FieldChange } from './types';

/** Properties the service sets; never compared. */
const READ_ONLY = new Set(['peStatus', 'error', 'group', 'createdByWorkspaceArmId']);
/** Compared by their own rules below. */
const SPECIAL = new Set(['authType', 'category', 'metadata', 'credentials']);

export function sameText(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/**
 * Whether comparing this spec with `actual` needs the stored credentials (listsecrets): the auth type is
 * the same and the file gives a secret value, or declares a non-secret credential field that GET did not return.
 */
export function needsStoredCredentials(spec: ConnectionSpec, actual: ArmConnection): boolean {
  if (!sameText(spec.properties.authType, actual.properties.authType)) return false;
  const creds = spec.properties.credentials ?? {};
  const secret = secretKeysOf(spec);
  const got = actual.properties.credentials ?? {};
  return Object.entries(creds).some(([k, v]) => v !== undefined && (secret.has(k) || !(k in got)));
}

/**
 * What differs between a declared connection and the one in the workspace, for every field the spec
 * declares. Fields the spec leaves out are not compared (the service fills some in itself).
 * `stored` is the credentials object from listsecrets, when it was read; without it, declared secret
 * values count as changed. Secret changes are reported as `sensitive` with no values.
 */
export function diffConnection(
  spec: ConnectionSpec,
  actual: ArmConnection,
  stored: Record<string, unknown> | undefined,
): FieldChange[] {
  const want = spec.properties;
  const have = actual.properties;
  const changes: FieldChange[] = [];
  const sameAuth = sameText(want.authType, have.authType);

  if (!sameAuth) changes.push(change('authType', have.authType, want.authType));
  if (want.category !== undefined && !sameText(want.category, have.category)) {
    changes.push(change('category', have.category, want.category));
  }

  for (const key of Object.keys(want).sort()) {
    if (SPECIAL.has(key) || READ_ONLY.has(key)) continue;
    const w = want[key];
    if (w === undefined) continue;
    const h = (have as ConnectionProperties)[key];
    if (!sameValue(key, w, h)) changes.push(change(key, h, w));
  }

  if (want.metadata !== undefined) {
    const w = withoutMarker(want.metadata);
    const h = withoutMarker(have.metadata);
    for (const key of [...new Set([...Object.keys(w), ...Object.keys(h)])].sort()) {
      if (w[key] !== h[key]) changes.push(change(`metadata.${key}`, h[key], w[key]));
    }
  }

  const creds = want.credentials ?? {};
  const secret = secretKeysOf(spec);
  const got = have.credentials ?? {};
  for (const key of Object.keys(creds).sort()) {
    const w = creds[key];
    if (w === undefined) continue;
    const path = `credentials.${key}`;
    if (secret.has(key)) {
      const differs = !sameAuth || stored === undefined || stableJson(w) !== stableJson(stored[key]);
      if (differs) changes.push({ path, sensitive: true });
      continue;
    }
    const source = key in got ? got : sameAuth ? stored : undefined;
    const h = source?.[key];
    if (source === undefined || stableJson(w) !== stableJson(h)) changes.push(change(path, h, w));
  }
  return changes;
}

function sameValue(key: string, want: unknown, have: unknown): boolean {
  if (key === 'expiryTime' && typeof want === 'string' && typeof have === 'string') {
    // The service may write the same instant differently (fractional seconds, +00:00 for Z).
    const a = Date.parse(want);
    const b = Date.parse(have);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a === b;
  }
  return stableJson(want) === stableJson(have);
}

/**
 * A change as shown in plans, reports and summaries: a credential written into a string (a target's
 * user information, `?sig=`, `;Password=`) is shown as `***`; when that is all that differs, the change
 * is sensitive and carries no values.
 */
function change(path: string, before: unknown, after: unknown): FieldChange {
  const c: FieldChange = { path, sensitive: false };
  if (before !== undefined) c.before = stableJson(shown(before));
  if (after !== undefined) c.after = stableJson(shown(after));
  if (c.before !== undefined && c.before === c.after) return { path, sensitive: true };
  return c;
}

function shown(value: unknown): unknown {
  return typeof value === 'string' ? redactTarget(value) : value;
}
