/**
 * The one table of credential rules: each credential type's YAML fields, their REST names, which are
 * secret, which a file must give (azure-ai-ml refuses the file without them), and which must be stored
 * for the credential to work (what Verify checks). Validation (src/model), the engine's secret handling,
 * Verify and the probes all read it; the sandbox keeps its own on purpose (it must not borrow what it tests).
 *
 * A leaf module: it imports nothing of the project, so any layer may use it.
 */

/** Type and credential-type spellings are matched ignoring case and underscores (`AzureOpenAI`, `azure_open_ai`, `PAT`). */
export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/_/g, '');
}

/** azure-ai-ml's `camel_to_snake` (for display and for naming REST auth types in snake form). */
export function camelToSnake(s: string): string {
  return s
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export interface CredentialField {
  /** YAML name */
  yaml: string;
  /** REST name inside properties.credentials */
  rest: string;
  secret: boolean;
  /** the value is a map of string -> string (CustomKeys `keys`) */
  map?: boolean;
  /** accepted but never sent (azure-ai-ml keeps it locally) */
  dropped?: boolean;
  /** a non-secret field a file must give (azure-ai-ml refuses the file without it) */
  required?: boolean;
}

export interface CredentialInfo {
  /** canonical YAML spelling */
  name: string;
  authType: string;
  fields: CredentialField[];
  /** secret REST fields whose absence means "keep the stored value" (reported in missingSecrets) */
  requiredSecrets: string[];
  /** not an azure-ai-ml credential type: our extension (said in docs) */
  extension?: boolean;
  /** an alias of another credential type, written differently by Microsoft docs */
  aliasOf?: string;
  /**
   * REST credential fields that must be stored, non-empty, for the credential to work (Verify's
   * completeness check; CustomKeys: a non-empty map of non-empty values). Absent: no rule is known.
   */
  stored?: readonly string[];
}

const f = (yaml: string, rest: string, secret = false): CredentialField => ({ yaml, rest, secret });
const needed = (yaml: string, rest: string): CredentialField => ({ yaml, rest, secret: false, required: true });

export const CREDENTIAL_TYPES: readonly CredentialInfo[] = [
  { name: 'pat', authType: 'PAT', fields: [f('pat', 'pat', true)], requiredSecrets: ['pat'], stored: ['pat'] },
  { name: 'sas', authType: 'SAS', fields: [f('sas_token', 'sas', true)], requiredSecrets: ['sas'], stored: ['sas'] },
  {
    name: 'username_password', authType: 'UsernamePassword',
    fields: [needed('username', 'username'), f('password', 'password', true), f('security_token', 'securityToken', true)],
    requiredSecrets: ['password'], stored: ['username', 'password'],
  },
  {
    name: 'sql_auth', authType: 'UsernamePassword', aliasOf: 'username_password', extension: true,
    fields: [needed('username', 'username'), f('password', 'password', true)], requiredSecrets: ['password'],
  },
  { name: 'managed_identity', authType: 'ManagedIdentity', fields: [f('client_id', 'clientId'), f('resource_id', 'resourceId')], requiredSecrets: [], stored: [] },
  {
    name: 'service_principal', authType: 'ServicePrincipal',
    fields: [f('client_id', 'clientId'), f('client_secret', 'clientSecret', true), f('tenant_id', 'tenantId'),
      { yaml: 'authority_url', rest: 'authorityUrl', secret: false, dropped: true }],
    requiredSecrets: ['clientSecret'], stored: ['clientId', 'clientSecret', 'tenantId'],
  },
  {
    name: 'access_key', authType: 'AccessKey',
    fields: [needed('access_key_id', 'accessKeyId'), f('secret_access_key', 'secretAccessKey', true)], requiredSecrets: ['secretAccessKey'],
    stored: ['accessKeyId', 'secretAccessKey'],
  },
  { name: 'api_key', authType: 'ApiKey', fields: [f('key', 'key', true)], requiredSecrets: ['key'], stored: ['key'] },
  // azure-ai-ml sends {"sas": key} (its preview api-version); GA api-versions expect {"key": key} (bug 4).
  { name: 'account_key', authType: 'AccountKey', fields: [f('account_key', 'key', true)], requiredSecrets: ['key'], stored: ['key'] },
  { name: 'aad', authType: 'AAD', fields: [], requiredSecrets: [], stored: [] },
  { name: 'none', authType: 'None', fields: [], requiredSecrets: [], stored: [] },
  {
    name: 'custom_keys', authType: 'CustomKeys', extension: true,
    fields: [{ yaml: 'keys', rest: 'keys', secret: true, map: true }], requiredSecrets: ['keys'], stored: ['keys'],
  },
  {
    name: 'oauth2', authType: 'OAuth2', extension: true,
    fields: [f('auth_url', 'authUrl'), f('client_id', 'clientId'), f('client_secret', 'clientSecret', true),
      f('developer_token', 'developerToken', true), f('password', 'password', true), f('refresh_token', 'refreshToken', true),
      f('tenant_id', 'tenantId'), f('username', 'username')],
    requiredSecrets: ['clientSecret'], stored: ['clientId', 'clientSecret'],
  },
  // REST auth types without a credentials shape: accepted so every authType can be written (our extension).
  ...['DelegatedSAS', 'ProjectManagedIdentity', 'AccountManagedIdentity', 'UserEntraToken', 'AgentUserImpersonation',
    'AgenticIdentityToken', 'AgenticUser'].map((authType) => ({
    name: camelToSnake(authType), authType, fields: [], requiredSecrets: [], extension: true,
  })),
];

/** YAML field names that hold secrets in some credential type (used to register values before anything is validated). */
export const SECRET_YAML_FIELDS: ReadonlySet<string> = new Set(
  CREDENTIAL_TYPES.flatMap((c) => c.fields.filter((x) => x.secret).map((x) => x.yaml)),
);

/**
 * The dotted paths of a document that hold secret values as written (present, empty or not): the secret
 * fields of its credential type, a CustomKeys map's entries, and a top-level api_key.
 */
export function secretPathsOf(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Object.prototype.hasOwnProperty.call(doc, 'api_key')) out.push('api_key');
  const creds = doc.credentials;
  if (!creds || typeof creds !== 'object' || Array.isArray(creds)) return out;
  const c = creds as Record<string, unknown>;
  const info = typeof c.type === 'string' ? resolveCredentialType(c.type) : undefined;
  for (const field of info?.fields ?? []) {
    if (!field.secret || !Object.prototype.hasOwnProperty.call(c, field.yaml)) continue;
    out.push(`credentials.${field.yaml}`);
    const v = c[field.yaml];
    if (field.map && v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) out.push(`credentials.${field.yaml}.${k}`);
  }
  return out;
}

/** YAML field names that are never secret in any credential type (user names, ids, URLs). */
export const PLAIN_YAML_FIELDS: ReadonlySet<string> = new Set(
  CREDENTIAL_TYPES.flatMap((c) => c.fields.filter((x) => !x.secret).map((x) => x.yaml)).filter((y) => !SECRET_YAML_FIELDS.has(y)),
);

/** REST credential field names that are never secret in any credential type (user names, ids, URLs). */
export const PLAIN_REST_FIELDS: ReadonlySet<string> = new Set(
  CREDENTIAL_TYPES.flatMap((c) => c.fields.filter((x) => !x.secret).map((x) => x.rest)).filter(
    (r) => !CREDENTIAL_TYPES.some((c) => c.fields.some((x) => x.secret && x.rest === r)),
  ),
);

/** Canonical credential type for an authType (for export), e.g. `UsernamePassword` -> `username_password`. */
export function credentialForAuthType(authType: string): CredentialInfo | undefined {
  const lower = authType.toLowerCase();
  return CREDENTIAL_TYPES.find((c) => !c.aliasOf && c.authType.toLowerCase() === lower);
}

const CREDENTIAL_BY_NORM = new Map(CREDENTIAL_TYPES.map((c) => [normalizeName(c.name), c]));

/** The credential type a YAML `credentials.type` names (any case, underscores optional; the REST authType name too). */
export function resolveCredentialType(value: string): CredentialInfo | undefined {
  return CREDENTIAL_BY_NORM.get(normalizeName(value));
}

/** The canonical spelling of a REST authType (`usernamepassword` -> `UsernamePassword`), or the input when unknown. */
export function canonicalAuthType(authType: string): string {
  return credentialForAuthType(authType)?.authType ?? authType;
}

/** The secret REST credential fields of an authType (CustomKeys: `keys`, every value of which is secret); [] when unknown. */
export function secretFieldsOf(authType: string): readonly string[] {
  return credentialForAuthType(authType)?.fields.filter((x) => x.secret && !x.dropped).map((x) => x.rest) ?? [];
}

/** The REST fields that must be stored for a credential of this authType to work; undefined when no rule is known. */
export function storedFieldsOf(authType: string): readonly string[] | undefined {
  return credentialForAuthType(authType)?.stored;
}
