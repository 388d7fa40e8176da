import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Ajv from 'ajv';
import {
  AZML_TYPES, CREDENTIAL_TYPES, REST_CATEGORIES, camelToSnake, closest, resolveCredentialType, resolveType, snakeToCamel, azmlAcceptsSpelling,
} from '../../../src/model/catalog';
import { SCHEMA_FILE, schemaText } from '../../../src/model/schema-gen';
import { validateDocument } from '../../../src/model';
import { load } from './helpers';

/** The spellings azure-ai-ml accepts for a type (§4b), plus the ones we add. */
function spellings(name: string): string[] {
  const pascal = snakeToCamel(name);
  return [name, name.toUpperCase(), pascal, pascal.charAt(0).toLowerCase() + pascal.slice(1), pascal.toUpperCase(), pascal.toLowerCase()];
}

function minimalDoc(type: string, credentials?: string): Record<string, unknown> {
  const t = resolveType(type)!;
  const doc: Record<string, unknown> = { name: 'conn-1', type };
  // OneLake builds its target from endpoint + workspace + artifact, so its shortest form is the full target
  if (t.targetKeys.length) doc[t.shape === 'one_lake' ? 'target' : t.targetKeys[t.targetKeys.length - 1]] = 'https://x';
  for (const f of t.requiredFields) doc[f] = 'v';
  if (credentials) {
    const c = resolveCredentialType(credentials)!;
    doc.credentials = { type: credentials, ...Object.fromEntries(c.fields.filter((f) => f.required).map((f) => [f.yaml, 'v'])) };
  }
  return doc;
}

describe('model: JSON Schema', () => {
  it('schema/connection.schema.json is what the catalog generates (npx tsx src/model/schema-gen.ts --write)', () => {
    assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), schemaText());
  });

  it('is a valid draft-07 schema that compiles in strict mode', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
    assert.ok(schema.properties.type.anyOf[0].enum.includes('azure_open_ai'));
    assert.ok(schema.properties.type.anyOf[0].enum.includes('Redis'));
    assert.deepEqual(schema.definitions.credentials.properties.type.anyOf[0].enum.slice(0, 13), [
      'pat', 'sas', 'username_password', 'sql_auth', 'managed_identity', 'service_principal', 'access_key', 'api_key',
      'account_key', 'aad', 'none', 'custom_keys', 'oauth2',
    ]);
  });

  it('accepts every spelling the loader accepts, for every type and every REST category', () => {
    for (const t of AZML_TYPES) {
      for (const s of spellings(t.name)) {
        const doc = minimalDoc(s);
        assert.deepEqual(validateDocument(doc), [], s);
        const r = load({ 'x.yml': JSON.stringify(doc) });
        assert.equal(r.connections[0]?.yamlType, t.name, s);
      }
    }
    for (const c of REST_CATEGORIES) {
      for (const s of [c, c.toLowerCase(), c.toUpperCase(), camelToSnake(c), `rest:${c}`, `REST:${c.toLowerCase()}`]) {
        const doc = minimalDoc(s);
        assert.deepEqual(validateDocument(doc), [], s);
        const r = load({ 'x.yml': JSON.stringify(doc) });
        assert.equal(r.connections[0]?.properties.category, resolveType(s)!.category, s);
      }
    }
  });

  it('accepts every credential type spelling, and the loader agrees with the schema', () => {
    for (const c of CREDENTIAL_TYPES) {
      for (const s of [c.name, c.name.toUpperCase(), snakeToCamel(c.name), c.authType]) {
        assert.equal(resolveCredentialType(s), c.aliasOf ? resolveCredentialType(s) : c, s);
        const doc = minimalDoc('git', s);
        assert.deepEqual(validateDocument(doc), [], s);
        const r = load({ 'x.yml': JSON.stringify(doc) });
        assert.equal(r.connections[0]?.properties.authType, c.authType, s);
      }
    }
  });

  it('follows azure-ai-ml spelling rules when telling which spellings az ml itself accepts (§4b)', () => {
    const t = (n: string) => AZML_TYPES.find((x) => x.name === n)!;
    assert.ok(azmlAcceptsSpelling('PYTHON_FEED', t('python_feed')));
    assert.ok(azmlAcceptsSpelling('pythonFeed', t('python_feed')));
    assert.ok(azmlAcceptsSpelling('AzureOpenAI', t('azure_open_ai')));
    assert.ok(azmlAcceptsSpelling('AzureAISearch', t('azure_ai_search')));
    assert.ok(azmlAcceptsSpelling('SERP', t('serp')));
    assert.ok(!azmlAcceptsSpelling('AZURE_OPEN_AI', t('azure_open_ai')));
    assert.ok(!azmlAcceptsSpelling('API_KEY', t('api_key')));
  });

  it('suggests near spellings only', () => {
    assert.equal(closest('azure_endpont', ['azure_endpoint', 'api_version']), 'azure_endpoint');
    assert.equal(closest('gti', ['git', 's3']), 'git');
    assert.equal(closest('api_key', ['key']), 'key');
    assert.equal(closest('completely_else', ['git', 's3']), undefined);
  });
});

describe('model: metadata values', () => {
  it('sends text as written, booleans as True/False and numbers with String(n), never null', () => {
    const r = load({ 'm.yml': 'name: meta-1\ntype: git\ntarget: https://g\nmetadata:\n  s: text\n  b: true\n  y: yes\n  n: 5\n  f: 1.50\n  z: ~\n  q: "007"\n' });
    assert.deepEqual(r.connections[0].properties.metadata, { s: 'text', b: 'True', y: 'True', n: '5', f: '1.5', q: '007' });
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.location?.line, d.message]), [
      ['warning', 10, "metadata 'z' has no value and is not sent; give it a value or remove it."],
    ]);
  });

  it('builds OneLake targets, treating a real GUID as a lakehouse id (bug 6)', () => {
    const guid = '0a1b2c3d-1234-5678-9abc-def012345678';
    const r = load({ 'l.yml': `name: lake-1\ntype: azure_one_lake\nendpoint: https://onelake.dfs.fabric.microsoft.com\none_lake_workspace_name: ws\nartifact:\n  name: ${guid}\n  type: lake_house\n` });
    assert.equal(r.connections[0].properties.target, `https://onelake.dfs.fabric.microsoft.com/ws/${guid}`);
    assert.equal(r.connections[0].notes.length, 2);
    assert.match(r.connections[0].notes[1], /azure-ai-ml would append '\.Lakehouse'/);
  });
});
