/**
 * Validates one connection document with schema/connection.schema.json (the file editors use) through
 * ajv, and turns ajv's errors into one plain sentence per problem, with a suggestion when a near
 * spelling exists. ajv decides what is wrong; this module only explains it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../schema/connection.schema.json';
import {
  AZML_TYPES, COMMON_KEYS, article, CREDENTIAL_TYPES, REST_CATEGORIES, TYPE_HINTS, allowedKeys, closest, normalizeName,
  resolveCredentialType, resolveType, type TypeInfo,
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

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const didYouMean = (s: string | undefined): string => (s ? `; did you mean '${s}'?` : '');

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
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
      add({ path: dotted, key: missing, atKey: false, message: explainMissing(path, missing, t) });
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
    const what = t ? `${article(t.name)} ${t.name} connection` : 'a connection';
    if (t && t.targetKeys.length && ['target', 'api_base', 'url', 'azure_endpoint', 'endpoint'].includes(key)) {
      return `'${key}' is not a field of ${what}; write its target as ${orList(t.targetKeys.map((k) => `'${k}'`))}.`;
    }
    if (key === 'api_key' && t && !t.topLevelApiKey) {
      return `'api_key' is not a field of ${what}; write the key under credentials (type: api_key, key: ...).`;
    }
    const hint = closest(key, legal);
    return `'${key}' is not a field of ${what}${hint ? didYouMean(hint) : '; remove it (az ml rejects unknown fields too).'}`;
  }
  if (path[0] === 'credentials' && path.length === 1) {
    const credType = get(doc, ['credentials', 'type']);
    const c = typeof credType === 'string' ? resolveCredentialType(credType) : undefined;
    const legal = c ? c.fields.map((x) => x.yaml) : [...new Set(CREDENTIAL_TYPES.flatMap((x) => x.fields.map((y) => y.yaml)))];
    const what = c ? `credentials of type ${c.name}` : 'credentials';
    const hint = closest(key, legal);
    if (hint) return `'${key}' is not a field of ${what}; did you mean '${hint}'?`;
    return legal.length
      ? `'${key}' is not a field of ${what}; its fields are ${orList(legal.map((x) => `'${x}'`))}.`
      : `'${key}' is not a field of ${what}, which takes no fields besides 'type'; remove it.`;
  }
  if (path[0] === 'artifact') {
    return `'${key}' is not a field of artifact; it takes 'name' and 'type' (lake_house)${didYouMean(closest(key, ['name', 'type']))}`;
  }
  return `'${key}' is not allowed here; remove it.`;
}

function explainMissing(path: string[], missing: string, t: TypeInfo | undefined): string {
  if (path.length === 0) {
    if (missing === 'name') return "The connection has no 'name'; add one (3 to 33 letters, digits, '_' or '-', starting with a letter or digit).";
    if (missing === 'type') return "The connection has no 'type'; add one, e.g. type: git, type: azure_open_ai or a REST category such as type: Redis.";
    const meta: Record<string, string> = { account_name: 'metadata.AccountName', container_name: 'metadata.ContainerName' };
    return `${cap(article(t?.name ?? ''))} ${t?.name ?? ''} connection needs '${missing}'${meta[missing] ? ` (sent as ${meta[missing]})` : ''}; add it.`;
  }
  if (path[0] === 'credentials' && missing === 'type') {
    return `credentials has no 'type'; add one, e.g. ${orList(['pat', 'username_password', 'api_key', 'service_principal', 'aad', 'none'])}.`;
  }
  if (path[0] === 'artifact') return `artifact has no '${missing}'; give the lakehouse name or id as artifact.name.`;
  return `'${[...path, missing].join('.')}' is missing; add it.`;
}

function explainMissingTarget(t: TypeInfo): string {
  if (t.shape === 'one_lake') {
    return "An azure_one_lake connection needs a target: give 'endpoint', 'one_lake_workspace_name' and 'artifact' (or the full 'target').";
  }
  const keys = [...t.targetKeys].reverse();
  return `${cap(article(t.name))} ${t.name} connection needs a target; add ${orList(keys.map((k) => `'${k}'`))}.`;
}

function explainValue(doc: unknown, path: string[], e: ErrorObject, t: TypeInfo | undefined): string {
  const dotted = path.join('.');
  const value = get(doc, path);
  if (dotted === 'type') {
    if (typeof value !== 'string') return `'type' must be text, not ${describeType(value)}; write e.g. type: git.`;
    const hint = TYPE_HINTS[normalizeName(value)] ??
      closest(value, [...AZML_TYPES.map((x) => x.name), ...REST_CATEGORIES]);
    return `'${value}' is not a connection type${hint ? `; did you mean '${hint}'?` : '; use an az-ml type (e.g. git, azure_open_ai) or a REST category name (e.g. Redis).'}`;
  }
  if (dotted === 'name') {
    if (typeof value !== 'string') return `'name' must be text, not ${describeType(value)}; quote it.`;
    return `The connection name '${value}' is not valid: it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit; rename it.`;
  }
  if (dotted === 'credentials.type') {
    if (typeof value !== 'string') return `credentials 'type' must be text, not ${describeType(value)}.`;
    const c = resolveCredentialType(value);
    if (!c) {
      const hint = closest(value, CREDENTIAL_TYPES.map((x) => x.name));
      return `'${value}' is not a credentials type${hint ? `; did you mean '${hint}'?` : `; use one of ${orList(CREDENTIAL_TYPES.slice(0, 12).map((x) => x.name))}.`}`;
    }
    if (t?.shape === 'api_or_aad') {
      return `${cap(article(t.name))} ${t.name} connection authenticates with an api key or Microsoft Entra ID, not credentials of type ${c.name} (az ml would silently send AAD instead); use api_key or aad.`;
    }
    if (t?.allowedCredentials) {
      return `${cap(article(t.name))} ${t.name} connection accepts credentials of type ${orList(t.allowedCredentials)}, not ${c.name}; change credentials.type.`;
    }
  }
  if (path[0] === 'artifact' && path[1] === 'type') return "artifact type must be 'lake_house'.";
  if (e.keyword === 'type') {
    const expected = String((e.params as { type: string | string[] }).type);
    if (value === null || value === undefined) return `'${dotted}' has no value; give one or remove the line.`;
    if ((path[0] === 'metadata' || path[0] === 'tags') && path.length > 1) {
      return `${path[0]} value '${path.slice(1).join('.')}' must be text, a number or true/false, not ${describeType(value)}.`;
    }
    if (expected.includes('boolean')) return `'${dotted}' must be true or false, not ${describeType(value)}.`;
    if (expected.includes('object')) return `'${dotted}' must be a mapping (key: value lines), not ${describeType(value)}.`;
    return `'${dotted}' must be text, not ${describeType(value)}; quote it.`;
  }
  return `'${dotted || 'document'}' ${e.message ?? 'is not valid'}.`;
}
