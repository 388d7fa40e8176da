/**
 * `npm run package` end to end: builds the .vsix with tfx-cli, opens it, checks it holds only what
 * ships (bundled tasks, images, overview, licence, manifests; no node_modules, sources or tests) and
 * its sizes, then runs tasks from INSIDE the extracted package, as the agent does after downloading it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED_COMMANDS, findSecretLeaks } from '../support/agent-harness';
import { connectionWrites, exampleSecretVariables, startWorld, type World } from '../support/world';
import { PRODUCT_TASKS, presentTasks, readTask, REPO_ROOT } from './helpers';
import { extractZip, readZip, type ZipEntry } from './zip';

const MB = 1024 * 1024;
const TASK_FILE = /^(AzureMLConnection(?:Create|Verify|Export|Migrate)V1)\/(task\.json|task\.loc\.json|index\.js|icon\.png|Strings\/resources\.resjson\/en-US\/resources\.resjson)$/;
const OTHER_FILES = new Set(['[Content_Types].xml', 'extension.vsixmanifest', 'extension.vsomanifest', 'overview.md', 'LICENSE', 'images/extension-icon.png', 'images/task-icon.png']);

function npmPackage(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '--silent', 'package', '--', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run package: the .vsix', function () {
  this.timeout(180_000);
  const present = presentTasks();
  let out: string;
  let vsix: string;
  let entries: ZipEntry[];
  let extracted: string;

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'amlc-vsix-'));
    const run = npmPackage(['--output', out]);
    assert.equal(run.status, 0, run.output);
    const files = readdirSync(out).filter((f) => f.endsWith('.vsix'));
    assert.deepEqual(files, ['azureml-connections-dev.azureml-connections-dev-1.0.0.vsix'], run.output);
    vsix = join(out, files[0]);
    entries = readZip(readFileSync(vsix));
    extracted = join(out, 'extracted');
    extractZip(readFileSync(vsix), extracted);
  });
  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('holds only the bundled tasks, images, overview, licence and manifests', () => {
    const files = entries.map((e) => e.name).filter((n) => !n.endsWith('/'));
    const stray = files.filter((n) => !TASK_FILE.test(n) && !OTHER_FILES.has(n));
    assert.deepEqual(stray, [], 'nothing else ships');
    assert.ok(!files.some((n) => /node_modules|\.ts$|\.map$|(^|\/)tests?\//.test(n)));
    const taskFolders = [...new Set(files.map((n) => TASK_FILE.exec(n)?.[1]).filter(Boolean))].sort();
    assert.deepEqual(taskFolders, present, 'one folder per task in tasks/');
    for (const t of present) {
      for (const f of ['task.json', 'task.loc.json', 'index.js', 'icon.png', 'Strings/resources.resjson/en-US/resources.resjson']) assert.ok(files.includes(`${t}/${f}`), `${t}/${f}`);
    }
    for (const f of OTHER_FILES) assert.ok(files.includes(f), f);
  });

  // @azure/arm-machinelearning (the workspace read) adds about 0.5 MB to each task's one script
  it('is within the size goals (vsix <= 3 MB, each task folder <= 2 MB)', () => {
    const total = statSync(vsix).size;
    console.log(`      vsix: ${(total / MB).toFixed(2)} MB, ${entries.length} entries`);
    for (const t of present) {
      const own = entries.filter((e) => e.name.startsWith(`${t}/`));
      const unpacked = own.reduce((n, e) => n + e.size, 0);
      const packed = own.reduce((n, e) => n + e.compressedSize, 0);
      console.log(`      ${t}: ${(unpacked / MB).toFixed(2)} MB unpacked, ${(packed / MB).toFixed(2)} MB in the vsix`);
      assert.ok(unpacked <= 2 * MB, `${t} is ${(unpacked / MB).toFixed(2)} MB unpacked`);
    }
    assert.ok(total <= 3 * MB, `the vsix is ${(total / MB).toFixed(2)} MB`);
  });

  it('its manifests name the dev extension, the overview, the licence and one contribution per task', () => {
    const text = (name: string) => entries.find((e) => e.name === name)!.data().toString('utf8');
    const vsixManifest = text('extension.vsixmanifest');
    assert.match(vsixManifest, /<Identity Language="en-US" Id="azureml-connections-dev" Publisher="azureml-connections-dev" Version="1\.0\.0"\/>/);
    assert.match(vsixManifest, /<Categories>Azure Pipelines<\/Categories>/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.Details"[^>]*Path="overview\.md"/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.License"[^>]*Path="LICENSE"/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default"[^>]*Path="images\/extension-icon\.png"/);
    const contributions = (JSON.parse(text('extension.vsomanifest')) as { contributions: Array<{ type: string; properties: { name: string } }> }).contributions;
    assert.deepEqual(contributions.filter((c) => c.type === 'ms.vss-distributed-task.task').map((c) => c.properties.name).sort(), present);
  });

  it('the dev package gives each task its own id and a "(dev)" name, so it can sit beside the release', () => {
    for (const t of present) {
      const packed = readTask(t, extracted);
      const source = readTask(t);
      assert.notEqual(packed.id, source.id);
      assert.match(packed.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(JSON.parse(readFileSync(join(extracted, t, 'task.loc.json'), 'utf8')).id, packed.id);
      assert.ok(packed.friendlyName === `${source.friendlyName} (dev)` || source.friendlyName.length > 34, packed.friendlyName);
      assert.ok(packed.friendlyName.length <= 40);
      assert.deepEqual(packed.inputs, source.inputs, 'inputs are the same');
    }
  });

  it('--env release packs the release identity with the source task ids, or refuses while a task is missing', () => {
    const releaseOut = join(out, 'release');
    const run = npmPackage(['--env', 'release', '--output', releaseOut]);
    const missing = PRODUCT_TASKS.filter((t) => !present.includes(t));
    if (missing.length > 0) {
      assert.notEqual(run.status, 0);
      assert.match(run.output, /a release must hold every task the manifest contributes/);
      for (const t of missing) assert.ok(run.output.includes(`tasks/${t}`), run.output);
      return;
    }
    assert.equal(run.status, 0, run.output);
    const file = join(releaseOut, 'azureml-connections.azureml-connections-1.0.0.vsix');
    const release = readZip(readFileSync(file));
    const manifest = release.find((e) => e.name === 'extension.vsixmanifest')!.data().toString('utf8');
    assert.match(manifest, /Id="azureml-connections" Publisher="azureml-connections"/);
    assert.match(manifest, /<GalleryFlags>Public<\/GalleryFlags>/);
    for (const t of PRODUCT_TASKS) {
      const task = JSON.parse(release.find((e) => e.name === `${t}/task.json`)!.data().toString('utf8'));
      assert.deepEqual(task, readTask(t, join(REPO_ROOT, 'dist', 'tasks')), `${t}/task.json ships as built (the source task.json plus the message catalog)`);
    }
  });

  it('fails clearly when the manifest contributes a task without its files entry', () => {
    const broken = mkdtempSync(join(tmpdir(), 'amlc-pkg-'));
    try {
      const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'vss-extension.json'), 'utf8'));
      manifest.files = manifest.files.filter((f: { packagePath?: string }) => f.packagePath !== 'AzureMLConnectionCreateV1');
      for (const p of ['scripts', 'configs']) cpSync(join(REPO_ROOT, p), join(broken, p), { recursive: true });
      writeFileSync(join(broken, 'vss-extension.json'), JSON.stringify(manifest));
      const run = spawnSync(process.execPath, [join(broken, 'scripts', 'package.mjs')], { cwd: broken, encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.equal(run.stderr.trim(), 'package: vss-extension.json contributes AzureMLConnectionCreateV1 but has no files entry { "path": "dist/tasks/AzureMLConnectionCreateV1", "packagePath": "AzureMLConnectionCreateV1" }; add one.');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  describe('a task run from inside the extracted vsix, as the agent runs it', () => {
    let world: World;
    before(async () => {
      world = await startWorld();
    });
    after(async () => {
      await world?.stop();
    });

    it('Create: plan, apply the saved plan, re-run with no writes (workload identity federation)', async () => {
      const taskDir = join(extracted, 'AzureMLConnectionCreateV1');
      const ws = { ...world.ws, workspace: 'mlw-from-vsix' };
      world.sandbox.addWorkspace(ws);
      const workDir = world.newWorkDir();
      const secrets = exampleSecretVariables();
      const base = { taskDir, workDir, secretVariables: secrets, inputs: { workspaceName: ws.workspace } };
      const writes = () => connectionWrites(world);
      world.sandbox.resetRequests();

      const plan = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...base.inputs, mode: 'plan', planFile: 'plan.json' } });
      assert.equal(plan.result, 'Succeeded', plan.resultMessage + plan.errors.join('\n') + plan.stderr);
      assert.equal(plan.outputs.created, '9');
      assert.equal(writes(), 0);
      const apply = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...base.inputs, mode: 'apply', planFile: 'plan.json' } });
      assert.equal(apply.result, 'Succeeded', apply.resultMessage + apply.errors.join('\n'));
      assert.equal(apply.outputs.created, '9');
      assert.equal(writes(), 9);
      assert.equal(world.sandbox.storedConnection(ws, 'git-models')?.properties.credentials?.pat, secrets.GIT_PAT);
      world.sandbox.resetRequests();
      const again = await world.run('AzureMLConnectionCreateV1', 'wif', base);
      assert.equal(again.result, 'Succeeded', again.resultMessage);
      assert.equal(again.outputs.unchanged, '9');
      assert.equal(writes(), 0);
      for (const run of [plan, apply, again]) {
        assert.deepEqual(findSecretLeaks(run, [...Object.values(secrets), ...world.secrets], [join(workDir, 'plan.json')]), []);
        assert.deepEqual(run.commands.filter((c) => !ALLOWED_COMMANDS.has(c.name)).map((c) => c.name), []);
        assert.ok(!/LIB_ResourceFile|loc_mock|Cannot find module/.test(run.stdout + run.stderr), 'task-lib found its resources');
      }
      assert.deepEqual(world.sandbox.validationFailures, []);
    });

    for (const name of present.filter((t) => t !== 'AzureMLConnectionCreateV1')) {
      it(`${name}: starts from the package and ends with one result, no crash (a workspace that does not exist)`, async () => {
        const run = await world.run(name, 'spnKey', { taskDir: join(extracted, name), workDir: world.newWorkDir(false), inputs: { workspaceName: 'mlw-does-not-exist' } });
        assert.equal(run.exitCode, 0, run.stderr);
        assert.equal(run.commands.filter((c) => c.name === 'task.complete').length, 1, run.stdout);
        assert.ok(!/Cannot find module|LIB_ResourceFile|\n\s+at .+\(.+:\d+:\d+\)/.test(run.stdout + run.stderr), run.stdout + run.stderr);
        assert.deepEqual(findSecretLeaks(run, world.secrets), []);
      });
    }
  });
});
