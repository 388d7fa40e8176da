/**
 * AzureMLConnectionCreate@1 end to end: the bundled task, run as the agent runs it, against the sandbox
 * over TLS on loopback. Assertions are on what the sandbox received and stored, and on the logging
 * commands the task printed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armWrites, assertCleanRun, exampleSecretVariables, isDigestKeyRequest, startWorld, userConnections, writtenProperties, type Scheme, type World } from '../support/world';
import { GENERATED_SECRETS, writeGeneratedConnections } from '../support/generated';

const TASK = 'AzureMLConnectionCreateV1';
const assertClean = assertCleanRun;

describe('AzureMLConnectionCreate@1 end to end (bundled task, sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  const schemes: Scheme[] = ['spnKey', 'spnCertificate', 'msi', 'msiUserAssigned', 'wif'];
  for (const scheme of schemes) {
    it(`plans, applies the saved plan, and re-runs with no writes (${scheme})`, async () => {
      const ws = { ...world.ws, workspace: `mlw-${scheme.toLowerCase()}` };
      world.sandbox.addWorkspace(ws);
      const workDir = world.newWorkDir();
      const secrets = exampleSecretVariables();
      const planFile = join(workDir, 'out', 'connections.plan.json');
      const base = { workDir, secretVariables: secrets, debug: true, inputs: { workspaceName: ws.workspace } };
      world.sandbox.resetRequests();

      // 1. plan: nothing written, the plan printed and saved
      const plan = await world.run(TASK, scheme, { ...base, inputs: { ...base.inputs, mode: 'plan', planFile: 'out/connections.plan.json' } });
      assert.equal(plan.result, 'Succeeded', plan.resultMessage + '\n' + plan.errors.join('\n') + plan.stderr);
      assert.equal(armWrites(world), 0, 'plan mode writes nothing');
      assert.ok(plan.lines.some((l) => l.includes('[+] create git-models')), plan.lines.join('\n'));
      assert.ok(plan.lines.some((l) => /Plan: 9 to create, 0 to update, 0 to delete, 0 unchanged/.test(l)), plan.lines.join('\n'));
      assert.equal(plan.outputs.created, '9');
      assert.equal(plan.outputs.hasChanges, 'true');
      assert.equal(plan.outputs.planFile, planFile);
      assert.ok(existsSync(planFile));
      assert.equal(plan.summaries.length, 1);
      assertClean(plan, world, Object.values(secrets), [planFile]);

      // 2. apply exactly that plan
      const apply = await world.run(TASK, scheme, { ...base, inputs: { ...base.inputs, mode: 'apply', planFile: 'out/connections.plan.json' } });
      assert.equal(apply.result, 'Succeeded', apply.resultMessage + '\n' + apply.errors.join('\n'));
      assert.equal(apply.outputs.created, '9');
      assert.equal(apply.outputs.failed, '0');
      const puts = world.sandbox.requests.filter((r) => r.service === 'arm' && r.method === 'PUT' && !isDigestKeyRequest(r));
      assert.equal(puts.length, 9);
      assert.equal(world.sandbox.requests.filter((r) => r.method === 'PUT' && isDigestKeyRequest(r)).length, 1, 'and the digest key, once');
      const stored = (name: string) => writtenProperties(world, ws, name);
      assert.deepEqual(stored('git-models'), {
        authType: 'PAT',
        category: 'Git',
        isSharedToAll: true,
        metadata: { ManagedBy: 'AzureMLConnections' },
        target: 'https://dev.azure.com/contoso/mlops/_git/models',
        credentials: { pat: secrets.GIT_PAT },
      });
      assert.deepEqual(stored('sql-warehouse')?.credentials, { username: 'ml_reader', password: secrets.SQL_PASSWORD });
      assert.equal(stored('sql-warehouse')?.authType, 'UsernamePassword');
      assert.deepEqual(stored('snowflake-sales')?.credentials, {
        clientId: '0b3c8f4e-2a64-4a55-9a3c-6f2d7c1e9b10',
        clientSecret: secrets.SNOWFLAKE_CLIENT_SECRET,
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      });
      assert.equal(stored('aoai-prod')?.category, 'AzureOpenAI');
      assert.deepEqual(stored('aoai-prod')?.metadata, { ApiType: 'Azure', ApiVersion: '2024-10-21', ManagedBy: 'AzureMLConnections' });
      assert.deepEqual(stored('my_api_key')?.credentials, { key: secrets.MY_API_KEY });
      assert.equal(stored('my_api_key')?.target, 'https://myapi.core.windows.net/mycontainer');
      assert.deepEqual(stored('weather-tool')?.credentials, { keys: { api_key: secrets.WEATHER_API_KEY, account: secrets.WEATHER_ACCOUNT } });
      assert.equal(stored('weather-tool')?.category, 'CustomKeys');
      assert.deepEqual(stored('s3-landing')?.credentials, { accessKeyId: 'AKIAEXAMPLEKEYID0001', secretAccessKey: secrets.S3_SECRET_ACCESS_KEY });
      const principals = new Set(puts.map((r) => r.principal));
      assert.equal(principals.size, 1, 'one principal wrote everything');
      assertClean(apply, world, Object.values(secrets), [planFile]);

      // 3. re-run with nothing changed: no write at all
      world.sandbox.resetRequests();
      const again = await world.run(TASK, scheme, { ...base, inputs: { ...base.inputs } });
      assert.equal(again.result, 'Succeeded', again.resultMessage);
      assert.equal(armWrites(world), 0, 'a re-run with nothing changed writes nothing');
      assert.equal(again.outputs.unchanged, '9');
      assert.equal(again.outputs.hasChanges, 'false');
      assertClean(again, world, Object.values(secrets));
    });
  }

  // Entra answering slowly: the sign-in is still under way once the files are read, and the SDK is loaded in that wait
  for (const entraMs of [0, 150]) it(`reads the workspace itself through @azure/arm-machinelearning, at the task's api-version, with the task's identity (Entra answering in ${entraMs} ms)`, async () => {
    const ws = { ...world.ws, workspace: `mlw-sdk-read-${entraMs}` };
    world.sandbox.addWorkspace(ws, { kind: 'Hub' });
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'g.yml'), 'name: sdk-read\ntype: git\ntarget: https://x.example/sdk\n');
    world.sandbox.resetRequests();
    world.sandbox.entraLatencyMs = entraMs;
    const run = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'g.yml' } }).finally(() => (world.sandbox.entraLatencyMs = 0));
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    const reads = world.sandbox.requests.filter((r) => r.service === 'arm' && r.method === 'GET' && r.path.endsWith(`/workspaces/${ws.workspace}`));
    assert.equal(reads.length, 1, 'one read of the workspace');
    assert.match(reads[0]!.headers['user-agent'] ?? '', /^AzureMLConnections\/\S+ \(AzureMLConnectionCreate@1\) azsdk-js-arm-machinelearning\/2\.1\.1 /);
    assert.equal(reads[0]!.query['api-version'], '2025-06-01');
    const lists = world.sandbox.requests.filter((r) => r.service === 'arm' && r.method === 'GET' && r.path.endsWith('/connections'));
    assert.equal(reads[0]!.principal, lists[0]!.principal, 'the same principal as the connections calls');
    assert.doesNotMatch(lists[0]!.headers['user-agent'] ?? '', /azsdk-js-arm-machinelearning/, 'connections stay on plain REST');
  });

  it('takes the resource group and workspace from an AzureMLWorkspace-scoped service connection', async () => {
    const ws = { ...world.ws, resourceGroup: 'rg-scoped', workspace: 'mlw-scoped' };
    world.sandbox.addWorkspace(ws);
    const ep = world.endpoints.spnKey;
    const scoped = { ...ep, id: '0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f', data: { ...ep.data, scopeLevel: 'AzureMLWorkspace', resourceGroupName: ws.resourceGroup, mlWorkspaceName: ws.workspace, mlWorkspaceLocation: 'westeurope' } };
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'g.yml'), 'name: scoped-repo\ntype: git\ntarget: https://x.example/scoped\n');
    const run = await world.run(TASK, 'spnKey', {
      workDir,
      endpoints: [scoped],
      inputs: { azureSubscription: scoped.id, resourceGroupName: '', workspaceName: '', connectionFiles: 'g.yml' },
    });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.equal(world.sandbox.storedConnection(ws, 'scoped-repo')?.properties.target, 'https://x.example/scoped');
  });

  it('keeps a stored secret when the file gives none, and reports the field that changed', async () => {
    const ws = { ...world.ws, workspace: 'mlw-keep' };
    world.sandbox.addWorkspace(ws);
    world.sandbox.seedConnection(ws, 'feed', {
      authType: 'UsernamePassword',
      category: 'PythonFeed',
      target: 'https://old.example/simple/',
      isSharedToAll: true,
      metadata: {},
      credentials: { username: 'build', password: 'stored-password-123' },
    });
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'feed.yml'), 'name: feed\ntype: python_feed\ntarget: https://new.example/simple/\ncredentials:\n  type: username_password\n  username: build\n');
    const run = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'feed.yml' } });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.ok(run.lines.some((l) => l.includes('[~] update feed')), run.lines.join('\n'));
    assert.ok(run.lines.some((l) => l.includes('target') && l.includes('https://new.example/simple/')));
    const stored = world.sandbox.storedConnection(ws, 'feed')!.properties;
    assert.equal(stored.target, 'https://new.example/simple/');
    assert.deepEqual(stored.credentials, { username: 'build', password: 'stored-password-123' }, 'the stored secret survives the PUT');
    assertClean(run, world, ['stored-password-123']);
  });

  it('refuses a saved plan when the workspace changed since it was made', async () => {
    const ws = { ...world.ws, workspace: 'mlw-drift' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir();
    const secrets = exampleSecretVariables();
    const inputs = { workspaceName: ws.workspace, planFile: 'plan.json' };
    const plan = await world.run(TASK, 'spnKey', { workDir, secretVariables: secrets, inputs: { ...inputs, mode: 'plan' } });
    assert.equal(plan.result, 'Succeeded', plan.resultMessage);
    world.sandbox.seedConnection(ws, 'git-models', { authType: 'None', category: 'Git', target: 'https://x.example/repo', metadata: {} });
    world.sandbox.resetRequests();
    const apply = await world.run(TASK, 'spnKey', { workDir, secretVariables: secrets, inputs: { ...inputs, mode: 'apply' } });
    assert.equal(apply.result, 'Failed');
    assert.match(apply.resultMessage, /plan/i);
    assert.equal(armWrites(world), 0, 'nothing written from a stale plan');
  });

  it("opens its ARM connections ahead of their requests: neither the first reads nor the writes wait for a connection's TCP and TLS set-up", async () => {
    // each new connection takes 300 ms to become usable, each answer 150 ms. The first reads' connections
    // are opened as the sign-in starts, while the files are read: the sign-in's own two requests to Entra
    // (a connection of their own, 300 ms, then two answers) take longer than that set-up, so the reads find
    // them ready. A write that opened its own connection would wait the whole 300 ms first; one opened
    // ahead, at most what was left of it (about 150 ms for the widest rounds' connections, opened as the
    // first round went out)
    const ws = { ...world.ws, workspace: 'mlw-connections-ahead' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    const { connections } = writeGeneratedConnections(workDir, 40);
    world.sandbox.resetRequests();
    Object.assign(world.sandbox, { latencyMs: 150, connectLatencyMs: 300 });
    try {
      const run = await world.run(TASK, 'spnKey', { workDir, secretVariables: GENERATED_SECRETS, inputs: { workspaceName: ws.workspace } });
      assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    } finally {
      Object.assign(world.sandbox, { latencyMs: 0, connectLatencyMs: 0 });
    }
    const entra = world.sandbox.requests.filter((r) => r.service === 'entra');
    assert.ok((entra[0]?.setUpMs ?? 0) > 250, `the sign-in's first request did wait for its connection (${entra[0]?.setUpMs} ms): the set-up is there to hide`);
    const arm = world.sandbox.requests.filter((r) => r.service === 'arm');
    const puts = arm.filter((r) => r.method === 'PUT' && !isDigestKeyRequest(r));
    assert.equal(puts.length, connections.length);
    const list = arm.find((r) => r.method === 'GET' && /\/connections$/.test(r.path));
    const keyRead = arm.find((r) => isDigestKeyRequest(r) && /\/listsecrets$/.test(r.path));
    const workspaceRead = arm.find((r) => r.method === 'GET' && /\/workspaces\/mlw-connections-ahead$/.test(r.path));
    assert.ok(list && keyRead && workspaceRead, 'the first reads: the list, the digest key, the workspace');
    assert.deepEqual(
      [list, keyRead, workspaceRead].map((r) => Math.round(r?.setUpMs ?? 0)),
      [0, 0, 0],
      'the first reads found their connections set up while the task signed in and read its files',
    );
    const waited = puts.map((r) => Math.round(r.setUpMs ?? 0));
    assert.ok(Math.max(...waited) <= 240, `each write found its connection set up, or at least 60 ms into it: ${waited.join(' ')}`);
    assert.ok(waited.filter((w) => w > 0).length <= 32, 'only writes beyond the first round met a connection still being set up');
  });

  it('validates every file before writing anything, with file:line:column', async () => {
    const ws = { ...world.ws, workspace: 'mlw-invalid' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'good.yml'), 'name: good-one\ntype: git\ntarget: https://x.example/r\n');
    writeFileSync(join(workDir, 'bad.yml'), 'name: bad-one\ntype: git\ntarget: https://x.example/r\ncredentials:\n  type: pat\n  pat: $(NOT_SET)\n');
    world.sandbox.resetRequests();
    const run = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' } });
    assert.equal(run.result, 'Failed');
    assert.ok(run.errors.some((e) => e.includes('bad.yml:6:') && e.includes('NOT_SET')), run.errors.join('\n'));
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0, 'no ARM request at all');
  });

  it('fails clearly, writing nothing, when the workspace does not exist', async () => {
    const workDir = world.newWorkDir();
    world.sandbox.resetRequests();
    const run = await world.run(TASK, 'spnKey', { workDir, secretVariables: exampleSecretVariables(), inputs: { workspaceName: 'mlw-absent' } });
    assert.equal(run.result, 'Failed');
    assert.match(run.resultMessage, /workspace 'mlw-absent' was not found in resource group 'rg-mlops'/);
    assert.equal(armWrites(world), 0);
  });

  it('fails clearly when the globs match no file', async () => {
    const workDir = world.newWorkDir(false);
    const run = await world.run(TASK, 'spnKey', { workDir, inputs: {} });
    assert.equal(run.result, 'Failed');
    assert.match(run.resultMessage, /\*\*\/connections\/\*\.yml/);
  });

  it("paces by the subscription's shared write bucket when it is what runs low, though the run's own bucket is full", async () => {
    // ARM keeps, beside each principal's buckets, one per subscription that every principal spends from
    // (x-ms-ratelimit-remaining-subscription-global-writes; 3,000, refilled 150 a second). Here it holds
    // only 20, as when other pipelines with service connections of their own keep it all but empty; this
    // run's own bucket (200) is full. Its pool would widen to 32 by its own header alone.
    const ws = { ...world.ws, workspace: 'mlw-shared-budget' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    const { connections } = writeGeneratedConnections(workDir, 100);
    world.sandbox.resetRequests();
    world.sandbox.throttling = { global: { writes: { size: 20 } } };
    try {
      const run = await world.run(TASK, 'spnKey', { workDir, secretVariables: GENERATED_SECRETS, inputs: { workspaceName: ws.workspace } });
      assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    } finally {
      world.sandbox.throttling = false;
    }
    const arm = world.sandbox.requests.filter((r) => r.service === 'arm');
    const written = arm.filter((r) => r.method === 'PUT' && !r.throttled && !isDigestKeyRequest(r)).map((r) => r.path.split('/').pop());
    assert.deepEqual([...written].sort(), connections.map((c) => c.name).sort(), 'every connection written once');
    assert.ok(Math.min(...arm.filter((r) => r.bucket === 'writes').map((r) => r.remaining ?? 0)) > 90, "the run's own bucket never ran low");
    const throttled = arm.filter((r) => r.throttled).length;
    assert.ok(throttled <= 2, `${throttled} requests refused with 429: the run kept within what the shared bucket's header said was left`);
  });

  it('retries throttling and goes on past one failing connection, then fails naming it', async () => {
    const ws = { ...world.ws, workspace: 'mlw-faults' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir();
    const secrets = exampleSecretVariables();
    world.sandbox.faults.status(429, { method: 'PUT', count: 3, retryAfter: 1 });
    world.sandbox.faults.status(400, { method: 'PUT', path: /connections\/acr-images$/, count: 10, code: 'BadRequest' });
    const run = await world.run(TASK, 'spnKey', { workDir, secretVariables: secrets, inputs: { workspaceName: ws.workspace } });
    world.sandbox.faults.clear();
    assert.equal(run.result, 'Failed');
    assert.match(run.resultMessage, /acr-images/);
    assert.equal(run.outputs.created, '8');
    assert.equal(run.outputs.failed, '1');
    assert.equal(userConnections(world, ws).length, 8);
    assertClean(run, world, Object.values(secrets));
  });

  it('prunes only connections it manages, and outside text never becomes a logging command', async () => {
    const ws = { ...world.ws, workspace: 'mlw-prune' };
    world.sandbox.addWorkspace(ws);
    world.sandbox.seedConnection(ws, 'old-managed', { authType: 'None', category: 'Git', target: 'https://x.example/a', metadata: { ManagedBy: 'AzureMLConnections' } });
    world.sandbox.seedConnection(ws, 'not-ours', { authType: 'None', category: 'Git', target: 'https://x.example/b', metadata: {} });
    const workDir = world.newWorkDir(false);
    writeFileSync(
      join(workDir, 'c.yml'),
      'name: evil-meta\ntype: git\ntarget: "https://x.example/##vso[task.setvariable variable=pwned]1"\nmetadata:\n  note: "##vso[task.complete result=Failed]x"\n',
    );
    const run = await world.run(TASK, 'spnKey', { workDir, debug: true, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml', prune: 'true' } });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.equal(run.outputs.deleted, '1');
    assert.equal(world.sandbox.storedConnection(ws, 'old-managed'), undefined);
    assert.ok(world.sandbox.storedConnection(ws, 'not-ours'));
    assert.ok(!run.commands.some((c) => c.name === 'task.setvariable' && c.props.variable === 'pwned'));
    assert.equal(run.commands.filter((c) => c.name === 'task.complete').length, 1);
    assertClean(run, world, []);
  });

  it('onExisting: skip leaves a differing connection alone; fail fails it', async () => {
    const ws = { ...world.ws, workspace: 'mlw-existing' };
    world.sandbox.addWorkspace(ws);
    world.sandbox.seedConnection(ws, 'repo', { authType: 'None', category: 'Git', target: 'https://x.example/old', metadata: {} });
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'r.yml'), 'name: repo\ntype: git\ntarget: https://x.example/new\n');
    const skip = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'r.yml', onExisting: 'skip' } });
    assert.equal(skip.result, 'Succeeded');
    assert.equal(world.sandbox.storedConnection(ws, 'repo')!.properties.target, 'https://x.example/old');
    const fail = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'r.yml', onExisting: 'fail' } });
    assert.equal(fail.result, 'Failed');
    assert.match(fail.resultMessage, /repo/);
    assert.equal(world.sandbox.storedConnection(ws, 'repo')!.properties.target, 'https://x.example/old');
  });

  it('keeps secrets out of the debug log that task-lib would print: a literal one in overrides, one from a variable not marked secret', async () => {
    const ws = { ...world.ws, workspace: 'mlw-literal-override' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'g.yml'), 'name: repo-literal\ntype: git\ntarget: https://x.example/r\ncredentials:\n  type: pat\n---\nname: repo-plain\ntype: git\ntarget: https://x.example/p\ncredentials:\n  type: pat\n  pat: $(PLAIN_PAT)\n');
    const pat = `literal-pat-${Date.now()}-q8w7e6`;
    const plain = `plain-var-pat-${Date.now()}-m5n4b3`;
    const run = await world.run(TASK, 'spnKey', {
      workDir,
      debug: true,
      variables: { PLAIN_PAT: plain },
      inputs: { workspaceName: ws.workspace, connectionFiles: 'g.yml', overrides: `repo-literal.credentials.pat=${pat}` },
    });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.deepEqual(world.sandbox.storedConnection(ws, 'repo-literal')!.properties.credentials, { pat });
    assert.deepEqual(world.sandbox.storedConnection(ws, 'repo-plain')!.properties.credentials, { pat: plain });
    assertClean(run, world, [pat, plain]);
  });

  it('sends credentials to a plain-http target only with allowInsecureTargets', async () => {
    const ws = { ...world.ws, workspace: 'mlw-insecure' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'g.yml'), 'name: repo-http\ntype: git\ntarget: http://git.internal.example/r\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    const pat = `http-pat-${Date.now()}-z1x2c3`;
    const base = { workDir, secretVariables: { GIT_PAT: pat }, inputs: { workspaceName: ws.workspace, connectionFiles: 'g.yml' } };
    world.sandbox.resetRequests();
    const refused = await world.run(TASK, 'spnKey', base);
    assert.equal(refused.result, 'Failed');
    assert.match(refused.errors[0] ?? '', /g\.yml:3:9: 'target' is plain http, but the connection carries credentials \(PAT\)/);
    assert.equal(armWrites(world), 0);
    const allowed = await world.run(TASK, 'spnKey', { ...base, inputs: { ...base.inputs, allowInsecureTargets: 'true' } });
    assert.equal(allowed.result, 'Succeeded', allowed.resultMessage + allowed.errors.join('\n'));
    assert.equal(world.sandbox.storedConnection(ws, 'repo-http')!.properties.target, 'http://git.internal.example/r');
    assertClean(allowed, world, [pat]);
  });

  it('applies overrides like az ml --set, from secret variables', async () => {
    const ws = { ...world.ws, workspace: 'mlw-overrides' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 's.yml'), 'name: snowflake-prod\ntype: snowflake\ntarget: jdbc:snowflake://a.snowflakecomputing.com/?db=X\ncredentials:\n  type: username_password\n  username: u\n');
    const pw = 'snow-pw-' + Date.now();
    const run = await world.run(TASK, 'spnKey', {
      workDir,
      debug: true,
      secretVariables: { SNOWFLAKE_PASSWORD: pw },
      inputs: { workspaceName: ws.workspace, connectionFiles: 's.yml', overrides: 'snowflake-prod.credentials.password=$(SNOWFLAKE_PASSWORD)' },
    });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.deepEqual(world.sandbox.storedConnection(ws, 'snowflake-prod')!.properties.credentials, { username: 'u', password: pw });
    assertClean(run, world, [pw]);
    assert.ok(readFileSync(join(run.tempDir, 'azureml-connections', 'apply.md'), 'utf8').includes('snowflake-prod'));
  });

  it('signs in while it reads the files: a sign-in that fails is one sentence after valid files, and says nothing when a file is refused', async () => {
    const ws = { ...world.ws, workspace: 'mlw-signin-fails' };
    world.sandbox.addWorkspace(ws);
    const wrong = 'not-the-secret-' + 'e1f0'.repeat(6);
    const endpoint = { ...world.endpoints.spnKey, params: { ...world.endpoints.spnKey.params, serviceprincipalkey: wrong } };
    const tokens = () => world.sandbox.requests.filter((r) => r.service === 'entra' && /\/token$/.test(r.path));

    // valid files: the sign-in's own sentence, asked once, and nothing reaches ARM
    const valid = world.newWorkDir();
    world.sandbox.resetRequests();
    const failed = await world.run(TASK, 'spnKey', { workDir: valid, secretVariables: exampleSecretVariables(), endpoints: [endpoint], secrets: [wrong], inputs: { workspaceName: ws.workspace } });
    assert.equal(failed.result, 'Failed');
    assert.match(failed.resultMessage, /^Sign-in failed for /, failed.resultMessage);
    assert.equal(tokens().length, 1, 'one sign-in: the one started beside the files, not a second for the first request');
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0);
    assertClean(failed, world, [wrong]);

    // a refused file: the file's error is the outcome, whatever the sign-in did meanwhile
    const refused = world.newWorkDir(false);
    mkdirSync(join(refused, 'connections'));
    writeFileSync(join(refused, 'connections', 'bad.yml'), 'name: bad-type\ntype: gti\ntarget: https://github.com/contoso/r\n');
    world.sandbox.resetRequests();
    const bad = await world.run(TASK, 'spnKey', { workDir: refused, endpoints: [endpoint], secrets: [wrong], inputs: { workspaceName: ws.workspace } });
    assert.equal(bad.result, 'Failed');
    assert.match(bad.resultMessage, /1 error\(s\) in the connection files; nothing was written/);
    assert.ok(!bad.lines.some((l) => l.includes('Sign-in failed')), bad.lines.join('\n'));
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0);
    assertClean(bad, world, [wrong]);
  });
});

