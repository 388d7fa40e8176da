/**
 * Faults end to end: the bundled Create task against a sandbox that drops, refuses and throttles
 * requests. What must hold: the task converges, loses and duplicates nothing, writes nothing on the
 * next run, refreshes an expiring token, survives a concurrent apply, names a missing permission in
 * one sentence, and its process ends as soon as its work is done. Figures are printed for the lead
 * (and measured properly by `npm run bench`); the bounds asserted here are loose on purpose.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RandomFaultKind, WorkspaceRef } from '../../sandbox';
import type { TaskRun } from '../support/agent-harness';
import { GENERATED_SECRETS, generatedConnection, writeGeneratedConnections, type GeneratedConnection } from '../support/generated';
import { armWrites, assertCleanRun, connectionWrites, isDigestKeyRequest, startWorld, userConnections, writtenProperties, type Scheme, type World } from '../support/world';

const TASK = 'AzureMLConnectionCreateV1';
const SECRETS = Object.values(GENERATED_SECRETS);
const FAULT_KINDS: RandomFaultKind[] = ['429', '500', '503', 'reset', 'lostAnswer'];

/** A loose bound that catches a process held alive by a leftover timer (the 100 s bug), not a timing goal. */
const EXIT_BOUND_MS = 10_000;

interface TimedRun {
  run: TaskRun;
  /** spawn of the task process -> its exit, as the harness saw it */
  wallMs: number;
  /** the last request (ARM, Entra, DevOps) the sandbox saw from the run -> the process's exit */
  lastRequestToExitMs: number;
}

describe('faults end to end (bundled Create task, sandbox with injected faults)', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld({ pageSize: 100 });
  });
  after(async () => {
    await world?.stop();
  });

  function newWorkspace(name: string): WorkspaceRef {
    const ws = { ...world.ws, workspace: name };
    world.sandbox.addWorkspace(ws);
    return ws;
  }

  async function apply(w: World, ws: WorkspaceRef, workDir: string, inputs: Record<string, string> = {}, scheme: Scheme = 'spnKey'): Promise<TimedRun> {
    const from = w.sandbox.requests.length;
    const started = Date.now();
    const run = await w.run(TASK, scheme, { workDir, debug: true, secretVariables: { ...GENERATED_SECRETS }, inputs: { workspaceName: ws.workspace, ...inputs } });
    const exited = Date.now();
    const mine = w.sandbox.requests.slice(from);
    const last = mine.length ? Math.max(...mine.map((r) => r.at)) : exited;
    return { run, wallMs: exited - started, lastRequestToExitMs: exited - last };
  }

  /** Every declared connection stored with exactly its declared properties and secrets, and nothing else. */
  function assertHoldsExactly(w: World, ws: WorkspaceRef, declared: GeneratedConnection[]): void {
    const stored = userConnections(w, ws);
    assert.deepEqual(stored.map((c) => c.name).sort(), declared.map((c) => c.name).sort(), 'one connection per declared name, no other');
    for (const c of declared) assert.deepEqual(writtenProperties(w, ws, c.name), c.properties, `${c.name} stored as declared`);
  }

  const resets = [
    { what: 'an ARM PUT', scheme: 'spnKey', fault: { method: 'PUT', path: /\/connections\// }, service: 'arm' },
    { what: "the job's OIDC token request (workload identity federation)", scheme: 'wif', fault: { method: 'POST', path: /\/oidctoken$/ }, service: 'devops' },
  ] as const;
  for (const { what, scheme, fault, service } of resets) {
    it(`exits as soon as its work is done after a connection reset during ${what} (no timer left behind)`, async () => {
      const ws = newWorkspace(`mlw-reset-exit-${scheme.toLowerCase()}`);
      const workDir = world.newWorkDir(false);
      const { connections } = writeGeneratedConnections(workDir, 1);
      world.sandbox.resetRequests();
      world.sandbox.faults.reset(fault);
      const { run, wallMs, lastRequestToExitMs } = await apply(world, ws, workDir, {}, scheme);
      world.sandbox.faults.clear();
      console.log(`      reset during ${what}: wall ${wallMs} ms, last request -> process exit ${lastRequestToExitMs} ms`);
      assert.equal(run.result, 'Succeeded', run.resultMessage);
      assert.deepEqual(
        world.sandbox.requests.filter((r) => r.service === service && r.method === fault.method && fault.path.test(r.path)).map((r) => r.fault ?? r.status).slice(0, 2),
        ['reset', 200],
        'the reset request was retried',
      );
      assertHoldsExactly(world, ws, connections);
      assert.ok(lastRequestToExitMs < EXIT_BOUND_MS, `the process lived ${lastRequestToExitMs} ms after its last request`);
      assertCleanRun(run, world, SECRETS);
    });
  }

  it('applies 100 connections while 20 % of ARM requests fail: converges, nothing lost or duplicated, the next run writes nothing, the process ends with its work', async () => {
    const N = 100;
    const MAX_RUNS = 5;
    // fault-free, for comparison
    const cleanWs = newWorkspace('mlw-faults-clean');
    const cleanDir = world.newWorkDir(false);
    const { connections } = writeGeneratedConnections(cleanDir, N);
    const clean = await apply(world, cleanWs, cleanDir);
    assert.equal(clean.run.result, 'Succeeded', clean.run.resultMessage);
    assertHoldsExactly(world, cleanWs, connections);
    assertCleanRun(clean.run, world, SECRETS);

    // the same files under faults, re-run until a run succeeds
    const ws = newWorkspace('mlw-faults');
    const workDir = world.newWorkDir(false);
    writeGeneratedConnections(workDir, N);
    world.sandbox.faults.resetInjected();
    world.sandbox.faults.random({ rate: 0.2, seed: 20240611, kinds: FAULT_KINDS, service: 'arm' });
    const runs: TimedRun[] = [];
    try {
      do {
        const r = await apply(world, ws, workDir);
        assertCleanRun(r.run, world, SECRETS);
        runs.push(r);
      } while (runs[runs.length - 1]!.run.result !== 'Succeeded' && runs.length < MAX_RUNS);
      const injected = { ...world.sandbox.faults.injected };

      // the next run, still under faults, writes nothing
      world.sandbox.resetRequests();
      const again = await apply(world, ws, workDir);
      assertCleanRun(again.run, world, SECRETS);
      const writesAfter = armWrites(world);
      const injectedAgain = world.sandbox.faults.injectedTotal - Object.values(injected).reduce((a, b) => a + b, 0);
      world.sandbox.faults.clear();

      const faultyWall = runs.reduce((t, r) => t + r.wallMs, 0);
      const stored = userConnections(world, ws);
      const lost = connections.filter((c) => !stored.some((s) => s.name === c.name)).length;
      const duplicated = stored.length - new Set(stored.map((s) => s.name.toLowerCase())).size + stored.filter((s) => !connections.some((c) => c.name === s.name)).length;
      console.log(
        `      ${N} connections, 20 % of ARM requests faulted: injected ${JSON.stringify(injected)} (${Object.values(injected).reduce((a, b) => a + b, 0)}); ` +
          `runs to converge ${runs.length} (${runs.map((r) => r.run.result).join(', ')}); lost ${lost}; duplicated ${duplicated}; ` +
          `wall ${faultyWall} ms under faults vs ${clean.wallMs} ms fault-free (${(faultyWall / clean.wallMs).toFixed(2)}x); ` +
          `last request -> exit ${runs.map((r) => r.lastRequestToExitMs).join(', ')} ms (fault-free ${clean.lastRequestToExitMs} ms); ` +
          `next run: ${writesAfter} writes, ${again.wallMs} ms, ${injectedAgain} faults`,
      );

      assert.equal(runs[runs.length - 1]!.run.result, 'Succeeded', `did not converge in ${MAX_RUNS} runs: ${runs.map((r) => r.run.resultMessage).join(' | ')}`);
      for (const kind of FAULT_KINDS) assert.ok((injected[kind] ?? 0) > 0, `no ${kind} fault was injected: ${JSON.stringify(injected)}`);
      assertHoldsExactly(world, ws, connections);
      assert.equal(again.run.result, 'Succeeded', again.run.resultMessage);
      assert.equal(again.run.outputs.unchanged, String(N));
      assert.equal(writesAfter, 0, 'the next run writes nothing');
      for (const r of [...runs, again]) assert.ok(r.lastRequestToExitMs < EXIT_BOUND_MS, `a process lived ${r.lastRequestToExitMs} ms after its last request`);
      assert.ok(faultyWall < Math.max(10 * clean.wallMs, 30_000), `under faults ${faultyWall} ms vs ${clean.wallMs} ms fault-free`);
    } finally {
      world.sandbox.faults.clear();
    }
  });

  it('two applies of the same files on one workspace at once converge, and a third run writes nothing', async () => {
    const ws = newWorkspace('mlw-concurrent');
    const workDir = world.newWorkDir(false);
    const { connections } = writeGeneratedConnections(workDir, 40);
    // ten exist already in an older revision (updates), the rest are new (creates)
    for (let i = 0; i < 10; i++) world.sandbox.seedConnection(ws, connections[i]!.name, generatedConnection(i, 1).properties);
    world.sandbox.latencyMs = 20; // so that the two runs' requests interleave
    world.sandbox.resetRequests();
    try {
      const [one, two] = await Promise.all([apply(world, ws, workDir), apply(world, ws, workDir)]);
      const writes = armWrites(world);
      console.log(`      two concurrent applies: ${one.run.result} (${one.run.outputs.created} created, ${one.run.outputs.updated} updated) and ${two.run.result} (${two.run.outputs.created} created, ${two.run.outputs.updated} updated), ${writes} writes in all`);
      for (const { run } of [one, two]) {
        assert.equal(run.result, 'Succeeded', run.resultMessage);
        assertCleanRun(run, world, SECRETS);
      }
      assertHoldsExactly(world, ws, connections);
      world.sandbox.resetRequests();
      const third = await apply(world, ws, workDir);
      assert.equal(third.run.result, 'Succeeded', third.run.resultMessage);
      assert.equal(third.run.outputs.unchanged, '40');
      assert.equal(armWrites(world), 0, 'the third run writes nothing');
      assertCleanRun(third.run, world, SECRETS);
    } finally {
      world.sandbox.latencyMs = 0;
    }
  });

  describe('a missing permission (403 AuthorizationFailed): one sentence naming the action and what to do', () => {
    const GRANT = 'grant it a role that has this action on the workspace';

    it('on the workspace GET: workspaces/read, nothing written', async () => {
      const ws = newWorkspace('mlw-403-workspace');
      const workDir = world.newWorkDir(false);
      writeGeneratedConnections(workDir, 3);
      world.sandbox.resetRequests();
      world.sandbox.faults.status(403, { method: 'GET', path: /\/workspaces\/mlw-403-workspace$/, code: 'AuthorizationFailed' });
      const { run } = await apply(world, ws, workDir);
      world.sandbox.faults.clear();
      const sentence = `The service connection's identity may not read Azure ML workspace '${ws.workspace}' in resource group '${ws.resourceGroup}' (subscription '${ws.subscriptionId}'): it has no role with Microsoft.MachineLearningServices/workspaces/read; ${GRANT}.`;
      assert.equal(run.result, 'Failed');
      assert.ok(run.resultMessage.startsWith(`${sentence} (HTTP 403, AuthorizationFailed, request id `), run.resultMessage);
      assert.deepEqual(run.errors, [run.resultMessage], 'that sentence alone');
      assert.equal(armWrites(world), 0);
      assert.deepEqual(userConnections(world, ws), []);
      assertCleanRun(run, world, SECRETS);
    });

    it('on a write: connections/write, writing stops there', async () => {
      const ws = newWorkspace('mlw-403-write');
      const workDir = world.newWorkDir(false);
      const { connections } = writeGeneratedConnections(workDir, 5);
      world.sandbox.resetRequests();
      world.sandbox.faults.status(403, { method: 'PUT', path: /\/connections\/gen-/, code: 'AuthorizationFailed' }); // the first PUT of a connection only
      const { run } = await apply(world, ws, workDir, { maxParallel: '1' });
      world.sandbox.faults.clear();
      const sentence = `Writing stopped at connection '${connections[0]!.name}': the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/write on workspace '${ws.workspace}'; ${GRANT}, then re-run.`;
      assert.equal(run.result, 'Failed');
      assert.equal(run.resultMessage, sentence);
      assert.deepEqual(run.errors, [sentence], 'that sentence alone');
      assert.equal(connectionWrites(world), 1, 'no write after the refused one');
      assert.deepEqual(userConnections(world, ws), []);
      assert.equal(run.outputs.failed, '5');
      assertCleanRun(run, world, SECRETS);
    });

    it('on listsecrets, to keep a stored secret the file does not give: connections/listsecrets/action, nothing written', async () => {
      const ws = newWorkspace('mlw-403-keep');
      const stored = generatedConnection(0, 1); // a git connection with a PAT, in an older revision
      world.sandbox.seedConnection(ws, stored.name, stored.properties);
      const workDir = world.newWorkDir(false);
      writeFileSync(join(workDir, 'keep.yml'), `name: ${stored.name}\ntype: git\ntarget: https://dev.azure.com/contoso/mlops/_git/moved\ncredentials:\n  type: pat\n`);
      world.sandbox.denyListSecrets(ws);
      world.sandbox.resetRequests();
      const { run } = await apply(world, ws, workDir, { connectionFiles: 'keep.yml' });
      world.sandbox.denyListSecrets(ws, false);
      const sentence = `Connection '${stored.name}': the stored pat cannot be kept because the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action; ${GRANT}, or give the value in the file or an override.`;
      assert.equal(run.result, 'Failed');
      assert.deepEqual(run.errors.filter((e) => e !== run.resultMessage), [sentence], 'that sentence, besides the outcome');
      assert.match(run.resultMessage, new RegExp(`^1 connection\\(s\\) failed: ${stored.name} `));
      assert.equal(armWrites(world), 0);
      assert.deepEqual(writtenProperties(world, ws, stored.name), stored.properties, 'the stored connection is untouched');
      assertCleanRun(run, world, SECRETS);
    });

    it('on listsecrets, to compare stored secrets: one warning, and the files are written with their own secrets', async () => {
      const ws = newWorkspace('mlw-403-compare');
      const workDir = world.newWorkDir(false);
      const { connections } = writeGeneratedConnections(workDir, 8);
      for (const c of connections) world.sandbox.seedConnection(ws, c.name, { ...c.properties, credentials: {} });
      world.sandbox.denyListSecrets(ws);
      world.sandbox.resetRequests();
      const { run } = await apply(world, ws, workDir, { secretCheck: 'read' });
      world.sandbox.denyListSecrets(ws, false);
      assert.equal(run.result, 'Succeeded', run.resultMessage);
      assert.deepEqual(run.warnings, [
        `The stored secrets of 8 connection(s) cannot be compared with their files because the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action, so they are written with their files' secrets; ${GRANT} to compare them instead.`,
      ]);
      const asked = world.sandbox.requests.filter((r) => /\/listsecrets$/.test(r.path)).length;
      assert.ok(asked >= 1 && asked <= 8, `${asked} listsecrets: none after the plan met the refusal`);
      assertHoldsExactly(world, ws, connections);
      assertCleanRun(run, world, SECRETS);
    });
  });

  describe('a token that expires mid-run', () => {
    const LIFETIME_S = 2;
    let short: World;
    before(async () => {
      // every token lives 2 s; 250 ms per ARM request, two at a time, make the run outlive the first one
      short = await startWorld({ tokenLifetimeSeconds: LIFETIME_S, latencyMs: 250, pageSize: 100 });
    });
    after(async () => {
      await short?.stop();
    });

    for (const scheme of ['spnKey', 'wif'] as const) {
      it(`is refreshed: every request succeeds, more than one token is issued, no 401 (${scheme})`, async () => {
        const ws = { ...short.ws, workspace: `mlw-token-${scheme.toLowerCase()}` };
        short.sandbox.addWorkspace(ws);
        const workDir = short.newWorkDir(false);
        const { connections } = writeGeneratedConnections(workDir, 36);
        short.sandbox.resetRequests();
        const { run } = await apply(short, ws, workDir, { maxParallel: '2' }, scheme);
        const arm = short.sandbox.requests.filter((r) => r.service === 'arm');
        const tokens = short.sandbox.requests.filter((r) => r.service === 'entra' && /\/token$/.test(r.path) && r.status === 200);
        const firstExpiry = tokens[0]!.at + LIFETIME_S * 1000;
        console.log(`      ${scheme}: ${arm.length} ARM requests over ${arm[arm.length - 1]!.at - arm[0]!.at} ms, ${tokens.length} tokens issued (each for ${LIFETIME_S} s)`);
        assert.equal(run.result, 'Succeeded', run.resultMessage);
        // the sandbox counts expiry in whole seconds: a request a second after `exp` is one it would refuse
        assert.ok(arm.some((r) => r.at > firstExpiry + 1000), 'the run outlived its first token');
        assert.ok(tokens.length > 1, `${tokens.length} token(s) issued`);
        // (the digest key is looked for beside the list; before the first apply made it, that is a 404)
        assert.deepEqual(arm.filter((r) => r.status !== 200 && !(isDigestKeyRequest(r) && r.status === 404)).map((r) => `${r.method} ${r.path} -> ${r.status}`), [], 'every ARM request succeeded: no 401');
        assertHoldsExactly(short, ws, connections);
        assertCleanRun(run, short, SECRETS);
      });
    }
  });
});
