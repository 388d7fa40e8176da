/**
 * Builds the JSON Schema (draft-07) of one connection document from the catalog. The result is checked in
 * as schema/connection.schema.json; editors use that file and the loader validates with the same file.
 * A unit test fails when the file and this generator disagree.
 *
 * Regenerate: npx tsx src/model/schema-gen.ts --write
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AZML_TYPES, COMMON_KEYS, CREDENTIAL_TYPES, REST_CATEGORIES, allowedKeys, genericType, normalizeName, spellingsOf, typeNamesForSchema, type TypeInfo,
} from './catalog';

export const SCHEMA_FILE = path.join(__dirname, '..', '..', 'schema', 'connection.schema.json');

export const NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$';

/** A pattern that matches each name ignoring case and underscores (the loader's spelling rule). */
export function spellingPattern(names: readonly string[]): string {
  const alternatives = [...new Set(names.map(normalizeName))].sort().map((n) =>
    [...n].map((ch) => (/[a-z]/.test(ch) ? `[${ch}${ch.toUpperCase()}]` : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('_*'),
  );
  return `^_*(?:${alternatives.join('|')})_*$`;
}

const FIELD_DOCS: Record<string, string> = {
  $schema: 'Any value; ignored (kept so editors can find this schema).',
  name: 'The connection name (the URL segment): 3 to 33 letters, digits, "_" or "-", starting with a letter or digit.',
  id: 'Ignored (what `az ml connection show` prints).',
  description: 'Accepted but not stored: the service has no description field.',
  tags: 'Deprecated alias of metadata; merged into metadata (metadata wins).',
  creation_context: 'Ignored (what `az ml connection show` prints).',
  type: 'The connection type: an az-ml type such as git or azure_open_ai, or any REST category by its name (e.g. Redis); rest:<Category> forces the generic form.',
  target: 'The URL, endpoint or resource the connection points to.',
  api_base: 'The target of an api_key connection.',
  url: 'The target of an azure_blob connection (the blob endpoint).',
  azure_endpoint: 'The target of an azure_open_ai connection (https://<resource>.openai.azure.com/).',
  endpoint: 'The target of AI services, AI search, content safety, speech, serverless and OneLake connections.',
  credentials: 'How the service authenticates; `type` says which form. Without it: none (AAD for datastores and Azure AI types).',
  is_shared: 'Share the connection with every user of the workspace (isSharedToAll). Default true.',
  metadata: 'Key/value pairs stored with the connection. Values are sent as text (true -> "True", 5 -> "5").',
  api_key: 'The API key (a secret; prefer $(VARIABLE)). Gives credentials of type api_key.',
  api_version: 'azure_open_ai: sent as metadata.ApiVersion.',
  open_ai_resource_id: 'azure_open_ai: the ARM id of the Azure OpenAI resource, sent as metadata.ResourceId.',
  ai_services_resource_id: 'azure_ai_services: the ARM id of the AI services resource, sent as metadata.ResourceId.',
  account_name: 'azure_blob: the storage account, sent as metadata.AccountName.',
  container_name: 'azure_blob: the container, sent as metadata.ContainerName.',
  one_lake_workspace_name: 'azure_one_lake: the Fabric workspace; the target becomes https://<endpoint>/<workspace>/<artifact>.',
  artifact: 'azure_one_lake: the lakehouse (name or id) and its type (lake_house).',
};

const CREDENTIAL_FIELD_DOCS: Record<string, string> = {
  type: 'The credential type.',
  pat: 'Personal access token (secret).',
  sas_token: 'Shared access signature (secret), sent as credentials.sas.',
  username: 'User name.',
  password: 'Password (secret).',
  security_token: 'Security token (secret), e.g. for Salesforce.',
  client_id: 'Client (application) id.',
  resource_id: 'Resource id of the managed identity.',
  client_secret: 'Client secret (secret).',
  tenant_id: 'Microsoft Entra tenant id.',
  authority_url: 'Accepted for azure-ai-ml compatibility; not sent.',
  access_key_id: 'Access key id.',
  secret_access_key: 'Secret access key (secret).',
  key: 'The API key (secret).',
  account_key: 'Storage account key (secret), sent as credentials.key.',
  keys: 'Named secret values (custom_keys), sent as credentials.keys.',
  auth_url: 'OAuth2 authorization URL.',
  developer_token: 'OAuth2 developer token (secret).',
  refresh_token: 'OAuth2 refresh token (secret).',
};

const SECRET_STRING = { type: ['string', 'null'] };
const STRING = { type: 'string' };

/** `rest:<Category>` (any category, any case). */
export function restPattern(): string {
  return spellingPattern(REST_CATEGORIES).replace('^', '^[rR][eE][sS][tT]:');
}

function typeCondition(names: readonly string[], withRest = false): Record<string, unknown> {
  const type = withRest
    ? { type: 'string', anyOf: [{ pattern: spellingPattern(names) }, { pattern: restPattern() }] }
    : { type: 'string', pattern: spellingPattern(names) };
  return { type: 'object', properties: { type }, required: ['type'] };
}

function thenFor(t: TypeInfo): Record<string, unknown> {
  const then: Record<string, unknown> = { propertyNames: { enum: allowedKeys(t) } };
  if (t.requiredFields.length) then.required = t.requiredFields;
  if (t.targetRequired) {
    // OneLake builds its target from all three fields: an endpoint alone would send https://<endpoint>//.Lakehouse
    const ways: Record<string, unknown>[] =
      t.shape === 'one_lake'
        ? [{ required: ['target'] }, { required: ['endpoint', 'one_lake_workspace_name', 'artifact'] }]
        : t.targetKeys.map((k) => ({ required: [k] }));
    then.anyOf = ways;
  }
  if (t.allowedCredentials) {
    then.properties = {
      credentials: { type: 'object', properties: { type: { type: 'string', pattern: spellingPattern(t.allowedCredentials) } } },
    };
  }
  return then;
}

export function buildConnectionSchema(): Record<string, unknown> {
  const { friendly, categories } = typeNamesForSchema();
  const credentialNames = CREDENTIAL_TYPES.map((c) => c.name);
  const credentialFields = new Map<string, Record<string, unknown>>();
  for (const c of CREDENTIAL_TYPES) {
    for (const field of c.fields) {
      const shape = field.map
        ? { type: 'object', additionalProperties: SECRET_STRING }
        : field.secret ? { ...SECRET_STRING } : { ...STRING };
      const prior = credentialFields.get(field.yaml);
      // a name that is secret in one type and plain in another (password, username) accepts null in both
      const merged = prior && JSON.stringify(prior.type) !== JSON.stringify(shape.type) && !field.map ? { ...SECRET_STRING } : shape;
      credentialFields.set(field.yaml, { ...merged, description: CREDENTIAL_FIELD_DOCS[field.yaml] ?? field.yaml });
    }
  }
  const allTopKeys = [...new Set([...COMMON_KEYS, ...AZML_TYPES.flatMap((t) => allowedKeys(t))])];
  const properties: Record<string, unknown> = {};
  for (const key of allTopKeys) {
    const description = FIELD_DOCS[key] ?? key;
    switch (key) {
      case 'name': properties[key] = { type: 'string', pattern: NAME_PATTERN, description }; break;
      case 'type':
        properties[key] = {
          description,
          anyOf: [
            { type: 'string', enum: [...friendly, ...categories] },
            { type: 'string', pattern: spellingPattern([...friendly, ...REST_CATEGORIES]) },
            { type: 'string', pattern: restPattern() },
          ],
        };
        break;
      case 'credentials': properties[key] = { $ref: '#/definitions/credentials', description }; break;
      case 'metadata': case 'tags': properties[key] = { $ref: '#/definitions/metadata', description }; break;
      case 'is_shared': properties[key] = { type: 'boolean', default: true, description }; break;
      case 'creation_context': properties[key] = { type: 'object', description }; break;
      case 'api_key': properties[key] = { ...SECRET_STRING, description }; break;
      case 'artifact':
        properties[key] = {
          type: 'object', description, required: ['name'], additionalProperties: false,
          properties: { name: { type: 'string', description: 'Lakehouse name or id.' }, type: { type: 'string', enum: ['lake_house'] } },
        };
        break;
      default: properties[key] = { type: 'string', description };
    }
  }
  const conditionals = AZML_TYPES.map((t) => ({ if: typeCondition(spellingsOf(t)), then: thenFor(t) }));
  conditionals.push({ if: typeCondition(categories, true), then: thenFor(genericType('generic')) });

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://azureml-connections.local/schema/connection.schema.json',
    title: 'Azure ML workspace connection',
    description:
      'One connection as `az ml connection create --file` reads it (azure-ai-ml), with our documented extensions. ' +
      'Values may reference pipeline variables as $(NAME). See docs/connection-yaml.md.',
    type: 'object',
    required: ['name', 'type'],
    properties,
    additionalProperties: false,
    allOf: conditionals,
    definitions: {
      metadata: {
        type: ['object', 'null'],
        additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
      },
      credentials: {
        type: 'object',
        required: ['type'],
        properties: {
          type: {
            description: 'The credential type (any case; underscores optional).',
            anyOf: [{ type: 'string', enum: credentialNames }, { type: 'string', pattern: spellingPattern(credentialNames) }],
          },
          ...Object.fromEntries(credentialFields),
        },
        additionalProperties: false,
        allOf: CREDENTIAL_TYPES.map((c) => ({
          if: { type: 'object', properties: { type: { type: 'string', pattern: spellingPattern([c.name]) } }, required: ['type'] },
          then: {
            propertyNames: { enum: ['type', ...c.fields.map((x) => x.yaml)] },
            ...(c.fields.some((x) => x.required) ? { required: c.fields.filter((x) => x.required).map((x) => x.yaml) } : {}),
          },
        })),
      },
    },
  };
}

export function schemaText(): string {
  return JSON.stringify(buildConnectionSchema(), null, 2) + '\n';
}

if (require.main === module) {
  if (process.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, schemaText());
    console.log(`wrote ${SCHEMA_FILE}`);
  } else {
    process.stdout.write(schemaText());
  }
}
