/** runMigrate with an in-memory workspace and a fake service-endpoint directory (no task-lib, no network). */
import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { setMessageTranslator } from '../../../src/messages';
import type { ServiceEndpoint } from '../../../src/migrate';
import { runMigrate, type MigrateServices, type MigrateSettings, type SelectedConnection } from '../../../src/tasks/migrate';
import { FakeConnectionsApi } from '../engine/fake-api';
import { fakeTaskServices, workspaceSettings } from './fakes';

const A = 'aaaaaaaa-1111-4111-8111-111111111111';
const B = 'bbbbbbbb-2222-4222-8222-222222222222';
const C = 'cccccccc-3333-4333-8333-333333333333';

type Handed = Omit<ServiceEndpoint, 'type' | 'name'>;

function setup(handed: Record<string, Handed>, names: Record<string, string> | Error, selected: SelectedConnection[], overrides: Partial<MigrateSettings> = {}) {
  const api = new FakeConnectionsApi();
  const fake = fakeTaskServices();
  let connected = 0;
  const listCalls: Array<string[] | undefined> = [];
  const services: MigrateServices = {
    ...fake.services,
    connect: async () => {
      connected++;
      return { api, ref: api.workspace };
    },
    endpoint: (id) => handed[id],
    directory: {
      list: async (ids) => {
        listCalls.push(ids);
        if (names instanceof Error) throw names;
        return Object.entries(names).map(([id, name]) => ({ id, name, type: 'git', scheme: 'UsernamePassword', url: '', auth: {}, data: {} }));
      },
    },
  };
  const settings: MigrateSettings = {
    ...workspaceSettings('AzureMLConnectionMigrate@1'),
    selected,
    nameTemplate: '{name}',
    githubRepository: '',
    mode: 'apply',
    defaultPlanFile: '/tmp/default.plan.json',
    onExisting: 'update',
    maxParallel: 4,
    inventory: false,
    allowInsecureTargets: false,
    ...overrides,
  };
  return { api, ...fake, services, settings, connected: () => connected, listCalls };
}

const git = (id: string, password: string, username = 'bot'): Handed => ({ id, url: `https://git.example/${id.slice(0, 4)}.git`, scheme: 'UsernamePassword', auth: { username, password }, data: {} });
const sel = (id: string, type: SelectedConnection['type'] = 'git'): SelectedConnection => ({ id, input: 'gitConnections', type });

describe('tasks/migrate', () => {
  it('migrates, registers the secrets first, reads names once by id, and a second run writes nothing', async () => {
    const t = setup({ [A]: git(A, 'pw-a-123'), [B]: git(B, 'pw-b-456', '') }, { [A]: 'Repo A', [B]: 'repo-b' }, [sel(A), sel(B)]);
    const first = await runMigrate(t.settings, t.services);
    assert.equal(first.result, 'Succeeded', first.message + t.log.lines.join('\n'));
    assert.ok(t.secrets.has('pw-a-123') && t.secrets.has('pw-b-456'));
    assert.ok(!t.secrets.has('bot'), 'usernames are not secrets');
    assert.deepEqual(t.listCalls, [[A, B]]);
    assert.deepEqual(t.api.writes().map((c) => `${c.method} ${c.name} ${c.body?.authType}`), ['put Repo-A UsernamePassword', 'put repo-b PAT']);
    assert.equal(t.outputs.created, '2');
    assert.equal(t.outputs.notMigrated, '0');
    const before = t.api.writes().length;
    const again = await runMigrate(t.settings, t.services);
    assert.equal(again.result, 'Succeeded');
    assert.equal(t.api.writes().length, before);
    assert.equal(t.outputs.unchanged, '2');
  });

  it('a selected connection the agent did not hand over fails the task before connecting', async () => {
    const t = setup({ [A]: git(A, 'pw') }, { [A]: 'a-repo' }, [sel(A), sel(C)]);
    const out = await runMigrate(t.settings, t.services);
    assert.equal(out.result, 'Failed');
    assert.match(out.message, new RegExp(`The service connection ${C} selected in 'gitConnections' was not handed to this task`));
    assert.equal(t.connected(), 0);
  });

  it('collisions are reported with every service connection before connecting; unknown template fields are a user error', async () => {
    const t = setup({ [A]: git(A, 'p1'), [B]: git(B, 'p2') }, { [A]: 'Same Name', [B]: 'same-name' }, [sel(A), sel(B)]);
    const out = await runMigrate(t.settings, t.services);
    assert.equal(out.result, 'Failed');
    assert.ok(t.log.errors.some((e) => e.includes(`'Same Name' (${A}), 'same-name' (${B}) would all become the ML connection 'Same-Name'`)), t.log.errors.join('\n'));
    assert.equal(t.connected(), 0);
    await assert.rejects(runMigrate({ ...t.settings, nameTemplate: '{title}' }, t.services), UserError);
  });

  it('names that cannot be read fall back to <type>-<id> with one warning', async () => {
    const t = setup({ [A]: git(A, 'p1') }, new UserError('HTTP 403'), [sel(A)]);
    const out = await runMigrate(t.settings, t.services);
    assert.equal(out.result, 'Succeeded', out.message);
    assert.deepEqual(t.api.writes().map((c) => c.name), ['git-aaaaaaaa']);
    assert.equal(t.log.warnings.length, 1);
    assert.match(t.log.warnings[0]!, /could not be read \(HTTP 403\); \{name\} stands for <type>-<first 8 characters of the id>/);
  });

  it('refused connections make the run SucceededWithIssues; with nothing to migrate the workspace is not touched', async () => {
    const app: Handed = { id: A, url: 'https://github.com', scheme: 'InstallationToken', auth: {}, data: {} };
    const t = setup({ [A]: app }, { [A]: 'gh-app' }, [sel(A, 'github')], { yamlOutputPath: '/out/m.yml' });
    const out = await runMigrate(t.settings, t.services);
    assert.equal(out.result, 'SucceededWithIssues');
    assert.match(out.message, /1 service connection\(s\) not migrated: 'gh-app'/);
    assert.equal(t.connected(), 0);
    assert.equal(t.outputs.notMigrated, '1');
    assert.equal(t.outputs.created, '0');
    assert.match(t.written['/out/m.yml']!, /# Not migrated: service connection 'gh-app'/);
    assert.match(t.summaries[0]!, /gh-app \| GitHub \(GitHub App\) \| InstallationToken \| not migrated/);
  });

  it('in another language: the outcome is built from the translated summary, not by editing English text', async () => {
    setMessageTranslator((key, args) => `«${key}» ${args.join(' | ')}`);
    try {
      const app: Handed = { id: B, url: 'https://github.com', scheme: 'InstallationToken', auth: {}, data: {} };
      const t = setup({ [A]: git(A, 'pw-a-1'), [B]: app }, { [A]: 'repo-a', [B]: 'gh-app' }, [sel(A), sel(B, 'github')]);
      const out = await runMigrate(t.settings, t.services);
      assert.equal(out.result, 'SucceededWithIssues');
      assert.equal(out.message, `«Task_MigrateOutcomeNotMigrated» «Task_CountsApplied» 1 | 0 | 0 | 0 | 1 | «Task_MigrateLabel» gh-app | ${B}`);
      assert.deepEqual(t.log.warnings, [`«Task_MigrateNotMigrated» «Task_MigrateLabel» gh-app | ${B} | «Task_MapGithubApp» `]);
    } finally {
      setMessageTranslator(undefined);
    }
  });

  it('plan mode writes the plan file and nothing to the workspace', async () => {
    const t = setup({ [A]: git(A, 'plan-secret-789') }, { [A]: 'repo-a' }, [sel(A)], { mode: 'plan' });
    const out = await runMigrate(t.settings, t.services);
    assert.equal(out.result, 'Succeeded');
    assert.deepEqual(t.api.writes(), []);
    assert.ok(t.written['/tmp/default.plan.json']);
    assert.ok(!t.written['/tmp/default.plan.json']!.includes('plan-secret-789'), 'no secret in the plan');
    assert.equal(t.outputs.created, '1');
  });
});
