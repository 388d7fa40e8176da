/**
 * AzureMLConnectionVerify@1 end to end: the bundled task, run as the agent runs it (debug on), against the
 * sandbox for ARM and real peers for the probes: git http-backend behind HTTPS Basic auth, nginx serving a
 * PEP 503 index with htpasswd, a Docker registry with htpasswd over TLS, and a recording server playing
 * "another host". The peers' CA reaches the task as the agent's Agent.CAInfo.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProperties, WorkspaceRef } from '../../src/arm/types';
import type { TaskRun } from '../support/agent-harness';
import { freePort, peerTls, requirePeers, startGitPeer, startPypiPeer, startRecorder, startRegistryPeer, type GitPeer, type HttpsPeer, type PeerTls, type ProcessPeer } from '../support/peers';
import { assertCleanRun, startWorld, type World } from '../support/world';

const TASK = 'AzureMLConnectionVerifyV1';
const CREATE = 'AzureMLConnectionCreateV1';
const DAY = 86_400_000;

interface ReportConnection {
  name: string;
  status: string;
  changes: Array<{ path: string; before?: string; after?: string; sensitive: boolean }>;
  findings: Array<{ check: string; level: string; message: string }>;
  probe?: { kind: string; status: string; detail: string; httpStatus?: number };
}
interface Report {
  kind: string;
  counts: Record<string, number>;
  connections: ReportConnection[];
}

function report(run: TaskRun): Report {
  return JSON.parse(readFileSync(run.outputs.reportFile, 'utf8')) as Report;
}
function statuses(r: Report): Record<string, string> {
  return Object.fromEntries(r.connections.map((c) => [c.name, c.status]));
}
function conn(r: Report, name: string): ReportConnection {
  const c = r.connections.find((x) => x.name === name);
  assert.ok(c, `${name} in the report`);
  return c;
}
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('AzureMLConnectionVerify@1 end to end (bundled task, sandbox, real peers)', function () {
  this.timeout(180_000);
  let world: World | undefined;
  let tls: PeerTls | undefined;
  let git: GitPeer;
  let pypi: ProcessPeer;
  let registry: ProcessPeer;
  let recorder: HttpsPeer;
  let closedPort: number;
  // every secret unique, with characters that change under URL and JSON encoding
  const tag = randomUUID().slice(0, 8);
  const S = {
    pat: `pat-${tag}-Zq7/+=&x`,
    feedPassword: `feed-${tag}-Zq7/+=&x`,
    registryPassword: `reg-${tag}-Zq7/+=&x`,
    wrong: `wrong-${tag}-Zq7/+=&x`,
    apiKey: `key-${tag}-Zq7/+=&x`,
    oldPat: `oldpat-${tag}-Zq7/+=&x`,
  };
  const FEED_USER = 'feed-reader';
  const REGISTRY_USER = 'puller';
  /** everything that must never appear, including the Basic header values the probes build */
  const allSecrets = () => [
    ...Object.values(S),
    b64(`x-access-token:${S.pat}`),
    b64(`x-access-token:${S.wrong}`),
    b64(`${FEED_USER}:${S.feedPassword}`),
    b64(`${FEED_USER}:${S.wrong}`),
    b64(`${REGISTRY_USER}:${S.registryPassword}`),
    b64(`${REGISTRY_USER}:${S.wrong}`),
    ...(world?.secrets ?? []),
  ];

  before(async function () {
    requirePeers(this, 'git', 'git-http-backend', 'nginx', 'htpasswd', 'docker-registry');
    world = await startWorld();
    tls = peerTls();
    [git, pypi, registry, recorder, closedPort] = await Promise.all([
      startGitPeer(tls, S.pat),
      startPypiPeer(tls, FEED_USER, S.feedPassword),
      startRegistryPeer(tls, REGISTRY_USER, S.registryPassword),
      startRecorder(tls),
      freePort(),
    ]);
    git.redirects.set('/old/', `${git.url}/`); // same host: followed
    git.redirects.set('/moved-away/', `${recorder.localhostUrl}/`); // another host: never followed with credentials
  });
  after(async () => {
    await Promise.all([git?.stop(), pypi?.stop(), registry?.stop(), recorder?.stop()]);
    tls?.dispose();
    await world?.stop();
  });

  function addWorkspace(name: string): WorkspaceRef {
    const ws = { ...world!.ws, workspace: name };
    world!.sandbox.addWorkspace(ws);
    return ws;
  }

  function verify(ws: WorkspaceRef, inputs: Record<string, string>, options: { workDir?: string; secretVariables?: Record<string, string> } = {}): Promise<TaskRun> {
    return world!.run(TASK, 'spnKey', {
      workDir: options.workDir ?? world!.newWorkDir(false),
      debug: true,
      variables: { 'Agent.CAInfo': tls!.caFile },
      secretVariables: options.secretVariables,
      inputs: { workspaceName: ws.workspace, ...inputs },
    });
  }

  function assertClean(run: TaskRun, extra: string[] = []): void {
    assertCleanRun(run, world!, [...allSecrets(), ...extra], run.outputs.reportFile ? [run.outputs.reportFile] : []);
  }

  const p = (authType: string, category: string, rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({ authType, category, isSharedToAll: true, metadata: {}, ...rest });

  it('probes git, a PEP 503 feed and a registry with the stored credentials: verified, the target\'s 401, a refused port, and no credential for another host', async () => {
    const ws = addWorkspace('mlw-probe');
    const seed = (name: string, props: ConnectionProperties) => world!.sandbox.seedConnection(ws, name, props);
    seed('git-ok', p('PAT', 'Git', { target: git.repoUrl, credentials: { pat: S.pat } }));
    seed('git-moved', p('PAT', 'Git', { target: `${git.url}/old/repo.git`, credentials: { pat: S.pat } }));
    seed('git-badpat', p('PAT', 'Git', { target: git.repoUrl, credentials: { pat: S.wrong } }));
    seed('git-elsewhere', p('PAT', 'Git', { target: `${git.url}/moved-away/repo.git`, credentials: { pat: S.pat } }));
    seed('git-down', p('PAT', 'Git', { target: `https://127.0.0.1:${closedPort}/repo.git`, credentials: { pat: S.pat } }));
    seed('feed-ok', p('UsernamePassword', 'PythonFeed', { target: pypi.url, credentials: { username: FEED_USER, password: S.feedPassword } }));
    seed('feed-simple', p('UsernamePassword', 'PythonFeed', { target: `${pypi.url}/simple/`, credentials: { username: FEED_USER, password: S.feedPassword } }));
    seed('feed-badpw', p('UsernamePassword', 'PythonFeed', { target: `${pypi.url}/simple/`, credentials: { username: FEED_USER, password: S.wrong } }));
    seed('acr-ok', p('UsernamePassword', 'ContainerRegistry', { target: registry.url.replace('https://', ''), credentials: { username: REGISTRY_USER, password: S.registryPassword } }));
    seed('acr-badpw', p('UsernamePassword', 'ContainerRegistry', { target: registry.url, credentials: { username: REGISTRY_USER, password: S.wrong } }));
    seed('sql-jdbc', p('None', 'AzureSqlDb', { target: 'Server=tcp:contoso.database.windows.net;Database=ml' }));
    seed('not-asked', p('PAT', 'Git', { target: `${recorder.url}/repo.git`, credentials: { pat: S.pat } }));
    world!.sandbox.resetRequests();

    const names = ['git-ok', 'git-moved', 'git-badpat', 'git-elsewhere', 'git-down', 'feed-ok', 'feed-simple', 'feed-badpw', 'acr-ok', 'acr-badpw', 'sql-jdbc'];
    const run = await verify(ws, { connectionNames: names.join('\n'), probe: 'true', probeTimeoutSeconds: '5' });

    assert.equal(run.result, 'Failed', run.resultMessage);
    const r = report(run);
    assert.equal(r.kind, 'azureml-connections-verify-report');
    assert.deepEqual(statuses(r), {
      'acr-badpw': 'failed',
      'acr-ok': 'verified',
      'feed-badpw': 'failed',
      'feed-ok': 'verified',
      'feed-simple': 'verified',
      'git-badpat': 'failed',
      'git-down': 'failed',
      'git-elsewhere': 'failed',
      'git-moved': 'verified',
      'git-ok': 'verified',
      'sql-jdbc': 'verified',
    });
    assert.deepEqual(
      { verified: run.outputs.verified, drifted: run.outputs.drifted, missing: run.outputs.missing, failed: run.outputs.failed },
      { verified: '6', drifted: '0', missing: '0', failed: '5' },
    );
    // the target's own answer is the reason
    assert.equal(conn(r, 'git-badpat').probe?.httpStatus, 401);
    assert.equal(conn(r, 'feed-badpw').probe?.httpStatus, 401);
    assert.equal(conn(r, 'acr-badpw').probe?.httpStatus, 401);
    for (const name of ['git-badpat', 'feed-badpw', 'acr-badpw']) {
      assert.ok(run.errors.some((e) => e.startsWith(`Connection '${name}': `) && e.includes('HTTP 401 Unauthorized')), `${name}: ${run.errors.join('\n')}`);
    }
    assert.match(conn(r, 'git-down').probe?.detail ?? '', new RegExp(`127\\.0\\.0\\.1:${closedPort} \\(connection refused\\)`));
    assert.match(conn(r, 'git-elsewhere').probe?.detail ?? '', /redirects \(HTTP 302 Found\) to another host, localhost:\d+; credentials are never sent/);
    assert.equal(conn(r, 'git-moved').probe?.kind, 'git');
    assert.match(conn(r, 'feed-ok').probe?.detail ?? '', /PEP 503 simple index answered with 2 project\(s\)/);
    assert.match(conn(r, 'acr-ok').probe?.detail ?? '', /accepted the stored credentials \(Basic\)/);
    assert.match(conn(r, 'sql-jdbc').findings.find((f) => f.check === 'probe')?.message ?? '', /^not probed: the target is not an https URL/);
    // the other host received nothing at all, so certainly no credential
    assert.deepEqual(recorder.requests, []);
    // each peer saw only its own credentials: git requests all carried the PAT (or the wrong one)
    const gitAuth = new Set(git.requests.map((q) => q.headers.authorization));
    assert.deepEqual([...gitAuth].sort(), [`Basic ${b64(`x-access-token:${S.pat}`)}`, `Basic ${b64(`x-access-token:${S.wrong}`)}`].sort());
    // one listsecrets per connection asked for, no write at all
    const arm = world!.sandbox.requests.filter((q) => q.service === 'arm');
    assert.equal(arm.filter((q) => q.method === 'POST' && /listsecrets$/.test(q.path)).length, names.length - 1, 'None needs no listsecrets');
    assert.equal(arm.filter((q) => ['PUT', 'PATCH', 'DELETE'].includes(q.method)).length, 0);
    assert.ok(!arm.some((q) => q.path.includes('not-asked')));
    // grouped log lines, one summary row per connection
    for (const name of names) assert.ok(run.lines.some((l) => l.startsWith(`##[group]${name}: `)), `group for ${name}`);
    assert.equal(run.summaries.length, 1);
    const rows = run.summaries[0].split('\n').filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| Connection'));
    assert.deepEqual(rows.map((l) => l.split(' | ')[0].slice(2)).sort(), [...names].sort());
    assert.ok(rows.some((l) => l.startsWith('| git-badpat |') && l.includes('❌ failed') && l.includes('HTTP 401 Unauthorized')));
    assert.match(run.resultMessage, /5 connection\(s\) did not verify: acr-badpw \(failed\), feed-badpw \(failed\), git-badpat \(failed\), git-down \(failed\), git-elsewhere \(failed\)/);
    assertClean(run);
  });

  async function driftWorkspace(name: string): Promise<{ ws: WorkspaceRef; workDir: string; secretVariables: Record<string, string> }> {
    const ws = addWorkspace(name);
    const workDir = world!.newWorkDir(false);
    const secretVariables = { GIT_PAT: S.pat, FEED_PASSWORD: S.feedPassword };
    writeFileSync(join(workDir, 'git.yml'), `name: git-ok\ntype: git\ntarget: ${git.repoUrl}\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n---\nname: git-rotated\ntype: git\ntarget: ${git.repoUrl}\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n`);
    writeFileSync(join(workDir, 'feed.yml'), `name: feed-ok\ntype: python_feed\ntarget: ${pypi.url}/simple/\ncredentials:\n  type: username_password\n  username: ${FEED_USER}\n  password: $(FEED_PASSWORD)\n`);
    // written by the Create task, then changed behind its back
    const create = await world!.run(CREATE, 'spnKey', { workDir, secretVariables, inputs: { workspaceName: ws.workspace, connectionFiles: '*.yml' } });
    assert.equal(create.result, 'Succeeded', create.resultMessage + create.errors.join('\n'));
    const stored = (n: string) => world!.sandbox.storedConnection(ws, n)!.properties;
    world!.sandbox.seedConnection(ws, 'feed-ok', { ...stored('feed-ok'), target: `${pypi.url}/other/simple/` });
    world!.sandbox.seedConnection(ws, 'git-rotated', { ...stored('git-rotated'), credentials: { pat: S.oldPat } });
    writeFileSync(join(workDir, 'missing.yml'), `name: git-absent\ntype: git\ntarget: ${git.repoUrl}\n`);
    return { ws, workDir, secretVariables };
  }

  it('compares the files with the workspace: a changed target names the field, a changed secret is drift without values, an absent one is missing', async () => {
    const { ws, workDir, secretVariables } = await driftWorkspace('mlw-drift');
    const run = await verify(ws, { connectionFiles: '*.yml' }, { workDir, secretVariables });
    assert.equal(run.result, 'Failed', run.resultMessage);
    const r = report(run);
    assert.deepEqual(statuses(r), { 'feed-ok': 'drifted', 'git-absent': 'missing', 'git-ok': 'verified', 'git-rotated': 'drifted' });
    assert.deepEqual(conn(r, 'feed-ok').changes, [{ path: 'target', before: JSON.stringify(`${pypi.url}/other/simple/`), after: JSON.stringify(`${pypi.url}/simple/`), sensitive: false }]);
    assert.deepEqual(conn(r, 'git-rotated').changes, [{ path: 'credentials.pat', sensitive: true }]);
    assert.deepEqual(
      { verified: run.outputs.verified, drifted: run.outputs.drifted, missing: run.outputs.missing, failed: run.outputs.failed },
      { verified: '1', drifted: '2', missing: '1', failed: '0' },
    );
    assert.ok(run.errors.some((e) => e.includes("Connection 'feed-ok': it differs from its file in target.") && e.includes('feed.yml:1:')), run.errors.join('\n'));
    assert.ok(run.errors.some((e) => e.includes("Connection 'git-absent': it does not exist in workspace mlw-drift")), run.errors.join('\n'));
    assert.ok(run.lines.some((l) => l.includes(`~ target: "${pypi.url}/other/simple/" -> "${pypi.url}/simple/"`)), run.lines.join('\n'));
    assert.ok(run.lines.some((l) => l.includes('~ credentials.pat: (sensitive)')));
    assert.match(run.summaries[0], /\| feed-ok \| PythonFeed \| ❌ drifted \| \\~ target: "https:\/\/127\.0\.0\.1:\d+\/other\/simple\/" -&gt; /);
    assertClean(run);
  });

  it('failOn: any fails on drift, missing fails only on missing, none never fails; the outputs are the same', async () => {
    const { ws, workDir, secretVariables } = await driftWorkspace('mlw-failon');
    const counts = (run: TaskRun) => [run.outputs.verified, run.outputs.drifted, run.outputs.missing, run.outputs.failed].join('/');

    const missingOnly = await verify(ws, { connectionFiles: '*.yml', failOn: 'missing' }, { workDir, secretVariables });
    assert.equal(missingOnly.result, 'Failed');
    assert.match(missingOnly.resultMessage, /^1 connection\(s\) did not verify: git-absent \(missing\) \(1 verified, 2 drifted, 1 missing, 0 failed\)\.$/);
    assert.ok(missingOnly.warnings.some((w) => /feed\.yml:1:\d+: Connection 'feed-ok': it differs from its file in target\.$/.test(w)), 'drift is a warning under failOn missing');
    assert.equal(counts(missingOnly), '1/2/1/0');

    const driftOnly = await verify(ws, { connectionFiles: 'git.yml\nfeed.yml', failOn: 'missing' }, { workDir, secretVariables });
    assert.equal(driftOnly.result, 'SucceededWithIssues', driftOnly.resultMessage);
    assert.equal(counts(driftOnly), '1/2/0/0');
    const driftAny = await verify(ws, { connectionFiles: 'git.yml\nfeed.yml' }, { workDir, secretVariables });
    assert.equal(driftAny.result, 'Failed');

    const none = await verify(ws, { connectionFiles: '*.yml', failOn: 'none' }, { workDir, secretVariables });
    assert.equal(none.result, 'SucceededWithIssues', none.resultMessage);
    assert.equal(none.errors.length, 0, none.errors.join('\n'));
    assert.equal(counts(none), '1/2/1/0');
    for (const run of [missingOnly, driftOnly, driftAny, none]) assertClean(run);
  });

  it('checks stored credentials: expired fails, expiring in 3 days warns, incomplete fails', async () => {
    const ws = addWorkspace('mlw-creds');
    const now = Date.now();
    const seed = (name: string, props: ConnectionProperties) => world!.sandbox.seedConnection(ws, name, props);
    seed('key-expired', p('ApiKey', 'ApiKey', { target: 'https://api.example.invalid', expiryTime: new Date(now - 2 * DAY).toISOString(), credentials: { key: S.apiKey } }));
    seed('key-soon', p('ApiKey', 'ApiKey', { target: 'https://api.example.invalid', expiryTime: new Date(now + 3 * DAY - 60_000).toISOString(), credentials: { key: S.apiKey } }));
    seed('key-later', p('ApiKey', 'ApiKey', { target: 'https://api.example.invalid', expiryTime: new Date(now + 60 * DAY).toISOString(), credentials: { key: S.apiKey } }));
    seed('feed-nopw', p('UsernamePassword', 'PythonFeed', { target: `${pypi.url}/simple/`, credentials: { username: FEED_USER, password: '' } }));

    const run = await verify(ws, { connectionNames: 'key-expired\nkey-soon\nkey-later\nfeed-nopw' });
    assert.equal(run.result, 'Failed');
    const r = report(run);
    assert.deepEqual(statuses(r), { 'feed-nopw': 'failed', 'key-expired': 'failed', 'key-later': 'verified', 'key-soon': 'warning' });
    assert.match(conn(r, 'key-expired').findings.find((f) => f.check === 'expiry')!.message, /^its credential expired on \d{4}-/);
    assert.match(conn(r, 'key-soon').findings.find((f) => f.check === 'expiry')!.message, /expires on .*, in 3 day\(s\) \(expiryWarningDays is 14\)/);
    assert.match(conn(r, 'feed-nopw').findings.find((f) => f.check === 'credentials')!.message, /incomplete: password is missing or empty/);
    assert.deepEqual([run.outputs.verified, run.outputs.warnings, run.outputs.failed], ['2', '1', '2']);
    assert.ok(run.warnings.some((w) => w.startsWith("Connection 'key-soon': its credential expires on")), run.warnings.join('\n'));

    const soonOnly = await verify(ws, { connectionNames: 'key-soon' });
    assert.equal(soonOnly.result, 'SucceededWithIssues', soonOnly.resultMessage);
    const notWithin = await verify(ws, { connectionNames: 'key-soon', expiryWarningDays: '2' });
    assert.equal(notWithin.result, 'Succeeded', notWithin.resultMessage);
    for (const x of [run, soonOnly, notWithin]) assertClean(x);
  });

  it('reports a 403 on listsecrets as a finding, verifies every connection when no names or files are given, and runs the service\'s testconnection', async () => {
    const ws = addWorkspace('mlw-403');
    world!.sandbox.seedConnection(ws, 'git-ok', p('PAT', 'Git', { target: git.repoUrl, credentials: { pat: S.pat } }));
    world!.sandbox.seedConnection(ws, 'sql-none', p('None', 'AzureSqlDb', { target: 'Server=tcp:contoso.database.windows.net;Database=ml' }));
    world!.sandbox.denyListSecrets(ws, true);
    const denied = await verify(ws, { probe: 'true' });
    assert.equal(denied.result, 'SucceededWithIssues', denied.resultMessage);
    const r = report(denied);
    assert.deepEqual(statuses(r), { 'git-ok': 'warning', 'sql-none': 'verified' });
    assert.ok(denied.warnings.some((w) => w.includes("Connection 'git-ok': its stored credentials cannot be read (Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action is not granted")), denied.warnings.join('\n'));
    assert.equal(conn(r, 'git-ok').findings.find((f) => f.check === 'probe')?.message, 'not probed: its stored credentials could not be read');
    assertClean(denied);

    world!.sandbox.denyListSecrets(ws, false);
    world!.sandbox.setTestConnectionResult(ws, 'sql-none', { ok: false, code: 'ConnectionTestFailed', message: 'The target could not be reached from the workspace.' });
    const tested = await verify(ws, { testConnection: 'true', connectionNames: 'git-ok\nsql-none' });
    const t = report(tested);
    assert.equal(conn(t, 'git-ok').findings.find((f) => f.check === 'testconnection')?.level, 'ok');
    assert.match(conn(t, 'sql-none').findings.find((f) => f.check === 'testconnection')?.message ?? '', /The target could not be reached from the workspace/);
    assert.equal(conn(t, 'sql-none').status, 'failed');
    assertClean(tested);
  });
});
