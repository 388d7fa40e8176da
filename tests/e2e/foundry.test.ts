/**
 * AI Foundry hubs and projects (issue 14), end to end: the bundled Create, Verify and Export tasks against
 * the sandbox's workspaces of kind Hub and Project. A project's list returns its hub's shared connections
 * (ids under the hub) beside its own; Create on a project never writes, updates or prunes the hub's;
 * Verify says which connections are the hub's; Export on a project leaves the hub's out and says so.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceRef } from '../../src/arm/types';
import type { TaskRun } from '../support/agent-harness';
import { assertCleanRun, DIGEST_KEY, startWorld, userConnections, type World } from '../support/world';

const CREATE = 'AzureMLConnectionCreateV1';
const VERIFY = 'AzureMLConnectionVerifyV1';
const EXPORT = 'AzureMLConnectionExportV1';

interface ReportConnection {
  name: string;
  status: string;
  sharedFrom?: WorkspaceRef;
  findings: Array<{ check: string; level: string; message: string }>;
}

const gitDoc = (name: string, extra = '') => `name: ${name}\ntype: git\ntarget: https://git.contoso.example/${name}.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n${extra}`;

describe('AI Foundry hubs and projects (bundled Create, Verify, Export; sandbox)', function () {
  this.timeout(180_000);
  let world: World;
  let hub: WorkspaceRef;
  let project: WorkspaceRef;
  const PAT = `pat-${randomUUID().slice(0, 8)}-Zq7/+=&x`;
  const secretVariables = { GIT_PAT: PAT };
  /** the hub's connections as stored, credentials included, after the hub's Create */
  let hubBefore: unknown;

  before(async () => {
    world = await startWorld();
    hub = { ...world.ws, workspace: 'hub-contoso' };
    project = { ...world.ws, workspace: 'proj-fraud' };
    world.sandbox.addWorkspace(hub, { kind: 'Hub' });
    world.sandbox.addWorkspace(project, { hub });
  });
  after(async () => {
    await world?.stop();
  });

  const writesTo = (ws: WorkspaceRef) =>
    world.sandbox.requests.filter((r) => r.service === 'arm' && ['PUT', 'PATCH', 'DELETE'].includes(r.method) && r.path.toLowerCase().includes(`/workspaces/${ws.workspace.toLowerCase()}/`));
  const hubWriteNames = () => world.sandbox.requests
    .filter((r) => r.service === 'arm' && ['PUT', 'PATCH', 'DELETE'].includes(r.method))
    .map((r) => `${r.method} ${r.path.replace(/^.*\/workspaces\//, '')}`);

  function create(ws: WorkspaceRef, files: Record<string, string>, inputs: Record<string, string> = {}): Promise<TaskRun> {
    const workDir = world.newWorkDir(false);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(workDir, name), text);
    return world.run(CREATE, 'spnKey', { workDir, secretVariables, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml', ...inputs } });
  }

  it("Create on the hub writes the hub's connections, shared whatever the file says (is_shared: false is noted, not an update on every run)", async () => {
    const files = { 'hub.yml': [gitDoc('git-shared'), gitDoc('git-shared-two', 'is_shared: false\n')].join('---\n') };
    const run = await create(hub, files);
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.deepEqual(userConnections(world, hub).map((c) => [c.name, c.properties.isSharedToAll]).sort(), [['git-shared', true], ['git-shared-two', true]]);
    const note = 'is_shared: false has no effect on a hub: a hub shares every connection with its projects, so it is written shared';
    assert.ok(run.lines.some((l) => l.includes(note)), run.lines.join('\n'));
    assertCleanRun(run, world, [PAT]);

    world.sandbox.resetRequests();
    const again = await create(hub, files);
    assert.deepEqual([again.result, again.outputs.unchanged, again.outputs.updated], ['Succeeded', '2', '0']);
    assert.deepEqual(hubWriteNames(), []);
    hubBefore = world.sandbox.storedConnections(hub);
  });

  it('Create on the project writes only the project: prune never deletes the hub\'s connections, and no write goes to the hub', async () => {
    world.sandbox.resetRequests();
    const run = await create(project, { 'proj.yml': gitDoc('git-proj') }, { prune: 'true' });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.deepEqual([run.outputs.created, run.outputs.updated, run.outputs.deleted], ['1', '0', '0']);
    // the digest key is the hub's, shared with the project (hubs share every connection): used, never written here
    assert.deepEqual(hubWriteNames(), ['PUT proj-fraud/connections/git-proj']);
    assert.equal(world.sandbox.storedConnection(project, DIGEST_KEY), undefined);
    assert.deepEqual(writesTo(hub), []);
    assert.deepEqual(world.sandbox.storedConnections(hub), hubBefore);
    assert.deepEqual(userConnections(world, project).map((c) => c.name), ['git-proj']);

    // the run again: nothing to do, the hub's connections still not the project's to prune
    world.sandbox.resetRequests();
    const again = await create(project, { 'proj.yml': gitDoc('git-proj') }, { prune: 'true' });
    assert.equal(again.result, 'Succeeded', again.resultMessage);
    assert.deepEqual([again.outputs.created, again.outputs.updated, again.outputs.deleted, again.outputs.unchanged], ['0', '0', '0', '1']);
    assert.deepEqual(hubWriteNames(), []);
    assertCleanRun(again, world, [PAT]);
  });

  it("Create on the project refuses a declared connection that is the hub's, and writes nothing", async () => {
    world.sandbox.resetRequests();
    const run = await create(project, { 'proj.yml': [gitDoc('git-proj'), gitDoc('GIT-SHARED')].join('---\n') });
    assert.equal(run.result, 'Failed');
    const sentence =
      "'GIT-SHARED' is a connection of the hub 'hub-contoso', shared with the project 'proj-fraud': it is not the project's to write. Declare it in the hub's files and run Create on the hub, or give the project's own connection another name.";
    assert.ok(run.errors.some((e) => e.includes(sentence)), run.errors.join('\n'));
    assert.deepEqual(hubWriteNames(), []);
    assert.deepEqual(world.sandbox.storedConnections(hub), hubBefore);
  });

  it('Verify on the project says which connections are the hub\'s (log, report, summary)', async () => {
    const run = await world.run(VERIFY, 'spnKey', { workDir: world.newWorkDir(false), inputs: { workspaceName: project.workspace, probe: 'false' } });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.ok(
      run.lines.includes("Workspace proj-fraud is an AI Foundry project of the hub hub-contoso; 2 connection(s) listed here are the hub's, shared with the project: git-shared, git-shared-two."),
      run.lines.join('\n'),
    );
    const r = JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as { network: Record<string, unknown>; connections: ReportConnection[] };
    assert.equal(r.network.kind, 'Project');
    assert.equal(r.network.hubResourceId, world.sandbox.workspaceId(hub));
    assert.deepEqual(r.connections.map((c) => [c.name, c.status, c.sharedFrom?.workspace]), [
      ['git-proj', 'verified', undefined],
      ['git-shared', 'verified', 'hub-contoso'],
      ['git-shared-two', 'verified', 'hub-contoso'],
    ]);
    assert.deepEqual(r.connections[1].sharedFrom, hub);
    assert.deepEqual(r.connections[1].findings.filter((f) => f.check === 'hub'), [
      { check: 'hub', level: 'info', message: "it is the hub hub-contoso's connection, shared with this project; it is changed on the hub, not here" },
    ]);
    const summary = run.summaries[0];
    assert.ok(summary.includes("AI Foundry project of the hub **hub-contoso**; the hub's connections shared with it: git-shared, git-shared-two"), summary);
    assert.ok(summary.split('\n').some((l) => l.startsWith('| git-shared |') && l.includes("hub: it is the hub hub-contoso's connection")));
    assertCleanRun(run, world, [PAT], [run.outputs.reportFile]);

    const onHub = await world.run(VERIFY, 'spnKey', { workDir: world.newWorkDir(false), inputs: { workspaceName: hub.workspace, probe: 'false' } });
    assert.ok(onHub.lines.includes('Workspace hub-contoso is of kind Hub.'), onHub.lines.join('\n'));
    assert.ok(onHub.summaries[0].includes('Kind: Hub'));
  });

  it("Verify on the project with the hub's files (the overview's example): the hub's connections match their files and are marked as the hub's", async () => {
    const workDir = world.newWorkDir(false);
    writeFileSync(join(workDir, 'hub.yml'), [gitDoc('git-shared'), gitDoc('git-shared-two')].join('---\n'));
    const run = await world.run(VERIFY, 'spnKey', { workDir, secretVariables, inputs: { workspaceName: project.workspace, connectionFiles: '*.yml', probe: 'false' } });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    const r = JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as { connections: ReportConnection[] };
    assert.deepEqual(r.connections.map((c) => [c.name, c.status, c.sharedFrom?.workspace, c.findings.find((f) => f.check === 'drift')?.message]), [
      ['git-shared', 'verified', 'hub-contoso', 'it matches its file'],
      ['git-shared-two', 'verified', 'hub-contoso', 'it matches its file'],
    ]);
    // the stored PAT was compared through the project (listsecrets of the hub's connection), never written
    assert.deepEqual(hubWriteNames(), []);

    // a PAT rotated on the hub behind the files' back is drift seen from the project
    world.sandbox.seedConnection(hub, 'git-shared', { ...world.sandbox.storedConnection(hub, 'git-shared')!.properties, credentials: { pat: 'rotated-elsewhere' } });
    const drift = await world.run(VERIFY, 'spnKey', { workDir, secretVariables, inputs: { workspaceName: project.workspace, connectionFiles: '*.yml', probe: 'false', connectionNames: 'git-shared' } });
    assert.equal(drift.result, 'Failed', drift.resultMessage);
    assert.match(drift.resultMessage, /git-shared \(drifted\)/);
    world.sandbox.seedConnection(hub, 'git-shared', { ...world.sandbox.storedConnection(hub, 'git-shared')!.properties, credentials: { pat: PAT } });
  });

  it("Export on the project writes only the project's own connections and names the hub's it left out; the hub exports its own", async () => {
    const workDir = world.newWorkDir(false);
    const run = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: project.workspace, outputPath: 'proj', secrets: 'placeholders' } });
    assert.equal(run.result, 'Succeeded', run.resultMessage + run.errors.join('\n'));
    assert.equal(run.outputs.exported, '1');
    assert.deepEqual(readdirSync(join(workDir, 'proj')), ['git-proj.yml']);
    assert.ok(run.lines.includes("2 connection(s) the hub hub-contoso shares with this project were not exported: they are the hub's (export them from the hub): git-shared, git-shared-two."), run.lines.join('\n'));
    assert.ok(run.summaries[0].includes("Not exported, the hub's (hub-contoso) connections shared with this project: git-shared, git-shared-two"));

    const named = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: project.workspace, outputPath: 'named', connectionNames: 'git-shared' } });
    assert.equal(named.result, 'Failed');
    assert.match(named.resultMessage, /^The connectionNames input names 'git-shared', which the hub hub-contoso shares with this project: Export writes only the project's own connections; run Export on the hub to export the hub's\./);
    assert.ok(!existsSync(join(workDir, 'named', 'git-shared.yml')));

    const fromHub = await world.run(EXPORT, 'spnKey', { workDir, inputs: { workspaceName: hub.workspace, outputPath: 'hub', secrets: 'placeholders' } });
    assert.equal(fromHub.result, 'Succeeded', fromHub.resultMessage);
    assert.deepEqual(readdirSync(join(workDir, 'hub')).sort(), ['git-shared-two.yml', 'git-shared.yml']);
  });
});
