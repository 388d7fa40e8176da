/**
 * The command line as it ships: its bundle (what esbuild put into it, and what runs before a command
 * asks for more), the task bundles without it, and `npm run pack:cli`: a tarball that `npm install -g`
 * turns into a working `azureml-connections` command.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliMessages } from '../../src/messages/cli';
import { REPO_ROOT } from '../support/agent-harness';
import { CLI } from '../support/cli';
import { presentTasks } from './helpers';

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
}

const meta = (name: string): Metafile => JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta', `${name}.json`), 'utf8')) as Metafile;

/** Every input reached from `entry` through import statements alone: what runs when the script starts. */
function startsWith(m: Metafile, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  while (todo.length) {
    for (const i of m.inputs[todo.pop() as string]?.imports ?? []) {
      if (i.kind !== 'import-statement' || seen.has(i.path)) continue;
      seen.add(i.path);
      todo.push(i.path);
    }
  }
  return seen;
}

describe('the command line as it ships', function () {
  this.timeout(120_000);

  it('its one script holds no task-lib and no pipeline adapter; the task scripts hold none of it', () => {
    const cli = Object.keys(meta('azureml-connections').inputs);
    assert.deepEqual(cli.filter((p) => /azure-pipelines-task-lib|^src\/pipeline\/|^tasks\//.test(p)), []);
    assert.ok(cli.includes('src/cli/online.ts') && cli.includes('sandbox/index.ts'), 'plan, apply, verify, export and the sandbox are in the same script');
    const text = readFileSync(CLI, 'utf8');
    assert.ok(!text.includes('.taskkey') && !text.includes('##vso[task.complete'), "task-lib's vault and result are not in it");
    const tasks = presentTasks();
    assert.ok(tasks.length >= 4);
    for (const task of tasks) {
      assert.deepEqual(Object.keys(meta(task).inputs).filter((p) => /^src\/cli\/|^src\/messages\/cli\.ts$|^sandbox\//.test(p)), [], task);
      const script = readFileSync(join(REPO_ROOT, 'dist', 'tasks', task, 'index.js'), 'utf8');
      assert.ok(!script.includes(cliMessages.Cli_HelpUsage) && !script.includes(cliMessages.Cli_SandboxStarted.slice(0, 40)), `${task} carries none of the command line's sentences`);
    }
  });

  it('starts without the Azure SDK or the sandbox: validate runs before they are needed', () => {
    const eager = [...startsWith(meta('azureml-connections'), 'src/cli/main.ts')];
    assert.ok(eager.includes('src/tasks/declared.ts') && eager.some((p) => p.startsWith('node_modules/yaml/')), eager.join('\n'));
    assert.deepEqual(eager.filter((p) => /@azure\/identity|@azure\/core-rest-pipeline|@azure\/msal|^sandbox\/|^src\/(arm|auth|engine|probe)\/(?!types\.ts)|^src\/tasks\/(create|verify|export)\.ts|^src\/workspace\//.test(p)), []);
  });

  it('is executable, and says its version', () => {
    assert.match(readFileSync(CLI, 'utf8').slice(0, 20), /^#!\/usr\/bin\/env node\n/);
    assert.equal(execFileSync(CLI, ['--version'], { encoding: 'utf8' }).trim(), JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('npm run pack:cli gives a tarball of four files that npm install -g turns into a working command', () => {
    const out = mkdtempSync(join(tmpdir(), 'amlc-cli-pack-'));
    try {
      const pack = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), '--output', out], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(pack.status, 0, pack.stderr);
      const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
      const tarball = join(out, `azureml-connections-${version}.tgz`);
      assert.ok(existsSync(tarball), pack.stdout);
      const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
      assert.deepEqual(listing, ['package/LICENSE', 'package/README.md', 'package/azureml-connections.js', 'package/package.json']);
      const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
      assert.deepEqual(manifest.bin, { 'azureml-connections': 'azureml-connections.js' });
      assert.deepEqual([manifest.dependencies, manifest.optionalDependencies, manifest.scripts], [undefined, undefined, undefined], 'nothing to install, nothing to run');
      assert.match(execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' }), /^# azureml-connections\n[\s\S]*## Install/);

      const prefix = join(out, 'global');
      const install = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { encoding: 'utf8' });
      assert.equal(install.status, 0, install.stderr);
      const bin = join(prefix, 'bin', 'azureml-connections');
      assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim(), version);
      const work = join(out, 'work');
      cpSync(join(REPO_ROOT, 'examples', 'connections'), join(work, 'connections'), { recursive: true });
      const valid = spawnSync(bin, ['validate', 'connections/git.yml'], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, GIT_PAT: 'x' } });
      assert.deepEqual([valid.status, valid.stdout.trim().split('\n').pop()], [0, '1 connection(s) in 1 file(s) are valid.']);
      assert.deepEqual(readdirSync(join(prefix, 'lib', 'node_modules')), ['azureml-connections'], 'no dependency came with it');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the repository root is not packed: its prepack says to use pack:cli, and fails', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    assert.deepEqual(manifest.bin, { 'azureml-connections': 'dist/cli/azureml-connections.js' });
    assert.equal(manifest.scripts.prepack, 'node scripts/pack-cli.mjs --refuse-root');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), '--refuse-root'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /npm run pack:cli/);
  });
});
