/**
 * The workspace SDK as it ships: @azure/arm-machinelearning in workspace-sdk.js beside each task's
 * index.js (loaded when the workspace is first read), with one copy of each package the two share.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { SHARED, WORKSPACE_SDK_FILE } from '../../src/workspace/sdk-file';
import { REPO_ROOT } from '../support/agent-harness';
import { presentTasks } from './helpers';

interface Metafile {
  inputs: Record<string, unknown>;
}
const meta = (name: string): Metafile => JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta', `${name}.json`), 'utf8')) as Metafile;
const packageOf = (input: string): string | undefined => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

describe('the workspace SDK beside each task script', () => {
  const tasks = presentTasks();

  it('every task ships it, and its own script holds none of the SDK', () => {
    assert.ok(tasks.length >= 4);
    for (const task of tasks) {
      const own = Object.keys(meta(task).inputs);
      assert.ok(own.includes('src/workspace/sdk-file.ts'), `${task} loads the SDK from the file beside it`);
      assert.ok(!own.includes('src/workspace/sdk.ts'), `${task} has no dynamic import of its own`);
      assert.deepEqual(own.filter((p) => /@azure\/(arm-machinelearning|core-lro)\//.test(p)), [], task);
      const side = Object.keys(meta(`${task}.workspace-sdk`).inputs);
      assert.ok(side.some((p) => p.startsWith('node_modules/@azure/arm-machinelearning/')), `${task}/${WORKSPACE_SDK_FILE} holds the SDK`);
      const twice = [...new Set(side.map(packageOf))].filter((p): p is string => p !== undefined && p in SHARED);
      assert.deepEqual(twice, [], `${task}: the packages the task script carries are not copied into the side file`);
    }
  });

  it('asks only for what the task script hands it: the shared packages and Node built-ins', () => {
    for (const task of tasks) {
      const text = readFileSync(join(REPO_ROOT, 'dist', 'tasks', task, WORKSPACE_SDK_FILE), 'utf8');
      const asked = new Set([...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
      assert.ok(asked.has('@azure/core-rest-pipeline'), [...asked].join(', '));
      const unknown = [...asked].filter((id) => !(id in SHARED) && !id.startsWith('node:') && !builtinModules.includes(id));
      assert.deepEqual(unknown, [], task);
    }
  });
});
