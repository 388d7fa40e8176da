/**
 * AzureMLConnectionMigrate@1 end to end: the bundled task, run as the agent runs it (the selected service
 * connections handed over as ENDPOINT_* with lower-case GUIDs, multi-select inputs as comma-separated
 * ids), against the sandbox: ARM for the workspace, the DevOps service-endpoint API for names and the
 * inventory. Assertions are on the bodies the sandbox stored (secrets included) and on the logging
 * commands the task printed.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointSpec, TaskRun } from '../support/agent-harness';
import { armWrites, assertCleanRun, connectionWrites, startWorld, userConnections, writtenProperties, type World } from '../support/world';
import type { WorkspaceRef } from '../../sandbox';

const TASK = 'AzureMLConnectionMigrateV1';
const MARKER = { ManagedBy: 'AzureMLConnections' };

interface Source {
  name: string;
  type: string;
  url: string;
  scheme: string;
  params: Record<string, string>;
  data?: Record<string, string>;
}

/** A service connection: registered with the sandbox's DevOps API (name, type, scheme) and handed to the task as the agent would. */
function serviceConnection(world: World, s: Source): EndpointSpec {
  const id = randomUUID().toLowerCase();
  world.sandbox.addServiceEndpoint({ id, name: s.name, type: s.type, url: s.url, scheme: s.scheme, parameters: s.params, data: s.data });
  return { id, url: s.url, scheme: s.scheme, params: s.params, data: s.data };
}

const secret = (label: string) => `${label}-${randomUUID()}`;

const stored = writtenProperties;

const assertClean = assertCleanRun;

const explain = (run: TaskRun) => `${run.result}: ${run.resultMessage}\n${run.errors.join('\n')}\n${run.lines.join('\n')}\n${run.stderr}`;

describe('AzureMLConnectionMigrate@1 end to end (bundled task, sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  let n = 0;
  const newWorkspace = (): WorkspaceRef => {
    const ws = { ...world.ws, workspace: `mlw-migrate-${++n}` };
    world.sandbox.addWorkspace(ws);
    return ws;
  };

  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  describe('every mapping row', () => {
    const s = {
      hub: secret('hub-password'),
      others: secret('others-password'),
      acrKey: secret('acr-sp-key'),
      feedToken: secret('feed-token'),
      feedPassword: secret('feed-password'),
      gitPassword: secret('git-password'),
      gitPat: secret('git-pat'),
      ghPat: secret('gh-pat'),
      ghOauth: secret('gh-oauth'),
      ghToken: secret('gh-token'),
    };
    const acrSpId = randomUUID();
    const registryId = `/subscriptions/${randomUUID()}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contosoml`;
    let eps: Record<string, EndpointSpec>;
    let ws: WorkspaceRef;
    let workDir: string;
    const inputs = () => ({
      workspaceName: ws.workspace,
      dockerRegistryConnections: [eps.hub, eps.others, eps.acrSp, eps.acrMsi, eps.acrWif].map((e) => e!.id).join(','),
      pythonFeedConnections: `${eps.feedToken!.id}, ${eps.feedUser!.id}`,
      gitConnections: [eps.gitUser, eps.gitPat].map((e) => e!.id).join(','),
      githubConnections: [eps.ghPat, eps.ghOauth, eps.ghToken, eps.ghApp].map((e) => e!.id).join(','),
      githubRepository: 'contoso/models',
    });
    const extraEndpoints = () => Object.values(eps);

    before(() => {
      ws = newWorkspace();
      workDir = world.newWorkDir(false);
      eps = {
        hub: serviceConnection(world, {
          name: 'Docker Hub (contoso)', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword',
          params: { registry: 'https://index.docker.io/v1/', username: 'contoso', password: s.hub, email: 'ml@contoso.example' }, data: { registrytype: 'DockerHub' },
        }),
        others: serviceConnection(world, {
          name: 'registry-others', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword',
          params: { registry: 'registry.contoso.example:5000', username: 'builder', password: s.others, email: '' }, data: { registrytype: 'Others' },
        }),
        acrSp: serviceConnection(world, {
          name: 'acr-contosoml-sp', type: 'dockerregistry', url: 'https://contosoml.azurecr.io', scheme: 'ServicePrincipal',
          params: { serviceprincipalid: acrSpId, serviceprincipalkey: s.acrKey, tenantId: world.tenantId, loginServer: 'contosoml.azurecr.io', scope: registryId, authenticationType: 'spnKey' },
          data: { registrytype: 'ACR', registryId, subscriptionId: randomUUID(), subscriptionName: 'ML' },
        }),
        acrMsi: serviceConnection(world, {
          name: 'acr-contosoml-msi', type: 'dockerregistry', url: 'https://contosoml.azurecr.io', scheme: 'ManagedServiceIdentity',
          params: { tenantid: world.tenantId, loginServer: 'contosoml.azurecr.io' }, data: { registrytype: 'ACR', registryId },
        }),
        acrWif: serviceConnection(world, {
          name: 'acr-contosoml-wif', type: 'dockerregistry', url: 'https://contosoml.azurecr.io', scheme: 'WorkloadIdentityFederation',
          params: { serviceprincipalid: randomUUID(), tenantId: world.tenantId, loginServer: 'contosoml.azurecr.io', scope: registryId }, data: { registrytype: 'ACR', registryId },
        }),
        feedToken: serviceConnection(world, {
          name: 'pypi-contoso-token', type: 'externalPythonDownloadFeed', url: 'https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/', scheme: 'Token',
          params: { apitoken: s.feedToken },
        }),
        feedUser: serviceConnection(world, {
          name: 'pypi-mirror', type: 'externalPythonDownloadFeed', url: 'https://pypi.contoso.example/simple/', scheme: 'UsernamePassword',
          params: { username: 'reader', password: s.feedPassword },
        }),
        gitUser: serviceConnection(world, {
          name: 'gitlab-models', type: 'git', url: 'https://gitlab.contoso.example/ml/models.git', scheme: 'UsernamePassword',
          params: { username: 'ml-bot', password: s.gitPassword }, data: { accessExternalGitServer: 'true' },
        }),
        gitPat: serviceConnection(world, {
          name: 'bitbucket-features', type: 'git', url: 'https://bitbucket.contoso.example/scm/ml/features.git', scheme: 'UsernamePassword',
          params: { username: '', password: s.gitPat }, data: { accessExternalGitServer: 'false' },
        }),
        ghPat: serviceConnection(world, { name: 'github-pat', type: 'github', url: 'https://github.com', scheme: 'PersonalAccessToken', params: { accessToken: s.ghPat } }),
        ghOauth: serviceConnection(world, { name: 'github-oauth', type: 'github', url: 'https://github.com', scheme: 'OAuth', params: { AccessToken: s.ghOauth, ConfigurationId: randomUUID() } }),
        ghToken: serviceConnection(world, { name: 'github-token', type: 'github', url: 'https://github.com', scheme: 'Token', params: { AccessToken: s.ghToken } }),
        ghApp: serviceConnection(world, { name: 'github-app', type: 'github', url: 'https://github.com', scheme: 'InstallationToken', params: {} }),
      };
    });

    it('plan mode writes nothing; apply stores each body with its secret; a re-run writes nothing; the YAML applies with Create unchanged', async () => {
      const yamlFile = join(workDir, 'out', 'migrated.yml');
      const planFile = join(workDir, 'out', 'migrate.plan.json');
      world.sandbox.resetRequests();

      // 1. plan: nothing written
      const plan = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: extraEndpoints(), inputs: { ...inputs(), mode: 'plan', planFile: 'out/migrate.plan.json' } });
      assert.equal(plan.result, 'SucceededWithIssues', explain(plan));
      assert.equal(armWrites(world), 0, 'plan mode writes nothing');
      assert.equal(plan.outputs.created, '10');
      assert.equal(plan.outputs.hasChanges, 'true');
      assert.equal(plan.outputs.notMigrated, '3');
      assert.ok(plan.lines.some((l) => l.includes('[+] create Docker-Hub-contoso (ContainerRegistry, UsernamePassword)')), plan.lines.join('\n'));
      assert.ok(existsSync(planFile));
      assertClean(plan, world, Object.values(s), [planFile]);

      // 2. apply exactly that plan
      const apply = await world.run(TASK, 'spnKey', {
        workDir, extraEndpoints: extraEndpoints(), inputs: { ...inputs(), mode: 'apply', planFile: 'out/migrate.plan.json', yamlOutputPath: 'out/migrated.yml' },
      });
      assert.equal(apply.result, 'SucceededWithIssues', explain(apply));
      assert.equal(apply.outputs.created, '10');
      assert.equal(apply.outputs.failed, '0');
      assert.equal(apply.outputs.notMigrated, '3');
      assert.match(apply.resultMessage, /3 service connection\(s\) not migrated: 'acr-contosoml-msi' \(.*\), 'acr-contosoml-wif' \(.*\), 'github-app'/);
      assert.equal(connectionWrites(world, 'PUT'), 10);

      const cr = (target: string, username: string, password: string) => ({
        authType: 'UsernamePassword', category: 'ContainerRegistry', isSharedToAll: true, metadata: MARKER, target, credentials: { username, password },
      });
      assert.deepEqual(stored(world, ws, 'Docker-Hub-contoso'), cr('https://index.docker.io/v1/', 'contoso', s.hub));
      assert.deepEqual(stored(world, ws, 'registry-others'), cr('https://registry.contoso.example:5000', 'builder', s.others));
      assert.deepEqual(stored(world, ws, 'acr-contosoml-sp'), cr('https://contosoml.azurecr.io', acrSpId, s.acrKey));
      assert.equal(stored(world, ws, 'acr-contosoml-msi'), undefined, 'an MSI ACR connection is not migrated');
      assert.equal(stored(world, ws, 'acr-contosoml-wif'), undefined, 'a WIF ACR connection is not migrated');
      assert.deepEqual(stored(world, ws, 'pypi-contoso-token'), {
        authType: 'PAT', category: 'PythonFeed', isSharedToAll: true, metadata: MARKER, target: 'https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/', credentials: { pat: s.feedToken },
      });
      assert.deepEqual(stored(world, ws, 'pypi-mirror'), {
        authType: 'UsernamePassword', category: 'PythonFeed', isSharedToAll: true, metadata: MARKER, target: 'https://pypi.contoso.example/simple/', credentials: { username: 'reader', password: s.feedPassword },
      });
      assert.deepEqual(stored(world, ws, 'gitlab-models'), {
        authType: 'UsernamePassword', category: 'Git', isSharedToAll: true, metadata: MARKER, target: 'https://gitlab.contoso.example/ml/models.git', credentials: { username: 'ml-bot', password: s.gitPassword },
      });
      assert.deepEqual(stored(world, ws, 'bitbucket-features'), {
        authType: 'PAT', category: 'Git', isSharedToAll: true, metadata: MARKER, target: 'https://bitbucket.contoso.example/scm/ml/features.git', credentials: { pat: s.gitPat },
      });
      for (const [name, token] of [['github-pat', s.ghPat], ['github-oauth', s.ghOauth], ['github-token', s.ghToken]] as const) {
        assert.deepEqual(stored(world, ws, name), {
          authType: 'PAT', category: 'Git', isSharedToAll: true, metadata: MARKER, target: 'https://github.com/contoso/models', credentials: { pat: token },
        }, name);
      }
      assert.equal(stored(world, ws, 'github-app'), undefined, 'a GitHub App connection is not migrated');

      // not migrated: the reason, and for ACR the equivalent with the workspace managed identity
      assert.ok(apply.warnings.some((w) => w.includes("'acr-contosoml-msi'") && w.includes('was not migrated. A managed identity connection holds no credential')), apply.warnings.join('\n'));
      assert.ok(apply.warnings.some((w) => w.includes("'acr-contosoml-wif'") && w.includes('workload identity federation connection holds no credential')), apply.warnings.join('\n'));
      assert.ok(apply.warnings.some((w) => w.includes("'github-app'") && w.includes('GitHub App connection holds no token')), apply.warnings.join('\n'));
      assert.ok(apply.warnings.some((w) => w.includes("'github-oauth'") && w.includes('share the target https://github.com/contoso/models')), apply.warnings.join('\n'));
      const eqAt = apply.lines.findIndex((l) => l.includes('acr-contosoml-msi') && l.includes('not migrated. A managed identity'));
      assert.ok(eqAt >= 0, apply.lines.join('\n'));
      const equivalent = apply.lines.slice(eqAt, eqAt + 12).join('\n');
      assert.match(equivalent, /type: container_registry/);
      assert.match(equivalent, /target: https:\/\/contosoml\.azurecr\.io/);
      assert.match(equivalent, /type: managed_identity/);
      assert.ok(equivalent.includes(`resource_id: ${registryId}`), equivalent);
      assert.equal(apply.summaries.length, 1);
      assert.match(apply.summaries[0]!, /### Service connections/);
      assert.match(apply.summaries[0]!, /acr-contosoml-msi \| Docker Registry \(Azure Container Registry, managed identity\) \| ManagedServiceIdentity \| not migrated/);

      // the YAML: placeholders, no secrets
      const yaml = readFileSync(yamlFile, 'utf8');
      assert.match(yaml, /name: Docker-Hub-contoso\ntype: container_registry\ntarget: https:\/\/index\.docker\.io\/v1\/\ncredentials:\n {2}type: username_password\n {2}username: contoso\n {2}password: \$\(AZUREML_DOCKER_HUB_CONTOSO_PASSWORD\)\n/);
      assert.match(yaml, /name: github-pat\ntype: git\ntarget: https:\/\/github\.com\/contoso\/models\ncredentials:\n {2}type: pat\n {2}pat: \$\(AZUREML_GITHUB_PAT_PAT\)\n/);
      assert.match(yaml, /# Not migrated: service connection 'github-app'/);
      assertClean(apply, world, Object.values(s), [planFile, yamlFile]);

      // 3. re-run with nothing changed: no write at all
      world.sandbox.resetRequests();
      const again = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: extraEndpoints(), inputs: inputs() });
      assert.equal(again.result, 'SucceededWithIssues', explain(again));
      assert.equal(armWrites(world), 0, 'a re-run with nothing changed writes nothing');
      assert.equal(again.outputs.unchanged, '10');
      assert.equal(again.outputs.hasChanges, 'false');
      assertClean(again, world, Object.values(s));

      // 4. the YAML, applied by Create with the placeholder variables set, matches what Migrate wrote
      const vars: Record<string, string> = {
        AZUREML_DOCKER_HUB_CONTOSO_PASSWORD: s.hub,
        AZUREML_REGISTRY_OTHERS_PASSWORD: s.others,
        AZUREML_ACR_CONTOSOML_SP_PASSWORD: s.acrKey,
        AZUREML_PYPI_CONTOSO_TOKEN_PAT: s.feedToken,
        AZUREML_PYPI_MIRROR_PASSWORD: s.feedPassword,
        AZUREML_GITLAB_MODELS_PASSWORD: s.gitPassword,
        AZUREML_BITBUCKET_FEATURES_PAT: s.gitPat,
        AZUREML_GITHUB_PAT_PAT: s.ghPat,
        AZUREML_GITHUB_OAUTH_PAT: s.ghOauth,
        AZUREML_GITHUB_TOKEN_PAT: s.ghToken,
      };
      for (const v of Object.keys(vars)) assert.ok(yaml.includes(`$(${v})`), v);
      world.sandbox.resetRequests();
      const create = await world.run('AzureMLConnectionCreateV1', 'spnKey', { workDir, secretVariables: vars, inputs: { workspaceName: ws.workspace, connectionFiles: 'out/migrated.yml' } });
      assert.equal(create.result, 'Succeeded', explain(create));
      assert.equal(create.outputs.unchanged, '10');
      assert.equal(armWrites(world), 0);
    });

    it('with onExisting fail and a changed secret, nothing is written for that connection', async () => {
      const changed = { ...eps.hub!, params: { ...eps.hub!.params, password: secret('rotated') } };
      world.sandbox.resetRequests();
      const run = await world.run(TASK, 'spnKey', {
        workDir, extraEndpoints: [changed], inputs: { workspaceName: ws.workspace, dockerRegistryConnections: changed.id, onExisting: 'fail' },
      });
      assert.equal(run.result, 'Failed', explain(run));
      assert.equal(armWrites(world), 0);
      assert.ok(run.errors.some((e) => e.includes("Connection 'Docker-Hub-contoso' exists and differs")), run.errors.join('\n'));
      assert.deepEqual(stored(world, ws, 'Docker-Hub-contoso')?.credentials, { username: 'contoso', password: s.hub });
      assertClean(run, world, [...Object.values(s), changed.params.password!]);
    });
  });

  it('a service connection named x##vso[task.setvariable variable=pwned]1 migrates without any logging command coming from its name', async () => {
    const ws = newWorkspace();
    const password = secret('hostile-password');
    const hostile = 'x##vso[task.setvariable variable=pwned]1';
    const ep = serviceConnection(world, { name: hostile, type: 'git', url: 'https://git.contoso.example/##vso[task.complete result=Failed]x', scheme: 'UsernamePassword', params: { username: 'u', password } });
    const workDir = world.newWorkDir(false);
    const run = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: [ep], inputs: { workspaceName: ws.workspace, gitConnections: ep.id, yamlOutputPath: 'x.yml' } });
    assert.equal(run.result, 'Succeeded', explain(run));
    const name = 'x-vso-task-setvariable-variable-p';
    assert.match(name, /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/);
    assert.deepEqual(stored(world, ws, name)?.credentials, { username: 'u', password });
    assert.equal(stored(world, ws, name)?.target, 'https://git.contoso.example/##vso[task.complete result=Failed]x');
    assert.equal(run.commands.filter((c) => c.name === 'task.setvariable' && c.props.variable === 'pwned').length, 0);
    assert.equal(run.commands.filter((c) => c.name === 'task.complete').length, 1);
    assert.ok(!run.stdout.includes('##vso[task.setvariable variable=pwned'), 'the name never reaches stdout as a command');
    assert.ok(!run.stdout.includes('##vso[task.complete result=Failed]x'), 'nor does the URL');
    assert.ok(run.lines.some((l) => l.includes("'x##_vso[task.setvariable variable=pwned]1'")), run.lines.join('\n'));
    assertClean(run, world, [password]);
  });

  it('names: nameTemplate with {type} and {id}, transliterated and padded; collisions stop the task before any write', async () => {
    const ws = newWorkspace();
    const workDir = world.newWorkDir(false);
    const a = serviceConnection(world, { name: 'Dépôt Modèles', type: 'git', url: 'https://git.contoso.example/a.git', scheme: 'UsernamePassword', params: { username: 'u', password: secret('a') } });
    const b = serviceConnection(world, { name: 'Dépôt-Modèles', type: 'git', url: 'https://git.contoso.example/b.git', scheme: 'UsernamePassword', params: { username: 'u', password: secret('b') } });
    world.sandbox.resetRequests();
    const clash = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: [a, b], inputs: { workspaceName: ws.workspace, gitConnections: `${a.id},${b.id}` } });
    assert.equal(clash.result, 'Failed', explain(clash));
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0, 'not even the workspace is read');
    assert.ok(clash.errors.some((e) => e.includes("would all become the ML connection 'Depot-Modeles'") && e.includes("'Dépôt Modèles'") && e.includes("'Dépôt-Modèles'")), clash.errors.join('\n'));

    const ok = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: [a, b], inputs: { workspaceName: ws.workspace, gitConnections: `${a.id},${b.id}`, nameTemplate: 'ado_{type}-{name}-{id}' } });
    assert.equal(ok.result, 'Succeeded', explain(ok));
    const names = userConnections(world, ws).map((c) => c.name).sort();
    const id8 = (e: EndpointSpec) => e.id.replace(/-/g, '').slice(0, 8);
    assert.deepEqual(names, [`ado_git-Depot-Modeles-${id8(a)}`, `ado_git-Depot-Modeles-${id8(b)}`].sort());
  });

  it("falls back to <type>-<id> names with a warning when the job token may not read service connections", async () => {
    const ws = newWorkspace();
    const workDir = world.newWorkDir(false);
    const token = secret('feed');
    const ep = serviceConnection(world, { name: 'pypi-internal', type: 'externalPythonDownloadFeed', url: 'https://pypi.internal.example/simple/', scheme: 'Token', params: { apitoken: token } });
    world.sandbox.devopsEndpoints.deny = true;
    try {
      const run = await world.run(TASK, 'spnKey', { workDir, extraEndpoints: [ep], inputs: { workspaceName: ws.workspace, pythonFeedConnections: ep.id } });
      assert.equal(run.result, 'Succeeded', explain(run));
      const expected = `python-feed-${ep.id.replace(/-/g, '').slice(0, 8)}`;
      assert.deepEqual(stored(world, ws, expected)?.credentials, { pat: token });
      assert.ok(run.warnings.some((w) => w.includes('The names of the service connections could not be read') && w.includes('HTTP 403')), run.warnings.join('\n'));
      assertClean(run, world, [token]);
    } finally {
      world.sandbox.devopsEndpoints.deny = false;
    }
  });

  it("inventory: every service connection of the project reported with a correct verdict, nothing written", async () => {
    const inv = await startWorld();
    try {
      const add = (s: Source) => serviceConnection(inv, s);
      add({ name: 'hub', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword', params: { registry: 'https://index.docker.io/v1/', username: 'u', password: secret('p') }, data: { registrytype: 'DockerHub' } });
      add({ name: 'acr-sp', type: 'dockerregistry', url: 'https://a.azurecr.io', scheme: 'ServicePrincipal', params: { serviceprincipalid: 'x', serviceprincipalkey: secret('k'), loginServer: 'a.azurecr.io' }, data: { registrytype: 'ACR' } });
      add({ name: 'acr-msi', type: 'dockerregistry', url: 'https://a.azurecr.io', scheme: 'ManagedServiceIdentity', params: { loginServer: 'a.azurecr.io' }, data: { registrytype: 'ACR' } });
      add({ name: 'acr-wif', type: 'dockerregistry', url: 'https://a.azurecr.io', scheme: 'WorkloadIdentityFederation', params: { loginServer: 'a.azurecr.io' }, data: { registrytype: 'ACR' } });
      add({ name: 'feed-token', type: 'externalPythonDownloadFeed', url: 'https://f.example/simple/', scheme: 'Token', params: { apitoken: secret('t') } });
      add({ name: 'feed-user', type: 'externalPythonDownloadFeed', url: 'https://f.example/simple/', scheme: 'UsernamePassword', params: { username: 'u', password: secret('p') } });
      add({ name: 'upload-feed', type: 'externalPythonUploadFeed', url: 'https://f.example/upload/', scheme: 'Token', params: { apitoken: secret('t') } });
      add({ name: 'other-git', type: 'git', url: 'https://g.example/r.git', scheme: 'UsernamePassword', params: { username: 'u', password: secret('p') } });
      add({ name: 'gh-pat', type: 'github', url: 'https://github.com', scheme: 'PersonalAccessToken', params: { accessToken: secret('t') } });
      add({ name: 'gh-oauth', type: 'github', url: 'https://github.com', scheme: 'OAuth', params: { AccessToken: secret('t') } });
      add({ name: 'gh-app', type: 'github', url: 'https://github.com', scheme: 'InstallationToken', params: {} });
      add({ name: 'ghe', type: 'githubenterprise', url: 'https://ghe.example', scheme: 'Token', params: { apitoken: secret('t') } });
      add({ name: 'arm-prod', type: 'azurerm', url: 'https://management.azure.com/', scheme: 'WorkloadIdentityFederation', params: { serviceprincipalid: 'x', tenantid: 'y' } });
      add({ name: 'npm-feed', type: 'externalnpmregistry', url: 'https://npm.example/', scheme: 'Token', params: { apitoken: secret('t') } });
      add({ name: 'x##vso[task.setvariable variable=pwned]1', type: 'generic', url: 'https://x.example/##vso[task.complete result=Failed]', scheme: 'UsernamePassword', params: { username: 'u', password: secret('p') } });

      const run = await inv.run(TASK, 'spnKey', { workDir: inv.newWorkDir(false), inputs: { inventory: 'true' } });
      assert.equal(run.result, 'Succeeded', explain(run));
      assert.equal(inv.sandbox.requests.filter((r) => r.service === 'arm').length, 0, 'an inventory alone does not touch the workspace');
      const lines = run.lines.filter((l) => /^'.*' \([0-9a-f-]{36}\): type /.test(l));
      const verdict = (name: string) => {
        const line = lines.find((l) => l.startsWith(`'${name}' (`));
        assert.ok(line, `${name} is reported:\n${lines.join('\n')}`);
        return line!;
      };
      assert.equal(lines.length, 15, lines.join('\n'));
      assert.match(verdict('hub'), /type dockerregistry, scheme UsernamePassword: can be migrated to container_registry \(username_password\)$/);
      assert.match(verdict('acr-sp'), /scheme ServicePrincipal: can be migrated to container_registry \(username_password\)$/);
      assert.match(verdict('acr-msi'), /scheme ManagedServiceIdentity: cannot be migrated\. A managed identity connection holds no credential/);
      assert.match(verdict('acr-wif'), /scheme WorkloadIdentityFederation: cannot be migrated\. A workload identity federation connection holds no credential/);
      assert.match(verdict('feed-token'), /scheme Token: can be migrated to python_feed \(pat\)$/);
      assert.match(verdict('feed-user'), /scheme UsernamePassword: can be migrated to python_feed \(username_password\)$/);
      assert.match(verdict('upload-feed'), /cannot be migrated\. ML reads Python packages through a download feed/);
      assert.match(verdict('other-git'), /type git, scheme UsernamePassword: can be migrated to git \(username_password\)$/);
      assert.match(verdict('gh-pat'), /scheme PersonalAccessToken: can be migrated to git \(pat\)$/);
      assert.match(verdict('gh-oauth'), /scheme OAuth: can be migrated to git \(pat\)$/);
      assert.match(verdict('gh-app'), /scheme InstallationToken: cannot be migrated\. A GitHub App connection holds no token/);
      assert.match(verdict('ghe'), /type githubenterprise, scheme Token: cannot be migrated\. This task does not take GitHub Enterprise Server connections/);
      assert.match(verdict('arm-prod'), /type azurerm, .*cannot be migrated\. An Azure Resource Manager connection/);
      assert.match(verdict('npm-feed'), /type externalnpmregistry, .*cannot be migrated\. ML workspace connections have no counterpart for service connections of type externalnpmregistry/);
      assert.match(verdict('x##_vso[task.setvariable variable=pwned]1'), /type generic, .*cannot be migrated/);
      assert.ok(run.lines.some((l) => l === 'Inventory: 7 of 15 service connection(s) can be migrated.'), run.lines.join('\n'));
      assert.equal(run.resultMessage, '15 service connection(s) listed, 7 can be migrated.');
      assert.match(run.summaries[0] ?? '', /### Inventory of the project's service connections/);
      assert.equal(run.commands.filter((c) => c.name === 'task.setvariable' && c.props.variable === 'pwned').length, 0);
      assertClean(run, inv, []);
      // the API was read with the job token, through the OPTIONS location lookup
      const devops = inv.sandbox.requests.filter((r) => r.service === 'devops').map((r) => `${r.method} ${r.path} ${r.status}`);
      assert.deepEqual(devops, ['OPTIONS /org/_apis/serviceendpoint 200', `GET /org/${inv.sandbox.projectId}/_apis/serviceendpoint/endpoints 200`]);
    } finally {
      await inv.stop();
    }
  });

  it('inventory without the permission fails with what to grant; nothing selected and no inventory is an error', async () => {
    world.sandbox.devopsEndpoints.deny = true;
    try {
      const run = await world.run(TASK, 'spnKey', { workDir: world.newWorkDir(false), inputs: { inventory: 'true' } });
      assert.equal(run.result, 'Failed', explain(run));
      assert.match(run.resultMessage, /may not read service connections .*HTTP 403.*Reader role on service connections/);
    } finally {
      world.sandbox.devopsEndpoints.deny = false;
    }
    const none = await world.run(TASK, 'spnKey', { workDir: world.newWorkDir(false), inputs: {} });
    assert.equal(none.result, 'Failed');
    assert.match(none.resultMessage, /No service connection is selected/);
  });
});
