/**
 * AzureMLConnectionVerify@1 against private workspaces (issue 14), end to end: the bundled task, the
 * sandbox serving workspaces with public network access disabled, private endpoint connections in their
 * states and a managed network, connections carrying peRequirement/peStatus, and targets that cannot be
 * reached from the agent (a name under the reserved .invalid TLD, a loopback port nobody listens on).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConnectionProperties, WorkspaceRef } from '../../src/arm/types';
import type { WorkspaceExtra } from '../../sandbox';
import type { TaskRun } from '../support/agent-harness';
import { freePort } from '../support/peers';
import { assertCleanRun, startWorld, type World } from '../support/world';

const TASK = 'AzureMLConnectionVerifyV1';

interface ReportConnection {
  name: string;
  status: string;
  peRequirement?: string;
  peStatus?: string;
  findings: Array<{ check: string; level: string; message: string }>;
  probe?: { kind: string; status: string; detail: string; networkCode?: string };
}
interface Report {
  network?: Record<string, unknown>;
  connections: ReportConnection[];
}

const report = (run: TaskRun): Report => JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as Report;
function conn(r: Report, name: string): ReportConnection {
  const c = r.connections.find((x) => x.name === name);
  assert.ok(c, `${name} in the report`);
  return c;
}
const finding = (c: ReportConnection, check: string) => c.findings.filter((f) => f.check === check);

describe('AzureMLConnectionVerify@1 on private workspaces (bundled task, sandbox, unreachable targets)', function () {
  this.timeout(120_000);
  let world: World;
  let closedPort: number;
  const UNRESOLVED = 'feed.private-link.invalid';

  before(async () => {
    [world, closedPort] = await Promise.all([startWorld(), freePort()]);
  });
  after(async () => {
    await world?.stop();
  });

  function addWorkspace(name: string, extra: WorkspaceExtra = {}): WorkspaceRef {
    const ws = { ...world.ws, workspace: name };
    world.sandbox.addWorkspace(ws, extra);
    return ws;
  }
  const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({ authType, category, isSharedToAll: true, metadata: {}, ...rest });

  /** the same four connections in any workspace: two unreachable targets, a required endpoint that is inactive, one not required */
  function seedTargets(ws: WorkspaceRef, pe: boolean): void {
    const seed = (name: string, props: ConnectionProperties) => world.sandbox.seedConnection(ws, name, props);
    const required = (status: string): Partial<ConnectionProperties> => (pe ? { peRequirement: 'Required', peStatus: status } : {});
    seed('feed-unresolved', p('None', 'PythonFeed', { target: `https://${UNRESOLVED}/simple/`, ...required('Active') }));
    seed('git-refused', p('None', 'Git', { target: `https://127.0.0.1:${closedPort}/repo.git`, ...required('Active') }));
    seed('sql-pe-inactive', p('None', 'AzureSqlDb', { target: 'Server=tcp:contoso.database.windows.net;Database=ml', ...required('Inactive') }));
    seed('blob-public', p('None', 'AzureBlob', { target: 'https://contoso.blob.core.windows.net/data', ...(pe ? { peRequirement: 'NotRequired', peStatus: 'NotApplicable' } : {}) }));
  }

  function verify(ws: WorkspaceRef, inputs: Record<string, string> = {}): Promise<TaskRun> {
    return world.run(TASK, 'spnKey', {
      workDir: world.newWorkDir(false),
      inputs: { workspaceName: ws.workspace, connectionNames: 'feed-unresolved\ngit-refused\nsql-pe-inactive', probe: 'true', probeTimeoutSeconds: '10', ...inputs },
    });
  }

  it('reports a private workspace (public access off, private endpoints and their states, managed network) in the log, the JSON report and the summary', async () => {
    const ws = addWorkspace('mlw-private', {
      publicNetworkAccess: 'Disabled',
      privateEndpoints: [
        { name: 'pe-agents', status: 'Approved' },
        { name: 'pe-old', status: 'Rejected', provisioningState: 'Failed' },
      ],
      managedNetwork: 'AllowOnlyApprovedOutbound',
    });
    seedTargets(ws, true);
    const run = await verify(ws, { connectionNames: 'blob-public\nsql-pe-inactive', probe: 'false' });

    const line =
      'Network of workspace mlw-private: public network access Disabled; private endpoints: pe-agents Approved (provisioning Succeeded), pe-old Rejected (provisioning Failed); ' +
      'managed network isolation: AllowOnlyApprovedOutbound; private (public network access is Disabled; an approved private endpoint and public access not enabled; its managed network isolates it): ' +
      'probes reach its targets only from an agent inside its network.';
    assert.ok(run.lines.includes(line), run.lines.join('\n'));
    const r = report(run);
    assert.deepEqual(r.network, {
      kind: 'Default',
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [
        { name: 'pe-agents', status: 'Approved', provisioningState: 'Succeeded' },
        { name: 'pe-old', status: 'Rejected', provisioningState: 'Failed' },
      ],
      managedNetworkIsolation: 'AllowOnlyApprovedOutbound',
      private: true,
      privateBecause: ['publicNetworkAccess', 'privateEndpoint', 'managedNetwork'],
    });
    assert.deepEqual([conn(r, 'blob-public').peRequirement, conn(r, 'blob-public').peStatus, conn(r, 'blob-public').status], ['NotRequired', 'NotApplicable', 'verified']);
    assert.deepEqual(finding(conn(r, 'blob-public'), 'network'), [{ check: 'network', level: 'info', message: 'private endpoint: peRequirement NotRequired, peStatus NotApplicable' }]);
    const summary = run.summaries[0];
    assert.ok(summary.includes(`Network: public network access Disabled; private endpoints: pe-agents Approved (provisioning Succeeded), pe-old Rejected (provisioning Failed); managed network isolation: AllowOnlyApprovedOutbound; private (`), summary);
    assertCleanRun(run, world, world.secrets, [run.outputs.reportFile]);
  });

  it('fails a connection whose private endpoint is required but not active, with what to do', async () => {
    const ws = addWorkspace('mlw-pe', { publicNetworkAccess: 'Disabled', managedNetwork: 'AllowInternetOutbound' });
    seedTargets(ws, true);
    const run = await verify(ws, { connectionNames: 'sql-pe-inactive\nblob-public', probe: 'false' });

    assert.equal(run.result, 'Failed', run.resultMessage);
    const r = report(run);
    const c = conn(r, 'sql-pe-inactive');
    assert.deepEqual([c.status, c.peRequirement, c.peStatus], ['failed', 'Required', 'Inactive']);
    const sentence =
      "it requires a private endpoint (peRequirement Required) that is not active (peStatus Inactive), so the workspace cannot reach its target; approve or provision the workspace's managed private endpoint for this target (its managed network outbound rules), then run Verify again";
    assert.deepEqual(finding(c, 'network'), [{ check: 'network', level: 'error', message: sentence }]);
    assert.deepEqual(run.errors, [`Connection 'sql-pe-inactive': ${sentence}.`, run.resultMessage]);
    assert.equal(run.outputs.failed, '1');
    assert.match(run.resultMessage, /^1 connection\(s\) did not verify: sql-pe-inactive \(failed\)/);
    assert.ok(run.summaries[0].split('\n').some((l) => l.startsWith('| sql-pe-inactive |') && l.includes('❌ failed') && l.includes('**network: it requires a private endpoint')));

    // once the service reports it active, the same connection verifies
    world.sandbox.setPeStatus(ws, 'sql-pe-inactive', 'Active');
    const again = await verify(ws, { connectionNames: 'sql-pe-inactive', probe: 'false' });
    assert.equal(again.result, 'Succeeded', again.resultMessage);
    assert.deepEqual(finding(conn(report(again), 'sql-pe-inactive'), 'network'), [{ check: 'network', level: 'ok', message: 'its required private endpoint is active' }]);
  });

  it('says the agent is outside the network when a private workspace\'s target cannot be resolved or reached', async () => {
    const ws = addWorkspace('mlw-closed', { publicNetworkAccess: 'Disabled' });
    seedTargets(ws, false);
    const run = await verify(ws);

    const r = report(run);
    const outside = (host: string, code: string) =>
      `the agent cannot reach ${host} (${code}): it is outside the private network of workspace mlw-closed; run this job on a self-hosted agent inside that network, or set probe: false`;
    const unresolved = conn(r, 'feed-unresolved').probe!;
    assert.ok(unresolved.networkCode === 'ENOTFOUND' || unresolved.networkCode === 'EAI_AGAIN', unresolved.networkCode);
    assert.equal(unresolved.detail, outside(UNRESOLVED, unresolved.networkCode!));
    assert.equal(conn(r, 'git-refused').probe?.detail, outside(`127.0.0.1:${closedPort}`, 'ECONNREFUSED'));
    assert.deepEqual(conn(r, 'git-refused').findings.filter((f) => f.check === 'probe'), [{ check: 'probe', level: 'error', message: outside(`127.0.0.1:${closedPort}`, 'ECONNREFUSED') }]);
    assert.ok(run.errors.includes(`Connection 'git-refused': ${outside(`127.0.0.1:${closedPort}`, 'ECONNREFUSED')}.`), run.errors.join('\n'));
    assert.ok(run.summaries[0].includes(`it is outside the private network of workspace mlw-closed`));
    assertCleanRun(run, world, world.secrets, [run.outputs.reportFile]);
  });

  it('a connection that requires a private endpoint is reached privately even in a public workspace', async () => {
    const ws = addWorkspace('mlw-pe-only', { publicNetworkAccess: 'Enabled', managedNetwork: 'Disabled' });
    seedTargets(ws, true);
    const run = await verify(ws, { connectionNames: 'git-refused' });
    assert.equal(report(run).network?.private, false);
    assert.match(conn(report(run), 'git-refused').probe?.detail ?? '', /^the agent cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): it is outside the private network of workspace mlw-pe-only;/);
  });

  it("keeps today's wording for the same targets of a public workspace", async () => {
    const ws = addWorkspace('mlw-public', { publicNetworkAccess: 'Enabled' });
    seedTargets(ws, false);
    const run = await verify(ws);

    const r = report(run);
    assert.equal(r.network?.private, false);
    const unresolved = conn(r, 'feed-unresolved').probe!;
    assert.equal(unresolved.detail, `the host name ${UNRESOLVED} cannot be resolved`);
    assert.equal(conn(r, 'git-refused').probe?.detail, `nothing accepts connections at 127.0.0.1:${closedPort} (connection refused)`);
    assert.ok(!run.stdout.includes('outside the private network'));
    assert.ok(run.lines.includes('Network of workspace mlw-public: public network access Enabled; private endpoints: none; managed network isolation: not set; public.'), run.lines.join('\n'));
    assert.ok(run.summaries[0].includes('Network: public network access Enabled; private endpoints: none; managed network isolation: not set; public'));
  });

  it('an approved private endpoint with public access enabled leaves the workspace public', async () => {
    const ws = addWorkspace('mlw-both', { publicNetworkAccess: 'Enabled', privateEndpoints: [{ name: 'pe-1', status: 'Approved' }] });
    seedTargets(ws, false);
    const run = await verify(ws, { connectionNames: 'git-refused' });
    assert.deepEqual([report(run).network?.private, conn(report(run), 'git-refused').probe?.detail], [false, `nothing accepts connections at 127.0.0.1:${closedPort} (connection refused)`]);
  });
});
