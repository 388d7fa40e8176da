import * as assert from 'node:assert/strict';
import { ArmError } from '../../../src/core/errors';
import { runCreate, type CreateServices, type CreateSettings } from '../../../src/tasks/create';
import { FakeConnectionsApi } from '../engine/fake-api';
import { fakeTaskServices, workspaceSettings } from './fakes';

function setup(files: Record<string, string>, overrides: Partial<CreateSettings> = {}, vars: Record<string, string> = {}) {
  const api = new FakeConnectionsApi();
  const fake = fakeTaskServices(files);
  const services: CreateServices = {
    ...fake.services,
    variables: { get: (n) => (n in vars ? { value: vars[n], secret: true } : undefined) },
    connect: async () => ({ api, ref: api.workspace }),
  };
  const settings: CreateSettings = {
    ...workspaceSettings('AzureMLConnectionCreate@1'),
    patterns: ['*.yml'],
    files: Object.keys(files),
    mode: 'apply',
    defaultPlanFile: '/tmp/default.plan.json',
    onExisting: 'update',
    prune: false,
    overrides: '',
    maxParallel: 4,
    allowInsecureTargets: false,
    secretCheck: 'digest',
    ...overrides,
  };
  return { api, ...fake, services, settings };
}

describe('tasks/create', () => {
  it('plan mode writes the plan file and nothing to ARM, and fails naming a connection that cannot be created', async () => {
    const t = setup(
      {
        'a.yml': 'name: ok-repo\ntype: git\ntarget: https://x/r\n',
        'b.yml': 'name: no-secret\ntype: git\ntarget: https://x/s\ncredentials:\n  type: pat\n',
      },
      { mode: 'plan' },
    );
    const out = await runCreate(t.settings, t.services);
    assert.equal(out.result, 'Failed');
    assert.match(out.message, /1 connection\(s\) cannot be applied: no-secret/);
    assert.deepEqual(t.api.writes(), []);
    assert.ok(t.written['/tmp/default.plan.json']);
    assert.equal(t.outputs.planFile, '/tmp/default.plan.json');
    assert.equal(t.outputs.created, '1');
    assert.equal(t.outputs.failed, '1');
    assert.ok(t.log.errors.some((e) => e.includes('no-secret') && e.includes('pat')));
  });

  it('stops before connecting when a file has errors', async () => {
    const t = setup({ 'a.yml': 'name: ok-repo\ntype: gti\ntarget: https://x/r\n' });
    let connected = false;
    t.services.connect = async () => {
      connected = true;
      return { api: t.api, ref: t.api.workspace };
    };
    const out = await runCreate(t.settings, t.services);
    assert.equal(out.result, 'Failed');
    assert.match(out.message, /1 error\(s\) in the connection files; nothing was written/);
    assert.equal(connected, false);
  });

  it('signs in while the files are read: the sign-in proceeds between files, and connect is handed it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`r-${i}.yml`] = `name: r-${i}\ntype: git\ntarget: https://x/r-${i}\n`;
    const t = setup(files);
    const turns = (n: number): Promise<void> => (n === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(resolve)).then(() => turns(n - 1)));
    let filesReadWhenSignedIn: boolean | undefined;
    const signedIn = turns(3).then(() => {
      filesReadWhenSignedIn = t.log.lines.some((l) => /connection\(s\) declared/.test(l));
      return {} as never;
    });
    let handed: unknown;
    t.services.signIn = () => signedIn;
    t.services.connect = async (_settings, s) => {
      handed = s;
      return { api: t.api, ref: t.api.workspace };
    };
    const out = await runCreate(t.settings, t.services);
    assert.equal(out.result, 'Succeeded', out.message);
    assert.equal(filesReadWhenSignedIn, false, 'signed in before the last file was read');
    assert.equal(handed, signedIn);
  });

  it('a sign-in that fails while a file is refused says nothing of the sign-in: the files are the outcome', async () => {
    const t = setup({ 'a.yml': 'name: ok-repo\ntype: gti\ntarget: https://x/r\n' });
    t.services.signIn = async () => {
      throw new Error('the sign-in failed');
    };
    t.services.connect = async () => assert.fail('not connected');
    const out = await runCreate(t.settings, t.services);
    assert.equal(out.result, 'Failed');
    assert.match(out.message, /1 error\(s\) in the connection files; nothing was written/);
    assert.ok(!t.log.lines.some((l) => l.includes('sign-in failed')));
  });

  it('a write refused for want of a role ends the run with that one sentence, logged once, and the rest in the summary', async () => {
    const files: Record<string, string> = {};
    for (const n of ['r-1', 'r-2', 'r-3']) files[`${n}.yml`] = `name: ${n}\ntype: git\ntarget: https://x/${n}\n`;
    const t = setup(files, { maxParallel: 1 });
    t.api.failPut.set('r-1', new ArmError('Denied.', 403, 'AuthorizationFailed', 'req-1', 'PUT'));
    const out = await runCreate(t.settings, t.services);
    const sentence =
      "Writing stopped at connection 'r-1': the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/write on workspace 'ws-dev'; grant it a role that has this action on the workspace, then re-run.";
    assert.deepEqual(out, { result: 'Failed', message: sentence });
    assert.deepEqual(t.log.errors, [], 'the outcome carries the sentence; nothing else is logged as an error');
    assert.deepEqual(t.api.writes().map((c) => c.name), ['r-1']);
    assert.equal(t.outputs.failed, '3');
    assert.match(t.summaries.join('\n'), /r-3.*was not written because writing stopped/);
  });

  it('applies, registers secrets from variables, and a second run is unchanged', async () => {
    const t = setup({ 'a.yml': 'name: repo\ntype: git\ntarget: https://x/r\ncredentials:\n  type: pat\n  pat: $(PAT)\n' }, {}, { PAT: 'pat-value-123' });
    const first = await runCreate(t.settings, t.services);
    assert.equal(first.result, 'Succeeded', first.message);
    assert.equal(t.outputs.created, '1');
    assert.ok(t.secrets.has('pat-value-123'));
    assert.deepEqual(t.api.stored('repo')?.properties.credentials, { pat: 'pat-value-123' });
    const second = await runCreate(t.settings, t.services);
    assert.equal(second.result, 'Succeeded');
    assert.equal(t.outputs.unchanged, '1');
    assert.equal(t.api.writes().length, 1);
    assert.ok(!t.log.lines.join('\n').includes('pat-value-123'));
    assert.ok(!t.summaries.join('\n').includes('pat-value-123'));
  });
});
