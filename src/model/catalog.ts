/**
 * The tables behind the connection YAML: az-ml `type` -> REST category, target aliases, type-specific
 * fields, credential types -> REST authType and credential fields, and which values are secret.
 *
 * Facts come from the azure-ai-ml mapping (reference: azureml-yaml-format.md) and the ARM spec
 * (api-version 2025-06-01); where we deliberately differ it is said next to the entry and in
 * docs/connection-yaml.md.
 */
import { msg } from '../messages';
import { camelToSnake, normalizeName } from './credentials';

export {
  CREDENTIAL_TYPES, SECRET_YAML_FIELDS, camelToSnake, credentialForAuthType, normalizeName, resolveCredentialType, secretPathsOf,
  type CredentialField, type CredentialInfo,
} from './credentials';

/** The 120 `ConnectionCategory` values of the REST spec, in spec order. */
export const REST_CATEGORIES: readonly string[] = [
  'PythonFeed', 'ContainerRegistry', 'Git', 'S3', 'Snowflake', 'AzureKeyVault', 'AzureSqlDb', 'AzureSynapseAnalytics',
  'AzureMySqlDb', 'AzurePostgresDb', 'ADLSGen2', 'AzureContainerAppEnvironment', 'Redis', 'ApiKey', 'AzureOpenAI',
  'AIServices', 'CognitiveSearch', 'CognitiveService', 'CustomKeys', 'AzureBlob', 'AzureStorageAccount', 'AzureOneLake',
  'CosmosDb', 'CosmosDbMongoDbApi', 'AzureDataExplorer', 'AzureMariaDb', 'AzureDatabricksDeltaLake', 'AzureSqlMi',
  'AzureTableStorage', 'AmazonRdsForOracle', 'AmazonRdsForSqlServer', 'AmazonRedshift', 'Db2', 'Drill',
  'GoogleBigQuery', 'Greenplum', 'Hbase', 'Hive', 'Impala', 'Informix', 'MariaDb', 'MicrosoftAccess', 'MySql', 'Netezza',
  'Oracle', 'Phoenix', 'PostgreSql', 'Presto', 'SapOpenHub', 'SapBw', 'SapHana', 'SapTable', 'Spark', 'SqlServer', 'Sybase',
  'Teradata', 'Vertica', 'Pinecone', 'Databricks', 'Cassandra', 'Couchbase', 'MongoDbV2', 'MongoDbAtlas',
  'AmazonS3Compatible', 'FileServer', 'FtpServer', 'GoogleCloudStorage', 'Hdfs', 'OracleCloudStorage', 'Sftp',
  'GenericHttp', 'ODataRest', 'Odbc', 'GenericRest', 'RemoteTool', 'AmazonMws', 'Concur', 'Dynamics', 'DynamicsAx',
  'DynamicsCrm', 'GoogleAdWords', 'Hubspot', 'Jira', 'Magento', 'Marketo', 'Office365', 'Eloqua', 'Responsys',
  'OracleServiceCloud', 'PayPal', 'QuickBooks', 'Salesforce', 'SalesforceServiceCloud', 'SalesforceMarketingCloud',
  'SapCloudForCustomer', 'SapEcc', 'ServiceNow', 'SharePointOnlineList', 'Shopify', 'Square', 'WebTable', 'Xero', 'Zoho',
  'GenericContainerRegistry', 'Elasticsearch', 'AppInsights', 'AppConfig', 'OpenAI', 'Serp', 'BingLLMSearch',
  'Serverless', 'ManagedOnlineEndpoint', 'ApiManagement', 'ModelGateway', 'GroundingWithBingSearch',
  'GroundingWithCustomSearch', 'Sharepoint', 'MicrosoftFabric', 'PowerPlatformEnvironment', 'RemoteA2A',
];

/**
 * `type: rest:<Category>` asks for the generic form of any category, including those that have an az-ml
 * type (e.g. an AzureOpenAI connection whose ApiType is not Azure, which azure_open_ai cannot express).
 */
export const REST_PREFIX = /^rest:/i;

/** The order azure-ai-ml pops target aliases in; when several are present the last one wins. */
export const TARGET_ALIAS_ORDER = ['target', 'api_base', 'url', 'azure_endpoint', 'endpoint'] as const;

/** How a type's YAML is shaped (which azure-ai-ml schema class it follows). */
export type TypeShape =
  | 'base' // WorkspaceConnectionSchema: target + credentials
  | 'blob' // url, account_name, container_name
  | 'one_lake' // endpoint, one_lake_workspace_name, artifact
  | 'api_or_aad' // top-level api_key, otherwise AAD (AOAI, AI services, search, content safety, speech)
  | 'api_key_only' // api_key required (api_key, open_ai, serp, serverless)
  | 'generic'; // a REST category given by name: type, target, metadata, credentials, is_shared

export interface TypeInfo {
  /** canonical YAML spelling (snake_case for az-ml types, the REST category for generic ones) */
  name: string;
  /** the REST category we send */
  category: string;
  shape: TypeShape;
  /** legal YAML keys for the target, in alias order ([] = the type has no target) */
  targetKeys: string[];
  /** a target (or what builds it) must be given */
  targetRequired: boolean;
  /** type-specific top-level fields besides the target keys */
  fields: string[];
  /** type-specific fields that must be given */
  requiredFields: string[];
  /** credential types the YAML may use (undefined = any) */
  allowedCredentials?: string[];
  /** the credential types az-ml meant to allow but never enforced (bug 1): we warn outside this set */
  intendedCredentials?: string[];
  /** credential type used when the YAML has no `credentials` */
  defaultCredential: 'none' | 'aad' | 'api_key';
  /** `none` is stored as AAD (datastore connections) */
  noneMeansAad?: boolean;
  /** metadata keys the type forces */
  fixedMetadata?: Record<string, string>;
  /** a top-level `api_key` field is legal */
  topLevelApiKey: boolean;
}

function base(name: string, category: string, extra: Partial<TypeInfo> = {}): TypeInfo {
  return {
    name, category, shape: 'base', targetKeys: ['target'], targetRequired: true, fields: [], requiredFields: [],
    defaultCredential: 'none', topLevelApiKey: false, ...extra,
  };
}

function apiOrAad(name: string, category: string, targetKey: string, fields: string[], extra: Partial<TypeInfo> = {}): TypeInfo {
  return {
    name, category, shape: 'api_or_aad', targetKeys: ['target', targetKey], targetRequired: true,
    fields: [targetKey, 'api_key', ...fields], requiredFields: [], allowedCredentials: ['api_key', 'aad'],
    defaultCredential: 'aad', topLevelApiKey: true, ...extra,
  };
}

function apiKeyOnly(name: string, category: string, targetKey: string | undefined): TypeInfo {
  return {
    name, category, shape: 'api_key_only', targetKeys: targetKey ? ['target', targetKey] : [],
    targetRequired: !!targetKey, fields: targetKey ? [targetKey, 'api_key'] : ['api_key'], requiredFields: [],
    allowedCredentials: ['api_key'], defaultCredential: 'api_key', topLevelApiKey: true,
  };
}

/** The az-ml types (friendly names), keyed by canonical snake_case name. */
export const AZML_TYPES: readonly TypeInfo[] = [
  base('git', 'Git', { intendedCredentials: ['pat', 'none', 'username_password'] }),
  base('python_feed', 'PythonFeed', { intendedCredentials: ['username_password', 'pat', 'none'] }),
  base('container_registry', 'ContainerRegistry', { intendedCredentials: ['managed_identity', 'username_password'] }),
  base('s3', 'S3'),
  base('snowflake', 'Snowflake'),
  base('azure_sql_db', 'AzureSqlDb'),
  base('azure_synapse_analytics', 'AzureSynapseAnalytics'),
  base('azure_my_sql_db', 'AzureMySqlDb'),
  base('azure_postgres_db', 'AzurePostgresDb'),
  base('custom', 'CustomKeys'),
  base('azure_data_lake_gen2', 'ADLSGen2', {
    allowedCredentials: ['service_principal', 'aad', 'managed_identity', 'none'], defaultCredential: 'aad', noneMeansAad: true,
  }),
  {
    name: 'azure_blob', category: 'AzureBlob', shape: 'blob', targetKeys: ['target', 'url'], targetRequired: true,
    fields: ['url', 'account_name', 'container_name'], requiredFields: ['account_name', 'container_name'],
    allowedCredentials: ['sas', 'account_key', 'aad'], defaultCredential: 'aad', noneMeansAad: true, topLevelApiKey: false,
  },
  {
    name: 'azure_one_lake', category: 'AzureOneLake', shape: 'one_lake', targetKeys: ['target', 'endpoint'], targetRequired: true,
    fields: ['endpoint', 'one_lake_workspace_name', 'artifact'], requiredFields: [],
    allowedCredentials: ['service_principal', 'aad'], defaultCredential: 'aad', noneMeansAad: true, topLevelApiKey: false,
  },
  apiOrAad('azure_open_ai', 'AzureOpenAI', 'azure_endpoint', ['api_version', 'open_ai_resource_id']),
  apiOrAad('azure_ai_services', 'AIServices', 'endpoint', ['ai_services_resource_id']),
  apiOrAad('azure_ai_search', 'CognitiveSearch', 'endpoint', []),
  apiOrAad('azure_content_safety', 'CognitiveService', 'endpoint', [], { fixedMetadata: { Kind: 'content_safety' } }),
  apiOrAad('azure_speech_services', 'CognitiveService', 'endpoint', [], { fixedMetadata: { Kind: 'speech' } }),
  apiKeyOnly('api_key', 'ApiKey', 'api_base'),
  apiKeyOnly('open_ai', 'OpenAI', undefined),
  apiKeyOnly('serp', 'Serp', undefined),
  apiKeyOnly('serverless', 'Serverless', 'endpoint'),
];

/** Keys every connection document may have. `id` and `creation_context` are what `az ml connection show` prints; both are dropped. */
export const COMMON_KEYS = ['$schema', 'name', 'id', 'description', 'tags', 'creation_context', 'type', 'target', 'credentials', 'is_shared', 'metadata'] as const;

/** The generic form for a REST category that has no az-ml type. */
export function genericType(category: string): TypeInfo {
  return {
    name: category, category, shape: 'generic', targetKeys: ['target'], targetRequired: false, fields: [], requiredFields: [],
    defaultCredential: 'none', topLevelApiKey: false,
  };
}

/** Every top-level key a document of this type may have. */
export function allowedKeys(t: TypeInfo): string[] {
  return [...new Set([...COMMON_KEYS, ...t.targetKeys, ...t.fields])];
}

// ---------------------------------------------------------------------------------------------
// spelling


/** azure-ai-ml's `_snake_to_camel`: upper-cases a lower-case letter at the start or after `_`. */
export function snakeToCamel(s: string): string {
  return s.replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const AZML_BY_NORM = new Map(AZML_TYPES.map((t) => [normalizeName(t.name), t]));
const CATEGORY_BY_NORM = new Map(REST_CATEGORIES.map((c) => [normalizeName(c), c]));

export function azmlTypeByName(name: string): TypeInfo | undefined {
  return AZML_TYPES.find((t) => t.name === name);
}

/**
 * The type a YAML `type` value means: an az-ml type (any case, with or without underscores), else a REST
 * category given by its name (any case) in the generic form.
 */
export function resolveType(value: string): TypeInfo | undefined {
  const explicit = REST_PREFIX.exec(value);
  if (explicit) {
    const category = CATEGORY_BY_NORM.get(normalizeName(value.slice(explicit[0].length)));
    return category ? genericType(category) : undefined;
  }
  const norm = normalizeName(value);
  const friendly = AZML_BY_NORM.get(norm);
  if (friendly) return friendly;
  const category = CATEGORY_BY_NORM.get(norm);
  if (!category) return undefined;
  // a REST category that exactly one az-ml type stands for (CustomKeys, ADLSGen2, AIServices, CognitiveSearch) means that type
  const azml = azmlTypesOfCategory(category);
  return azml.length === 1 ? azml[0] : genericType(category);
}

/** The az-ml types sent as this REST category (CognitiveService has two, told apart by metadata Kind). */
export function azmlTypesOfCategory(category: string): TypeInfo[] {
  return AZML_TYPES.filter((t) => t.category === category);
}


/**
 * Whether `az ml connection create` itself accepts this spelling of an az-ml type (§4b): base types take
 * any case with or without underscores, the subclass types reject UPPER_SNAKE. We accept more; this is used
 * to warn that the file would not load in `az ml`.
 */
export function azmlAcceptsSpelling(value: string, t: TypeInfo): boolean {
  if (t.shape === 'generic') return false;
  const routed = snakeToCamel(value).toLowerCase();
  const subclass = SUBCLASS_ROUTES.get(routed);
  if (subclass) return subclass.includes(t) && camelToSnake(value) === t.name;
  return t.shape === 'base' && camelToSnake(value) === t.name;
}

/** azure-ai-ml's schema routing keys: `_snake_to_camel(friendly).lower()` and the lower-cased REST category. */
const SUBCLASS_ROUTES: Map<string, TypeInfo[]> = (() => {
  const routes = new Map<string, TypeInfo[]>();
  for (const t of AZML_TYPES) {
    if (t.shape === 'base') continue;
    for (const key of [snakeToCamel(t.name).toLowerCase(), t.category.toLowerCase()]) {
      routes.set(key, [...(routes.get(key) ?? []), t]);
    }
  }
  return routes;
})();

/** Every spelling to offer in editors for `type`: the az-ml names, then the REST categories that mean the generic form. */
export function typeNamesForSchema(): { friendly: string[]; categories: string[] } {
  return {
    friendly: AZML_TYPES.map((t) => t.name),
    categories: REST_CATEGORIES.filter((c) => resolveType(c)?.shape === 'generic'),
  };
}

/** The names that mean this az-ml type: its own, and its REST category when no other az-ml type shares it. */
export function spellingsOf(t: TypeInfo): string[] {
  return azmlTypesOfCategory(t.category).length === 1 ? [t.name, t.category] : [t.name];
}

// ---------------------------------------------------------------------------------------------
// suggestions

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
export function levenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_v, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * `a git connection`, `an azure_blob connection` (`A ...`/`An ...` at the start of a sentence; `a connection`
 * when the type is not known), in the agent's language: the noun phrase that model messages place into their sentences.
 */
export function connectionPhrase(typeName: string | undefined, sentenceStart = false): string {
  if (!typeName) return msg(sentenceStart ? 'Model_AnyConnectionCap' : 'Model_AnyConnection');
  const an = /^[aeiou]/i.test(typeName);
  if (sentenceStart) return msg(an ? 'Model_ConnectionOfTypeAnCap' : 'Model_ConnectionOfTypeACap', typeName);
  return msg(an ? 'Model_ConnectionOfTypeAn' : 'Model_ConnectionOfTypeA', typeName);
}

/** The closest candidate when it is near enough to be a likely misspelling (compared ignoring case). */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = Math.min(levenshtein(v, c.toLowerCase()), levenshtein(normalizeName(v), normalizeName(c)));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(v.length / 3)));
  if (best !== undefined && bestDistance <= limit) return best;
  // `api_key` for `key`, `sas` for `sas_token`: one name contains the other as a whole word
  return candidates.find((c) => {
    const cl = c.toLowerCase();
    return cl.length >= 3 && (v.endsWith(`_${cl}`) || v.startsWith(`${cl}_`) || cl.endsWith(`_${v}`) || cl.startsWith(`${v}_`));
  });
}

/** Well-known wrong names for a type, with what to write instead. */
export const TYPE_HINTS: Readonly<Record<string, string>> = {
  azureopenai: 'azure_open_ai',
  aoai: 'azure_open_ai',
  openai: 'open_ai',
  cognitivesearch: 'azure_ai_search',
  azuresearch: 'azure_ai_search',
  adlsgen2: 'azure_data_lake_gen2',
  aiservices: 'azure_ai_services',
  contentsafety: 'azure_content_safety',
  speech: 'azure_speech_services',
  blob: 'azure_blob',
  onelake: 'azure_one_lake',
  pypi: 'python_feed',
  acr: 'container_registry',
};
