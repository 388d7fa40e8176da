/**
 * What a bundled task loads on its way to Azure: the workspace SDK only when the workspace is read,
 * nothing of Node's own that no request uses (Node's bundled undici, which the SDK pipelines' FormData
 * test would load — scripts/build.mjs rewrites that test in the bundles), and jsonwebtoken only when a
 * certificate sign-in signs its client assertion (tests/e2e/create.test.ts signs in that way).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/agent-harness';
import { startWorld, type World } from '../support/world';
import { presentTasks } from './helpers';

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string }[] }>;
}

const CREATE = 'AzureMLConnectionCreateV1';

describe('a bundled task at start-up', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  it('signs in, reads the workspace and writes through the SDK pipelines without loading undici', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amlc-startup-'));
    const probe = join(dir, 'probe.js');
    const report = join(dir, 'report.json');
    writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList)));\n`,
    );
    const ws = { ...world.ws, workspace: 'mlw-startup' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), 'name: repo-a\ntype: git\ntarget: https://git.example.com/a\ncredentials:\n  type: pat\n  pat: $(PAT_A)\n');
    const run = await world.run(CREATE, 'spnKey', {
      workDir,
      secretVariables: { PAT_A: 'pat-startup-3k9w' },
      inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' },
      env: { NODE_OPTIONS: `--require ${probe}` },
    });
    assert.equal(run.result, 'Succeeded', run.resultMessage);
    assert.equal(world.sandbox.storedConnections(ws).filter((c) => c.name === 'repo-a').length, 1, 'the connection was written');
    const loaded = JSON.parse(readFileSync(report, 'utf8')) as string[];
    assert.ok(loaded.some((m) => /\bhttps\b/.test(m)), 'the probe saw the run');
    assert.deepEqual(loaded.filter((m) => /undici/.test(m)), []);
  });

  it("evaluates jsonwebtoken only at msal-node's first client assertion, not at start-up", () => {
    const tasks = presentTasks();
    assert.ok(tasks.length >= 4);
    for (const task of tasks) {
      const { inputs } = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta', `${task}.json`), 'utf8')) as Metafile;
      const importers = (path: string) => Object.entries(inputs).filter(([, i]) => i.imports.some((x) => x.path === path)).map(([name]) => name);
      const assertion = Object.keys(inputs).find((p) => /msal-node\/dist\/client\/ClientAssertion\.mjs$/.test(p));
      assert.ok(assertion, `${task} carries msal-node's client assertion`);
      const standIn = inputs[assertion].imports.map((x) => x.path).filter((p) => /jsonwebtoken/.test(p));
      assert.deepEqual(standIn, ['jsonwebtoken-on-first-sign:jsonwebtoken-on-first-sign'], `${task}: msal-node imports the stand-in, not the package`);
      assert.deepEqual(importers('node_modules/jsonwebtoken/index.js'), [standIn[0]], `${task}: only the stand-in loads the package`);
      const text = readFileSync(join(REPO_ROOT, 'dist', 'tasks', task, 'index.js'), 'utf8');
      assert.match(text, /sign:\(\.\.\.([\w$]+)\)=>[\w$]+\(\)\.sign\(\.\.\.\1\)/, `${task}: the stand-in requires the package inside sign`);
    }
  });
});
