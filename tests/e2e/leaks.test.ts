/**
 * Credentials written where they do not belong — into a stored connection's target or a metadata value, or
 * into a service connection's URL — through all four bundled tasks (debug on). Every run here is audited by
 * world.run like every other end-to-end run (no value in any output or file, in any form); these tests add
 * what each task must show instead: the value as `***`, a warning saying where it is, and for Export no
 * file, for Migrate no migration. Verify's probes never send credentials over plain http.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ConnectionProperties, WorkspaceRef } from '../../src/arm/types';
import type { EndpointSpec, TaskRun } from '../support/agent-harness';
import { separateTotals } from '../support/leak-scan';
import { ConnectProxy } from '../unit/arm/support';
import { startWorld, type World } from '../support/world';

const CREATE = 'AzureMLConnectionCreateV1';
const VERIFY = 'AzureMLConnectionVerifyV1';
const EXPORT = 'AzureMLConnectionExportV1';
const MIGRATE = 'AzureMLConnectionMigrateV1';

const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({ authType, category, isSharedToAll: true, metadata: {}, ...rest });
const explain = (run: TaskRun) => `${run.result}: ${run.resultMessage}\n${run.errors.join('\n')}\n${run.warnings.join('\n')}\n${run.stderr}`;

describe('credentials written into targets, metadata and URLs, through all four tasks (bundled tasks, sandbox, debug on)', function () {
  this.timeout(180_000);
  let world: World;
  // long, random, and with characters that change under URL, JSON and base64 encoding
  const tag = () => `${randomUUID().replace(/-/g, '').slice(0, 16)}/+=`;
  const S = { userinfo: `pw-${tag()}`, sig: `sig-${tag()}`, sql: `sql-${tag()}`, token: `ghp_${randomUUID().replace(/-/g, '')}`, meta: `meta-${tag()}`, pat: `pat-${tag()}` };
  const enc = encodeURIComponent;
  const TARGETS = {
    userinfo: `https://svc:${enc(S.userinfo)}@git.example.com/r.git`,
    sig: `https://contoso.blob.core.windows.net/c?sv=2024-08-04&sig=${enc(S.sig)}&se=2030-01-01`,
    sql: `Server=tcp:db.example.com;Database=ml;Password=${S.sql}`,
    token: `https://${S.token}@github.com/contoso/models.git`,
  };
  const SHOWN = {
    userinfo: 'https://svc:***@git.example.com/r.git',
    sig: 'https://contoso.blob.core.windows.net/c?sv=2024-08-04&sig=***&se=2030-01-01',
    sql: 'Server=tcp:db.example.com;Database=ml;Password=***',
    token: 'https://***@github.com/contoso/models.git',
  };

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  function hostileWorkspace(name: string): WorkspaceRef {
    const ws = { ...world.ws, workspace: name };
    world.sandbox.addWorkspace(ws);
    const seed = (n: string, props: ConnectionProperties) => world.sandbox.seedConnection(ws, n, props);
    seed('git-userinfo', p('PAT', 'Git', { target: TARGETS.userinfo, credentials: { pat: S.pat } }));
    seed('blob-sig', p('None', 'AzureBlob', { target: TARGETS.sig, metadata: { AccountName: 'contoso', ContainerName: 'c' } }));
    seed('sql-connstr', p('None', 'AzureSqlDb', { target: TARGETS.sql }));
    seed('git-token-user', p('None', 'Git', { target: TARGETS.token }));
    seed('api-meta', p('ApiKey', 'ApiKey', { target: 'https://api.example.com', metadata: { docs: `https://api.example.com/docs?api_key=${S.meta}` }, credentials: { key: S.pat } }));
    seed('git-clean', p('PAT', 'Git', { target: 'https://git.example.com/clean.git', credentials: { pat: S.pat } }));
    return ws;
  }

  it('Verify shows each stored target with the credential as ***, in the log, report and summary, and warns where it is', async () => {
    const ws = hostileWorkspace('mlw-leak-verify');
    const run = await world.run(VERIFY, 'spnKey', { workDir: world.newWorkDir(false), inputs: { workspaceName: ws.workspace } });
    assert.equal(run.result, 'SucceededWithIssues', explain(run));
    const report = JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as { connections: Array<{ name: string; target?: string; status: string }> };
    const target = (n: string) => report.connections.find((c) => c.name === n)?.target;
    assert.deepEqual(
      { userinfo: target('git-userinfo'), sig: target('blob-sig'), sql: target('sql-connstr'), token: target('git-token-user') },
      SHOWN,
    );
    assert.equal(target('git-clean'), 'https://git.example.com/clean.git');
    assert.equal(report.connections.find((c) => c.name === 'git-clean')?.status, 'verified');
    for (const [name, where, what] of [
      ['git-userinfo', 'target', 'the password in its user information'],
      ['blob-sig', 'target', "its 'sig' parameter"],
      ['sql-connstr', 'target', "its 'Password' parameter"],
      ['git-token-user', 'target', 'a token written as the user name in its user information'],
      ['api-meta', 'metadata.docs', "its 'api_key' parameter"],
    ]) {
      assert.ok(run.warnings.some((w) => w.startsWith(`Connection '${name}': its ${where} holds a credential (${what})`)), `${name}:\n${run.warnings.join('\n')}`);
    }
    assert.ok(run.lines.some((l) => l.includes(`target ${SHOWN.userinfo}`)), run.lines.join('\n'));
    assert.ok(run.summaries[0]?.includes('its target holds a credential'), run.summaries[0]);
  });

  it('Verify compares a file with a stored target that holds a credential: the drift shows it as ***', async () => {
    const ws = hostileWorkspace('mlw-leak-drift');
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), 'name: git-userinfo\ntype: git\ntarget: https://git.example.com/r.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    const run = await world.run(VERIFY, 'spnKey', { workDir, secretVariables: { GIT_PAT: S.pat }, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml' } });
    assert.equal(run.result, 'Failed', explain(run));
    const report = JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as { connections: Array<{ name: string; changes: unknown[] }> };
    assert.deepEqual(report.connections.find((c) => c.name === 'git-userinfo')?.changes, [
      { path: 'target', before: JSON.stringify(SHOWN.userinfo), after: JSON.stringify('https://git.example.com/r.git'), sensitive: false },
    ]);
    assert.ok(run.lines.some((l) => l.includes(`~ target: "${SHOWN.userinfo}" -> "https://git.example.com/r.git"`)), run.lines.join('\n'));
    assert.ok(run.errors.some((e) => e.includes("Connection 'git-userinfo': it differs from its file in target.")), run.errors.join('\n'));
  });

  it("Create's plan, plan file and summary show a stored target's credential as ***; the apply replaces the target", async () => {
    const ws = hostileWorkspace('mlw-leak-create');
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'git.yml'), 'name: git-userinfo\ntype: git\ntarget: https://git.example.com/r.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    writeFileSync(join(workDir, 'sql.yml'), 'name: sql-connstr\ntype: azure_sql_db\ntarget: Server=tcp:db.example.com;Database=ml\n');
    const secretVariables = { GIT_PAT: S.pat };
    const inputs = { workspaceName: ws.workspace, connectionFiles: '*.yml', planFile: 'plan.json' };
    const plan = await world.run(CREATE, 'spnKey', { workDir, secretVariables, inputs: { ...inputs, mode: 'plan' } });
    assert.equal(plan.result, 'Succeeded', explain(plan));
    assert.ok(plan.lines.some((l) => l.includes(`~ target: "${SHOWN.userinfo}" -> "https://git.example.com/r.git"`)), plan.lines.join('\n'));
    assert.ok(plan.lines.some((l) => l.includes(`~ target: "${SHOWN.sql}" -> "Server=tcp:db.example.com;Database=ml"`)), plan.lines.join('\n'));
    const saved = readFileSync(join(workDir, 'plan.json'), 'utf8');
    assert.ok(saved.includes(JSON.stringify(JSON.stringify(SHOWN.userinfo))), saved);
    assert.ok(plan.summaries[0]?.includes('svc:\\*\\*\\*@git.example.com'), plan.summaries[0]);

    const apply = await world.run(CREATE, 'spnKey', { workDir, secretVariables, inputs: { ...inputs, mode: 'apply' } });
    assert.equal(apply.result, 'Succeeded', explain(apply));
    assert.equal(world.sandbox.storedConnection(ws, 'git-userinfo')?.properties.target, 'https://git.example.com/r.git');
    assert.equal(world.sandbox.storedConnection(ws, 'sql-connstr')?.properties.target, 'Server=tcp:db.example.com;Database=ml');
  });

  for (const mode of ['placeholders', 'variables'] as const) {
    it(`Export (${mode}) writes no file for a connection whose target or metadata holds a credential, and says why`, async () => {
      const ws = hostileWorkspace(`mlw-leak-export-${mode}`);
      const workDir = world.newWorkDir(false);
      world.sandbox.resetRequests();
      const run = await world.run(EXPORT, 'wif', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'out', secrets: mode } });
      assert.equal(run.result, 'SucceededWithIssues', explain(run));
      assert.deepEqual(readdirSync(join(workDir, 'out')), ['git-clean.yml']);
      assert.equal(run.outputs.exported, '1');
      for (const [name, where] of [['git-userinfo', 'target'], ['blob-sig', 'target'], ['sql-connstr', 'target'], ['git-token-user', 'target'], ['api-meta', 'metadata.docs']]) {
        assert.ok(run.warnings.some((w) => w.startsWith(`Connection '${name}' was not exported: its ${where} holds a credential (`)), `${name}:\n${run.warnings.join('\n')}`);
      }
      assert.match(run.summaries[0] ?? '', /Not exported because a credential is written into their target or metadata \(see the warnings\): api-meta, blob-sig, git-token-user, git-userinfo, sql-connstr\./);
      assert.deepEqual(Object.keys(run.secretVariablesSet), mode === 'variables' ? ['AZUREML_GIT_CLEAN_PAT'] : []);
      // what was left out was not even read
      assert.ok(!world.sandbox.requests.some((r) => r.path.endsWith('/git-userinfo/listsecrets')));
    });
  }

  it('Migrate refuses a service connection whose URL holds a credential, shows it as ***, and shows a stored target the same way in its plan', async () => {
    const ws = hostileWorkspace('mlw-leak-migrate');
    const pw = `gitpw-${tag()}`;
    const feedToken = `feedtok-${tag()}`;
    const regPw = `regpw-${tag()}`;
    const add = (name: string, type: string, url: string, scheme: string, params: Record<string, string>, data?: Record<string, string>): EndpointSpec => {
      const id = randomUUID().toLowerCase();
      world.sandbox.addServiceEndpoint({ id, name, type, url, scheme, parameters: params, data });
      return { id, url, scheme, params, data };
    };
    const gitUrl = add('gitlab-userinfo', 'git', `https://ml-bot:${enc(pw)}@gitlab.example.com/ml/models.git`, 'UsernamePassword', { username: 'ml-bot', password: pw });
    const feedUrl = add('feed-token-url', 'externalPythonDownloadFeed', `https://pypi.example.com/simple/?token=${enc(feedToken)}`, 'Token', { apitoken: feedToken });
    const registry = add('registry-userinfo', 'dockerregistry', 'https://hub.docker.com/', 'UsernamePassword', { registry: `https://builder:${enc(regPw)}@registry.example.com:5000`, username: 'builder', password: `other-${regPw}` }, { registrytype: 'Others' });
    // a clean one, named like a stored connection whose target holds a credential: the plan shows it as ***
    const clean = add('git-userinfo', 'git', 'https://git.example.com/r.git', 'UsernamePassword', { username: '', password: S.pat });
    const workDir = world.newWorkDir(false);
    world.sandbox.resetRequests();
    const run = await world.run(MIGRATE, 'spnKey', {
      workDir,
      extraEndpoints: [gitUrl, feedUrl, registry, clean],
      inputs: { workspaceName: ws.workspace, gitConnections: `${gitUrl.id},${clean.id}`, pythonFeedConnections: feedUrl.id, dockerRegistryConnections: registry.id, mode: 'plan', yamlOutputPath: 'migrated.yml' },
    });
    assert.equal(run.result, 'SucceededWithIssues', explain(run));
    assert.equal(run.outputs.notMigrated, '3');
    const refusal = (name: string, shown: string, what: string) =>
      assert.ok(run.warnings.some((w) => w.includes(`'${name}'`) && w.includes(`Its URL ${shown} holds a credential (${what})`)), `${name}:\n${run.warnings.join('\n')}`);
    refusal('gitlab-userinfo', 'https://ml-bot:***@gitlab.example.com/ml/models.git', 'the password in its user information');
    refusal('feed-token-url', 'https://pypi.example.com/simple/?token=***', "its 'token' parameter");
    refusal('registry-userinfo', 'https://builder:***@registry.example.com:5000', 'the password in its user information');
    assert.ok(run.lines.some((l) => l.includes(`~ target: "${SHOWN.userinfo}" -> "https://git.example.com/r.git"`)), run.lines.join('\n'));
    const yaml = readFileSync(join(workDir, 'migrated.yml'), 'utf8');
    assert.match(yaml, /^name: git-userinfo$/m);
    assert.doesNotMatch(yaml, /^name: (gitlab-userinfo|feed-token-url|registry-userinfo)$/m);
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm' && r.method === 'PUT').length, 0, 'plan mode');
  });

  it('the audit of world.run fails a run that shows something it was told is secret (a canary: the workspace name)', async () => {
    const canary = `mlw-canary-${randomUUID().slice(0, 8)}`;
    world.sandbox.addWorkspace({ ...world.ws, workspace: canary });
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'g.yml'), 'name: canary-git\ntype: git\ntarget: https://git.example.com/c.git\n');
    await assert.rejects(
      world.run(CREATE, 'spnKey', { workDir, secrets: [canary], auditTotals: separateTotals(), inputs: { workspaceName: canary, connectionFiles: 'g.yml', mode: 'plan', planFile: 'p.json' } }),
      (e: Error) => /the test's secret #1 \(raw\) appears in stdout/.test(e.message) && /appears in .*p\.json/.test(e.message) && /appears in .*plan\.md/.test(e.message),
    );
  });

  it("the agent's proxy password (a secret variable) is sent to the proxy and shown nowhere (Create through a CONNECT proxy)", async () => {
    const proxy = await ConnectProxy.start();
    try {
      const ws = { ...world.ws, workspace: 'mlw-leak-proxy' };
      world.sandbox.addWorkspace(ws);
      const workDir = world.newWorkDir(false);
      writeFileSync(join(workDir, 'g.yml'), 'name: via-proxy\ntype: git\ntarget: https://git.example.com/p.git\n');
      const password = `proxy-pw-${tag()}`;
      const run = await world.run(CREATE, 'spnKey', {
        workDir,
        variables: { 'Agent.ProxyUrl': proxy.url, 'Agent.ProxyUsername': 'agent-proxy-user' },
        secretVariables: { 'Agent.ProxyPassword': password },
        inputs: { workspaceName: ws.workspace, connectionFiles: 'g.yml' },
      });
      assert.equal(run.result, 'Succeeded', explain(run));
      assert.ok(world.sandbox.storedConnection(ws, 'via-proxy'));
      const sent = proxy.connects.map((c) => Buffer.from((c.proxyAuthorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8'));
      assert.ok(sent.length > 0 && sent.every((a) => a === `agent-proxy-user:${password}`), JSON.stringify(sent.map((a) => a.replace(password, '<password>'))));
    } finally {
      await proxy.close();
    }
  });

  it("Verify's probes send no credential to a plain http target, of any kind", async () => {
    const received: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      received.push(req);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ws = { ...world.ws, workspace: 'mlw-leak-http' };
      world.sandbox.addWorkspace(ws);
      const seed = (n: string, props: ConnectionProperties) => world.sandbox.seedConnection(ws, n, props);
      seed('git-http', p('PAT', 'Git', { target: `${base}/repo.git`, credentials: { pat: S.pat } }));
      seed('feed-http', p('UsernamePassword', 'PythonFeed', { target: `${base}/simple/`, credentials: { username: 'reader', password: S.pat } }));
      seed('acr-http', p('UsernamePassword', 'ContainerRegistry', { target: base, credentials: { username: 'puller', password: S.pat } }));
      seed('api-http', p('ApiKey', 'ApiKey', { target: base, credentials: { key: S.pat } }));
      const run = await world.run(VERIFY, 'spnKey', { workDir: world.newWorkDir(false), inputs: { workspaceName: ws.workspace, probe: 'true', probeTimeoutSeconds: '5' } });
      assert.equal(received.length, 0, 'nothing at all reached the plain http server');
      const report = JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as { connections: Array<{ name: string; findings: Array<{ check: string; message: string }> }> };
      for (const c of report.connections) {
        assert.equal(c.findings.find((f) => f.check === 'probe')?.message, 'not probed: the target is plain http; credentials are only ever sent over https', c.name);
      }
      assert.ok(existsSync(run.outputs.reportFile));
    } finally {
      server.close();
    }
  });
});
