/**
 * Validates one connection document with schema/connection.schema.json (the file editors use) through
 * ajv, and turns ajv's errors into one plain sentence per problem, with a suggestion when a near
 * spelling exists. ajv decides what is wrong; this module only explains it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../schema/connection.schema.json';
import { msg } from '../messages';
import {
  AZML_TYPES, COMMON_KEYS, CREDENTIAL_TYPES, REST_CATEGORIES, TYPE_HINTS, allowedKeys, closest, connectionPhrase, normalizeName,
  resolveCredentialType, resolveType, secretPathsOf, type CredentialInfo, type TypeInfo,
} from './catalog';
import { compileSchemaValidator } from './schema-validator';

export interface SchemaProblem {
  /** dotted path of the offending value ('' = the document) */
  path: string;
  /** the offending key, when the problem is a key */
  key?: string;
  message: string;
  /** where to point: the key itself (unknown keys) or the value at `path` */
  atKey: boolean;
}

let compiled: ValidateFunction | undefined;

export function connectionSchema(): Record<string, unknown> {
  return schemaJson as unknown as Record<string, unknown>;
}

export function schemaValidator(): ValidateFunction {
  compiled ??= compileSchemaValidator();
  return compiled;
}

function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, path: string[]): unknown {
  let v = doc;
  for (const s of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/** `a, b or c`, in the agent's language. */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return msg('Model_ListOr', items.slice(0, -1).join(', '), items[items.length - 1]);
}

const quoted = (items: readonly string[]): string[] => items.map((k) => `'${k}'`);

/** What a YAML value is, for "must be text, not a list". */
function describeType(value: unknown): string {
  if (value === null || value === undefined) return msg('Model_KindEmpty');
  if (Array.isArray(value)) return msg('Model_KindList');
  if (typeof value === 'object') return msg('Model_KindMapping');
  if (typeof value === 'string') return msg('Model_KindText');
  if (typeof value === 'number') return msg('Model_KindNumber');
  if (typeof value === 'boolean') return msg('Model_KindBoolean');
  return msg('Model_KindOther', typeof value);
}

/** `A username_password credential`, `An access_key credential`. */
function credentialPhrase(name: string): string {
  return msg(/^[aeio]/i.test(name) ? 'Model_CredentialOfTypeAn' : 'Model_CredentialOfTypeA', name); // a username_password, an access_key
}

function credentialTypeOf(doc: unknown): CredentialInfo | undefined {
  const t = get(doc, ['credentials', 'type']);
  return typeof t === 'string' ? resolveCredentialType(t) : undefined;
}

/**
 * Secret values written but empty (`password:`, `pat: ""`, a variable with no value, an empty entry of
 * `keys`): a secret is given or left out (an update then keeps the stored one), never blank. Checked
 * beside the schema so that every blank field of a document is reported at once.
 */
export function blankSecrets(doc: Record<string, unknown>): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const path of secretPathsOf(doc)) {
    const v = get(doc, path.split('.'));
    const blank = v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ||
      (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
    if (blank) out.push({ path, atKey: false, message: msg('Model_SecretEmpty', path) });
  }
  return out;
}

export function typeOf(doc: unknown): TypeInfo | undefined {
  const t = get(doc, ['type']);
  return typeof t === 'string' ? resolveType(t) : undefined;
}

/** Validate and explain. Returns [] when the document is valid. */
export function validateDocument(doc: unknown): SchemaProblem[] {
  const validate = schemaValidator();
  if (validate(doc)) return [];
  const t = typeOf(doc);
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  const add = (p: SchemaProblem): void => {
    const id = `${p.path}|${p.key ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(p);
  };
  const errors = (validate.errors ?? []) as (ErrorObject & { propertyName?: string })[];
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    const dotted = path.join('.');
    if (e.keyword === 'if') continue;
    const unknownKey =
      e.propertyName ?? (e.keyword === 'propertyNames' ? (e.params as { propertyName?: string }).propertyName : undefined) ??
      (e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: string }).additionalProperty : undefined);
    if (unknownKey !== undefined) {
      add({ path: [...path, unknownKey].join('.'), key: unknownKey, atKey: true, message: explainUnknownKey(doc, path, unknownKey, t) });
      continue;
    }
    if (e.keyword === 'required' && e.schemaPath.includes('/anyOf/')) continue; // explained by the anyOf error
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      add({ path: dotted, key: missing, atKey: false, message: explainMissing(doc, path, missing, t) });
      continue;
    }
    if (e.keyword === 'anyOf' && path.length === 0 && t) {
      add({ path: '', key: '#target', atKey: false, message: explainMissingTarget(t) });
      continue;
    }
    add({ path: dotted, atKey: false, message: explainValue(doc, path, e, t) });
  }
  return out;
}

function explainUnknownKey(doc: unknown, path: string[], key: string, t: TypeInfo | undefined): string {
  if (path.length === 0) {
    const legal = t ? allowedKeys(t) : [...COMMON_KEYS];
    const what = connectionPhrase(t?.name);
    if (t && t.targetKeys.length && ['target', 'api_base', 'url', 'azure_endpoint', 'endpoint'].includes(key)) {
      return msg('Model_UnknownKeyTarget', key, what, orList(quoted(t.targetKeys)));
    }
    if (key === 'api_key' && t && !t.topLevelApiKey) return msg('Model_UnknownKeyApiKey', what);
    const hint = closest(key, legal);
    return hint ? msg('Model_UnknownKeyHint', key, what, hint) : msg('Model_UnknownKeyRemove', key, what);
  }
  if (path[0] === 'credentials' && path.length === 1) {
    const credType = get(doc, ['credentials', 'type']);
    const c = typeof credType === 'string' ? resolveCredentialType(credType) : undefined;
    const legal = c ? c.fields.map((x) => x.yaml) : [...new Set(CREDENTIAL_TYPES.flatMap((x) => x.fields.map((y) => y.yaml)))];
    const what = c ? msg('Model_CredentialsOfType', c.name) : 'credentials';
    const hint = closest(key, legal);
    if (hint) return msg('Model_UnknownKeyHint', key, what, hint);
    return legal.length
      ? msg('Model_UnknownCredentialField', key, what, orList(quoted(legal)))
      : msg('Model_UnknownCredentialFieldNoFields', key, what);
  }
  if (path[0] === 'artifact') {
    const hint = closest(key, ['name', 'type']);
    return hint ? msg('Model_UnknownArtifactFieldHint', key, hint) : msg('Model_UnknownArtifactField', key);
  }
  return msg('Model_KeyNotAllowed', key);
}

function explainMissing(doc: unknown, path: string[], missing: string, t: TypeInfo | undefined): string {
  if (path.length === 0) {
    if (missing === 'name') return msg('Model_MissingName');
    if (missing === 'type') return msg('Model_MissingType');
    const meta: Record<string, string> = { account_name: 'metadata.AccountName', container_name: 'metadata.ContainerName' };
    const what = connectionPhrase(t?.name, true);
    return meta[missing] ? msg('Model_MissingFieldSentAs', what, missing, meta[missing]) : msg('Model_MissingField', what, missing);
  }
  if (path[0] === 'credentials' && path.length === 1 && missing !== 'type') {
    const c = credentialTypeOf(doc);
    if (c) return msg('Model_CredentialFieldRequired', credentialPhrase(c.name), missing);
  }
  if (path[0] === 'credentials' && missing === 'type') {
    return msg('Model_MissingCredentialsType', orList(['pat', 'username_password', 'api_key', 'service_principal', 'aad', 'none']));
  }
  if (path[0] === 'artifact') return msg('Model_MissingArtifactField', missing);
  return msg('Model_MissingPath', [...path, missing].join('.'));
}

function explainMissingTarget(t: TypeInfo): string {
  if (t.shape === 'one_lake') return msg('Model_MissingTargetOneLake');
  const keys = [...t.targetKeys].reverse();
  return msg('Model_MissingTarget', connectionPhrase(t.name, true), orList(quoted(keys)));
}

function explainValue(doc: unknown, path: string[], e: ErrorObject, t: TypeInfo | undefined): string {
  const dotted = path.join('.');
  const value = get(doc, path);
  if (dotted === 'type') {
    if (typeof value !== 'string') return msg('Model_TypeNotText', describeType(value));
    const hint = TYPE_HINTS[normalizeName(value)] ??
      closest(value, [...AZML_TYPES.map((x) => x.name), ...REST_CATEGORIES]);
    return hint ? msg('Model_UnknownTypeHint', value, hint) : msg('Model_UnknownType', value);
  }
  if (dotted === 'name') {
    if (typeof value !== 'string') return msg('Model_NameNotText', describeType(value));
    return msg('Model_NameInvalid', value);
  }
  if (dotted === 'credentials.type') {
    if (typeof value !== 'string') return msg('Model_CredentialsTypeNotText', describeType(value));
    const c = resolveCredentialType(value);
    if (!c) {
      const hint = closest(value, CREDENTIAL_TYPES.map((x) => x.name));
      return hint
        ? msg('Model_UnknownCredentialsTypeHint', value, hint)
        : msg('Model_UnknownCredentialsType', value, orList(CREDENTIAL_TYPES.slice(0, 12).map((x) => x.name)));
    }
    if (t?.shape === 'api_or_aad') return msg('Model_CredentialsApiKeyOrAad', connectionPhrase(t.name, true), c.name);
    if (t?.allowedCredentials) {
      return msg('Model_CredentialsNotAccepted', connectionPhrase(t.name, true), orList(t.allowedCredentials), c.name);
    }
  }
  if (path[0] === 'artifact' && path[1] === 'type') return msg('Model_ArtifactTypeInvalid');
  if (e.keyword === 'type') {
    const expected = String((e.params as { type: string | string[] }).type);
    if ((value === null || value === undefined) && path[0] === 'credentials' && path.length === 2) {
      const c = credentialTypeOf(doc);
      if (c?.fields.some((x) => x.yaml === path[1] && x.required)) return msg('Model_CredentialFieldRequired', credentialPhrase(c.name), path[1]);
    }
    if (value === null || value === undefined) return msg('Model_ValueMissing', dotted);
    if ((path[0] === 'metadata' || path[0] === 'tags') && path.length > 1) {
      return msg('Model_MapValueNotScalar', path[0], path.slice(1).join('.'), describeType(value));
    }
    if (expected.includes('boolean')) return msg('Model_ValueNotBoolean', dotted, describeType(value));
    if (expected.includes('object')) return msg('Model_ValueNotMapping', dotted, describeType(value));
    return msg('Model_ValueNotText', dotted, describeType(value));
  }
  const field = dotted || msg('Model_Document');
  return e.message ? msg('Model_ValueRuleFailed', field, e.message) : msg('Model_ValueNotValid', field);
}
