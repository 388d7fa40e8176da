/**
 * npm run demo: the four tasks against the local sandbox, no Azure account. Each step runs a *bundled*
 * task (dist/tasks) exactly as the agent would (tests/support/world.ts + agent-harness.ts), with every run
 * audited for leaked secrets and injected logging commands:
 *
 *   1. AzureMLConnectionCreate@1: plan -> apply the saved plan -> a re-run that changes nothing (and what it cost)
 *   2. AzureMLConnectionVerify@1: drift made behind its back, found; probes where a local protocol peer
 *      (tests/support/peers.ts) stands in for the target, and which connections were not probed and why
 *   3. AzureMLConnectionExport@1 and promotion dev -> prod with Create
 *   4. AzureMLConnectionMigrate@1 from the project's Azure DevOps service connections
 *   5. one run's summary as the Extensions tab shows it, rendered as plain text
 *
 * Colours only on a terminal and never with NO_COLOR. Every printed line goes through neutralise(), so
 * nothing the demo prints can become a logging command when it runs inside a pipeline.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { neutralise } from '../src/core/log';
import { agentLines, parseCommand, type EndpointSpec, type TaskRun } from '../tests/support/agent-harness';
import { missingPeers, peerTls, startGitPeer, startPypiPeer, startRegistryPeer, type GitPeer, type PeerName, type PeerTls, type ProcessPeer } from '../tests/support/peers';
import { exampleSecretVariables, startWorld, userConnections, writtenProperties, type World } from '../tests/support/world';
import { markdownToText } from './markdown-text';

const started = Date.now();
const colour = Boolean(process.stdout.isTTY) && (process.env.NO_COLOR ?? '') === '';
const sgr = (code: string) => (s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = sgr('1');
const dim = sgr('2');
const yellow = sgr('33');
const red = sgr('31');
const green = sgr('32');

/** Every line the demo prints: one line each, never a logging command. */
function say(text = ''): void {
  for (const line of text.split(/\r\n|\r|\n/)) process.stdout.write(`${neutralise(line)}\n`);
}

/** A secret the demo makes up: the same form as exampleSecretVariables(), with a `demo-` label. */
const demoSecret = (label: string) => `demo-${label}-${randomUUID().slice(0, 13)}`;

let runs = 0;

/**
 * A run's log as the agent's log view shows it, in order: plain lines, warnings and errors (task.issue),
 * group markers and every other logging command left out. Throws when the result is not the one expected.
 */
function show(title: string, run: TaskRun, expected: TaskRun['result'] = 'Succeeded', note = ''): void {
  runs++;
  const result = run.result === 'Succeeded' ? green(run.result) : run.result === 'Failed' ? red(run.result) : yellow(run.result);
  say(`\n${bold(title)}  ${dim(`(${run.durationMs} ms, result: `)}${result}${dim(')')}${note ? `  ${dim(note)}` : ''}`);
  let at = '  ';
  for (const line of agentLines(run.masked)) {
    if (line === '') continue;
    // a group is a collapsible section of the log view: its title shown, its lines under it
    if (line.startsWith('##[group]')) {
      say(`  ${bold(`▾ ${line.slice('##[group]'.length)}`)}`);
      at = '    ';
      continue;
    }
    if (line.startsWith('##[endgroup]')) {
      at = '  ';
      continue;
    }
    const cmd = parseCommand(line);
    if (!cmd) say(`${at}${line}`);
    else if (cmd.name === 'task.issue' || cmd.name === 'task.logissue') {
      const type = (cmd.props.type ?? '').toLowerCase();
      if (type === 'warning') say(`${at}${yellow('warning:')} ${cmd.data}`);
      if (type === 'error') say(`${at}${red('error:')} ${cmd.data}`);
    }
  }
  const outs = Object.entries(run.outputs).map(([k, v]) => `${k}=${v}`).join(' ');
  if (outs) say(`  ${dim(`output variables: ${outs}`)}`);
  if (run.result !== expected) throw new Error(`${title}: expected ${expected}, the run ended ${run.result}: ${run.resultMessage}`);
}

function heading(text: string): void {
  say(`\n${bold(`━━ ${text} ━━`)}`);
}

// ---- probe peers ---------------------------------------------------------------------------------

interface Peer {
  /** the example connection whose target it stands in for */
  connection: string;
  file: string;
  what: string;
  needs: PeerName[];
  url?: string;
  /** why it is not running */
  absent?: string;
}

interface Peers {
  tls?: PeerTls;
  list: Peer[];
  stop(): Promise<void>;
}

/**
 * The peers whose software is installed, started with the credentials the example files declare: a git
 * http-backend for git-models (the PAT), nginx's PEP 503 index for pypi-internal (build / the feed
 * password), a Docker registry for acr-images (contosoml / the registry password).
 */
async function startPeers(secrets: Record<string, string>): Promise<Peers> {
  const list: Peer[] = [
    { connection: 'git-models', file: 'git.yml', what: 'git http-backend', needs: ['git', 'git-http-backend'] },
    { connection: 'pypi-internal', file: 'python-feed.yml', what: 'a PEP 503 index served by nginx', needs: ['nginx', 'htpasswd'] },
    { connection: 'acr-images', file: 'container-registry.yml', what: 'a Docker registry (docker-registry)', needs: ['docker-registry', 'htpasswd'] },
  ];
  // AMLC_DEMO_NO_PEERS=docker-registry,nginx: run as if that software were not installed (the test of the demo uses it)
  const leftOut = new Set((process.env.AMLC_DEMO_NO_PEERS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const missing = (p: Peer) => [...missingPeers(...p.needs), ...p.needs.filter((n) => leftOut.has(n))];
  const runnable = list.filter((p) => missing(p).length === 0);
  for (const p of list) if (!runnable.includes(p)) p.absent = `${[...new Set(missing(p))].join(', ')} not installed here`;
  if (runnable.length === 0) return { list, stop: async () => undefined };
  const tls = peerTls();
  const stops: Array<() => Promise<void>> = [];
  const start: Record<string, () => Promise<{ url: string; stop(): Promise<void> }>> = {
    'git-models': async () => {
      const g: GitPeer = await startGitPeer(tls, secrets.GIT_PAT!);
      return { url: g.repoUrl, stop: () => g.stop() };
    },
    'pypi-internal': async () => {
      const p: ProcessPeer = await startPypiPeer(tls, 'build', secrets.FEED_PASSWORD!);
      return { url: `${p.url}/simple/`, stop: () => p.stop() };
    },
    'acr-images': async () => {
      const r: ProcessPeer = await startRegistryPeer(tls, 'contosoml', secrets.ACR_PASSWORD!);
      return { url: r.url, stop: () => r.stop() };
    },
  };
  await Promise.all(
    runnable.map(async (p) => {
      try {
        const s = await start[p.connection]!();
        p.url = s.url;
        stops.push(s.stop);
      } catch (e) {
        p.absent = `${p.what} did not start (${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 120)})`;
      }
    }),
  );
  return {
    tls,
    list,
    stop: async () => {
      await Promise.all(stops.map((s) => s()));
      tls.dispose();
    },
  };
}

/** Point the copied example file's target at its peer. */
function retarget(workDir: string, peer: Peer): void {
  const file = join(workDir, 'connections', peer.file);
  const text = readFileSync(file, 'utf8');
  if (!/^target: .*$/m.test(text)) throw new Error(`${peer.file} has no target line`);
  writeFileSync(file, text.replace(/^target: .*$/m, `target: ${peer.url}`));
}

function originalTarget(peer: Peer): string {
  return /^target: (.*)$/m.exec(readFileSync(join(__dirname, '..', 'examples', 'connections', peer.file), 'utf8'))?.[1] ?? '?';
}

// ---- the steps -----------------------------------------------------------------------------------

/** What a run cost, from the sandbox's request log (ARM only): PUTs, requests spending ARM's write budget, reads. */
function cost(world: World, from: number): string {
  const arm = world.sandbox.requests.slice(from).filter((r) => r.service === 'arm');
  const puts = arm.filter((r) => r.method === 'PUT').length;
  const writes = arm.filter((r) => r.bucket === 'writes');
  const what = new Map<string, number>();
  for (const r of writes) {
    // PUTs by method; any other write-budget request (listsecrets) by what it asked and of which connection
    const m = /\/connections\/([^/]+)\/([^/]+)$/.exec(r.path);
    const op = r.method === 'PUT' ? 'PUT' : m ? `${r.method} ${m[2]} of ${m[1]}` : `${r.method} ${r.path.split('/').pop()}`;
    what.set(op, (what.get(op) ?? 0) + 1);
  }
  const detail = [...what].map(([op, n]) => `${n} ${op}`).join(', ');
  const reads = arm.filter((r) => r.bucket === 'reads').length;
  return `${puts} PUT, ${writes.length} request(s) from ARM's write budget${detail ? ` (${detail})` : ''}, ${reads} read(s)`;
}

async function create(world: World, workDir: string, secrets: Record<string, string>): Promise<void> {
  heading('1. AzureMLConnectionCreate@1 — plan, apply the saved plan, run again');
  const base = { workDir, secretVariables: secrets };
  const planFile = 'plan/connections.plan.json';
  let mark = world.sandbox.requests.length;
  const plan = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { mode: 'plan', planFile } });
  show('1a. Plan (mode: plan) — nothing is written', plan);
  say(`  ${dim(`cost: ${cost(world, mark)}`)}`);

  mark = world.sandbox.requests.length;
  const apply = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { mode: 'apply', planFile } });
  show('1b. Apply the saved plan (mode: apply, planFile) — e.g. in a deployment job behind an approval', apply);
  say(`  ${dim(`cost: ${cost(world, mark)}`)}`);

  mark = world.sandbox.requests.length;
  const again = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: {} });
  show('1c. Run again with nothing changed', again);
  say(`  ${bold('The no-change run cost')} (the sandbox's request log): ${cost(world, mark)}.`);
}

/** Someone edits two connections in the portal: sql-warehouse's server and s3-landing's secret key. */
function changeBehindItsBack(world: World): string[] {
  const ws = world.ws;
  const sql = writtenProperties(world, ws, 'sql-warehouse');
  const s3 = writtenProperties(world, ws, 's3-landing');
  const full = (name: string) => world.sandbox.storedConnection(ws, name)!.properties;
  if (!sql || !s3) throw new Error('the demo expected sql-warehouse and s3-landing in the workspace');
  const { createdByWorkspaceArmId: _a, group: _b, ...sqlStored } = full('sql-warehouse');
  world.sandbox.seedConnection(ws, 'sql-warehouse', { ...sqlStored, target: String(sqlStored.target).replace('contoso.database', 'contoso-old.database') });
  const { createdByWorkspaceArmId: _c, group: _d, ...s3Stored } = full('s3-landing');
  world.sandbox.seedConnection(ws, 's3-landing', { ...s3Stored, credentials: { ...s3Stored.credentials, secretAccessKey: demoSecret('s3-rotated') } });
  return ['sql-warehouse: its target now names the server contoso-old.database.windows.net', "s3-landing: its secret access key replaced (the new value is not the pipeline's S3_SECRET_ACCESS_KEY)"];
}

interface ReportConnection {
  name: string;
  status: string;
  probe?: { kind: string; status: string; detail: string };
}

async function verify(world: World, workDir: string, secrets: Record<string, string>, peers: Peers): Promise<TaskRun> {
  heading('2. AzureMLConnectionVerify@1 — drift made behind its back, and probes');
  const changes = changeBehindItsBack(world);
  say(`\n  Changed directly in the sandbox, as someone would in the portal (no task ran):`);
  for (const c of changes) say(`    - ${c}`);

  const inputs = { connectionFiles: 'connections/*.yml' };
  const drift = await world.run('AzureMLConnectionVerifyV1', 'wif', { workDir, secretVariables: secrets, inputs });
  show('2a. Verify the workspace against the files (stored credentials checked, no probes)', drift, 'Failed', '— drift fails the run, as it should');
  const report = (run: TaskRun) => JSON.parse(readFileSync(run.outputs.reportFile!, 'utf8')) as { connections: ReportConnection[] };
  const drifted = report(drift).connections.filter((c) => c.status === 'drifted').map((c) => c.name);
  say(`  ${bold('Drift found:')} ${drifted.length} connection(s) changed behind the pipeline's back: ${drifted.join(', ') || 'none'}.`);
  if (drifted.length !== 2) throw new Error(`expected sql-warehouse and s3-landing drifted, the report says: ${drifted.join(', ')}`);

  const running = peers.list.filter((p) => p.url);
  const probed: string[] = [];
  if (running.length > 0) {
    const names = running.map((p) => p.connection);
    const run = await world.run('AzureMLConnectionVerifyV1', 'wif', {
      workDir,
      secretVariables: secrets,
      variables: { 'Agent.CAInfo': peers.tls!.caFile },
      inputs: { ...inputs, connectionNames: names.join('\n'), probe: 'true', probeTimeoutSeconds: '10' },
    });
    show(`2b. Verify ${names.join(', ')} with probes (targets on local peers; the peers' CA given as the agent's Agent.CAInfo)`, run);
    for (const c of report(run).connections) if (c.probe) probed.push(`${c.name} (${c.probe.kind}: ${c.probe.status})`);
  } else {
    say(`\n${bold('2b. Probes')}  ${dim('(skipped: no local peer could be started)')}`);
  }
  say(`\n  ${bold('Probed')} (a real protocol peer on loopback stands in for the target): ${probed.join('; ') || 'none'}`);
  say(`  ${bold('Not probed')}, and why:`);
  for (const p of peers.list.filter((x) => !x.url)) say(`    - ${p.connection}: ${p.absent}, so nothing stands in for ${originalTarget(p)} (the demo reaches no network beyond loopback)`);
  // the rest, by their stored targets (read from the sandbox)
  const rest = userConnections(world, world.ws)
    .filter((c) => !peers.list.some((p) => p.connection === c.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const https = rest.filter((c) => /^https:\/\//i.test(String(c.properties.target ?? ''))).map((c) => c.name);
  const other = rest.filter((c) => !https.includes(c.name)).map((c) => c.name);
  if (https.length) say(`    - ${https.join(', ')}: https targets on the internet, which the demo never reaches (Verify would try a TLS handshake there)`);
  if (other.length) say(`    - ${other.join(', ')}: targets that are not https URLs (JDBC, a connection string, a bucket name), which no probe reads`);
  return drift;
}

async function promote(world: World, workDir: string): Promise<void> {
  heading('3. AzureMLConnectionExport@1 and promotion dev -> prod');
  const dev = world.ws;
  const prod = { ...world.ws, resourceGroup: 'rg-mlops-prod', workspace: 'mlw-prod' };
  world.sandbox.addWorkspace(prod);

  const exp = await world.run('AzureMLConnectionExportV1', 'wif', {
    workDir,
    variables: { 'Build.ArtifactStagingDirectory': join(workDir, 'staging') },
    inputs: { workspaceName: dev.workspace, secrets: 'variables' },
  });
  show(`3a. Export ${dev.workspace} (secrets: variables) — one az-ml YAML file per connection`, exp);
  const out = exp.outputs.outputPath ?? '';
  const sample = readdirSync(out).sort().find((f) => f.startsWith('weather-tool')) ?? readdirSync(out).sort()[0];
  if (sample) {
    say(`  ${sample} (no secret in the file; a placeholder per secret instead):`);
    for (const line of readFileSync(join(out, sample), 'utf8').trimEnd().split('\n')) say(`    ${line}`);
  }

  const base = { workDir, secretVariables: exp.secretVariablesSet };
  const inputs = { resourceGroupName: prod.resourceGroup, workspaceName: prod.workspace, connectionFiles: `${out}/*.yml`, planFile: 'plan/prod.plan.json' };
  const plan = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...inputs, mode: 'plan' } });
  show(`3b. Plan into ${prod.workspace} with the exported files and the secret variables Export set`, plan);
  const apply = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...inputs, mode: 'apply' } });
  show(`3c. Apply the saved plan to ${prod.workspace}`, apply);

  // compared through the sandbox, not through our code: every declared field and secret (the read-only fields, the
  // digest key connection and each workspace's own secret digest aside). dev still carries the two changes of step 2.
  const names = userConnections(world, dev).map((c) => c.name);
  const same = names.filter((n) => isDeepStrictEqual(writtenProperties(world, dev, n), writtenProperties(world, prod, n)));
  const differ = names.filter((n) => !same.includes(n));
  say(`\n  ${bold('dev and prod compared')} (read from the sandbox, secrets included): identical ${same.length} of ${names.length}${differ.length ? ` (differ: ${differ.join(', ')})` : ''}`);
  if (differ.length) throw new Error(`prod differs from dev: ${differ.join(', ')}`);
}

async function migrate(world: World, workDir: string): Promise<void> {
  heading("4. AzureMLConnectionMigrate@1 — from the project's Azure DevOps service connections");
  const ws = { ...world.ws, workspace: 'mlw-legacy' };
  world.sandbox.addWorkspace(ws);
  const add = (s: { name: string; type: string; url: string; scheme: string; params: Record<string, string>; data?: Record<string, string> }): EndpointSpec => {
    const id = randomUUID().toLowerCase();
    world.sandbox.addServiceEndpoint({ id, name: s.name, type: s.type, url: s.url, scheme: s.scheme, parameters: s.params, data: s.data });
    return { id, url: s.url, scheme: s.scheme, params: s.params, data: s.data };
  };
  const registryId = `/subscriptions/${world.ws.subscriptionId}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contosoml`;
  const docker = [
    add({ name: 'registry-contoso', type: 'dockerregistry', url: 'https://hub.docker.com/', scheme: 'UsernamePassword', params: { registry: 'registry.contoso.example:5000', username: 'builder', password: demoSecret('registry-password'), email: '' }, data: { registrytype: 'Others' } }),
    add({ name: 'acr-contosoml-msi', type: 'dockerregistry', url: 'https://contosoml.azurecr.io', scheme: 'ManagedServiceIdentity', params: { tenantid: world.tenantId, loginServer: 'contosoml.azurecr.io' }, data: { registrytype: 'ACR', registryId } }),
  ];
  const feeds = [add({ name: 'pypi-mirror', type: 'externalPythonDownloadFeed', url: 'https://pypi.contoso.example/simple/', scheme: 'UsernamePassword', params: { username: 'reader', password: demoSecret('feed-password') } })];
  const git = [add({ name: 'gitlab-models', type: 'git', url: 'https://gitlab.contoso.example/ml/models.git', scheme: 'UsernamePassword', params: { username: 'ml-bot', password: demoSecret('git-password') }, data: { accessExternalGitServer: 'true' } })];
  const github = [add({ name: 'github-contoso', type: 'github', url: 'https://github.com', scheme: 'PersonalAccessToken', params: { accessToken: demoSecret('github-pat') } })];
  say(`\n  Service connections of the project (the sandbox's service-endpoint API): ${['registry-contoso', 'acr-contosoml-msi', 'pypi-mirror', 'gitlab-models', 'github-contoso'].join(', ')}`);

  const run = await world.run('AzureMLConnectionMigrateV1', 'wif', {
    workDir,
    extraEndpoints: [...docker, ...feeds, ...git, ...github],
    inputs: {
      workspaceName: ws.workspace,
      dockerRegistryConnections: docker.map((e) => e.id).join(','),
      pythonFeedConnections: feeds.map((e) => e.id).join(','),
      gitConnections: git.map((e) => e.id).join(','),
      githubConnections: github.map((e) => e.id).join(','),
      githubRepository: 'contoso/models',
      yamlOutputPath: 'migrated/connections.yml',
    },
  });
  show(`4a. Migrate into ${ws.workspace} (mode: apply; the YAML written for source control)`, run, 'SucceededWithIssues', '— one connection cannot be migrated');
  say(`\n  ${bold('Migrated')} (read from the sandbox): ${userConnections(world, ws).length} connection(s) in ${ws.workspace}`);
  const rows = userConnections(world, ws)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => [c.name, String(c.properties.category), String(c.properties.authType), String(c.properties.target), `credentials: ${Object.keys(c.properties.credentials ?? {}).join(', ') || '-'}`]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  for (const r of rows) say(`    ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
  say(`  Not migrated: ${run.outputs.notMigrated ?? '?'} (acr-contosoml-msi: a managed identity holds no credential to copy; the log above shows the equivalent YAML)`);
}

async function main(): Promise<void> {
  const secrets = exampleSecretVariables();
  const [world, peers] = await Promise.all([startWorld({ latencyMs: 5, resourceGroup: 'rg-mlops-dev', workspace: 'mlw-dev' }), startPeers(secrets)]);
  try {
    const workDir = world.newWorkDir();
    for (const p of peers.list) if (p.url) retarget(workDir, p);
    say(bold('Azure ML Connections for Azure Pipelines: the four tasks against the local sandbox'));
    say(`  sandbox (ARM, Entra, Azure DevOps) at ${world.sandbox.url}; workspace ${world.ws.workspace} in ${world.ws.resourceGroup}`);
    say('  each step runs the bundled task (dist/tasks) as the agent would; service connection: Azure Resource Manager, workload identity federation');
    say('  connection files: examples/connections/*.yml; their secrets come from secret pipeline variables');
    for (const p of peers.list) {
      say(p.url ? `  ${p.connection}: target pointed at ${p.what} on loopback, ${p.url}` : `  ${p.connection}: no local peer (${p.absent}); its target stays ${originalTarget(p)}`);
    }

    await create(world, workDir, secrets);
    const drift = await verify(world, workDir, secrets, peers);
    await promote(world, workDir);
    await migrate(world, workDir);

    heading("5. The summary of step 2a as a person sees it on the run's Extensions tab");
    if (drift.summaries.length !== 1) throw new Error(`step 2a uploaded ${drift.summaries.length} summaries`);
    say('');
    const columns = process.stdout.isTTY && process.stdout.columns ? Math.max(80, process.stdout.columns) : 120;
    for (const line of markdownToText(drift.summaries[0]!, '  ', columns)) say(line);

    const failures = world.sandbox.validationFailures.length;
    say(`\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${runs} task runs, each audited for leaked secrets and injected logging commands; ` +
      `every REST request checked against the official spec: ${world.sandbox.specLoaded ? `${failures} failure(s)` : 'no (spec not found)'}.`);
    if (failures) throw new Error(`${failures} request(s) did not match the REST spec`);
  } finally {
    await Promise.all([world.stop(), peers.stop()]);
  }
}

main().catch((e: unknown) => {
  say(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
