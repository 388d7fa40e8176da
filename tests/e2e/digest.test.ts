/**
 * Secret digests end to end (bundled tasks, sandbox): a run that changes nothing spends one listsecrets
 * (the key) and no write; a rotated secret is one PUT; `secretCheck: read` reads every stored secret; a
 * change behind the task's back is seen by `read` and by Verify, not by the digest; the key connection is
 * never pruned, exported or verified as a user connection, and its name is reserved.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceRef } from '../../sandbox';
import { assertCleanRun, DIGEST_KEY, isDigestKeyRequest, splitDigest, startWorld, userConnections, type World } from '../support/world';

const CREATE = 'AzureMLConnectionCreateV1';

describe('secret digests end to end (bundled tasks, sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.stop();
  });

  let n = 0;
  function workspace(): WorkspaceRef {
    const ws = { ...world.ws, workspace: `mlw-digest-${++n}` };
    world.sandbox.addWorkspace(ws);
    return ws;
  }

  const FILES = [
    'name: repo-a\ntype: git\ntarget: https://git.example.com/a\ncredentials:\n  type: pat\n  pat: $(PAT_A)\n',
    'name: repo-b\ntype: git\ntarget: https://git.example.com/b\ncredentials:\n  type: pat\n  pat: $(PAT_B)\n',
    'name: feed-c\ntype: python_feed\ntarget: https://pkgs.example.com/simple/\ncredentials:\n  type: username_password\n  username: build\n  password: $(FEED_PW)\n',
    'name: plain-d\ntype: git\ntarget: https://git.example.com/d\n',
  ].join('---\n');

  const secrets = () => ({ PAT_A: `pat-a-${Date.now()}-x1y2`, PAT_B: `pat-b-${Date.now()}-z3w4`, FEED_PW: `feed-pw-${Date.now()}-q5r6` });
  const requests = (what: (r: { method: string; path: string }) => boolean) => world.sandbox.requests.filter((r) => r.service === 'arm' && what(r));
  const puts = () => requests((r) => r.method === 'PUT');
  const listSecrets = () => requests((r) => r.method === 'POST' && r.path.endsWith('/listsecrets'));

  async function create(ws: WorkspaceRef, workDir: string, vars: Record<string, string>, inputs: Record<string, string> = {}) {
    world.sandbox.resetRequests();
    const run = await world.run(CREATE, 'spnKey', { workDir, secretVariables: vars, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml', ...inputs } });
    assert.ok(['Succeeded', 'SucceededWithIssues'].includes(run.result), run.resultMessage + run.errors.join('\n'));
    assertCleanRun(run, world, Object.values(vars));
    return run;
  }

  it('first apply makes the key and records a digest on each connection with credentials; a re-run spends one listsecrets and no write', async () => {
    const ws = workspace();
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), FILES);
    const vars = secrets();

    const first = await create(ws, workDir, vars);
    assert.equal(first.outputs.created, '4');
    assert.deepEqual(puts().filter(isDigestKeyRequest).length, 1, 'the key, once');
    assert.ok(first.lines.some((l) => l.includes(`Created the connection '${DIGEST_KEY}'`)), first.lines.join('\n'));
    for (const name of ['repo-a', 'repo-b', 'feed-c']) {
      const { digest } = splitDigest(world.sandbox.storedConnection(ws, name)!.properties);
      assert.ok(digest, `${name} carries a digest`);
    }
    assert.equal(splitDigest(world.sandbox.storedConnection(ws, 'plain-d')!.properties).digest, undefined, 'no credentials, no digest');
    assert.match(splitDigest(world.sandbox.storedConnection(ws, 'feed-c')!.properties).digest!, /^v1:password\+username:/, 'the stored fields, named');
    const key = world.sandbox.storedConnection(ws, DIGEST_KEY)!.properties;
    assert.equal(key.isSharedToAll, false, 'the key is shared with no one');
    const keyValue = (key.credentials as { keys: Record<string, string> }).keys.digestKey!;
    assert.equal(Buffer.from(keyValue, 'base64').length, 32, 'a 256-bit key');

    const again = await create(ws, workDir, vars);
    assert.equal(again.outputs.unchanged, '4');
    assert.deepEqual(puts(), [], 'no write');
    assert.deepEqual(listSecrets().map((r) => r.path.split('/connections/')[1]), [`${DIGEST_KEY}/listsecrets`], 'one listsecrets: the key');
    assertCleanRun(again, world, [...Object.values(vars), keyValue]);
  });

  it('a rotated secret is exactly one PUT, still with one listsecrets; the stored secret and digest follow', async () => {
    const ws = workspace();
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), FILES);
    const vars = secrets();
    await create(ws, workDir, vars);
    const before = splitDigest(world.sandbox.storedConnection(ws, 'feed-c')!.properties).digest;

    const rotated = { ...vars, FEED_PW: `feed-pw-rotated-${Date.now()}-s7t8` };
    const run = await create(ws, workDir, rotated);
    assert.equal(run.outputs.updated, '1');
    assert.equal(run.outputs.unchanged, '3');
    assert.ok(run.lines.some((l) => l.includes('~ credentials: (sensitive)')), run.lines.join('\n'));
    assert.deepEqual(puts().map((r) => r.path.split('/connections/')[1]), ['feed-c']);
    assert.equal(listSecrets().length, 1, 'the key only: the digest proves there is no securityToken to carry over');
    const stored = world.sandbox.storedConnection(ws, 'feed-c')!.properties;
    assert.deepEqual(stored.credentials, { username: 'build', password: rotated.FEED_PW });
    assert.notEqual(splitDigest(stored).digest, before);
  });

  it("a secret changed behind the task's back: the digest does not see it, secretCheck read and Verify do", async () => {
    const ws = workspace();
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), FILES);
    const vars = secrets();
    await create(ws, workDir, vars);
    const edited = world.sandbox.storedConnection(ws, 'repo-a')!;
    world.sandbox.seedConnection(ws, 'repo-a', { ...edited.properties, credentials: { pat: 'changed-in-the-portal-4242' } });

    const digest = await create(ws, workDir, vars);
    assert.equal(digest.outputs.unchanged, '4', 'the digest says what was last written');

    const read = await create(ws, workDir, vars, { secretCheck: 'read' });
    assert.equal(read.outputs.updated, '1');
    assert.ok(listSecrets().length >= 3, 'read: every declared secret read');
    assert.deepEqual(world.sandbox.storedConnection(ws, 'repo-a')!.properties.credentials, { pat: vars.PAT_A });

    world.sandbox.seedConnection(ws, 'repo-b', { ...world.sandbox.storedConnection(ws, 'repo-b')!.properties, credentials: { pat: 'changed-again-5353' } });
    const verify = await world.run('AzureMLConnectionVerifyV1', 'spnKey', { workDir, secretVariables: vars, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml' } });
    assert.equal(verify.result, 'Failed');
    assert.equal(verify.outputs.drifted, '1');
    assert.match(verify.resultMessage, /repo-b/);
  });

  it('the key connection is never pruned, exported or verified as a user connection, and its name is reserved', async () => {
    const ws = workspace();
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), FILES);
    const vars = secrets();
    await create(ws, workDir, vars);
    writeFileSync(join(workDir, 'c.yml'), 'name: plain-d\ntype: git\ntarget: https://git.example.com/d\n');
    const pruned = await create(ws, workDir, {}, { prune: 'true' });
    assert.equal(pruned.outputs.deleted, '3');
    assert.deepEqual(world.sandbox.storedConnections(ws).map((c) => c.name).sort(), [DIGEST_KEY, 'plain-d']);

    const exported = await world.run('AzureMLConnectionExportV1', 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'out' } });
    assert.equal(exported.outputs.exported, '1');
    const verify = await world.run('AzureMLConnectionVerifyV1', 'spnKey', { workDir, inputs: { workspaceName: ws.workspace } });
    assert.equal(verify.outputs.verified, '1');
    assert.deepEqual(userConnections(world, ws).map((c) => c.name), ['plain-d']);

    writeFileSync(join(workDir, 'c.yml'), `name: ${DIGEST_KEY}\ntype: git\ntarget: https://git.example.com/k\n`);
    world.sandbox.resetRequests();
    const reserved = await world.run(CREATE, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml' } });
    assert.equal(reserved.result, 'Failed');
    assert.ok(reserved.errors.some((e) => e.includes(`The name '${DIGEST_KEY}' is reserved`)), reserved.errors.join('\n'));
    assert.deepEqual(puts(), []);
  });

  it('the same secret gets another digest in another workspace (each has its own key)', async () => {
    const vars = secrets();
    const digests = [];
    for (const ws of [workspace(), workspace()]) {
      const workDir = world.newWorkDir(false);
      writeFileSync(join(workDir, 'c.yml'), FILES);
      await create(ws, workDir, vars);
      digests.push(splitDigest(world.sandbox.storedConnection(ws, 'repo-a')!.properties).digest);
    }
    assert.notEqual(digests[0], digests[1]);
  });
});
