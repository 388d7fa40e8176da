/**
 * AzureMLConnectionExport@1 end to end: the bundled task, run as the agent runs it, against the sandbox.
 * The promotion: workspace A -> export (secrets: variables) -> Create on workspace B with those files and the
 * secret variables the export set -> A and B hold the same connections, compared through the sandbox.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionProperties, WorkspaceRef } from '../../src/arm/types';
import { assertCleanRun, startWorld, userConnections, type World } from '../support/world';

const EXPORT = 'AzureMLConnectionExportV1';
const CREATE = 'AzureMLConnectionCreateV1';
const LISTSECRETS = 'Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action';

const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({
  authType, category, isSharedToAll: true, metadata: {}, ...rest,
});

/** per test process, so no secret is the same from one run of the suite to the next */
const RUN = randomUUID().slice(0, 8);

/** One connection of every common category and auth type; each secret is unique so a leak is unambiguous. */
function seeds(tag: string): Record<string, ConnectionProperties> {
  const s = (field: string) => `${field}-${tag}-${RUN}-Zq7/+=&x`;
  return {
    'git-pat': p('PAT', 'Git', { target: 'https://dev.azure.com/contoso/ml/_git/models', credentials: { pat: s('pat') } }),
    'git-public': p('None', 'Git', { target: 'https://github.com/contoso/public', isSharedToAll: false }),
    'feed-up': p('UsernamePassword', 'PythonFeed', { target: 'https://pkgs.example.com/simple/', credentials: { username: 'build', password: s('feedpw') } }),
    'sf-token': p('UsernamePassword', 'Salesforce', { target: 'https://contoso.my.salesforce.com', credentials: { username: 'api@contoso.com', password: s('sfpw'), securityToken: s('sftok') } }),
    'acr-mi': p('ManagedIdentity', 'ContainerRegistry', { target: 'https://contoso.azurecr.io', credentials: { clientId: '11111111-2222-3333-4444-555555555555', resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr' } }),
    'acr-up': p('UsernamePassword', 'ContainerRegistry', { target: 'https://contoso.azurecr.io', credentials: { username: 'contoso', password: s('acrpw') } }),
    's3-landing': p('AccessKey', 'S3', { target: 's3://landing', credentials: { accessKeyId: 'AKIAEXAMPLE0001', secretAccessKey: s('s3sak') } }),
    'blob-key': p('AccountKey', 'AzureBlob', { target: 'https://contoso.blob.core.windows.net/data', metadata: { AccountName: 'contoso', ContainerName: 'data' }, credentials: { key: s('acctkey') } }),
    'blob-sas': p('SAS', 'AzureBlob', { target: 'https://contoso.blob.core.windows.net/raw', metadata: { AccountName: 'contoso', ContainerName: 'raw' }, credentials: { sas: `sv=2024&sig=${s('sas')}` } }),
    'adls-sp': p('ServicePrincipal', 'ADLSGen2', { target: 'https://contoso.dfs.core.windows.net/lake', credentials: { clientId: 'aaaaaaaa-0000-0000-0000-000000000001', clientSecret: s('spsecret'), tenantId: 'tttttttt-0000-0000-0000-000000000001' } }),
    'aoai-key': p('ApiKey', 'AzureOpenAI', { target: 'https://contoso.openai.azure.com/', metadata: { ApiType: 'Azure', ApiVersion: '2024-10-21', ResourceId: '/subscriptions/x/aoai' }, credentials: { key: s('aoaikey') } }),
    'aoai-aad': p('AAD', 'AzureOpenAI', { target: 'https://contoso2.openai.azure.com/', metadata: { ApiType: 'Azure' } }),
    'ais-key': p('ApiKey', 'AIServices', { target: 'https://contoso.cognitiveservices.azure.com/', metadata: { ResourceId: '/subscriptions/x/ais' }, credentials: { key: s('aiskey') } }),
    'search-key': p('ApiKey', 'CognitiveSearch', { target: 'https://contoso.search.windows.net', credentials: { key: s('searchkey') } }),
    'safety-aad': p('AAD', 'CognitiveService', { target: 'https://safety.cognitiveservices.azure.com/', metadata: { Kind: 'content_safety' } }),
    'api-generic': p('ApiKey', 'ApiKey', { target: 'https://api.example.com', credentials: { key: s('apikey') } }),
    'openai-key': p('ApiKey', 'OpenAI', { credentials: { key: s('sk') } }),
    'serverless-1': p('ApiKey', 'Serverless', { target: 'https://llama.westeurope.models.ai.azure.com', credentials: { key: s('slkey') } }),
    'weather-tool': p('CustomKeys', 'CustomKeys', { target: 'https://weather.example.com', metadata: { region: 'eu' }, credentials: { keys: { api_key: s('wkey'), account: s('wacct') } } }),
    'sf-oauth': p('OAuth2', 'Salesforce', {
      target: 'https://contoso2.my.salesforce.com',
      credentials: { authUrl: 'https://login.salesforce.com', clientId: '0b3c8f4e-2a64-4a55-9a3c-6f2d7c1e9b10', clientSecret: s('oacs'), refreshToken: s('oart'), username: 'oauth@contoso.com' },
    }),
    'cosmos-key': p('AccountKey', 'CosmosDb', { target: 'https://contoso.documents.azure.com', credentials: { key: s('cosmoskey') } }),
    'redis-aad': p('AAD', 'Redis', { target: 'contoso.redis.cache.windows.net:6380' }),
    'sql-none': p('None', 'AzureSqlDb', { target: 'Server=tcp:contoso.database.windows.net;Database=ml', metadata: { team: 'data', ManagedBy: 'AzureMLConnections' } }),
    // created by the workspace itself (a hub's default connection): exported like any other
    'hub-aiservices': p('AAD', 'AIServices', { target: 'https://hub.cognitiveservices.azure.com/', metadata: { ResourceId: '/subscriptions/x/hub-ais' }, group: 'AzureAI' }),
  };
}

/** What the workspace stores, without what the service or our marker adds. */
function comparable(world: World, ws: WorkspaceRef, name: string): ConnectionProperties | undefined {
  const c = world.sandbox.storedConnection(ws, name);
  if (!c) return undefined;
  const { createdByWorkspaceArmId: _id, group: _g, ...props } = c.properties;
  const metadata = { ...(props.metadata ?? {}) };
  delete metadata.ManagedBy;
  delete metadata.SecretDigest; // B's digest is keyed with B's own key
  return { ...props, metadata };
}

function secretValues(all: Record<string, ConnectionProperties>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string' && !['username', 'clientId', 'tenantId', 'resourceId', 'accessKeyId', 'authUrl'].includes(key)) out.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  for (const props of Object.values(all)) walk(props.credentials, '');
  return out;
}

function readFolder(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const assertClean = assertCleanRun;

describe('AzureMLConnectionExport@1 end to end (bundled task, sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  it('promotes every category and auth type from A to B with secret variables, losslessly and without writing a secret', async () => {
    const a = { ...world.ws, workspace: 'mlw-dev-a' };
    const b = { ...world.ws, workspace: 'mlw-prod-b' };
    world.sandbox.addWorkspace(a);
    world.sandbox.addWorkspace(b);
    const seeded = seeds('a');
    for (const [name, props] of Object.entries(seeded)) world.sandbox.seedConnection(a, name, props);
    const secrets = secretValues(seeded);
    const workDir = world.newWorkDir(false);
    const out = join(workDir, 'staging', 'connections');

    // 1. export with variables (default outputPath under Build.ArtifactStagingDirectory)
    world.sandbox.resetRequests();
    const exp = await world.run(EXPORT, 'wif', {
      workDir, debug: true, variables: { 'Build.ArtifactStagingDirectory': join(workDir, 'staging') },
      inputs: { workspaceName: a.workspace, secrets: 'variables' },
    });
    assert.equal(exp.result, 'Succeeded', exp.resultMessage + '\n' + exp.errors.join('\n') + exp.warnings.join('\n') + exp.stderr);
    const names = Object.keys(seeded).sort();
    assert.equal(exp.outputs.exported, String(names.length));
    assert.equal(exp.outputs.outputPath, out);
    assert.deepEqual(readdirSync(out).sort(), names.map((n) => `${n}.yml`));
    const armRequests = world.sandbox.requests.filter((r) => r.service === 'arm');
    assert.equal(armRequests.filter((r) => r.method !== 'GET' && r.method !== 'POST').length, 0, 'export writes nothing');
    assert.equal(armRequests.filter((r) => r.path.endsWith('/listsecrets')).length, names.filter((n) => !['None', 'AAD'].includes(seeded[n]!.authType)).length);

    // the secret variables: exactly the placeholders, each registered with the agent before it was set
    const vars = exp.secretVariablesSet;
    assert.equal(vars.AZUREML_GIT_PAT_PAT, seeded['git-pat']!.credentials!.pat);
    assert.equal(vars.AZUREML_ADLS_SP_CLIENT_SECRET, seeded['adls-sp']!.credentials!.clientSecret);
    assert.equal(vars.AZUREML_WEATHER_TOOL_API_KEY, (seeded['weather-tool']!.credentials!.keys as Record<string, string>).api_key);
    assert.equal(vars.AZUREML_SF_TOKEN_SECURITY_TOKEN, seeded['sf-token']!.credentials!.securityToken);
    assert.deepEqual(Object.values(vars).sort(), [...secrets].sort(), 'one variable per stored secret');
    for (const [name, value] of Object.entries(vars)) {
      const setAt = exp.commands.findIndex((c) => c.name === 'task.setvariable' && c.props.variable === name);
      const registeredAt = exp.commands.findIndex((c) => c.name === 'task.setsecret' && c.data === value);
      assert.ok(registeredAt >= 0 && registeredAt < setAt, `${name} registered before it was set`);
    }
    const files = readFolder(out);
    for (const name of Object.keys(vars)) assert.ok(Object.values(files).some((t) => t.includes(`$(${name})`)), `${name} referenced`);
    assert.equal(files['git-pat.yml'], 'name: git-pat\ntype: git\ntarget: https://dev.azure.com/contoso/ml/_git/models\ncredentials:\n  type: pat\n  pat: $(AZUREML_GIT_PAT_PAT)\nis_shared: true\n');
    assert.equal(files['sql-none.yml'], 'name: sql-none\ntype: azure_sql_db\ntarget: Server=tcp:contoso.database.windows.net;Database=ml\nis_shared: true\nmetadata:\n  team: data\n', 'our marker is not exported');
    assert.match(files['redis-aad.yml']!, /^type: Redis$/m, 'generic form');
    assert.ok(!Object.values(files).some((t) => /createdByWorkspaceArmId|group:|ManagedBy/.test(t)));
    assert.ok(exp.summaries[0]!.includes(a.workspace) && exp.summaries[0]!.includes('generic form'), exp.summaries[0]);
    assertClean(exp, world, secrets, Object.keys(files).map((f) => join(out, f)));

    // 2. Create on B with those files and those variables
    const create = await world.run(CREATE, 'spnKey', {
      workDir, secretVariables: vars, inputs: { workspaceName: b.workspace, connectionFiles: `${out}/*.yml` },
    });
    assert.equal(create.result, 'Succeeded', create.resultMessage + '\n' + create.errors.join('\n'));
    assert.equal(create.outputs.created, String(names.length));
    assertClean(create, world, secrets, []);

    // 3. A and B hold the same connections, secrets included (read from the sandbox)
    assert.deepEqual(userConnections(world, b).map((c) => c.name).sort(), names);
    for (const name of names) assert.deepEqual(comparable(world, b, name), comparable(world, a, name), name);

    // 4. a re-export is byte-identical, into a fresh folder and into the same one (nothing rewritten)
    const again = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: a.workspace, outputPath: 'again' } });
    assert.equal(again.result, 'Succeeded', again.resultMessage);
    assert.deepEqual(readFolder(join(workDir, 'again')), files);
    assert.deepEqual(again.secretVariablesSet, {}, 'placeholders mode sets no variable');
    const same = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: a.workspace, outputPath: out } });
    assert.match(same.resultMessage, new RegExp(`0 written, ${names.length} unchanged`));
    assert.deepEqual(readFolder(out), files);
    // and exporting B (written by Create, so marked) gives the very same files
    const fromB = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: b.workspace, outputPath: 'from-b' } });
    assert.deepEqual(readFolder(join(workDir, 'from-b')), files);
    assertClean(fromB, world, secrets, Object.keys(files).map((f) => join(workDir, 'from-b', f)));
  });

  it('filters by names (any case) and by az-ml types or REST categories, and names a missing connection', async () => {
    const ws = { ...world.ws, workspace: 'mlw-filter' };
    world.sandbox.addWorkspace(ws);
    for (const [name, props] of Object.entries(seeds('f'))) world.sandbox.seedConnection(ws, name, props);
    const workDir = world.newWorkDir(false);

    const byCategory = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'c', categories: 'custom\nAZURE_AI_SEARCH\nGit\nazure_content_safety' } });
    assert.equal(byCategory.result, 'Succeeded', byCategory.resultMessage);
    assert.deepEqual(readdirSync(join(workDir, 'c')).sort(), ['git-pat.yml', 'git-public.yml', 'safety-aad.yml', 'search-key.yml', 'weather-tool.yml']);

    const byName = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'n', connectionNames: 'GIT-PAT\nredis-aad' } });
    assert.equal(byName.outputs.exported, '2');
    assert.deepEqual(readdirSync(join(workDir, 'n')).sort(), ['git-pat.yml', 'redis-aad.yml']);

    const missing = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'm', connectionNames: 'git-pat\nno-such-conn' } });
    assert.equal(missing.result, 'Failed');
    assert.match(missing.resultMessage, /'no-such-conn'/);

    const typo = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 't', categories: 'PythonFed' } });
    assert.equal(typo.result, 'Failed');
    assert.match(typo.resultMessage, /did you mean 'python_feed'/i);
  });

  it("opens its first reads' connections while it signs in: the list does not wait for a connection's TCP and TLS set-up", async () => {
    // each new connection takes 300 ms to become usable, each ARM answer 100 ms: the first token (a connection
    // to Entra of its own, then two answers) takes longer than that, and the list goes out only after it
    const ws = { ...world.ws, workspace: 'mlw-export-ahead' };
    world.sandbox.addWorkspace(ws);
    for (const [name, props] of Object.entries(seeds('a'))) world.sandbox.seedConnection(ws, name, props);
    const workDir = world.newWorkDir(false);
    world.sandbox.resetRequests();
    Object.assign(world.sandbox, { latencyMs: 100, connectLatencyMs: 300 });
    try {
      const run = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'ahead', connectionNames: 'git-pat' } });
      assert.equal(run.result, 'Succeeded', run.resultMessage);
    } finally {
      Object.assign(world.sandbox, { latencyMs: 0, connectLatencyMs: 0 });
    }
    const entra = world.sandbox.requests.filter((r) => r.service === 'entra');
    assert.ok((entra[0]?.setUpMs ?? 0) > 250, `the sign-in's first request did wait for its connection (${entra[0]?.setUpMs} ms): the set-up is there to hide`);
    const arm = world.sandbox.requests.filter((r) => r.service === 'arm');
    const list = arm.find((r) => r.method === 'GET' && /\/connections$/.test(r.path));
    const secrets = arm.find((r) => /\/git-pat\/listsecrets$/.test(r.path));
    assert.ok(list && secrets, arm.map((r) => `${r.method} ${r.path}`).join('\n'));
    assert.deepEqual([list, secrets].map((r) => Math.round(r?.setUpMs ?? 0)), [0, 0], 'the list and the first listsecrets found their connections set up');
  });

  it('without listsecrets: variables fails naming the permission; placeholders still exports and says what is missing', async () => {
    const ws = { ...world.ws, workspace: 'mlw-denied' };
    world.sandbox.addWorkspace(ws);
    const seeded = seeds('d');
    for (const [name, props] of Object.entries(seeded)) world.sandbox.seedConnection(ws, name, props);
    world.sandbox.denyListSecrets(ws);
    const workDir = world.newWorkDir(false);

    const vars = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'v', secrets: 'variables' } });
    assert.equal(vars.result, 'Failed');
    assert.ok(vars.resultMessage.includes(LISTSECRETS), vars.resultMessage);
    assert.deepEqual(vars.secretVariablesSet, {});

    const ph = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'p' } });
    assert.equal(ph.result, 'SucceededWithIssues', ph.resultMessage);
    assert.ok(ph.warnings.some((w) => w.includes(LISTSECRETS)), ph.warnings.join('\n'));
    assert.equal(readFileSync(join(workDir, 'p', 'git-pat.yml'), 'utf8'), 'name: git-pat\ntype: git\ntarget: https://dev.azure.com/contoso/ml/_git/models\ncredentials:\n  type: pat\n  pat: $(AZUREML_GIT_PAT_PAT)\nis_shared: true\n');
    assertClean(ph, world, secretValues(seeded), readdirSync(join(workDir, 'p')).map((f) => join(workDir, 'p', f)));
    world.sandbox.denyListSecrets(ws, false);
  });

  it('leaves files it did not write alone and says so; outside text never becomes a logging command', async () => {
    const ws = { ...world.ws, workspace: 'mlw-others' };
    world.sandbox.addWorkspace(ws);
    world.sandbox.seedConnection(ws, 'evil-meta', p('None', 'Git', { target: 'https://x.example/##vso[task.setvariable variable=pwned]1', metadata: { note: '##vso[task.complete result=Failed]x' } }));
    const workDir = mkdtempSync(join(tmpdir(), 'amlc-export-'));
    const out = join(workDir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.yml'), 'name: stale\ntype: git\ntarget: https://x.example/stale\n');
    writeFileSync(join(out, 'README.md'), 'keep me\n');
    const run = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: out } });
    assert.equal(run.result, 'Succeeded', run.resultMessage);
    assert.deepEqual(readdirSync(out).sort(), ['README.md', 'evil-meta.yml', 'stale.yml']);
    assert.ok(run.warnings.some((w) => w.includes('stale.yml')), run.warnings.join('\n'));
    assert.ok(!run.commands.some((c) => c.name === 'task.setvariable' && c.props.variable === 'pwned'));
    assert.equal(run.commands.filter((c) => c.name === 'task.complete').length, 1);
    assertClean(run, world, [], []);
  });
});
