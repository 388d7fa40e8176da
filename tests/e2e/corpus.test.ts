/**
 * Every azure-ai-ml connection fixture, applied by the bundled Create task as the agent runs it: the
 * exact body the sandbox received for each, and the clear error for the one azure-ai-ml rejects. Also
 * every kind of bad YAML: file:line:column and no write.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ConnectionProperties } from '../../src/arm/types';
import { CORPUS_DIR, corpusExpectations, EXPECTED_MD } from '../support/corpus';
import { armWrites, assertCleanRun, isDigestKeyRequest, splitDigest, startWorld, type World } from '../support/world';

const TASK = 'AzureMLConnectionCreateV1';
const REJECTED = 'blob_store_bad_cred.yaml';

/** Every credential value of a body: the fixtures hold their secrets literally, and none may leak. */
function secretValues(p: ConnectionProperties | undefined): string[] {
  const creds = p?.credentials ?? {};
  return ['pat', 'sas', 'password', 'key', 'clientSecret', 'secretAccessKey'].map((k) => creds[k]).filter((v): v is string => typeof v === 'string');
}

describe('the azure-ai-ml corpus through the bundled Create task (sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  before(async function () {
    if (!existsSync(CORPUS_DIR) || !existsSync(EXPECTED_MD)) this.skip(); // ../shared/corpus is not beside this clone
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  it('sends, for every fixture, exactly the body EXPECTED.md derives (with our documented deviations)', async () => {
    const ws = { ...world.ws, workspace: 'mlw-corpus' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    mkdirSync(join(workDir, 'connections'));
    const expected = corpusExpectations().filter((e) => e.properties && e.file !== REJECTED && existsSync(join(CORPUS_DIR, e.file)));
    assert.ok(expected.length >= 26, `${expected.length} fixtures with a derived body`);
    for (const e of expected) copyFileSync(join(CORPUS_DIR, e.file), join(workDir, 'connections', e.file));
    world.sandbox.resetRequests();

    const run = await world.run(TASK, 'spnKey', { workDir, debug: true, inputs: { workspaceName: ws.workspace } });
    assert.equal(run.result, 'Succeeded', `${run.resultMessage}\n${run.errors.join('\n')}`);
    assert.equal(run.outputs.created, String(expected.length));

    const puts = world.sandbox.requests.filter((r) => r.service === 'arm' && r.method === 'PUT' && !isDigestKeyRequest(r));
    assert.equal(puts.length, expected.length);
    for (const e of expected) {
      const name = (parse(readFileSync(join(CORPUS_DIR, e.file), 'utf8')) as { name: string }).name;
      const put = puts.find((r) => r.path.endsWith(`/connections/${name}`));
      assert.ok(put, `${e.file}: a PUT of ${name}`);
      const { properties: sent, digest } = splitDigest((put.body as { properties: ConnectionProperties }).properties);
      assert.deepEqual(sent, { ...e.properties, metadata: { ...e.properties!.metadata, ManagedBy: 'AzureMLConnections' } }, e.file);
      assert.equal(digest !== undefined, sent.credentials !== undefined, `${e.file}: a digest exactly when it has credentials`);
    }
    assertCleanRun(run, world, expected.flatMap((e) => secretValues(e.properties)));
  });

  it(`rejects ${REJECTED} with file:line:column, saying why, and writes nothing`, async () => {
    const workDir = world.newWorkDir(false);
    copyFileSync(join(CORPUS_DIR, REJECTED), join(workDir, REJECTED));
    world.sandbox.resetRequests();
    const run = await world.run(TASK, 'spnKey', { workDir, debug: true, inputs: { connectionFiles: REJECTED } });
    assert.equal(run.result, 'Failed');
    assert.ok(run.errors.some((e) => e.startsWith(`${join(workDir, REJECTED)}:7:`) && /api_key/.test(e)), run.errors.join('\n'));
    assert.ok(run.errors.some((e) => e.startsWith(`${join(workDir, REJECTED)}:8:3`) && /did you mean 'key'/.test(e)), run.errors.join('\n'));
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0, 'not even a read');
    assertCleanRun(run, world, ['9876']);
  });

  it('bad YAML of every kind fails with file:line:column and makes no write', async () => {
    const ws = { ...world.ws, workspace: 'mlw-badyaml' };
    world.sandbox.addWorkspace(ws);
    const workDir = world.newWorkDir(false);
    const files: Record<string, string> = {
      'syntax.yml': 'name: ok-name\ntype: git\ntarget: [unclosed\n',
      'unknown-field.yml': 'name: ok-name-2\ntype: git\ntarget: https://x.example/r\ntarrget: https://y\n',
      'bad-type.yml': 'name: ok-name-3\ntype: gti\ntarget: https://x.example/r\n',
      'bad-name.yml': 'name: a!\ntype: git\ntarget: https://x.example/r\n',
      'unresolved.yml': 'name: ok-name-5\ntype: git\ntarget: https://x.example/r\ncredentials:\n  type: pat\n  pat: $(NOT_DEFINED)\n',
    };
    for (const [f, text] of Object.entries(files)) writeFileSync(join(workDir, f), text);
    world.sandbox.resetRequests();
    const run = await world.run(TASK, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' } });
    assert.equal(run.result, 'Failed');
    const at = (f: string, line: number, col: number) => run.errors.some((e) => e.startsWith(`${join(workDir, f)}:${line}:${col}:`));
    assert.ok(run.errors.some((e) => e.startsWith(`${join(workDir, 'syntax.yml')}:`)), run.errors.join('\n'));
    assert.ok(at('unknown-field.yml', 4, 1) && run.errors.some((e) => e.includes("did you mean 'target'")), run.errors.join('\n'));
    assert.ok(at('bad-type.yml', 2, 7) && run.errors.some((e) => e.includes("did you mean 'git'")), run.errors.join('\n'));
    assert.ok(at('bad-name.yml', 1, 7), run.errors.join('\n'));
    assert.ok(at('unresolved.yml', 6, 8) && run.errors.some((e) => e.includes('NOT_DEFINED')), run.errors.join('\n'));
    assert.equal(world.sandbox.requests.filter((r) => r.service === 'arm').length, 0, 'nothing read, nothing written');

    // a missing credential field: the file itself is valid, but a new connection needs its secret
    const missing = world.newWorkDir(false);
    writeFileSync(join(missing, 'm.yml'), 'name: needs-pat\ntype: git\ntarget: https://x.example/r\ncredentials:\n  type: pat\n');
    const run2 = await world.run(TASK, 'spnKey', { workDir: missing, inputs: { workspaceName: ws.workspace, connectionFiles: 'm.yml' } });
    assert.equal(run2.result, 'Failed');
    assert.ok(run2.errors.some((e) => e.startsWith(`${join(missing, 'm.yml')}:5:3:`) && e.includes('needs-pat') && e.includes('pat')), run2.errors.join('\n'));
    assert.equal(armWrites(world), 0, 'no write');
    assert.deepEqual(readdirSync(missing).sort(), ['m.yml']);
  });
});
