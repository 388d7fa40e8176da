import { createHash } from 'node:crypto';
import type { ArmConnection } from '../arm/types';
import { secretFieldsOf } from '../model/credentials';
import type { ConnectionSpec } from '../model/types';

/** JSON with object keys sorted at every level and `undefined` members dropped. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortDeep(value)) ?? 'null';
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Read-only or status fields the service may change on its own; not part of a connection's state. */
const VOLATILE_PROPERTIES = new Set(['peStatus', 'error', 'group', 'createdByWorkspaceArmId']);

/** Hash of one connection as GET returns it: non-secret properties only, no systemData/id/status. */
export function connectionFingerprint(connection: ArmConnection): string {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(connection.properties)) {
    if (VOLATILE_PROPERTIES.has(k)) continue;
    if (k === 'credentials') {
      // GET carries no secrets, but never hash one should a server send it.
      const secret = new Set(secretFieldsOf(connection.properties.authType ?? ''));
      const creds: Record<string, unknown> = {};
      for (const [ck, cv] of Object.entries((v ?? {}) as Record<string, unknown>)) if (!secret.has(ck)) creds[ck] = cv;
      properties[k] = creds;
      continue;
    }
    properties[k] = v;
  }
  return sha256(stableJson({ name: connection.name.toLowerCase(), properties }));
}

/** One hash over per-connection fingerprints (keyed by lower-cased name), in name order. */
export function combineFingerprints(perConnection: Record<string, string>): string {
  const entries = Object.keys(perConnection)
    .sort()
    .map((name) => [name, perConnection[name]]);
  return sha256(stableJson(entries));
}

/** Placeholder for a secret value in the desired fingerprint: presence only, never a hash of the value. */
export const SECRET_PRESENT = '<secret given>';

/** Hash of the declared connections, each secret value replaced by a presence marker. */
export function desiredFingerprint(specs: readonly ConnectionSpec[]): string {
  const docs = [...specs]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((spec) => {
      const secret = secretKeysOf(spec);
      const properties: Record<string, unknown> = { ...spec.properties };
      if (spec.properties.credentials) {
        const creds: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(spec.properties.credentials)) {
          creds[k] = secret.has(k) && v !== undefined ? SECRET_PRESENT : v;
        }
        properties['credentials'] = creds;
      }
      return {
        name: spec.name.toLowerCase(),
        properties,
        missingSecrets: [...spec.missingSecrets].sort(),
      };
    });
  return sha256(stableJson(docs));
}

/** The credential keys of a spec that hold secrets: what the model says plus what the authType says. */
export function secretKeysOf(spec: ConnectionSpec): Set<string> {
  return new Set([...spec.secretFields, ...secretFieldsOf(spec.properties.authType ?? '')]);
}

/** Name order used everywhere: case-insensitive, then exact, independent of locale. */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
