import * as assert from 'node:assert/strict';
import type { ArmConnection, ConnectionProperties } from '../../../src/arm/types';
import { serializeDocuments, toConnectionDocument } from '../../../src/model';
import { load, variables } from './helpers';

const conn = (name: string, properties: ConnectionProperties): ArmConnection => ({ name, properties });
const props = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({
  authType, category, isSharedToAll: true, metadata: {}, ...rest,
});

/** ARM connections (as listsecrets returns them) covering every auth type, az-ml types and the generic form. */
const CASES: ArmConnection[] = [
  conn('git-pat', props('PAT', 'Git', { target: 'https://g', credentials: { pat: 'pat-value' } })),
  conn('blob-sas', props('SAS', 'AzureBlob', { target: 'https://a.blob.core.windows.net', metadata: { AccountName: 'a', ContainerName: 'c' }, credentials: { sas: 'sv=1&sig=x' } })),
  conn('feed-up', props('UsernamePassword', 'PythonFeed', { target: 'https://f', credentials: { username: 'u', password: 'pw' } })),
  conn('sf-token', props('UsernamePassword', 'Salesforce', { target: 'https://sf', credentials: { username: 'u', password: 'pw', securityToken: 'tok' } })),
  conn('git-none', props('None', 'Git', { target: 'https://g', isSharedToAll: false })),
  conn('acr-mi', props('ManagedIdentity', 'ContainerRegistry', { target: 'https://r.azurecr.io', credentials: { clientId: 'cid', resourceId: '/subscriptions/s/rg/x' } })),
  conn('acr-mi-rid', props('ManagedIdentity', 'ContainerRegistry', { target: 'https://r.azurecr.io', credentials: { resourceId: '/subscriptions/s/rg/y' } })),
  conn('blob-key', props('AccountKey', 'AzureBlob', { target: 'https://a', metadata: { AccountName: 'a', ContainerName: 'c', four: 'five' }, credentials: { key: 'k==' } })),
  conn('adls-sp', props('ServicePrincipal', 'ADLSGen2', { target: 'https://d', credentials: { clientId: 'c', clientSecret: 's', tenantId: 't' } })),
  conn('s3-ak', props('AccessKey', 'S3', { target: 'bucket', credentials: { accessKeyId: 'AKIA', secretAccessKey: 'sak' } })),
  conn('aoai-key', props('ApiKey', 'AzureOpenAI', { target: 'https://o', metadata: { ApiType: 'Azure', ApiVersion: '2024-10-21', ResourceId: '/sub/x' }, credentials: { key: 'k1' } })),
  conn('aoai-aad', props('AAD', 'AzureOpenAI', { target: 'https://o', metadata: { ApiType: 'Azure' } })),
  conn('aoai-odd', props('AAD', 'AzureOpenAI', { target: 'https://o', metadata: { ApiType: 'azure_ad' } })),
  conn('ais-key', props('ApiKey', 'AIServices', { target: 'https://ai', metadata: { ResourceId: '/sub/ai' }, credentials: { key: 'k2' } })),
  conn('search-aad', props('AAD', 'CognitiveSearch', { target: 'https://s' })),
  conn('cs-key', props('ApiKey', 'CognitiveService', { target: 'https://cs', metadata: { Kind: 'content_safety' }, credentials: { key: 'k3' } })),
  conn('speech-aad', props('AAD', 'CognitiveService', { target: 'https://sp', metadata: { Kind: 'speech' } })),
  conn('cogsvc-other', props('ApiKey', 'CognitiveService', { target: 'https://cv', metadata: { Kind: 'ComputerVision' }, credentials: { key: 'k4' } })),
  conn('apikey-1', props('ApiKey', 'ApiKey', { target: 'https://api', credentials: { key: 'k5' } })),
  conn('openai-1', props('ApiKey', 'OpenAI', { credentials: { key: 'sk-1' } })),
  conn('serp-1', props('ApiKey', 'Serp', { credentials: { key: 'k6' } })),
  conn('serverless-1', props('ApiKey', 'Serverless', { target: 'https://sl', credentials: { key: 'k7' } })),
  conn('custom-keys', props('CustomKeys', 'CustomKeys', { target: 'https://c', metadata: { ApiVersion: '1' }, credentials: { keys: { b: 'vb', a: 'va' } } })),
  conn('custom-apikey', props('ApiKey', 'CustomKeys', { target: 'https://c', credentials: { key: 'k8' } })),
  conn('oauth-1', props('OAuth2', 'Salesforce', {
    target: 'https://sf', credentials: {
      authUrl: 'https://login', clientId: '00000000-0000-0000-0000-000000000001', clientSecret: 'cs', developerToken: 'dt',
      password: 'pw', refreshToken: 'rt', tenantId: 'tid', username: 'user',
    },
  })),
  conn('lake-sp', props('ServicePrincipal', 'AzureOneLake', { target: 'https://onelake/ws/lh.Lakehouse', credentials: { clientId: 'c', clientSecret: 's', tenantId: 't' } })),
  conn('redis-aad', props('AAD', 'Redis', { target: 'redis://r' })),
  conn('mcp-pmi', props('ProjectManagedIdentity', 'RemoteTool', { target: 'https://mcp', metadata: { audience: 'x' } })),
  conn('sp-upn', props('UserEntraToken', 'Sharepoint', { target: 'https://sp' })),
  // what the az-ml types cannot express goes out as rest:<Category>
  conn('blob-mi', props('ManagedIdentity', 'AzureBlob', { target: 'https://b', credentials: { clientId: 'c' } })),
  conn('openai-target', props('ApiKey', 'OpenAI', { target: 'https://proxy', credentials: { key: 'k9' } })),
];

/** Secrets are written as $(AZUREML_<NAME>_<FIELD>) and supplied as secret variables on the way back. */
function exportAll(list: ArmConnection[]): { yaml: string; vars: Record<string, { value: string; secret: boolean }> } {
  const vars: Record<string, { value: string; secret: boolean }> = {};
  const docs = list.map((c) => toConnectionDocument(c, {
    secretValue: (field) => {
      const creds = (c.properties.credentials ?? {}) as Record<string, unknown>;
      const value = field.startsWith('keys.') ? (creds.keys as Record<string, string>)[field.slice(5)] : creds[field];
      if (typeof value !== 'string') return undefined;
      const name = `AZUREML_${c.name}_${field}`.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
      vars[name] = { value, secret: true };
      return `$(${name})`;
    },
  }));
  return { yaml: serializeDocuments(docs), vars };
}

describe('model: ARM -> YAML -> ARM round trips', () => {
  it('gives back the same properties for every auth type and category', () => {
    const { yaml, vars } = exportAll(CASES);
    const r = load({ 'export.yml': yaml }, { variables: variables(vars) });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], yaml);
    assert.equal(r.connections.length, CASES.length);
    r.connections.forEach((spec, i) => {
      assert.equal(spec.name, CASES[i].name);
      assert.deepEqual(spec.properties, CASES[i].properties, `${spec.name}\n${yaml}`);
      assert.deepEqual(spec.missingSecrets, [], spec.name);
    });
    for (const v of Object.values(vars)) assert.ok(r.secrets.has(v.value));
  });

  it('uses az-ml types where they exist, the generic form otherwise', () => {
    const types = CASES.map((c) => toConnectionDocument(c, { secretValue: () => undefined }).type);
    assert.deepEqual(types, [
      'git', 'azure_blob', 'python_feed', 'Salesforce', 'git', 'container_registry', 'container_registry', 'azure_blob',
      'azure_data_lake_gen2', 's3', 'azure_open_ai', 'azure_open_ai', 'rest:AzureOpenAI', 'azure_ai_services', 'azure_ai_search',
      'azure_content_safety', 'azure_speech_services', 'CognitiveService', 'api_key', 'open_ai', 'serp', 'serverless', 'custom',
      'custom', 'Salesforce', 'azure_one_lake', 'Redis', 'RemoteTool', 'Sharepoint', 'rest:AzureBlob', 'rest:OpenAI',
    ]);
  });

  it('writes a stable, readable document', () => {
    const aoai = CASES.find((c) => c.name === 'aoai-key')!;
    const mi = CASES.find((c) => c.name === 'acr-mi-rid')!;
    const oauth = CASES.find((c) => c.name === 'oauth-1')!;
    const text = serializeDocuments([aoai, mi, oauth].map((c) => toConnectionDocument(c, { secretValue: (f) => `$(SECRET_${f.toUpperCase()})` })));
    assert.equal(text, [
      'name: aoai-key', 'type: azure_open_ai', 'azure_endpoint: https://o', 'api_version: "2024-10-21"', 'open_ai_resource_id: /sub/x',
      'api_key: $(SECRET_KEY)', 'is_shared: true', '---',
      // bug 5: resource_id is kept without client_id
      'name: acr-mi-rid', 'type: container_registry', 'target: https://r.azurecr.io', 'credentials:', '  type: managed_identity',
      '  resource_id: /subscriptions/s/rg/y', 'is_shared: true', '---',
      'name: oauth-1', 'type: Salesforce', 'target: https://sf', 'credentials:', '  type: oauth2', '  auth_url: https://login',
      '  client_id: 00000000-0000-0000-0000-000000000001', '  client_secret: $(SECRET_CLIENTSECRET)', '  developer_token: $(SECRET_DEVELOPERTOKEN)',
      '  password: $(SECRET_PASSWORD)', '  refresh_token: $(SECRET_REFRESHTOKEN)', '  tenant_id: tid', '  username: user', 'is_shared: true', '',
    ].join('\n'));
  });

  it('reads datastore None as AAD (bug 18), drops null metadata, and leaves unknown secrets out', () => {
    const adls = conn('adls-none', { authType: 'None', category: 'ADLSGen2', target: 'https://d', metadata: null as unknown as Record<string, string>, isSharedToAll: true });
    const doc = toConnectionDocument(adls, { secretValue: () => undefined });
    assert.deepEqual(doc, { name: 'adls-none', type: 'azure_data_lake_gen2', target: 'https://d', is_shared: true });
    const r = load({ 'a.yml': serializeDocuments([doc]) });
    assert.deepEqual(r.connections[0].properties, { authType: 'AAD', category: 'ADLSGen2', isSharedToAll: true, metadata: {}, target: 'https://d' });

    const withNull = conn('meta-null', props('None', 'Git', { target: 'https://g', metadata: { a: 'b', gone: null as unknown as string } }));
    assert.deepEqual(toConnectionDocument(withNull, { secretValue: () => undefined }).metadata, { a: 'b' });

    // a GET result carries no secrets: the document says nothing, and loading it reports the secret as missing
    const pat = conn('git-get', props('PAT', 'Git', { target: 'https://g' }));
    const patDoc = toConnectionDocument(pat, { secretValue: () => undefined });
    assert.deepEqual(patDoc.credentials, { type: 'pat' });
    assert.deepEqual(load({ 'p.yml': serializeDocuments([patDoc]) }).connections[0].missingSecrets, ['pat']);
  });

  it('quotes values YAML would otherwise read as something else', () => {
    const c = conn('quote-me', props('None', 'Git', { target: 'yes', metadata: { n: '5', b: 'True', o: 'on', e: '' } }));
    const text = serializeDocuments([toConnectionDocument(c, { secretValue: () => undefined })]);
    const r = load({ 'q.yml': text });
    assert.deepEqual(r.connections[0].properties, c.properties, text);
  });
});
