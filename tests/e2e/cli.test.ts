/**
 * The bundled command line (dist/cli/azureml-connections.js) run as a process:
 *  - `validate` on the hostile corpus refuses every case with exactly the errors the Create task prints
 *    (tests/hostile/cases), exit code 1, no secret shown, no command that outside text could forge; inside
 *    Azure Pipelines and GitHub Actions the same errors are annotations with their file, line and column;
 *  - against the sandbox, signed in with a service principal from environment variables: `plan` prints the
 *    same plan lines as the bundled Create task on the same files, `apply` carries out a saved plan and
 *    writes what Create writes, `verify` and `export` work, and each exit code means what the task's result does.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAzureCommand, parseGithubCommand, runnerLines } from '../support/ci-commands';
import { runCli, secretsShown, type CliRun } from '../support/cli';
import { inBatches, loadCases, prepareCase, type HostileCase } from '../support/hostile';
import { REPO_ROOT } from '../support/agent-harness';
import { exampleSecretVariables, startWorld, writtenProperties, type World, isDigestKeyRequest, userConnections } from '../support/world';

const READING_DEFAULT = /^Reading \d+ connection file\(s\) matched by \*\*\/connections\/\*\.yml, \*\*\/connections\/\*\.yaml\.$/;
const LOCATED = /^[^\n]+?:\d+:\d+: /;
/** Processes at once (the machine has two cores, and each is short). */
const PARALLEL = 4;

/** The command line for a corpus case: the task's inputs as options, public variables as --var, secret ones in the environment. */
function caseArgs(c: HostileCase): { args: string[]; env: Record<string, string> } {
  const args = ['validate'];
  const inputs = c.inputs ?? {};
  if (inputs.connectionFiles) args.push(...inputs.connectionFiles.split('\n').filter((l) => l.trim()));
  if (inputs.overrides) args.push('--set', inputs.overrides);
  if (inputs.allowInsecureTargets === 'true') args.push('--allow-insecure-targets');
  for (const [name, value] of Object.entries(c.variables ?? {})) args.push('--var', `${name}=${value}`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.secretVariables ?? {})) env[name.replace(/\./g, '_').toUpperCase()] = value;
  return { args, env };
}

/** The secrets of a case (and of its secret variables) that must never show. */
function caseSecrets(c: HostileCase): string[] {
  return [...(c.secrets ?? []), ...Object.values(c.secretVariables ?? {}).filter((v) => v.length >= 6)];
}

/** What the command line must print for a case: the corpus's errors in its own form, and the count. */
function expectedProblems(c: HostileCase, workDir: string): string[] {
  if (c.result?.startsWith('overrides:')) return [c.result];
  if (c.result?.startsWith('No connection file matches')) {
    return [`error: No connection file matches 'connections/*.yml', 'connections/*.yaml' under ${workDir}; check the files and globs (quote globs so the shell leaves them to this tool).`];
  }
  return [...c.errors.map((e) => (LOCATED.test(e) ? e : `error: ${e}`)), `error: ${c.errors.length} error(s) in the connection files.`];
}

/** The corpus errors and the final count, as annotations carry them (the text, and where, when it has a place). */
function expectedAnnotations(c: HostileCase, workDir: string): { text: string; file?: string; line?: number; column?: number }[] {
  return expectedProblems(c, workDir).map((p) => {
    const text = p.replace(/^error: /, '');
    const at = /^([^\n]+?):(\d+):(\d+): /.exec(text);
    return at && at[1] !== 'overrides' ? { text, file: join(workDir, at[1] as string), line: Number(at[2]), column: Number(at[3]) } : { text };
  });
}

function assertNoForgedCommand(stdout: string, allowed: { azure?: string[]; github?: string[] }): void {
  for (const line of runnerLines(stdout)) {
    const azure = parseAzureCommand(line);
    if (azure) assert.ok((allowed.azure ?? []).includes(azure.name), `a forged Azure Pipelines command: ${JSON.stringify(line)}`);
    const github = parseGithubCommand(line);
    if (github) assert.ok((allowed.github ?? []).includes(github.name), `a forged GitHub Actions command: ${JSON.stringify(line)}`);
    if (line.includes('##[')) assert.match(line, /^##\[(group|endgroup)\]/, `a forged ##[ line: ${JSON.stringify(line)}`);
  }
}

describe('command line: validate on the hostile corpus (bundled, as a process)', function () {
  this.timeout(120_000);
  const cases = loadCases();
  /** logging-command, line-break and control-character cases, and a few plain ones, also inside each CI */
  const ciCases = cases.filter((c) => /logging-command|line-break|control|cr$|01-yaml|60-variable|64-override|81-glob/.test(c.dir));
  const runs = new Map<string, { workDir: string; text: CliRun; azure?: CliRun; github?: CliRun }>();
  const dirs: string[] = [];

  before(async () => {
    await inBatches(cases, PARALLEL, async (c) => {
      const workDir = mkdtempSync(join(tmpdir(), 'amlc-cli-hostile-'));
      dirs.push(workDir);
      prepareCase(c, workDir);
      const { args, env } = caseArgs(c);
      const text = await runCli(args, { cwd: workDir, env });
      const inCi = ciCases.includes(c);
      const azure = inCi ? await runCli(args, { cwd: workDir, env: { ...env, TF_BUILD: 'True' } }) : undefined;
      const github = inCi ? await runCli(args, { cwd: workDir, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workDir } }) : undefined;
      runs.set(c.dir, { workDir, text, azure, github });
    });
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`runs every case (${cases.length}), and ${ciCases.length} of them inside Azure Pipelines and GitHub Actions too`, () => {
    assert.ok(cases.length >= 60);
    assert.ok(ciCases.length >= 10, ciCases.map((c) => c.dir).join(', '));
  });

  for (const c of cases) {
    it(`${c.dir}: refused with the Create task's errors, exit code 1`, () => {
      const got = runs.get(c.dir);
      assert.ok(got, 'the case ran');
      const { text, workDir } = got;
      assert.equal(text.code, 1, text.stdout + text.stderr);
      const lines = text.stdout.split('\n').filter((l) => l.length > 0);
      if (!c.result) assert.match(lines.shift() ?? '', READING_DEFAULT);
      assert.deepEqual(lines, expectedProblems(c, workDir));
      assert.equal(text.stderr, '');
      assert.deepEqual(secretsShown(caseSecrets(c), { stdout: text.stdout, stderr: text.stderr }), []);
      assertNoForgedCommand(text.stdout, {});
    });
  }

  for (const c of ciCases) {
    it(`${c.dir}: inside Azure Pipelines, each error is a task.logissue with its file, line and column, and nothing else is a command`, () => {
      const { azure, workDir } = runs.get(c.dir) ?? {};
      assert.ok(azure && workDir);
      assert.equal(azure.code, 1);
      assertNoForgedCommand(azure.stdout, { azure: ['task.logissue'] });
      const issues = runnerLines(azure.stdout).map(parseAzureCommand).filter((x) => x !== undefined);
      assert.deepEqual(
        issues.map((i) => ({ type: i.props.type, text: i.data, file: i.props.sourcepath, line: i.props.linenumber, column: i.props.columnnumber })),
        expectedAnnotations(c, workDir).map((e) => ({ type: 'error', text: e.text, file: e.file, line: e.line?.toString(), column: e.column?.toString() })),
      );
      assert.deepEqual(secretsShown(caseSecrets(c), { stdout: azure.stdout, stderr: azure.stderr }), []);
    });
    it(`${c.dir}: inside GitHub Actions, each error is an ::error annotation with its file, line and column, and nothing else is a command`, () => {
      const { github, workDir } = runs.get(c.dir) ?? {};
      assert.ok(github && workDir);
      assert.equal(github.code, 1);
      assertNoForgedCommand(github.stdout, { github: ['error'] });
      const annotations = runnerLines(github.stdout).map(parseGithubCommand).filter((x) => x !== undefined);
      assert.deepEqual(
        annotations.map((a) => ({ name: a.name, text: a.data, file: a.props.file, line: a.props.line, column: a.props.col })),
        expectedAnnotations(c, workDir).map((e) => ({ name: 'error', text: e.text, file: e.file?.slice(workDir.length + 1), line: e.line?.toString(), column: e.column?.toString() })),
      );
      assert.deepEqual(secretsShown(caseSecrets(c), { stdout: github.stdout, stderr: github.stderr }), []);
    });
  }
});

describe('command line: plan, apply, verify and export against the sandbox (service principal from environment variables)', function () {
  this.timeout(120_000);
  let world: World;
  let env: Record<string, string>;
  let target: string[];
  let secrets: string[];
  let workDir: string;
  const vars = exampleSecretVariables();
  const shown: Record<string, string> = {};
  const cli = async (args: string[], extra: Record<string, string> = {}, cwd = workDir): Promise<CliRun> => {
    const run = await runCli(args, { cwd, env: { ...env, ...extra } });
    shown[`${args.join(' ')} (stdout)`] = run.stdout;
    shown[`${args.join(' ')} (stderr)`] = run.stderr;
    return run;
  };
  /** The plan's lines: after the `Plan` title, up to the total. */
  const planLines = (stdout: string): string[] => {
    const lines = stdout.split('\n');
    const start = lines.indexOf('Plan');
    const end = lines.findIndex((l, i) => i > start && l.startsWith('Plan: '));
    assert.ok(start >= 0 && end > start, stdout);
    return lines.slice(start + 1, end + 1);
  };

  before(async () => {
    world = await startWorld();
    const sp = world.endpoints.spnKey.params;
    env = {
      AZURE_CLIENT_ID: sp.serviceprincipalid as string,
      AZURE_CLIENT_SECRET: sp.serviceprincipalkey as string,
      AZURE_TENANT_ID: world.tenantId,
      AZURE_AUTHORITY_HOST: world.sandbox.url,
      AZURE_SUBSCRIPTION_ID: world.ws.subscriptionId,
      NODE_EXTRA_CA_CERTS: world.sandbox.caFile,
      ...vars,
    };
    target = ['--arm-endpoint', world.sandbox.url, '--resource-group', world.ws.resourceGroup, '--workspace', world.ws.workspace];
    secrets = [...Object.values(vars), ...world.secrets];
    workDir = world.newWorkDir(true);
  });
  after(async () => {
    await world?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('plan prints the same plan lines as the Create task on the same files (creates, an update with its changes, unchanged)', async () => {
    const first = await cli(['apply', ...target, 'connections/git.yml', 'connections/python-feed.yml']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const git = join(workDir, 'connections', 'git.yml');
    writeFileSync(git, readFileSync(git, 'utf8').replace('https://dev.azure.com/contoso/mlops/_git/models', 'https://dev.azure.com/contoso/mlops/_git/models-v2'));
    world.sandbox.resetRequests();
    const task = await world.run('AzureMLConnectionCreateV1', 'spnKey', { workDir, secretVariables: vars, inputs: { mode: 'plan' } });
    assert.equal(task.result, 'Succeeded', task.resultMessage);
    const masked = task.masked.split('\n');
    const taskPlan = masked.slice(masked.indexOf('##[group]Plan') + 1, masked.indexOf('##[endgroup]'));
    const plan = await cli(['plan', ...target, '--plan-file', 'plan.json']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.deepEqual(planLines(plan.stdout), taskPlan);
    assert.ok(taskPlan.some((l) => l.startsWith('[~] update git-models')) && taskPlan.some((l) => l.includes('-> "https://dev.azure.com/contoso/mlops/_git/models-v2"')));
    assert.ok(taskPlan.includes('[=] unchanged pypi-internal') && taskPlan.filter((l) => l.startsWith('[+] create ')).length === 7, taskPlan.join('\n'));
    assert.match(plan.stdout, /^Workspace mlw-prod in resource group rg-mlops \(subscription [0-9a-f-]+\), https:\/\/127\.0\.0\.1:\d+, signed in with service principal [0-9a-f-]+ \(secret\)\.$/m);
    assert.match(plan.stdout, /^Outputs: created=7 updated=1 unchanged=1 deleted=0 failed=0 hasChanges=true planFile=.*plan\.json$/m);
    assert.equal(plan.stdout.trim().split('\n').pop(), '7 to create, 1 to update, 0 to delete, 1 unchanged.');
  });

  it('apply --plan-file carries out exactly that plan (the same writes as the Create task), and a re-plan is all unchanged', async () => {
    world.sandbox.resetRequests();
    const apply = await cli(['apply', ...target, '--plan-file', 'plan.json']);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, /^The saved plan .*plan\.json still matches the workspace and the files; applying it\.$/m);
    assert.equal(apply.stdout.trim().split('\n').pop(), '7 create, 1 update, 0 delete, 1 unchanged.');
    const writes = world.sandbox.requests.filter((r) => r.service === 'arm' && (r.method === 'PUT' || r.method === 'DELETE') && !isDigestKeyRequest(r));
    assert.equal(writes.length, 8);
    assert.deepEqual(world.sandbox.validationFailures, []);

    // the Create task applies the same files to another workspace: every connection is written the same
    const other = { ...world.ws, workspace: 'mlw-task' };
    world.sandbox.addWorkspace(other);
    const task = await world.run('AzureMLConnectionCreateV1', 'spnKey', { workDir, secretVariables: vars, inputs: { workspaceName: other.workspace } });
    assert.equal(task.result, 'Succeeded', task.resultMessage);
    const names = userConnections(world, world.ws).map((c) => c.name).sort();
    assert.equal(names.length, 9);
    for (const name of names) assert.deepEqual(writtenProperties(world, world.ws, name), writtenProperties(world, other, name), name);

    const again = await cli(['plan', ...target]);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.trim().split('\n').pop(), '0 to create, 0 to update, 0 to delete, 9 unchanged.');
  });

  it('apply refuses a saved plan the workspace no longer matches (exit code 1), and writes nothing', async () => {
    const plan = await cli(['plan', ...target, '--plan-file', 'stale.json', 'connections/git.yml']);
    assert.equal(plan.code, 0);
    world.sandbox.seedConnection(world.ws, 'git-models', { ...world.sandbox.storedConnection(world.ws, 'git-models')!.properties, target: 'https://elsewhere.example/x.git' });
    world.sandbox.resetRequests();
    const apply = await cli(['apply', ...target, '--plan-file', 'stale.json', 'connections/git.yml']);
    assert.equal(apply.code, 1, apply.stdout);
    assert.match(apply.stdout, /^error: .*plan/m);
    assert.equal(world.sandbox.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE').length, 0);
  });

  it('verify: exit 1 on drift (and with --fail-on none, 0), with the report written; exit 0 once the files match again', async () => {
    const drift = await cli(['verify', ...target, 'connections/*.yml', '--report-file', 'verify.json']);
    assert.equal(drift.code, 1, drift.stdout);
    assert.match(drift.stdout, /git-models/);
    const report = JSON.parse(readFileSync(join(workDir, 'verify.json'), 'utf8')) as { counts: { drifted: number; verified: number } };
    assert.deepEqual([report.counts.drifted, report.counts.verified], [1, 8]);
    const lenient = await cli(['verify', ...target, 'connections/*.yml', '--fail-on', 'none', '--report-file', 'verify.json']);
    assert.equal(lenient.code, 0, lenient.stdout);
    assert.equal((await cli(['apply', ...target])).code, 0);
    const clean = await cli(['verify', ...target, 'connections/*.yml', '--report-file', 'verify.json']);
    assert.equal(clean.code, 0, clean.stdout);
    assert.match(clean.stdout, /^Outputs: verified=9 drifted=0 missing=0 failed=0 warnings=0 reportFile=.*verify\.json$/m);
    const missing = await cli(['verify', ...target, '--name', 'no-such-connection', '--report-file', 'verify.json']);
    assert.equal(missing.code, 1);
  });

  it('export writes re-appliable files without secrets, which validate accepts with the secrets as environment variables', async () => {
    const out = join(workDir, 'exported');
    const run = await cli(['export', ...target, '--out', 'exported']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const files = readdirSync(out).sort();
    assert.equal(files.length, 9);
    const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    assert.deepEqual(secretsShown(secrets, texts), []);
    const placeholders = [...new Set(Object.values(texts).join('\n').match(/\$\(AZUREML_[A-Z0-9_]+\)/g) ?? [])].map((p) => p.slice(2, -1));
    assert.ok(placeholders.length >= 9, placeholders.join(', '));
    const check = await cli(['validate', 'exported/*.yml'], Object.fromEntries(placeholders.map((p) => [p, `value-of-${p}`])));
    assert.equal(check.code, 0, check.stdout);
  });

  it("export's first reads find their ARM connections set up while the token is fetched, not after it", async () => {
    // each new connection takes 300 ms to become usable, each ARM answer 100 ms; the token comes from Entra
    // over a connection of its own (300 ms, then two answers), and the list goes out only once it has come
    world.sandbox.resetRequests();
    Object.assign(world.sandbox, { latencyMs: 100, connectLatencyMs: 300 });
    try {
      const run = await cli(['export', ...target, '--out', 'exported-ahead']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
    } finally {
      Object.assign(world.sandbox, { latencyMs: 0, connectLatencyMs: 0 });
    }
    const entra = world.sandbox.requests.filter((r) => r.service === 'entra');
    assert.ok((entra[0]?.setUpMs ?? 0) > 250, `the sign-in's first request did wait for its connection (${entra[0]?.setUpMs} ms): the set-up is there to hide`);
    const list = world.sandbox.requests.find((r) => r.service === 'arm' && r.method === 'GET' && /\/connections$/.test(r.path));
    assert.ok(list, 'the list');
    assert.equal(Math.round(list.setUpMs ?? 0), 0, 'the list found its connection set up');
  });

  it('a sign-in that fails is one sentence naming the identity and the authority, exit code 1, the secret not shown', async () => {
    const run = await cli(['plan', ...target], { AZURE_CLIENT_SECRET: 'wrong-secret-0123456789' });
    assert.equal(run.code, 1);
    assert.match(run.stdout, new RegExp(`^error: Sign-in failed for service principal ${env.AZURE_CLIENT_ID} \\(secret\\) at ${world.sandbox.url.replace(/\/$/, '').replace(/\./g, '\\.')}: .+`, 'm'));
    assert.deepEqual(secretsShown(['wrong-secret-0123456789'], { stdout: run.stdout, stderr: run.stderr }), []);
  });

  it('prints no secret anywhere: not in any output, nor in the plan and report files', () => {
    for (const f of ['plan.json', 'stale.json', 'verify.json']) if (existsSync(join(workDir, f))) shown[f] = readFileSync(join(workDir, f), 'utf8');
    assert.deepEqual(secretsShown(secrets, shown), []);
  });
});

describe('command line: --sandbox, a try-out without an Azure account', function () {
  this.timeout(60_000);
  it('starts the sandbox, says what it started, plans and applies the examples against it, and stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amlc-cli-sandbox-'));
    try {
      cpSync(join(REPO_ROOT, 'examples', 'connections'), join(dir, 'connections'), { recursive: true });
      const vars = exampleSecretVariables();
      const run = await runCli(['apply', '--sandbox'], { cwd: dir, env: vars });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout.split('\n')[0] as string, /^Sandbox: started a local stand-in for Azure at https:\/\/127\.0\.0\.1:\d+ .* the empty workspace mlw-sandbox in resource group rg-sandbox .* it stops when this command ends\.$/);
      assert.match(run.stdout, /^Workspace mlw-sandbox in resource group rg-sandbox \(subscription 00000000-0000-0000-0000-0000000000a1\), the sandbox, signed in with service principal [0-9a-f-]+ \(secret\)\.$/m);
      assert.equal(run.stdout.trim().split('\n').pop(), '9 create, 0 update, 0 delete, 0 unchanged.');
      assert.deepEqual(secretsShown(Object.values(vars), { stdout: run.stdout, stderr: run.stderr }), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
