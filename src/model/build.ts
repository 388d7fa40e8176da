/**
 * Turns one schema-valid connection document into the ARM `properties` (api-version 2025-06-01),
 * following azure-ai-ml's mapping and doing the right thing where it has a known bug (said in notes).
 */
import type { ConnectionProperties } from '../arm/types';
import { secretFieldsOf } from './credentials';
import { msg } from '../messages';
import {
  TARGET_ALIAS_ORDER, azmlAcceptsSpelling, azmlTypesOfCategory, connectionPhrase, resolveCredentialType, resolveType, type CredentialInfo, type TypeInfo,
} from './catalog';

export interface BuildIssue {
  severity: 'error' | 'warning';
  /** dotted path of the field it is about ('' = the document) */
  path: string;
  message: string;
}

export interface BuiltConnection {
  yamlType: string;
  properties: ConnectionProperties;
  secretFields: string[];
  missingSecrets: string[];
  notes: string[];
  issues: BuildIssue[];
}

/** A real GUID (8-4-4-4-12). */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** azure-ai-ml's "is it an id" test: Python `re.match(".{7}-.{4}-.{4}-.{4}.{12}", name)` (bug 6). */
const AZML_ID = /^.{7}-.{4}-.{4}-.{4}.{12}/s;

/** How a metadata value is sent: text as written, booleans as Python prints them (True/False), numbers as String(n). */
export function metadataText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return String(value);
}

const has = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';

export function buildConnection(doc: Record<string, unknown>): BuiltConnection {
  const t = resolveType(String(doc.type)) as TypeInfo;
  const issues: BuildIssue[] = [];
  const notes: string[] = [];
  const warn = (path: string, message: string): void => { issues.push({ severity: 'warning', path, message }); };

  if (t.shape === 'generic') {
    const azml = azmlTypesOfCategory(t.category).map((x) => x.name);
    notes.push(azml.length ? msg('Model_NoteGenericHasAzmlType', String(doc.type), azml.join(', ')) : msg('Model_NoteGenericType', t.category));
  } else if (!azmlAcceptsSpelling(String(doc.type), t)) {
    warn('type', msg('Model_WarnTypeSpelling', String(doc.type), t.name));
  }
  if (has(doc, 'description')) warn('description', msg('Model_WarnDescription'));
  if (has(doc, 'tags')) warn('tags', msg('Model_WarnTags'));

  // ---- credentials
  const creds = (doc.credentials ?? undefined) as Record<string, unknown> | undefined;
  let cred: CredentialInfo;
  let credValues: Record<string, unknown> = {};
  if (t.topLevelApiKey && has(doc, 'api_key')) {
    cred = resolveCredentialType('api_key')!;
    credValues = { key: doc.api_key };
    if (creds) warn('credentials', msg('Model_WarnApiKeyAndCredentials'));
  } else if (creds) {
    cred = resolveCredentialType(String(creds.type))!;
    credValues = creds;
    if (t.intendedCredentials && !t.intendedCredentials.includes(cred.aliasOf ?? cred.name)) {
      warn('credentials.type', msg('Model_WarnUnusualCredentials', connectionPhrase(t.name, true), t.intendedCredentials.join(', '), cred.name));
    }
  } else {
    cred = resolveCredentialType(t.defaultCredential)!;
  }
  if (cred.name === 'none' && t.noneMeansAad) {
    cred = resolveCredentialType('aad')!;
    if (creds) notes.push(msg('Model_NoteNoneIsAad', t.name));
  }
  const missingSecrets: string[] = [];
  let credentials: Record<string, unknown> | undefined;
  if (cred.fields.length) {
    credentials = {};
    for (const field of cred.fields) {
      const v = credValues[field.yaml];
      if (field.dropped) {
        if (!isEmpty(v)) notes.push(msg('Model_NoteFieldNotSent', field.yaml));
        continue;
      }
      if (field.map) {
        const entries = v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>) : [];
        if (!entries.length || entries.some(([, x]) => isEmpty(x))) {
          missingSecrets.push(field.rest);
        } else {
          credentials[field.rest] = Object.fromEntries(entries.map(([k, x]) => [k, String(x)]));
        }
        continue;
      }
      if (isEmpty(v)) {
        if (cred.requiredSecrets.includes(field.rest)) missingSecrets.push(field.rest);
        continue;
      }
      credentials[field.rest] = String(v);
    }
  }

  // ---- target
  let target: string | undefined;
  const given = TARGET_ALIAS_ORDER.filter((k) => t.targetKeys.includes(k) && typeof doc[k] === 'string');
  if (t.shape === 'one_lake' && typeof doc.target === 'string') {
    target = doc.target;
  } else if (t.shape === 'one_lake' && typeof doc.endpoint === 'string') {
    target = oneLakeTarget(doc, notes);
  } else if (given.length) {
    target = doc[given[given.length - 1]] as string;
    const distinct = new Set(given.map((k) => doc[k]));
    if (distinct.size > 1) {
      const both = given.map((k) => `'${k}'`).reduce((a, b) => msg('Model_ListAnd', a, b));
      warn(given[given.length - 1], msg('Model_WarnTargetConflict', both, given[given.length - 1], TARGET_ALIAS_ORDER.join(', ')));
    }
  }
  if (t.targetKeys.length === 0 && typeof doc.target === 'string') {
    warn('target', msg('Model_WarnTargetNotSent', connectionPhrase(t.name, true)));
  }

  // ---- metadata
  const metadata: Record<string, string> = {};
  const mergeMap = (source: unknown, label: string): void => {
    if (!source || typeof source !== 'object') return;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      const text = metadataText(v);
      if (text === undefined) {
        warn(`${label}.${k}`, msg('Model_WarnMapValueEmpty', label, k));
        delete metadata[k];
        continue;
      }
      metadata[k] = text;
    }
  };
  mergeMap(doc.tags, 'tags');
  mergeMap(doc.metadata, 'metadata');
  /** Sets a metadata key the type decides; `why` says (in the agent's language) what replaced a different value. */
  const force = (key: string, value: string, why: (key: string) => string): void => {
    if (metadata[key] !== undefined && metadata[key] !== value) warn(`metadata.${key}`, why(key));
    metadata[key] = value;
  };
  const byField = (field: string) => (key: string): string => msg('Model_WarnMetadataReplacedByField', key, field);
  if (t.shape === 'blob') {
    force('ContainerName', String(doc.container_name), byField('container_name'));
    force('AccountName', String(doc.account_name), byField('account_name'));
  }
  if (t.name === 'azure_open_ai') {
    // azure-ai-ml overwrites ApiVersion/ResourceId with null when the top-level fields are absent (bug 8)
    if (typeof doc.api_version === 'string') force('ApiVersion', doc.api_version, byField('api_version'));
    force('ApiType', 'Azure', (key) => msg('Model_WarnMetadataReplacedApiType', key));
    if (typeof doc.open_ai_resource_id === 'string') force('ResourceId', doc.open_ai_resource_id, byField('open_ai_resource_id'));
  }
  if (t.name === 'azure_ai_services' && typeof doc.ai_services_resource_id === 'string') {
    force('ResourceId', doc.ai_services_resource_id, byField('ai_services_resource_id'));
  }
  for (const [k, v] of Object.entries(t.fixedMetadata ?? {})) {
    force(k, v, (key) => msg('Model_WarnMetadataReplacedKind', key, connectionPhrase(t.name), v));
  }

  // ---- properties, in the order msrest writes them
  const properties: ConnectionProperties = {
    authType: cred.authType,
    category: t.category,
    isSharedToAll: typeof doc.is_shared === 'boolean' ? doc.is_shared : true,
    metadata,
  };
  if (target !== undefined && t.targetKeys.length) properties.target = target;
  if (credentials) properties.credentials = credentials;

  return {
    yamlType: t.name,
    properties,
    secretFields: [...secretFieldsOf(cred.authType)],
    missingSecrets,
    notes,
    issues,
  };
}

function oneLakeTarget(doc: Record<string, unknown>, notes: string[]): string {
  let endpoint = String(doc.endpoint);
  const artifact = (doc.artifact ?? {}) as Record<string, unknown>;
  const name = String(artifact.name ?? '');
  const workspace = String(doc.one_lake_workspace_name ?? '');
  const scheme = /^https?:\/\//i.exec(endpoint);
  if (scheme) {
    endpoint = endpoint.slice(scheme[0].length);
    notes.push(msg('Model_NoteOneLakeScheme', scheme[0]));
  }
  endpoint = endpoint.replace(/\/+$/, '');
  const azmlId = AZML_ID.test(name);
  const isId = azmlId || GUID.test(name);
  if (isId && !azmlId) {
    notes.push(msg('Model_NoteLakehouseGuid', name));
  }
  return `https://${endpoint}/${workspace}/${name}${isId ? '' : '.Lakehouse'}`;
}
