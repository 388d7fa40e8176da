/**
 * Log injection through all four bundled tasks: outside text — stored targets and metadata keys and values,
 * ARM and Azure DevOps error messages, service connection names, connection file names — carrying
 * `##vso[...]` commands, fake `##[error]` lines, and CR, LF and CRLF (the agent starts a new line at each).
 * world.run's audit already fails any run that prints a command we never emit or a `##[` line other than our
 * groups; these tests add the exact check that what the attacker tried to set did not change (no variable
 * `pwned*`, one task.complete, the result the run really had) and that the hostile text did reach the log,
 * neutralised (so the test exercises the path it names).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProperties, WorkspaceRef } from '../../src/arm/types';
import { agentLines, type EndpointSpec, type TaskRun } from '../support/agent-harness';
import { startWorld, userConnections, type World } from '../support/world';

const CREATE = 'AzureMLConnectionCreateV1';
const VERIFY = 'AzureMLConnectionVerifyV1';
const EXPORT = 'AzureMLConnectionExportV1';
const MIGRATE = 'AzureMLConnectionMigrateV1';

/** Every way outside text could try to become a command or a formatted line. */
const HOSTILE = [
  '##vso[task.setvariable variable=pwned]1',
  '##vso[task.complete result=Failed]x',
  '##[error]fake',
  'cr\r##[error]after a CR',
  'lf\n##vso[task.setvariable variable=pwned2]2',
  'crlf\r\n##[warning]after a CRLF',
  'bare\r##vso[task.prependpath]/evil',
].join(' ');
const ATTACKER_VARIABLES = ['pwned', 'pwned2', 'pwned3'];

const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({ authType, category, isSharedToAll: true, metadata: {}, ...rest });
const explain = (run: TaskRun) => `${run.result}: ${run.resultMessage}\n${run.errors.join('\n')}\n${run.warnings.join('\n')}\n${run.lines.join('\n')}\n${run.stderr}`;

/**
 * What the attacker tried did not happen: no variable of theirs, exactly one task.complete (ours, last),
 * the result the run really had; and the hostile text reached the output neutralised (`##_vso[`, `##_[`).
 */
function assertNotInjected(run: TaskRun, result: TaskRun['result'] | TaskRun['result'][], printed = true): void {
  const set = run.commands.filter((c) => c.name === 'task.setvariable').map((c) => c.props.variable ?? '');
  assert.deepEqual(set.filter((v) => ATTACKER_VARIABLES.includes(v.toLowerCase())), [], 'no variable the attacker named');
  const completes = run.commands.filter((c) => c.name === 'task.complete');
  assert.equal(completes.length, 1, 'one task.complete, ours');
  assert.equal(run.commands[run.commands.length - 1]?.name, 'task.complete', 'and it is the last command');
  assert.ok((Array.isArray(result) ? result : [result]).includes(run.result), explain(run));
  if (printed) assert.ok(run.stdout.includes('##_vso[') || run.stdout.includes('##_['), 'the hostile text reached the log, neutralised');
  // a CR or LF inside outside text must not start a line of its own (here each would start with ##_)
  const forged = agentLines(run.stdout).filter((l) => /^(##_vso\[|##_\[)/.test(l));
  assert.deepEqual(forged, [], 'no line started by a line break inside outside text');
}

describe('log injection through all four tasks (bundled tasks, sandbox, debug on)', function () {
  this.timeout(180_000);
  let world: World;
  let n = 0;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    world.sandbox.faults.clear();
    await world?.stop();
  });
  const workspace = (): WorkspaceRef => {
    const ws = { ...world.ws, workspace: `mlw-inject-${++n}` };
    world.sandbox.addWorkspace(ws);
    return ws;
  };
  /** a stored connection whose target, metadata keys and values are hostile */
  const seedHostile = (ws: WorkspaceRef, name: string, rest: Partial<ConnectionProperties> = {}) =>
    world.sandbox.seedConnection(ws, name, p('None', 'Git', { target: `https://x.example/${HOSTILE}`, metadata: { [`k ${HOSTILE}`]: `v ${HOSTILE}`, note: HOSTILE }, ...rest }));

  it('Create: a stored target and metadata (in the plan, plan file and summary) and an ARM error message', async () => {
    const ws = workspace();
    seedHostile(ws, 'hostile-meta');
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), 'name: hostile-meta\ntype: git\ntarget: https://x.example/clean\nmetadata: {}\n---\nname: arm-fault\ntype: git\ntarget: https://x.example/fault\n');
    const inputs = { workspaceName: ws.workspace, connectionFiles: 'c.yml', planFile: 'plan.json' };
    const plan = await world.run(CREATE, 'spnKey', { workDir, inputs: { ...inputs, mode: 'plan' } });
    assertNotInjected(plan, 'Succeeded');
    assert.ok(plan.lines.some((l) => l.includes('- metadata.note: "##_vso[task.setvariable')), plan.lines.join('\n'));

    world.sandbox.faults.add({ kind: 'status', status: 400, method: 'PUT', path: /connections\/arm-fault$/, count: 5, code: 'Bad##vso[task.setvariable variable=pwned3]3', message: `Rejected: ${HOSTILE}` });
    const apply = await world.run(CREATE, 'spnKey', { workDir, inputs: { ...inputs, mode: 'apply' } });
    world.sandbox.faults.clear();
    assertNotInjected(apply, 'Failed');
    assert.ok(apply.errors.some((e) => e.includes('arm-fault') && e.includes('##_vso[task.setvariable variable=pwned]1')), apply.errors.join('\n'));
    assert.equal(world.sandbox.storedConnection(ws, 'hostile-meta')?.properties.target, 'https://x.example/clean');
  });

  it('Create: connection files named with ##vso[, ##[, CR and LF', async () => {
    const ws = workspace();
    const workDir = world.newWorkDir(false);
    const names = ['a##vso[task.complete result=Failed]b.yml', 'c##[error]d.yml', 'e\n##vso[task.setvariable variable=pwned]1.yml', 'f\r##[error]g.yml'];
    // each file has an unknown field, so each is named in an error: the outcome is Failed whatever the names
    names.forEach((f, i) => writeFileSync(join(workDir, f), `name: file-name-${i}\ntype: git\ntarget: https://x.example/f${i}\ntarrget: x\n`));
    const bad = await world.run(CREATE, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' } });
    assertNotInjected(bad, 'Failed');
    // ##vso[ and ##[ in a name are shown neutralised; a name with a line break is refused by name, escaped
    for (const shown of ['a##_vso[task.complete result=Failed]b.yml', 'c##_[error]d.yml', 'e\\u000a##_vso[task.setvariable variable=pwned]1.yml', 'f\\u000d##_[error]g.yml']) assert.ok(bad.errors.some((e) => e.includes(shown)), `${shown}:\n${bad.errors.join('\n')}`);
    assert.equal(world.sandbox.storedConnections(ws).length, 0);

    // valid files with those names: the two with line breaks are still refused by name, so nothing is written
    names.forEach((f, i) => writeFileSync(join(workDir, f), `name: file-name-${i}\ntype: git\ntarget: https://x.example/f${i}\n`));
    const good = await world.run(CREATE, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' } });
    assertNotInjected(good, 'Failed', false);
    assert.equal(good.errors.filter((e) => e.includes('contains a control character or line break; rename the file')).length, 2, good.errors.join('\n'));
    assert.equal(world.sandbox.storedConnections(ws).length, 0);
  });

  it('Verify: a stored target and metadata (log, report, summary), a listsecrets error and a testconnection message', async () => {
    const ws = workspace();
    seedHostile(ws, 'hostile-meta');
    seedHostile(ws, 'hostile-pat', { authType: 'PAT', credentials: { pat: `pat-${randomUUID()}` } });
    world.sandbox.setTestConnectionResult(ws, 'hostile-meta', { ok: false, code: 'Bad##vso[task.setvariable variable=pwned3]3', message: HOSTILE });
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'c.yml'), 'name: hostile-meta\ntype: git\ntarget: https://x.example/clean\nmetadata: {}\n');
    world.sandbox.faults.add({ kind: 'status', status: 400, method: 'POST', path: /hostile-pat\/listsecrets$/, count: 5, code: 'Boom', message: HOSTILE });
    const files = await world.run(VERIFY, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, connectionFiles: 'c.yml', testConnection: 'true', failOn: 'none' } });
    const all = await world.run(VERIFY, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, failOn: 'none' } });
    world.sandbox.faults.clear();
    assertNotInjected(files, 'SucceededWithIssues');
    assertNotInjected(all, 'SucceededWithIssues');
    assert.ok(files.lines.some((l) => l.includes('~ target: "https://x.example/##_vso[task.setvariable')), files.lines.join('\n'));
    assert.ok(files.lines.some((l) => l.includes('testconnection') && l.includes('##_[error]fake')), files.lines.join('\n'));
    assert.ok(all.warnings.some((w) => w.startsWith("Connection 'hostile-pat': its stored credentials could not be read") && w.includes('##_vso[')), all.warnings.join('\n'));
  });

  it('Export: a stored target and metadata keys and values (files, log, summary) and an ARM error message', async () => {
    const ws = workspace();
    seedHostile(ws, 'hostile-meta');
    const workDir = world.newWorkDir(false);
    const run = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'out' } });
    // written as it is stored (YAML escapes it), or reported as not re-applying: never Failed by the attacker
    assertNotInjected(run, ['Succeeded', 'SucceededWithIssues'], false);
    assert.equal(run.outputs.exported, '1');
    const yaml = readFileSync(join(workDir, 'out', 'hostile-meta.yml'), 'utf8');
    assert.ok(yaml.includes('\\r##[error]after a CR') && !yaml.includes('\r'), yaml);

    seedHostile(ws, 'hostile-pat', { authType: 'PAT', credentials: { pat: `pat-${randomUUID()}` } });
    world.sandbox.faults.add({ kind: 'status', status: 400, method: 'POST', path: /hostile-pat\/listsecrets$/, count: 5, code: 'Bad##vso[task.setvariable variable=pwned3]3', message: HOSTILE });
    const failed = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: ws.workspace, outputPath: 'out2' } });
    world.sandbox.faults.clear();
    assertNotInjected(failed, 'Failed');
    assert.ok(failed.resultMessage.includes('##_vso[task.setvariable variable=pwned]1'), failed.resultMessage);
  });

  it('Migrate: service connection names (plan, inventory, summary), a DevOps API error message and an ARM error message', async () => {
    const ws = workspace();
    const add = (name: string, url = 'https://git.example.com/r.git'): EndpointSpec => {
      const id = randomUUID().toLowerCase();
      const params = { username: 'bot', password: `pw-${randomUUID()}` };
      world.sandbox.addServiceEndpoint({ id, name, type: 'git', url, scheme: 'UsernamePassword', parameters: params });
      return { id, url, scheme: 'UsernamePassword', params };
    };
    const a = add(`a ${HOSTILE}`);
    const b = add(`b\r\n##vso[task.complete result=Failed]`, `https://git.example.com/${HOSTILE}`);
    const inputs = { workspaceName: ws.workspace, gitConnections: `${a.id},${b.id}`, nameTemplate: '{name}-{id}', inventory: 'true', yamlOutputPath: 'm.yml' };
    const run = await world.run(MIGRATE, 'spnKey', { workDir: world.newWorkDir(false), extraEndpoints: [a, b], inputs });
    assertNotInjected(run, 'Succeeded');
    assert.equal(userConnections(world, ws).length, 2);
    assert.ok(run.lines.some((l) => l.startsWith("'a ##_vso[task.setvariable variable=pwned]1")), run.lines.join('\n'));

    world.sandbox.devopsEndpoints.deny = true;
    world.sandbox.devopsEndpoints.denyStatus = 400;
    world.sandbox.devopsEndpoints.denyMessage = `Denied: ${HOSTILE}`;
    world.sandbox.faults.add({ kind: 'status', status: 400, method: 'PUT', count: 5, code: 'Bad##vso[task.setvariable variable=pwned3]3', message: HOSTILE });
    try {
      const denied = await world.run(MIGRATE, 'spnKey', { workDir: world.newWorkDir(false), extraEndpoints: [a], inputs: { workspaceName: workspace().workspace, gitConnections: a.id } });
      assertNotInjected(denied, 'Failed');
      assert.ok(denied.warnings.some((w) => w.includes('could not be read') && w.includes('##_vso[task.setvariable')), denied.warnings.join('\n'));
      assert.ok(denied.errors.some((e) => e.includes('##_[error]fake')), denied.errors.join('\n'));
    } finally {
      world.sandbox.devopsEndpoints.deny = false;
      world.sandbox.devopsEndpoints.denyStatus = 403;
      world.sandbox.devopsEndpoints.denyMessage = undefined;
      world.sandbox.faults.clear();
    }
  });
});
