/**
 * The workspace SDK as it ships: @azure/arm-machinelearning's own bundle carried as text inside each task's
 * one script (compiled when the workspace is first read), with one copy of each package the two share.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { REPO_ROOT } from '../support/agent-harness';
import { presentTasks } from './helpers';

interface Metafile {
  inputs: Record<string, unknown>;
}
const meta = (name: string): Metafile => JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta', `${name}.json`), 'utf8')) as Metafile;
const packageOf = (input: string): string | undefined => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
const SDK_TEXT = join(REPO_ROOT, 'dist', 'meta', 'workspace-sdk.js');
/** The packages src/workspace/sdk-file.ts hands the SDK's bundle (scripts/build.mjs leaves them out of it). */
const SHARED = Object.fromEntries(
  [...readFileSync(join(REPO_ROOT, 'src', 'workspace', 'sdk-file.ts'), 'utf8').matchAll(/^ {2}'(@azure\/[a-z-]+)': \w+,$/gm)].map((m) => [m[1], true]),
);

describe('the workspace SDK inside each task script', () => {
  const tasks = presentTasks();

  it('each task folder holds one script, which carries the SDK as text and none of it as code', () => {
    assert.ok(tasks.length >= 4);
    const sdk = readFileSync(SDK_TEXT, 'utf8');
    for (const task of tasks) {
      const folder = join(REPO_ROOT, 'dist', 'tasks', task);
      assert.deepEqual(readdirSync(folder).filter((f) => f.endsWith('.js')), ['index.js'], `${task}: one bundled script`);
      const own = Object.keys(meta(task).inputs);
      assert.ok(own.includes('src/workspace/sdk-file.ts') && !own.includes('src/workspace/sdk.ts'), `${task} compiles the SDK from its text`);
      assert.deepEqual(own.filter((p) => /@azure\/(arm-machinelearning|core-lro)\//.test(p)), [], task);
      // the SDK's bundle, compressed: one long base64 string in the script that decompresses to it
      const packed = [...readFileSync(join(folder, 'index.js'), 'utf8').matchAll(/"([A-Za-z0-9+/]{10000,}={0,2})"/g)].map((m) => m[1]);
      assert.equal(packed.length, 1, `${task}: one packed string`);
      assert.equal(brotliDecompressSync(Buffer.from(packed[0], 'base64')).toString('utf8'), sdk, `${task} carries the SDK's bundle`);
    }
  });

  it("the SDK's bundle holds the SDK and none of the packages the task script hands it", () => {
    assert.equal(Object.keys(SHARED).length, 6, Object.keys(SHARED).join(', '));
    const side = Object.keys(meta('workspace-sdk').inputs);
    assert.ok(side.some((p) => p.startsWith('node_modules/@azure/arm-machinelearning/')));
    assert.deepEqual([...new Set(side.map(packageOf))].filter((p): p is string => p !== undefined && p in SHARED), []);
  });

  it("holds the SDK's client with its workspace operations and the models they name, and no other operation group", () => {
    const sdkInputs = Object.keys(meta('workspace-sdk').inputs).filter((p) => p.includes('/@azure/arm-machinelearning/'));
    const operations = sdkInputs.filter((p) => /\/operations\/[^/]+\.js$/.test(p)).map((p) => p.replace(/.*\/operations\//, ''));
    assert.deepEqual(operations.sort(), ['index.js', 'workspaces.js']);
    const text = readFileSync(SDK_TEXT, 'utf8');
    for (const model of ['"Workspace"', '"PrivateEndpointConnection"', '"EncryptionProperty"', '"ErrorResponse"']) assert.ok(text.includes(model), `carries the model ${model}`);
    for (const model of ['"BatchDeployment"', '"ComputeResource"', '"CommandJob"']) assert.ok(!text.includes(model), `leaves out ${model}`);
    assert.ok(text.length < 120_000, `${text.length} characters`);
  });

  it('asks only for what the task script hands it: the shared packages and Node built-ins', () => {
    const text = readFileSync(SDK_TEXT, 'utf8');
    const asked = new Set([...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    assert.ok(asked.has('@azure/core-rest-pipeline'), [...asked].join(', '));
    assert.deepEqual([...asked].filter((id) => !(id in SHARED) && !id.startsWith('node:') && !builtinModules.includes(id)), []);
  });
});
