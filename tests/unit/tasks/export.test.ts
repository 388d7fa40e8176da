import * as assert from 'node:assert/strict';
import type { ConnectionProperties } from '../../../src/arm/types';
import { isUserError } from '../../../src/core/errors';
import { MemoryLog } from '../../../src/core/log';
import { SecretSet, secretEncodings } from '../../../src/core/secrets';
import { setMessageTranslator } from '../../../src/messages';
import { loadConnections } from '../../../src/model';
import { secretFieldName, secretVariableName } from '../../../src/model/placeholders';
import {
  fileStem,
  parseCategoryFilters,
  runExport,
  selectConnections,
  type ExportServices,
  type ExportSettings,
} from '../../../src/tasks/export';
import { FakeConnectionsApi } from '../engine/fake-api';
import { workspaceSettings } from './fakes';

const OUT = '/out/connections';
const PAT = 'ghp_ExportPat_0123456789';
const FEED_PW = 'feed-Pa$$w0rd/+=';
const SP_SECRET = 'sp~Secret.value_987';
const KEY_A = 'custom-key-A-12345';

const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({
  authType, category, isSharedToAll: true, metadata: {}, ...rest,
});

function setup(settings: Partial<ExportSettings> = {}, files: Record<string, string> = {}) {
  const api = new FakeConnectionsApi();
  const log = new MemoryLog();
  const events: string[] = [];
  const secrets = new SecretSet();
  const sink = { add: (v: string | undefined) => { if (v) events.push(`secret:${v}`); secrets.add(v); } };
  const outputs: Record<string, string> = {};
  const variables: Record<string, string> = {};
  const summaries: string[] = [];
  const writes: string[] = [];
  const fs: Record<string, string> = { ...files };
  const services: ExportServices = {
    log,
    secrets: sink,
    outputs: {
      set: (k, v) => (outputs[k] = v),
      setSecretVariable: (k, v) => { events.push(`variable:${k}`); variables[k] = v; },
      uploadSummary: (_f, md) => summaries.push(md),
    },
    files: {
      list: (dir) => {
        if (fs[dir] !== undefined) return undefined; // a file
        return Object.keys(fs).filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1));
      },
      read: (path) => fs[path],
      write: (path, text) => { writes.push(path); fs[path] = text; },
    },
    connect: async () => ({ api, ref: api.workspace }),
    now: () => new Date('2025-03-04T05:06:07Z'),
  };
  const s: ExportSettings = {
    ...workspaceSettings('AzureMLConnectionExport@1'),
    connectionNames: [],
    categories: [],
    outputPath: OUT,
    secrets: 'placeholders',
    ...settings,
  };
  return { api, log, events, secrets, outputs, variables, summaries, writes, fs, services, settings: s };
}

function seedDev(api: FakeConnectionsApi): void {
  api.seed('git-repo', p('PAT', 'Git', { target: 'https://github.com/contoso/repo', credentials: { pat: PAT }, metadata: { ManagedBy: 'AzureMLConnections' } }));
  api.seed('Feed', p('UsernamePassword', 'PythonFeed', { target: 'https://pkgs/simple/', credentials: { username: 'build', password: FEED_PW } }));
  api.seed('adls', p('ServicePrincipal', 'ADLSGen2', { target: 'https://d', credentials: { clientId: 'cid', clientSecret: SP_SECRET, tenantId: 'tid' } }));
  api.seed('tool', p('CustomKeys', 'CustomKeys', { target: 'https://t', credentials: { keys: { 'key-a': KEY_A } } }));
  api.seed('aoai', p('AAD', 'AzureOpenAI', { target: 'https://o', metadata: { ApiType: 'Azure' } }));
}

const ALL_SECRETS = [PAT, FEED_PW, SP_SECRET, KEY_A];

function assertNoSecret(texts: string[]): void {
  for (const s of ALL_SECRETS) for (const form of secretEncodings(s)) for (const t of texts) assert.ok(!t.includes(form), `secret in ${t}`);
}

describe('tasks/export', () => {
  it('writes one deterministic file per connection in name order, keeps non-secret credential fields, and never a secret', async () => {
    const t = setup();
    seedDev(t.api);
    const out = await runExport(t.settings, t.services);
    assert.equal(out.result, 'Succeeded', out.message + t.log.lines.join('\n'));
    assert.equal(out.message, `Exported 5 connection(s) to ${OUT} (5 written, 0 unchanged).`);
    assert.deepEqual(t.writes, ['adls', 'aoai', 'Feed', 'git-repo', 'tool'].map((n) => `${OUT}/${n}.yml`));
    assert.equal(t.fs[`${OUT}/git-repo.yml`], 'name: git-repo\ntype: git\ntarget: https://github.com/contoso/repo\ncredentials:\n  type: pat\n  pat: $(AZUREML_GIT_REPO_PAT)\nis_shared: true\n');
    assert.equal(t.fs[`${OUT}/Feed.yml`], 'name: Feed\ntype: python_feed\ntarget: https://pkgs/simple/\ncredentials:\n  type: username_password\n  username: build\n  password: $(AZUREML_FEED_PASSWORD)\nis_shared: true\n');
    assert.equal(t.fs[`${OUT}/adls.yml`], 'name: adls\ntype: azure_data_lake_gen2\ntarget: https://d\ncredentials:\n  type: service_principal\n  client_id: cid\n  client_secret: $(AZUREML_ADLS_CLIENT_SECRET)\n  tenant_id: tid\nis_shared: true\n');
    assert.equal(t.fs[`${OUT}/tool.yml`], 'name: tool\ntype: custom\ntarget: https://t\ncredentials:\n  type: custom_keys\n  keys:\n    key-a: $(AZUREML_TOOL_KEY_A)\nis_shared: true\n');
    assert.equal(t.fs[`${OUT}/aoai.yml`], 'name: aoai\ntype: azure_open_ai\nazure_endpoint: https://o\nis_shared: true\n');
    assert.deepEqual(t.outputs, { exported: '5', outputPath: OUT });
    assert.deepEqual(t.variables, {}, 'placeholders mode sets no variable');
    // one List, listsecrets only where the auth type has credentials
    assert.deepEqual(t.api.calls.map((c) => `${c.method}:${c.name ?? ''}`).sort(), ['list:', 'listSecrets:Feed', 'listSecrets:adls', 'listSecrets:git-repo', 'listSecrets:tool']);
    for (const s of ALL_SECRETS) assert.ok(t.secrets.has(s), 'every secret read is registered');
    assertNoSecret([...Object.values(t.fs), ...t.log.lines, ...t.summaries, out.message]);
    assert.match(t.summaries[0]!, /Exported at 2025-03-04T05:06:07.000Z/);
    assert.match(t.summaries[0]!, /\| 5 \| 5 \| 0 \| 0 \| 4 \|/);
  });

  it('variables: sets each placeholder as a secret variable, registered first, and the files load back to the stored connections', async () => {
    const t = setup({ secrets: 'variables' });
    seedDev(t.api);
    const out = await runExport(t.settings, t.services);
    assert.equal(out.result, 'Succeeded', out.message);
    assert.deepEqual(t.variables, {
      AZUREML_ADLS_CLIENT_SECRET: SP_SECRET,
      AZUREML_FEED_PASSWORD: FEED_PW,
      AZUREML_GIT_REPO_PAT: PAT,
      AZUREML_TOOL_KEY_A: KEY_A,
    });
    for (const [name, value] of Object.entries(t.variables)) {
      assert.ok(t.events.indexOf(`secret:${value}`) >= 0 && t.events.indexOf(`secret:${value}`) < t.events.indexOf(`variable:${name}`), name);
    }
    assert.match(out.message, /4 secret variable\(s\) set\.$/);
    // independent check: Create's loader with those variables gives the stored properties back (marker aside)
    const loaded = loadConnections(
      Object.entries(t.fs).map(([path, text]) => ({ path, text })),
      { variables: { get: (n) => (n in t.variables ? { value: t.variables[n]!, secret: true } : undefined) }, overrides: [], secrets: new SecretSet(), apiVersion: '2025-06-01' },
    );
    assert.deepEqual(loaded.diagnostics.filter((d) => d.severity === 'error'), []);
    for (const spec of loaded.connections) {
      const stored = t.api.stored(spec.name)!.properties;
      const { ManagedBy: _m, ...metadata } = stored.metadata ?? {};
      assert.deepEqual(spec.properties, { ...stored, metadata }, spec.name);
    }
    assertNoSecret([...Object.values(t.fs), ...t.log.lines, ...t.summaries]);
  });

  it('leaves out a connection whose target or metadata holds a credential: no file, not read, a warning, SucceededWithIssues', async () => {
    const t = setup({ secrets: 'variables' });
    seedDev(t.api);
    t.api.seed('git-userinfo', p('PAT', 'Git', { target: 'https://svc:ui-pw-7Hq2@git.example.com/r.git', credentials: { pat: 'pat-left-out-1' } }));
    t.api.seed('sql-cs', p('None', 'AzureSqlDb', { target: 'Server=tcp:db;Database=d', metadata: { conn: 'Server=db;Password=meta-pw-93kq' } }));
    const out = await runExport(t.settings, t.services);
    assert.equal(out.result, 'SucceededWithIssues', out.message);
    assert.deepEqual(t.writes, ['adls', 'aoai', 'Feed', 'git-repo', 'tool'].map((n) => `${OUT}/${n}.yml`));
    assert.ok(!t.api.calls.some((c) => c.name === 'git-userinfo'), 'its secrets are not even read');
    assert.deepEqual(Object.keys(t.variables).filter((v) => /USERINFO|SQL_CS/.test(v)), []);
    assert.ok(t.secrets.has('ui-pw-7Hq2') && t.secrets.has('meta-pw-93kq'), 'registered before anything printed');
    assert.ok(t.events.indexOf('secret:ui-pw-7Hq2') < t.events.findIndex((e) => e.startsWith('variable:')));
    assert.deepEqual(t.log.warnings.filter((w) => w.includes('was not exported')), [
      "Connection 'git-userinfo' was not exported: its target holds a credential (the password in its user information), which no file may carry and which anyone who may read the workspace can see; move it into the connection's credentials in the workspace, then export again.",
      "Connection 'sql-cs' was not exported: its metadata.conn holds a credential (its 'Password' parameter), which no file may carry and which anyone who may read the workspace can see; move it into the connection's credentials in the workspace, then export again.",
    ]);
    assert.match(t.summaries[0]!, /Not exported because a credential is written into their target or metadata \(see the warnings\): git-userinfo, sql-cs\./);
    for (const text of [...Object.values(t.fs), ...t.log.lines, ...t.summaries]) assert.ok(!text.includes('ui-pw-7Hq2') && !text.includes('meta-pw-93kq'));
  });

  it('a re-export of an unchanged workspace rewrites nothing and is byte-identical', async () => {
    const t = setup();
    seedDev(t.api);
    await runExport(t.settings, t.services);
    const first = { ...t.fs };
    t.writes.length = 0;
    const again = await runExport(t.settings, t.services);
    assert.deepEqual(t.writes, []);
    assert.deepEqual(t.fs, first);
    assert.equal(again.message, `Exported 5 connection(s) to ${OUT} (0 written, 5 unchanged).`);
  });

  it('without listsecrets: variables fails naming the permission; placeholders writes the required secrets only and warns', async () => {
    const v = setup({ secrets: 'variables' });
    seedDev(v.api);
    v.api.listSecretsForbidden = true;
    await assert.rejects(runExport(v.settings, v.services), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /Microsoft\.MachineLearningServices\/workspaces\/connections\/listsecrets\/action/);
      assert.match(e.fullMessage, /connection '(adls|Feed|git-repo|tool)'/);
      return true;
    });
    assert.deepEqual(v.writes, [], 'nothing written');
    assert.deepEqual(v.variables, {});

    const ph = setup();
    seedDev(ph.api);
    ph.api.listSecretsForbidden = true;
    const out = await runExport(ph.settings, ph.services);
    assert.equal(out.result, 'SucceededWithIssues');
    assert.equal(ph.log.warnings.length, 1);
    assert.match(ph.log.warnings[0]!, /4 connection\(s\) \(adls, Feed, git-repo, tool\).*listsecrets\/action/);
    assert.equal(ph.fs[`${OUT}/Feed.yml`], 'name: Feed\ntype: python_feed\ntarget: https://pkgs/simple/\ncredentials:\n  type: username_password\n  password: $(AZUREML_FEED_PASSWORD)\nis_shared: true\n');
    assert.match(ph.summaries[0]!, /could not be read/);
  });

  it('names two connections that would share a secret variable apart, and warns', async () => {
    const t = setup({ secrets: 'variables' });
    t.api.seed('a-b', p('PAT', 'Git', { target: 'https://x/1', credentials: { pat: 'pat-one-12345' } }));
    t.api.seed('a_b', p('PAT', 'Git', { target: 'https://x/2', credentials: { pat: 'pat-two-12345' } }));
    await runExport(t.settings, t.services);
    assert.deepEqual(t.variables, { AZUREML_A_B_PAT: 'pat-one-12345', AZUREML_A_B_PAT_2: 'pat-two-12345' });
    assert.match(t.fs[`${OUT}/a_b.yml`]!, /pat: \$\(AZUREML_A_B_PAT_2\)/);
    assert.equal(t.log.warnings.length, 1);
    assert.match(t.log.warnings[0]!, /'a_b'.*AZUREML_A_B_PAT_2/);
  });

  it('reports what would not re-apply: properties YAML cannot carry, and an auth type it cannot express', async () => {
    const t = setup();
    t.api.seed('expiring', p('SAS', 'AzureBlob', { target: 'https://b', metadata: { AccountName: 'a', ContainerName: 'c' }, credentials: { sas: 'sv=1&sig=abcdef' }, expiryTime: '2030-01-01T00:00:00Z' }));
    t.api.seed('odd-auth', p('FancyAuth', 'Git', { target: 'https://g', credentials: { token: 'fancy-token-123' } }));
    const out = await runExport(t.settings, t.services);
    assert.equal(out.result, 'SucceededWithIssues');
    assert.deepEqual(t.log.warnings, [
      "Connection 'expiring': expiryTime is not part of the connection YAML and was not exported.",
      "Connection 'odd-auth': authType would not re-apply as stored.",
      "Connection 'odd-auth': credentials would not re-apply as stored.",
    ]);
    assert.ok(t.secrets.has('fancy-token-123'), 'credentials of an unknown auth type are all treated as secret');
    assertNoSecret(Object.values(t.fs));
    assert.ok(!Object.values(t.fs).join('').includes('fancy-token-123'));
  });

  it('in another language: every log line, warning and the outcome come from the catalog, and losses are still found', async () => {
    setMessageTranslator((key, args) => `«${key}» ${args.join(' | ')}`);
    try {
      const t = setup();
      t.api.seed('expiring', p('SAS', 'AzureBlob', { target: 'https://b', metadata: { AccountName: 'a', ContainerName: 'c' }, credentials: { sas: 'sv=1&sig=abcdef' }, expiryTime: '2030-01-01T00:00:00Z' }));
      t.api.seed('odd-auth', p('FancyAuth', 'Git', { target: 'https://g', credentials: { token: 'fancy-token-123' } }));
      const out = await runExport(t.settings, t.services);
      assert.equal(out.result, 'SucceededWithIssues', 'a loss is known by what it is, not by its English wording');
      assert.equal(out.message, `«Task_ExportOutcome» 2 | ${OUT} | 2 | 0`);
      assert.deepEqual(t.log.warnings, [
        '«Task_ExportLossWarning» expiring | «Task_ExportNoteNotCarried» expiryTime',
        '«Task_ExportLossWarning» odd-auth | «Task_ExportNoteNotReapplied» authType',
        '«Task_ExportLossWarning» odd-auth | «Task_ExportNoteNotReapplied» credentials',
      ]);
      const english = t.log.lines.map((l) => l.replace(/^(WARNING: |> )/, '').trim()).filter((l) => !l.startsWith('«'));
      assert.deepEqual(english, []);
      assert.match(t.summaries[0]!, /^## «Task_ExportSummaryTitle» \n/);
      assert.match(t.summaries[0]!, /\n\| «Task_ColumnExported»  \| «Task_ColumnWritten»  \|/);
    } finally {
      setMessageTranslator(undefined);
    }
  });

  it('writes only its own files, never deletes, and says which other YAML files are in the folder', async () => {
    const t = setup({}, { [`${OUT}/old.yml`]: 'name: old\n', [`${OUT}/notes.txt`]: 'x' });
    seedDev(t.api);
    await runExport(t.settings, t.services);
    assert.equal(t.fs[`${OUT}/old.yml`], 'name: old\n');
    assert.equal(t.fs[`${OUT}/notes.txt`], 'x');
    assert.equal(t.log.warnings.length, 1);
    assert.match(t.log.warnings[0]!, /1 other YAML file\(s\).*\(old\.yml\)/);

    // with a filter, other files are expected: said, not warned
    const f = setup({ connectionNames: ['GIT-REPO'] }, { [`${OUT}/old.yml`]: 'name: old\n' });
    seedDev(f.api);
    await runExport(f.settings, f.services);
    assert.deepEqual(f.log.warnings, []);
    assert.ok(f.log.lines.some((l) => l.includes('old.yml')));
    assert.deepEqual(Object.keys(f.fs).sort(), [`${OUT}/git-repo.yml`, `${OUT}/old.yml`]);
  });

  it('variables: refuses a multi-line secret (a secret variable cannot hold one) before writing anything', async () => {
    const t = setup({ secrets: 'variables' });
    t.api.seed('pem-keys', p('CustomKeys', 'CustomKeys', { target: 'https://t', credentials: { keys: { cert: '-----BEGIN KEY-----\nabc\n-----END KEY-----' } } }));
    await assert.rejects(runExport(t.settings, t.services), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.equal(e.fullMessage, "connection 'pem-keys': The secret AZUREML_PEM_KEYS_CERT spans several lines, which a secret pipeline variable cannot hold; export with secrets: placeholders and supply it another way.");
      return true;
    });
    assert.deepEqual(t.writes, []);
    assert.deepEqual(t.variables, {});
  });

  it('refuses an outputPath that is a file before reading the workspace', async () => {
    const t = setup({}, { [OUT]: 'a file' });
    await assert.rejects(runExport(t.settings, t.services), /is a file, not a folder/);
    assert.deepEqual(t.api.calls, []);
  });

  it('translates az-ml type names to REST categories (bug 3) and suggests a near spelling', () => {
    assert.deepEqual(parseCategoryFilters(['custom', 'AZURE_AI_SEARCH', 'azure_data_lake_gen2', 'azure_content_safety', 'CustomKeys', 'pythonfeed', 'rest:AzureOpenAI', 'FutureThing']), [
      { input: 'custom', category: 'CustomKeys' },
      { input: 'AZURE_AI_SEARCH', category: 'CognitiveSearch' },
      { input: 'azure_data_lake_gen2', category: 'ADLSGen2' },
      { input: 'azure_content_safety', category: 'CognitiveService', kind: 'content_safety' },
      { input: 'CustomKeys', category: 'CustomKeys' },
      { input: 'pythonfeed', category: 'PythonFeed' },
      { input: 'rest:AzureOpenAI', category: 'AzureOpenAI' },
      { input: 'FutureThing', category: 'FutureThing' },
    ]);
    assert.throws(() => parseCategoryFilters(['Gti']), /'Gti' is not a connection type or category; did you mean 'git'\?/);
    assert.throws(() => parseCategoryFilters(['git; rm']), /not a connection type or category/);
  });

  it('selects by name ignoring case, matches Kind loosely (bug 17), and names every missing connection', () => {
    const all = [
      { name: 'Safety', properties: p('AAD', 'CognitiveService', { metadata: { Kind: 'Content Safety' } }) },
      { name: 'speech', properties: p('AAD', 'CognitiveService', { metadata: { Kind: 'speech' } }) },
      { name: 'repo', properties: p('None', 'git') },
    ];
    assert.deepEqual(selectConnections(all, [], parseCategoryFilters(['azure_content_safety', 'Git'])).map((c) => c.name), ['Safety', 'repo']);
    assert.deepEqual(selectConnections(all, ['SAFETY', 'repo'], parseCategoryFilters(['CognitiveService'])).map((c) => c.name), ['Safety']);
    assert.throws(() => selectConnections(all, ['repo', 'nope', 'gone'], []), /no connection named 'nope', 'gone'/);
  });

  it('names secret variables AZUREML_<NAME>_<FIELD> from the YAML field name', () => {
    assert.equal(secretVariableName('my-conn.x', 'client_secret'), 'AZUREML_MY_CONN_X_CLIENT_SECRET');
    assert.equal(secretFieldName('ServicePrincipal', 'clientSecret'), 'client_secret');
    assert.equal(secretFieldName('SAS', 'sas'), 'sas_token');
    assert.equal(secretFieldName('AccountKey', 'key'), 'account_key');
    assert.equal(secretFieldName('CustomKeys', 'keys.api-key'), 'api-key');
    assert.equal(secretFieldName('Unknown', 'token'), 'token');
    assert.equal(fileStem('ok_name-1'), 'ok_name-1');
    assert.equal(fileStem('../evil/name'), '_._evil_name');
  });
});
