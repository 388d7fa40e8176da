/** runVerify with fakes: an in-memory workspace, a recording probe, in-memory log, outputs and files. */
import * as assert from 'node:assert/strict';
import { MemoryLog } from '../../../src/core/log';
import { SecretSet } from '../../../src/core/secrets';
import { ArmError } from '../../../src/core/errors';
import type { ConnectionProperties } from '../../../src/arm/types';
import type { ProbeOptions, ProbeResult, ProbeTarget } from '../../../src/probe';
import { checkExpiry, countsAsFailure, runVerify, type VerifyApi, type VerifyServices, type VerifySettings, type VerifyStatus } from '../../../src/tasks/verify';
import { FakeConnectionsApi } from '../engine/fake-api';
import { Gate } from '../../support/gate';
import { setMessageTranslator } from '../../../src/messages';
import { memorySourceFiles, workspaceSettings } from './fakes';
import { workspaceInfo } from '../../../src/workspace/info';

const NOW = new Date('2025-03-01T12:00:00Z');
const DAY = 86_400_000;
const SECRET = 'stored-Zq7/+=&x-secret';

class Outputs {
  readonly vars: Record<string, string> = {};
  readonly summaries: Record<string, string> = {};
  set(name: string, value: string): void {
    this.vars[name] = value;
  }
  setSecretVariable(): void {
    throw new Error('verify sets no secret variable');
  }
  uploadSummary(fileName: string, markdown: string): void {
    this.summaries[fileName] = markdown;
  }
}

interface Harness {
  api: FakeConnectionsApi & VerifyApi;
  log: MemoryLog;
  secrets: SecretSet;
  outputs: Outputs;
  files: Map<string, string>;
  probes: ProbeTarget[];
  probeOptions: ProbeOptions[];
  services: VerifyServices;
}

function harness(probe: (t: ProbeTarget) => Promise<ProbeResult> = async () => ({ kind: 'git', status: 'ok', detail: 'answered' })): Harness {
  const api = new FakeConnectionsApi() as FakeConnectionsApi & VerifyApi;
  const log = new MemoryLog();
  const secrets = new SecretSet();
  const outputs = new Outputs();
  const files = new Map<string, string>();
  const probes: ProbeTarget[] = [];
  const probeOptions: ProbeOptions[] = [];
  const services: VerifyServices = {
    log,
    secrets,
    variables: { get: (name) => (name === 'GIT_PAT' ? { value: SECRET, secret: true } : undefined) },
    outputs,
    readFile: (path) => files.get(path) ?? '',
    sourceFiles: memorySourceFiles((path) => files.get(path)),
    writeFile: (path, text) => files.set(path, text),
    connect: async () => ({ api, ref: api.workspace }),
    probe: async (t, o) => {
      probes.push(t);
      probeOptions.push(o);
      return probe(t);
    },
    probeOptions: { secrets },
    now: () => NOW,
  };
  return { api, log, secrets, outputs, files, probes, probeOptions, services };
}

function settings(over: Partial<VerifySettings> = {}): VerifySettings {
  return {
    ...workspaceSettings('AzureMLConnectionVerify@1'),
    resourceGroup: 'rg-ml',
    workspace: 'ws-dev',
    patterns: [],
    files: [],
    names: [],
    checkCredentials: true,
    probe: false,
    testConnection: false,
    expiryWarningDays: 14,
    failOn: 'any',
    probeTimeoutMs: 4000,
    testConnectionTimeoutMs: 1000,
    maxParallel: 4,
    reportFile: '/out/report.json',
    ...over,
  };
}

const git = (rest: Partial<ConnectionProperties> = {}): ConnectionProperties => ({
  authType: 'PAT',
  category: 'Git',
  target: 'https://git.example.com/r.git',
  isSharedToAll: true,
  metadata: {},
  credentials: { pat: SECRET },
  ...rest,
});

function report(h: Harness): { connections: Array<{ name: string; status: string; findings: Array<{ check: string; level: string; message: string }>; changes: unknown[] }>; counts: Record<string, number> } {
  return JSON.parse(h.files.get('/out/report.json') ?? '{}');
}
const statuses = (h: Harness) => Object.fromEntries(report(h).connections.map((c) => [c.name, c.status]));

describe('runVerify', () => {
  it('verifies named connections, reports a missing one, and sets every output', async () => {
    const h = harness();
    h.api.seed('repo-a', git());
    const outcome = await runVerify(settings({ names: ['REPO-A', 'gone-one', 'repo-a'] }), h.services);
    assert.deepEqual(statuses(h), { 'gone-one': 'missing', 'repo-a': 'verified' });
    assert.deepEqual(h.outputs.vars, { verified: '1', drifted: '0', missing: '1', failed: '0', warnings: '0', reportFile: '/out/report.json' });
    assert.deepEqual(outcome, { result: 'Failed', message: '1 connection(s) did not verify: gone-one (missing) (1 verified, 0 drifted, 1 missing, 0 failed).' });
    assert.deepEqual(h.log.errors, ["Connection 'gone-one': it does not exist in workspace ws-dev; check the name in connectionNames."]);
    assert.deepEqual(h.api.calls.map((c) => `${c.method} ${c.name ?? ''}`.trim()), ['list', 'listSecrets repo-a']);
    const rows = h.outputs.summaries['verify.md'].split('\n').filter((l) => /^\| (repo-a|gone-one) \|/.test(l));
    assert.equal(rows.length, 2);
    for (const text of [...h.files.values(), h.outputs.summaries['verify.md'], ...h.log.lines]) {
      assert.ok(!text.includes(SECRET) && !text.includes(encodeURIComponent(SECRET)), 'no secret anywhere');
    }
    assert.ok(h.secrets.has(SECRET), 'the stored secret was registered before anything could print it');
  });

  it('shows a credential written into a stored target or metadata value as ***, registered before anything prints, and warns where it is', async () => {
    const h = harness();
    h.api.seed('repo-a', git({ target: 'https://svc:t%2Fgt-pw-44x1@git.example.com/r.git', metadata: { docs: 'https://d/?sig=sig-val-8812' } }));
    const outcome = await runVerify(settings(), h.services);
    assert.equal(outcome.result, 'SucceededWithIssues', outcome.message);
    for (const v of ['t%2Fgt-pw-44x1', 't/gt-pw-44x1', 'sig-val-8812']) assert.ok(h.secrets.has(v), v);
    const r = report(h) as unknown as { connections: Array<{ target: string; findings: Array<{ check: string; level: string; message: string }> }> };
    assert.equal(r.connections[0]!.target, 'https://svc:***@git.example.com/r.git');
    assert.deepEqual(
      r.connections[0]!.findings.filter((f) => f.level === 'warning').map((f) => f.message.split(' that ')[0]),
      ['its target holds a credential (the password in its user information)', "its metadata.docs holds a credential (its 'sig' parameter)"],
    );
    for (const text of [...h.files.values(), h.outputs.summaries['verify.md'], ...h.log.lines]) {
      assert.ok(!text.includes('gt-pw-44x1') && !text.includes('sig-val-8812'), text);
    }
  });

  it('verifies every connection of the workspace when given no names and no files', async () => {
    const h = harness();
    h.api.seed('b-one', git());
    h.api.seed('a-one', git({ authType: 'None', credentials: undefined }));
    const outcome = await runVerify(settings(), h.services);
    assert.equal(outcome.result, 'Succeeded');
    assert.deepEqual(Object.keys(statuses(h)), ['a-one', 'b-one']);
    assert.deepEqual(h.api.calls.filter((c) => c.method === 'listSecrets').map((c) => c.name), ['b-one'], 'no listsecrets for auth type None');
    assert.deepEqual(h.log.lines.filter((l) => l.startsWith('> ')), ['> a-one: verified', '> b-one: verified']);
  });

  it('compares the files through the engine: secrets via listsecrets, without values', async () => {
    const h = harness();
    h.api.seed('repo-a', git({ target: 'https://git.example.com/old.git' }));
    h.api.seed('repo-b', git({ credentials: { pat: 'another-stored-pat' } }));
    h.files.set('/w/c.yml', 'name: repo-a\ntype: git\ntarget: https://git.example.com/r.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n---\nname: repo-b\ntype: git\ntarget: https://git.example.com/r.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    const outcome = await runVerify(settings({ files: ['/w/c.yml'], patterns: ['c.yml'] }), h.services);
    assert.equal(outcome.result, 'Failed');
    const r = report(h);
    assert.deepEqual(r.connections.map((c) => [c.name, c.status, c.changes]), [
      ['repo-a', 'drifted', [{ path: 'target', before: '"https://git.example.com/old.git"', after: '"https://git.example.com/r.git"', sensitive: false }]],
      ['repo-b', 'drifted', [{ path: 'credentials.pat', sensitive: true }]],
    ]);
    assert.ok(!h.files.get('/out/report.json')!.includes('another-stored-pat'));
    assert.ok(h.secrets.has('another-stored-pat'));
  });

  it('treats a 403 on listsecrets as a finding: secrets not compared, credentials not checked, no probe', async () => {
    const h = harness();
    h.api.listSecretsForbidden = true;
    h.api.seed('repo-a', git());
    h.files.set('/w/c.yml', 'name: repo-a\ntype: git\ntarget: https://git.example.com/r.git\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    const outcome = await runVerify(settings({ files: ['/w/c.yml'], patterns: ['c.yml'], probe: true }), h.services);
    assert.equal(outcome.result, 'SucceededWithIssues');
    const c = report(h).connections[0];
    assert.equal(c.status, 'warning');
    assert.deepEqual(c.changes, []);
    assert.deepEqual(c.findings.map((f) => `${f.check}/${f.level}`), ['credentials/warning', 'drift/warning', 'drift/ok', 'probe/info']);
    assert.deepEqual(h.probes, []);
  });

  it('fails on another listsecrets error, and on incomplete, expired credentials; warns before expiry', async () => {
    const h = harness();
    h.api.seed('broken', git());
    h.api.seed('empty-pw', { authType: 'UsernamePassword', category: 'PythonFeed', target: 'https://f/simple/', credentials: { username: 'u', password: ' ' } });
    h.api.seed('expired', git({ expiryTime: new Date(NOW.getTime() - DAY).toISOString() }));
    h.api.seed('soon', git({ expiryTime: new Date(NOW.getTime() + 3 * DAY).toISOString() }));
    h.api.seed('custom', { authType: 'CustomKeys', category: 'CustomKeys', target: 'https://x', credentials: { keys: { a: 'x', b: '' } } });
    const listSecrets = h.api.listSecrets.bind(h.api);
    h.api.listSecrets = async (name: string) => {
      if (name === 'broken') throw new ArmError('Internal error.', 500, 'InternalServerError', 'req-1');
      return listSecrets(name);
    };
    await runVerify(settings({ names: ['broken', 'empty-pw', 'expired', 'soon', 'custom'], probe: true }), h.services);
    assert.deepEqual(statuses(h), { broken: 'failed', custom: 'failed', 'empty-pw': 'failed', expired: 'failed', soon: 'warning' });
    const why = Object.fromEntries(report(h).connections.map((c) => [c.name, c.findings.filter((f) => f.level === 'error' || f.level === 'warning').map((f) => f.message)]));
    assert.deepEqual(why, {
      broken: ['its stored credentials could not be read: Internal error. (HTTP 500, InternalServerError, request id req-1)'],
      custom: ['its stored CustomKeys credentials are incomplete: keys is missing or empty; write the connection again with every credential field'],
      'empty-pw': ['its stored UsernamePassword credentials are incomplete: password is missing or empty; write the connection again with every credential field'],
      expired: ['its credential expired on 2025-02-28T12:00:00.000Z; renew the credential and update the connection'],
      soon: ['its credential expires on 2025-03-04T12:00:00.000Z, in 3 day(s) (expiryWarningDays is 14); renew it before then'],
    });
    assert.deepEqual(h.probes.map((p) => p.name).sort(), ['expired', 'soon'], 'no probe without complete credentials');
    assert.deepEqual(h.probes.find((p) => p.name === 'soon')?.credentials, { pat: SECRET });
    assert.equal(h.probeOptions[0].timeoutMs, 4000);
  });

  it('fails on a failed probe; a probe that was not possible is only information', async () => {
    const h = harness(async (t) =>
      t.name === 'bad' ? { kind: 'git', status: 'failed', detail: 'the Git server refused the stored credentials (HTTP 401 Unauthorized)', httpStatus: 401 } : { kind: 'tls', status: 'skipped', detail: 'not probed: the target is not an https URL' },
    );
    h.api.seed('bad', git());
    h.api.seed('jdbc', { authType: 'None', category: 'AzureSqlDb', target: 'Server=tcp:x' });
    const outcome = await runVerify(settings({ probe: true }), h.services);
    assert.deepEqual(statuses(h), { bad: 'failed', jdbc: 'verified' });
    assert.equal(outcome.result, 'Failed');
    assert.deepEqual(h.log.errors, ["Connection 'bad': the Git server refused the stored credentials (HTTP 401 Unauthorized)."]);
    assert.deepEqual(h.log.warnings, []);
  });

  it('checks connections with bounded parallelism, all of them even when some are slow', async () => {
    const gate = new Gate();
    const h = harness(async (t) => {
      await gate.wait(t.name);
      return { kind: 'git', status: 'ok', detail: 'answered' };
    });
    for (let i = 0; i < 12; i++) h.api.seed(`repo-${String(i).padStart(2, '0')}`, git());
    const verifying = runVerify(settings({ probe: true, maxParallel: 3 }), h.services);
    // repo-00 and repo-10 are slow: they end only when nothing else is held; the others end in turn
    const held: string[][] = [];
    while ((await gate.settle()) > 0) {
      held.push(gate.held);
      const fast = gate.held.find((name) => !name.endsWith('0'));
      gate.release(fast);
    }
    const outcome = await verifying;
    assert.equal(outcome.result, 'Succeeded');
    assert.equal(h.probes.length, 12);
    assert.deepEqual(held.map((names) => names.length), [...Array<number>(10).fill(3), 2, 1], '3 in flight while work remains');
    assert.deepEqual(held[1], ['repo-00', 'repo-02', 'repo-03'], 'the slow repo-00 does not stop the next probe from starting');
  });

  it("runs the service's testconnection only where the api-version has it", async () => {
    const h = harness();
    h.api.seed('repo-a', git());
    const tested: string[] = [];
    h.api.testConnection = async (name: string) => {
      tested.push(name);
      if (name === 'repo-a') throw new ArmError('The target could not be reached.', 400, 'ConnectionTestFailed', 'req-2');
      return { status: 200, polls: 1 };
    };
    await runVerify(settings({ testConnection: true, apiVersion: '2026-09-01' }), h.services);
    assert.deepEqual(tested, []);
    assert.deepEqual(h.log.warnings, ["The service's testconnection is not offered by api-version 2026-09-01; it was skipped. Use api-version 2025-06-01 to run it."]);
    const outcome = await runVerify(settings({ testConnection: true }), h.services);
    assert.deepEqual(tested, ['repo-a']);
    assert.equal(outcome.result, 'Failed');
    assert.match(report(h).connections[0].findings.at(-1)!.message, /^the service's connection test failed: The target could not be reached\. \(HTTP 400, ConnectionTestFailed/);
  });

  it('says every sentence through the message catalog: under a translator no English of its own is left', async () => {
    // «Key|arg|arg»: what task-lib loc() would return in another culture, nested where a sentence holds another
    setMessageTranslator((key, args) => `«${[key, ...args].join('|')}»`);
    const strip = (text: string) => {
      let out = text;
      for (let before = ''; before !== out; ) [before, out] = [out, out.replace(/«[^«»]*»/g, '')];
      return out;
    };
    try {
      const h = harness(async () => ({ kind: 'git', status: 'ok', detail: '«probe»' }));
      h.api.seed('repo-a', git());
      h.api.seed('expired', git({ expiryTime: new Date(NOW.getTime() - DAY).toISOString() }));
      h.api.seed('soon', git({ expiryTime: new Date(NOW.getTime() + 3 * DAY).toISOString() }));
      h.api.seed('custom', { authType: 'CustomKeys', category: 'CustomKeys', target: 'https://x', credentials: { keys: { a: 'x', b: '' } } });
      const outcome = await runVerify(settings({ names: ['repo-a', 'expired', 'soon', 'custom', 'gone-one'], probe: true, testConnection: true, apiVersion: '2026-09-01' }), h.services);
      assert.match(outcome.message, /^«Verify_OutcomeFailed\|3\|«Verify_NameWithStatus\|custom\|«Verify_StatusFailed»»/);
      assert.equal(strip(outcome.message), '');
      assert.ok(h.log.lines.length > 10 && h.log.errors.length === 3 && h.log.warnings.length === 2);
      assert.deepEqual(h.log.lines.map((l) => strip(l.replace(/^(WARNING: |ERROR: |> )/, ''))).filter((l) => l !== ''), []);
      assert.ok(h.log.lines.some((l) => l === '«Verify_KindAndTarget|Git, PAT|https://git.example.com/r.git»'));
      for (const c of report(h).connections) for (const f of c.findings) assert.equal(strip(f.message), '', f.message);
      const summary = h.outputs.summaries['verify.md'];
      assert.match(summary, /^«Verify_SummaryHeading»\n/);
      assert.deepEqual(summary.match(/\b(verify|Workspace|resource group|Checks|Verified|With warnings|Drifted|Missing|Failed|Connection|Category|Status|What differs|evidence|drifted|missing|failed|verified)\b/g), null);
    } finally {
      setMessageTranslator(undefined);
    }
  });

  it('refuses connectionNames that no file declares', async () => {
    const h = harness();
    h.files.set('/w/c.yml', 'name: repo-a\ntype: git\ntarget: https://git.example.com/r.git\n');
    await assert.rejects(runVerify(settings({ files: ['/w/c.yml'], patterns: ['c.yml'], names: ['repo-z'] }), h.services), /names 'repo-z', which no connection file declares/);
    assert.deepEqual(h.api.calls, []);
  });
});

describe('failOn and expiry', () => {
  it('decides which statuses fail the task', () => {
    const all: VerifyStatus[] = ['verified', 'warning', 'drifted', 'missing', 'failed'];
    const failing = (f: 'any' | 'missing' | 'none') => all.filter((s) => countsAsFailure(s, f));
    assert.deepEqual(failing('any'), ['drifted', 'missing', 'failed']);
    assert.deepEqual(failing('missing'), ['missing']);
    assert.deepEqual(failing('none'), []);
  });

  it('reads expiryTime: passed, within the warning days, later, not a date', () => {
    assert.equal(checkExpiry(undefined, NOW, 14), undefined);
    assert.equal(checkExpiry('2025-03-01T12:00:00Z', NOW, 14)?.level, 'error', 'expiring now is expired');
    assert.equal(checkExpiry('2025-03-15T12:00:00Z', NOW, 14)?.level, 'warning');
    assert.equal(checkExpiry('2025-03-15T12:00:01Z', NOW, 14)?.level, 'ok');
    assert.equal(checkExpiry('2025-03-02T12:00:00Z', NOW, 0)?.level, 'ok');
    assert.deepEqual(checkExpiry('soon', NOW, 14), { check: 'expiry', level: 'warning', message: "its expiryTime 'soon' is not a date" });
  });
});

describe('runVerify on a private workspace (the workspace read handed by the adapter)', () => {
  const privateInfo = (properties: Record<string, unknown>) =>
    Promise.resolve(workspaceInfo({ id: '/subscriptions/s/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-dev', name: 'ws-dev', kind: 'Default', properties }));
  const failing = (code: string, detail: string) => async (): Promise<ProbeResult> => ({ kind: 'tls', status: 'failed', detail, url: 'https://target.example:8443/', networkCode: code });

  for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']) {
    it(`${code}: the agent is outside the workspace's network`, async () => {
      const h = harness(failing(code, 'the bare network error'));
      h.api.seed('api', { authType: 'None', category: 'ApiKey', target: 'https://target.example:8443/v1' });
      h.services.connect = async () => ({ api: h.api, ref: h.api.workspace, info: privateInfo({ publicNetworkAccess: 'Disabled' }) });
      await runVerify(settings({ probe: true }), h.services);
      const report = JSON.parse(h.files.get('/out/report.json')!) as { connections: { probe: ProbeResult }[] };
      assert.equal(
        report.connections[0].probe.detail,
        `the agent cannot reach target.example:8443 (${code}): it is outside the private network of workspace ws-dev; run this job on a self-hosted agent inside that network, or set probe: false`,
      );
    });
  }

  it('keeps the probe\'s own sentence for a TLS failure, an HTTP answer, or a public workspace', async () => {
    const cases: [Record<string, unknown>, () => Promise<ProbeResult>, string][] = [
      [{ publicNetworkAccess: 'Disabled' }, failing('CERT_HAS_EXPIRED', 'the TLS certificate of target.example has expired'), 'the TLS certificate of target.example has expired'],
      [{ publicNetworkAccess: 'Disabled' }, async () => ({ kind: 'tls', status: 'failed', detail: 'answered HTTP 403', httpStatus: 403 }), 'answered HTTP 403'],
      [{ publicNetworkAccess: 'Enabled' }, failing('ENOTFOUND', 'the host name target.example cannot be resolved'), 'the host name target.example cannot be resolved'],
    ];
    for (const [properties, probe, detail] of cases) {
      const h = harness(probe);
      h.api.seed('api', { authType: 'None', category: 'ApiKey', target: 'https://target.example:8443/v1' });
      h.services.connect = async () => ({ api: h.api, ref: h.api.workspace, info: privateInfo(properties) });
      await runVerify(settings({ probe: true }), h.services);
      const report = JSON.parse(h.files.get('/out/report.json')!) as { connections: { probe: ProbeResult }[] };
      assert.equal(report.connections[0].probe.detail, detail);
    }
  });
});
