/**
 * ARM connection -> az-ml YAML document (Export). The document loads back through loadConnections to the
 * same ARM properties; az-ml types are used where az-ml has one, otherwise the generic form
 * (`type: <REST category>`). Secrets are written as whatever `secretValue` returns (e.g. a `$(VAR)`).
 */
import { stringify } from 'yaml';
import type { ArmConnection } from '../arm/types';
import { AZML_TYPES, REST_CATEGORIES, credentialForAuthType, resolveCredentialType, resolveType, type TypeInfo } from './catalog';

export interface ExportOptions {
  /** the text to write for a secret credential field (REST name, e.g. `pat`, `clientSecret`, `keys.<name>`); undefined leaves it out */
  secretValue: (field: string) => string | undefined;
}

const DATASTORE_CATEGORIES = new Set(['azureblob', 'adlsgen2', 'azureonelake']);

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

function friendlyType(conn: ArmConnection): TypeInfo | undefined {
  const p = conn.properties;
  const category = lower(p.category);
  const auth = lower(authTypeOf(conn));
  const meta = p.metadata ?? {};
  const hasTarget = typeof p.target === 'string' && p.target !== '';
  const candidates = AZML_TYPES.filter((t) => t.category.toLowerCase() === category);
  for (const t of candidates) {
    if (t.fixedMetadata && Object.entries(t.fixedMetadata).some(([k, v]) => meta[k] !== v)) continue;
    if (t.allowedCredentials && !t.allowedCredentials.some((c) => resolveCredentialType(c)?.authType.toLowerCase() === auth)) continue;
    if (t.targetRequired && !hasTarget) continue;
    if (!t.targetKeys.length && hasTarget) continue; // open_ai / serp drop the target
    if (t.name === 'azure_open_ai' && meta.ApiType !== 'Azure') continue; // the loader forces ApiType Azure
    if (t.shape === 'blob' && (!meta.AccountName || !meta.ContainerName)) continue;
    return t;
  }
  return undefined;
}

/** authType, with the datastore quirk: the service stores AAD as None for datastore categories (bug 18). */
function authTypeOf(conn: ArmConnection): string {
  const auth = conn.properties.authType ?? 'None';
  if (lower(auth) === 'none' && DATASTORE_CATEGORIES.has(lower(conn.properties.category))) return 'AAD';
  return auth;
}

/** The generic `type`: the category's name, or `rest:<name>` when the bare name would mean an az-ml type. */
function genericTypeName(category: string): string {
  const name = REST_CATEGORIES.find((c) => c.toLowerCase() === category.toLowerCase()) ?? category;
  return resolveType(name)?.shape === 'generic' ? name : `rest:${name}`;
}

export function toConnectionDocument(conn: ArmConnection, options: ExportOptions): Record<string, unknown> {
  const p = conn.properties;
  const t = friendlyType(conn);
  const doc: Record<string, unknown> = { name: conn.name };
  doc.type = t ? t.name : genericTypeName(p.category ?? 'CustomKeys');
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v !== null && v !== undefined) metadata[k] = String(v);

  // the target, under the key az-ml uses for the type
  if (typeof p.target === 'string' && (!t || t.targetKeys.length)) {
    const key = t ? t.targetKeys[t.targetKeys.length - 1] : 'target';
    doc[t?.shape === 'one_lake' ? 'target' : key] = p.target;
  }

  // type-specific fields that the loader turns back into metadata
  if (t?.shape === 'blob') {
    doc.account_name = metadata.AccountName;
    doc.container_name = metadata.ContainerName;
    delete metadata.AccountName;
    delete metadata.ContainerName;
  }
  if (t?.name === 'azure_open_ai') {
    if (metadata.ApiVersion !== undefined) doc.api_version = metadata.ApiVersion;
    if (metadata.ResourceId !== undefined) doc.open_ai_resource_id = metadata.ResourceId;
    delete metadata.ApiVersion;
    delete metadata.ResourceId;
    delete metadata.ApiType;
  }
  if (t?.name === 'azure_ai_services' && metadata.ResourceId !== undefined) {
    doc.ai_services_resource_id = metadata.ResourceId;
    delete metadata.ResourceId;
  }
  for (const k of Object.keys(t?.fixedMetadata ?? {})) delete metadata[k];

  // credentials
  const auth = authTypeOf(conn);
  const credential = credentialForAuthType(auth);
  const stored = (p.credentials ?? {}) as Record<string, unknown>;
  if (t?.topLevelApiKey && lower(auth) === 'apikey') {
    const key = options.secretValue('key');
    if (key !== undefined) doc.api_key = key;
  } else if (credential && !(t && lower(t.defaultCredential) === credential.name && credential.fields.length === 0)) {
    const creds: Record<string, unknown> = { type: credential.name };
    for (const field of credential.fields) {
      if (field.dropped) continue;
      if (field.map) {
        const names = stored.keys && typeof stored.keys === 'object' ? Object.keys(stored.keys as Record<string, unknown>) : [];
        const keys: Record<string, string> = {};
        for (const n of names.sort()) {
          const v = options.secretValue(`keys.${n}`);
          if (v !== undefined) keys[n] = v;
        }
        if (Object.keys(keys).length) creds.keys = keys;
        continue;
      }
      if (field.secret) {
        const v = options.secretValue(field.rest);
        if (v !== undefined) creds[field.yaml] = v;
        continue;
      }
      // non-secret fields are kept; ManagedIdentity keeps resourceId even without clientId (bug 5)
      const v = stored[field.rest];
      if (typeof v === 'string' && v !== '') creds[field.yaml] = v;
    }
    doc.credentials = creds;
  }

  if (typeof p.isSharedToAll === 'boolean') doc.is_shared = p.isSharedToAll;
  const keys = Object.keys(metadata).sort();
  if (keys.length) doc.metadata = Object.fromEntries(keys.map((k) => [k, metadata[k]]));
  return doc;
}

/** Deterministic YAML: one document per connection, separated by `---`, no line folding. */
export function serializeDocuments(docs: Record<string, unknown>[]): string {
  return docs
    .map((d) => stringify(d, { lineWidth: 0, minContentWidth: 0, indent: 2, defaultStringType: 'PLAIN', version: '1.1' }))
    .join('---\n');
}
