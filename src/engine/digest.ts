/**
 * Secret digests: how a run that changes nothing knows that without reading every stored secret (each
 * listsecrets is a POST, and spends ARM's write budget like a PUT).
 *
 * Every connection this extension writes with credentials carries, in its metadata, a digest of them:
 * `SecretDigest: v1:<fields>:<fields MAC>:<values MAC>` — the names of the credential fields stored after
 * the write, and two HMAC-SHA256 (truncated to 128 bits) keyed with a random 256-bit key. The key is a
 * secret of the workspace itself: the credential of one CustomKeys connection (`azureml-connections-key`),
 * readable only with listsecrets (one read per run), never by a Reader. A Reader sees the digest but cannot
 * test guesses of a secret offline without the key.
 *
 * - values MAC = HMAC(key, the connection's name, auth type and the credentials its files declare): when it
 *   matches, the declared credentials are what this extension last wrote, so they are unchanged;
 * - fields MAC = HMAC(key, name, auth type, the stored field names): it proves which optional secrets
 *   (securityToken, OAuth2 tokens) the connection holds, so an update needs to read one only when it does.
 *
 * A change made behind the extension's back (a secret edited in the portal) is not seen by a digest: that is
 * what Verify is for (it reads every stored secret), or Create's `secretCheck: read`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ArmConnection, ConnectionProperties } from '../arm/types';
import { stableJson } from './fingerprint';
import { DIGEST_METADATA_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from './marker';

export { DIGEST_METADATA_KEY } from './marker';

/** The connection that holds the digest key. */
export const DIGEST_KEY_CONNECTION = 'azureml-connections-key';
const VERSION = 'v1';
const KEY_FIELD = 'digestKey';

export function isDigestKeyConnection(name: string): boolean {
  return name.toLowerCase() === DIGEST_KEY_CONNECTION;
}

/** A new random key (base64 of 32 bytes). */
export function newDigestKey(): string {
  return randomBytes(32).toString('base64');
}

/** The key connection's body. It is shared with no one (isSharedToAll false); prune never deletes it. */
export function digestKeyProperties(key: string): ConnectionProperties {
  return {
    authType: 'CustomKeys',
    category: 'CustomKeys',
    isSharedToAll: false,
    metadata: {
      [MANAGED_BY_KEY]: MANAGED_BY_VALUE,
      Purpose: 'Key of the secret digests that AzureMLConnections keeps in the metadata of the connections it writes. Do not delete or share.',
    },
    target: 'urn:azureml-connections:secret-digest-key',
    credentials: { keys: { [KEY_FIELD]: key } },
  };
}

/** The key from the key connection's stored credentials, or undefined when they hold none. */
export function digestKeyFrom(credentials: Record<string, unknown> | undefined): Buffer | undefined {
  const keys = credentials?.keys;
  const value = keys && typeof keys === 'object' ? (keys as Record<string, unknown>)[KEY_FIELD] : undefined;
  if (typeof value !== 'string') return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length >= 32 ? key : undefined;
}

/** A digest as stored in metadata. */
export interface StoredDigest {
  fields: string[];
  fieldsMac: string;
  valuesMac: string;
}

export function parseDigest(text: string | undefined): StoredDigest | undefined {
  const m = text === undefined ? null : /^v1:([A-Za-z0-9+]*):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{22})$/.exec(text);
  if (!m) return undefined;
  return { fields: m[1] ? (m[1] as string).split('+') : [], fieldsMac: m[2] as string, valuesMac: m[3] as string };
}

function mac(key: Buffer, purpose: string, body: unknown): string {
  return createHmac('sha256', key).update(`${purpose}\n${stableJson(body)}`, 'utf8').digest('base64url').slice(0, 22);
}

/** The digest of a connection written with these declared credentials and these stored field names. */
export function secretDigest(key: Buffer, name: string, authType: string, declared: Record<string, unknown>, storedFields: readonly string[]): string {
  const fields = [...new Set(storedFields)].sort();
  const who = { name: name.toLowerCase(), authType: authType.toLowerCase() };
  return `${VERSION}:${fields.join('+')}:${mac(key, 'fields', { ...who, fields })}:${mac(key, 'values', { ...who, credentials: declared })}`;
}

/** What a connection's digest proves, given the declared credentials and the key. */
export interface DigestCheck {
  /** the declared credentials are what was last written */
  valuesMatch: boolean;
  /** the credential field names stored, when the digest proves them */
  storedFields?: string[];
}

export function checkDigest(key: Buffer | undefined, actual: ArmConnection, declared: Record<string, unknown>): DigestCheck {
  const digest = parseDigest(actual.properties.metadata?.[DIGEST_METADATA_KEY]);
  if (!key || !digest) return { valuesMatch: false };
  const name = actual.name.toLowerCase();
  const authType = (actual.properties.authType ?? '').toLowerCase();
  const expected = parseDigest(secretDigest(key, name, authType, declared, digest.fields)) as StoredDigest;
  const fieldsOk = timingSafeEqual(expected.fieldsMac, digest.fieldsMac);
  return {
    valuesMatch: fieldsOk && timingSafeEqual(expected.valuesMac, digest.valuesMac),
    ...(fieldsOk ? { storedFields: digest.fields } : {}),
  };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
