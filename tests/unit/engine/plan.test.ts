import * as assert from 'node:assert/strict';
import { ArmError } from '../../../src/core/errors';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../../src/engine/marker';
import type { PlanItem } from '../../../src/engine/types';
import { FakeConnectionsApi } from './fake-api';
import { Gate } from '../../support/gate';
import { PAT, PAT2, feedNone, gitPat, leakForms, options, spec, makePlan } from './fixtures';

const marker = { [MANAGED_BY_KEY]: MANAGED_BY_VALUE };

function byName(items: PlanItem[], name: string): PlanItem {
  const item = items.find((i) => i.name === name);
  assert.ok(item, `no plan item ${name}`);
  return item;
}

describe('engine/makePlan', () => {
  it('reads the workspace with one List and plans create, update and unchanged, sorted by name', async () => {
    const api = new FakeConnectionsApi();
    api.seed('feed', { authType: 'None', category: 'PythonFeed', target: 'https://old.example.com/simple/', isSharedToAll: true, metadata: {} });
    api.seed('same', { authType: 'None', category: 'PythonFeed', target: 'https://pkgs.example.com/simple/', isSharedToAll: true, metadata: marker });

    const plan = await makePlan([feedNone('same'), feedNone('feed'), feedNone('Brand-new')], api, options());

    assert.deepEqual(api.calls.map((c) => c.method), ['list']);
    assert.deepEqual(plan.items.map((i) => [i.name, i.action]), [
      ['Brand-new', 'create'],
      ['feed', 'update'],
      ['same', 'unchanged'],
    ]);
    assert.deepEqual(byName(plan.items, 'feed').changes, [
      { path: 'target', before: '"https://old.example.com/simple/"', after: '"https://pkgs.example.com/simple/"', sensitive: false },
    ]);
    assert.equal(plan.apiVersion, '2025-06-01');
    assert.deepEqual(plan.workspace, api.workspace);
    assert.equal(plan.createdAt, '2025-01-02T03:04:05.000Z');
  });

  it('compares category and authType case-insensitively, as ARM answers in its own spelling', async () => {
    const api = new FakeConnectionsApi();
    api.seed('aoai', { authType: 'ApiKey', category: 'AzureOpenAI', target: 'https://x.openai.azure.com/', isSharedToAll: true, metadata: { ApiType: 'Azure' } });
    const declared = spec('aoai', { authType: 'apikey', category: 'AzureOpenAi', target: 'https://x.openai.azure.com/', isSharedToAll: true, metadata: { ApiType: 'Azure' } });

    const plan = await makePlan([declared], api, options());

    assert.equal(plan.items[0]?.action, 'unchanged');
  });

  it('compares target exactly, and metadata, isSharedToAll and expiryTime field by field', async () => {
    const api = new FakeConnectionsApi();
    api.seed('c1', {
      authType: 'None',
      category: 'PythonFeed',
      target: 'https://A.example.com',
      isSharedToAll: false,
      expiryTime: '2030-01-01T00:00:00.0000000Z',
      metadata: { keep: '1', gone: 'x', change: 'a', ...marker },
    });
    const declared = spec('c1', {
      authType: 'None',
      category: 'PythonFeed',
      target: 'https://a.example.com',
      isSharedToAll: true,
      expiryTime: '2030-01-01T00:00:00Z',
      metadata: { keep: '1', change: 'b', added: 'y' },
    });

    const plan = await makePlan([declared], api, options());

    assert.deepEqual(plan.items[0]?.changes, [
      { path: 'isSharedToAll', before: 'false', after: 'true', sensitive: false },
      { path: 'target', before: '"https://A.example.com"', after: '"https://a.example.com"', sensitive: false },
      { path: 'metadata.added', after: '"y"', sensitive: false },
      { path: 'metadata.change', before: '"a"', after: '"b"', sensitive: false },
      { path: 'metadata.gone', before: '"x"', sensitive: false },
    ]);
  });

  it('leaves an unmarked connection that matches its file unchanged (no write just to add the marker)', async () => {
    const api = new FakeConnectionsApi();
    api.seed('legacy', { authType: 'None', category: 'PythonFeed', target: 'https://pkgs.example.com/simple/', isSharedToAll: true, metadata: {} });

    const plan = await makePlan([feedNone('legacy')], api, options());

    assert.equal(plan.items[0]?.action, 'unchanged');
  });

  it('compares non-secret credential fields (GET, or listsecrets when GET omits them)', async () => {
    const declared = spec(
      'sp',
      { authType: 'ServicePrincipal', category: 'ADLSGen2', target: 'https://x.dfs.core.windows.net', isSharedToAll: true, metadata: {}, credentials: { clientId: 'new-id', tenantId: 't1' } },
      { secretFields: ['clientSecret'], missingSecrets: ['clientSecret'] },
    );
    const seeded = { authType: 'ServicePrincipal', category: 'ADLSGen2', target: 'https://x.dfs.core.windows.net', isSharedToAll: true, metadata: {}, credentials: { clientId: 'old-id', tenantId: 't1', clientSecret: 'stored-secret-value' } };

    for (const getReturnsNonSecretCredentials of [true, false]) {
      const api = new FakeConnectionsApi();
      api.getReturnsNonSecretCredentials = getReturnsNonSecretCredentials;
      api.seed('sp', seeded);
      const opts = options();

      const plan = await makePlan([declared], api, opts);

      assert.equal(plan.items[0]?.action, 'update');
      assert.deepEqual(plan.items[0]?.changes, [{ path: 'credentials.clientId', before: '"old-id"', after: '"new-id"', sensitive: false }]);
      assert.equal(api.calls.some((c) => c.method === 'listSecrets'), !getReturnsNonSecretCredentials);
      assert.deepEqual(plan.items[0]?.notes, ['keeps the stored clientSecret (read with listsecrets when writing)']);
      if (!getReturnsNonSecretCredentials) assert.ok(opts.secrets.has('stored-secret-value'), 'a secret read is registered');
    }
  });

  describe('secrets', () => {
    it('compares a given secret with the stored one through listsecrets and reports no values', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git-same', { ...gitPat('git-same', PAT).properties, metadata: marker });
      api.seed('git-rotated', { ...gitPat('git-rotated', PAT).properties, metadata: marker });
      const opts = options();

      const plan = await makePlan([gitPat('git-same', PAT), gitPat('git-rotated', PAT2)], api, opts);

      assert.deepEqual(
        api.calls.filter((c) => c.method === 'listSecrets').map((c) => c.name).sort(),
        ['git-rotated', 'git-same'],
      );
      assert.equal(byName(plan.items, 'git-same').action, 'unchanged');
      const rotated = byName(plan.items, 'git-rotated');
      assert.equal(rotated.action, 'update');
      assert.deepEqual(rotated.changes, [{ path: 'credentials.pat', sensitive: true }]);
      assert.ok(opts.secrets.has(PAT) && opts.secrets.has(PAT2), 'stored and declared secrets are registered');
      const text = JSON.stringify(plan);
      for (const s of [PAT, PAT2]) for (const form of leakForms(s)) assert.ok(!text.includes(form), 'no secret in the plan');
    });

    it('registers the secrets it reads before anything else happens with them', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git', { ...gitPat('git', PAT).properties, metadata: marker });
      const seen: string[] = [];
      const secrets = { add: (v: string | undefined) => void (v && seen.push(v)) };
      const log = options().log;
      const origWarning = log.warning.bind(log);
      log.warning = (m: string) => {
        assert.ok(seen.includes(PAT));
        origWarning(m);
      };

      await makePlan([gitPat('git', PAT2)], api, { ...options(), secrets, log });

      assert.ok(seen.includes(PAT), 'the stored PAT was registered');
      assert.ok(seen.includes(PAT2), 'the declared PAT was registered');
    });

    it('warns once, asks no more after the first refusal, and treats secrets as changed when listsecrets is forbidden (403)', async () => {
      const api = new FakeConnectionsApi();
      api.listSecretsForbidden = true;
      for (const name of ['git', 'git-2', 'git-3']) api.seed(name, { ...gitPat(name, PAT).properties, metadata: marker });
      const opts = options({ maxParallel: 1 });

      const plan = await makePlan([gitPat('git', PAT), gitPat('git-2', PAT), gitPat('git-3', PAT)], api, opts);

      assert.deepEqual(opts.log.warnings, [
        "The stored secrets of 3 connection(s) cannot be compared with their files because the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action, so they are written with their files' secrets; grant it a role that has this action on the workspace to compare them instead.",
      ]);
      assert.equal(api.calls.filter((c) => c.method === 'listSecrets').length, 1, 'one refusal is enough');
      for (const item of plan.items) {
        assert.equal(item.action, 'update');
        assert.deepEqual(item.changes, [{ path: 'credentials.pat', sensitive: true }]);
        assert.equal(item.error, undefined);
      }
    });

    it('makes a failure of a connection whose stored secrets cannot be read for another reason', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git', { ...gitPat('git', PAT).properties, metadata: marker });
      api.listSecrets = async () => {
        throw new ArmError('Internal error.', 500, 'InternalServerError', 'req-1');
      };

      const plan = await makePlan([gitPat('git', PAT), feedNone('other')], api, options());

      assert.match(plan.items.find((i) => i.name === 'git')?.error ?? '', /^Connection 'git': could not read its stored secrets.*Internal error\. \(HTTP 500, InternalServerError, request id req-1\)$/);
      assert.equal(plan.items.find((i) => i.name === 'other')?.action, 'create');
    });

    it('does not read secrets for connections that do not exist or declare none', async () => {
      const api = new FakeConnectionsApi();
      api.seed('feed', { authType: 'None', category: 'PythonFeed', target: 'https://pkgs.example.com/simple/', isSharedToAll: true, metadata: {} });
      api.seed('nopat', { ...gitPat('nopat', PAT).properties });

      await makePlan([feedNone('feed'), gitPat('new-git', PAT), gitPat('nopat', undefined)], api, options());

      assert.deepEqual(api.calls.map((c) => c.method), ['list']);
    });

    it('reads stored secrets with at most maxParallel calls in flight', async () => {
      const api = new FakeConnectionsApi();
      api.gate = new Gate();
      const specs = Array.from({ length: 12 }, (_, i) => gitPat(`git-${String(i).padStart(2, '0')}`, PAT));
      for (const s of specs) api.seed(s.name, s.properties);

      const planning = makePlan(specs, api, options({ maxParallel: 3 }));
      const inFlight: number[] = [];
      while ((await api.gate.settle()) > 0) {
        inFlight.push(api.gate.held.length);
        api.gate.release();
      }
      const plan = await planning;

      assert.deepEqual(inFlight, [...Array<number>(10).fill(3), 2, 1]);
      assert.equal(api.maxInFlight, 3);
      assert.equal(api.calls.filter((c) => c.method === 'listSecrets').length, 12);
      assert.ok(plan.items.every((i) => i.action === 'unchanged'));
    });

    it('fails a create whose file gives no secret, at plan time', async () => {
      const api = new FakeConnectionsApi();

      const plan = await makePlan([gitPat('git-main', undefined)], api, options());

      assert.equal(plan.items[0]?.action, 'create');
      assert.equal(
        plan.items[0]?.error,
        "Connection 'git-main': the file gives no pat; a new connection needs it (give it in the file, a pipeline variable or an override).",
      );
    });

    it('plans to keep the stored secret on an update whose file gives none', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git', gitPat('git', PAT, 'https://old.example.com/repo').properties);

      const plan = await makePlan([gitPat('git', undefined)], api, options());

      assert.equal(plan.items[0]?.action, 'update');
      assert.equal(plan.items[0]?.error, undefined);
      assert.deepEqual(plan.items[0]?.notes, ['keeps the stored pat (read with listsecrets when writing)']);
    });

    it('fails an update that changes the auth type without giving the new secret', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git', { authType: 'None', category: 'Git', target: 'https://github.com/contoso/repo', isSharedToAll: true, metadata: {} });

      const plan = await makePlan([gitPat('git', undefined)], api, options());

      assert.equal(plan.items[0]?.action, 'update');
      assert.deepEqual(plan.items[0]?.changes.map((c) => c.path), ['authType']);
      assert.match(plan.items[0]?.error ?? '', /the file gives no pat; changing the auth type from None to PAT needs it/);
    });

    it('counts a changed auth type with a given secret as an update without reading secrets', async () => {
      const api = new FakeConnectionsApi();
      api.seed('git', { authType: 'None', category: 'Git', target: 'https://github.com/contoso/repo', isSharedToAll: true, metadata: {} });

      const plan = await makePlan([gitPat('git', PAT)], api, options());

      assert.equal(plan.items[0]?.action, 'update');
      assert.deepEqual(plan.items[0]?.changes, [
        { path: 'authType', before: '"None"', after: '"PAT"', sensitive: false },
        { path: 'credentials.pat', sensitive: true },
      ]);
      assert.ok(!api.calls.some((c) => c.method === 'listSecrets'));
    });

    it('compares CustomKeys as a whole map of secrets', async () => {
      const declared = (keys: Record<string, string>) =>
        spec('custom', { authType: 'CustomKeys', category: 'CustomKeys', target: 'x', isSharedToAll: true, metadata: {}, credentials: { keys } }, { secretFields: ['keys'] });
      const api = new FakeConnectionsApi();
      api.seed('custom', declared({ a: 'secret-a-value', b: 'secret-b-value' }).properties);
      const opts = options();

      const same = await makePlan([declared({ b: 'secret-b-value', a: 'secret-a-value' })], api, opts);
      const changed = await makePlan([declared({ a: 'secret-a-value' })], api, opts);

      assert.equal(same.items[0]?.action, 'unchanged');
      assert.deepEqual(changed.items[0]?.changes, [{ path: 'credentials.keys', sensitive: true }]);
      assert.ok(opts.secrets.has('secret-b-value'));
    });
  });

  describe('onExisting', () => {
    const seedDiffering = (api: FakeConnectionsApi) =>
      api.seed('feed', { authType: 'None', category: 'PythonFeed', target: 'https://old.example.com/simple/', isSharedToAll: true, metadata: {} });

    it("'skip' leaves a differing connection with a note", async () => {
      const api = new FakeConnectionsApi();
      seedDiffering(api);
      const plan = await makePlan([feedNone('feed')], api, options({ onExisting: 'skip' }));
      assert.equal(plan.items[0]?.action, 'skip');
      assert.deepEqual(plan.items[0]?.notes, ['exists and differs; left as it is (onExisting: skip)']);
      assert.equal(plan.items[0]?.error, undefined);
    });

    it("'fail' makes a differing connection a conflict (a per-connection failure)", async () => {
      const api = new FakeConnectionsApi();
      seedDiffering(api);
      const plan = await makePlan([feedNone('feed')], api, options({ onExisting: 'fail' }));
      assert.equal(plan.items[0]?.action, 'conflict');
      assert.match(plan.items[0]?.error ?? '', /^Connection 'feed' exists and differs from its file, and onExisting is 'fail'/);
    });

    it('an identical connection is unchanged whatever onExisting says', async () => {
      for (const onExisting of ['skip', 'fail'] as const) {
        const api = new FakeConnectionsApi();
        api.seed('feed', feedNone('feed').properties);
        const plan = await makePlan([feedNone('feed')], api, options({ onExisting }));
        assert.equal(plan.items[0]?.action, 'unchanged');
      }
    });
  });

  describe('prune', () => {
    it('deletes only connections that carry our marker and that no file declares (names case-insensitive)', async () => {
      const api = new FakeConnectionsApi();
      api.seed('old-conn', { authType: 'None', category: 'Git', target: 'https://x', metadata: marker });
      api.seed('Kept', { authType: 'None', category: 'PythonFeed', target: 'https://pkgs.example.com/simple/', isSharedToAll: true, metadata: marker });
      api.seed('someone-elses', { authType: 'None', category: 'Git', target: 'https://y', metadata: {} });
      api.seed('other-marker', { authType: 'None', category: 'Git', target: 'https://z', metadata: { [MANAGED_BY_KEY]: 'Terraform' } });

      const plan = await makePlan([feedNone('kept')], api, options({ prune: true }));

      assert.deepEqual(plan.items.map((i) => [i.name, i.action]), [
        ['kept', 'unchanged'],
        ['old-conn', 'delete'],
      ]);
    });

    it('without prune, lists nothing that no file declares', async () => {
      const api = new FakeConnectionsApi();
      api.seed('old-conn', { authType: 'None', category: 'Git', target: 'https://x', metadata: marker });
      const plan = await makePlan([], api, options());
      assert.deepEqual(plan.items, []);
    });
  });

  it('refuses a name declared twice (case-insensitively)', async () => {
    await assert.rejects(makePlan([feedNone('feed'), feedNone('FEED')], new FakeConnectionsApi(), options()), /declared twice/);
  });

  it('registers a credential written into a stored target or metadata value at once, and shows it as *** (a change of it alone is sensitive)', async () => {
    const api = new FakeConnectionsApi();
    const stored = 'https://svc:st%2Fored-pw-9f3k2@git.example.com/r.git';
    api.seed('feed', { ...feedNone('feed').properties, target: stored, metadata: { docs: 'https://d.example/?sig=meta-sig-77a1' } });
    api.seed('other', { ...feedNone('other').properties, target: 'https://x.example/?token=not-declared-5521' });
    const rotated = { ...feedNone('rot').properties, target: 'https://svc:old-pw-1234@git.example.com/r.git' };
    api.seed('rot', rotated);
    const o = options();
    const plan = await makePlan([feedNone('feed'), { ...feedNone('rot'), properties: { ...rotated, target: 'https://svc:new-pw-5678@git.example.com/r.git' } }], api, o);
    for (const v of ['st%2Fored-pw-9f3k2', 'st/ored-pw-9f3k2', 'meta-sig-77a1', 'not-declared-5521', 'old-pw-1234']) assert.ok(o.secrets.has(v), v);
    assert.deepEqual(byName(plan.items, 'feed').changes, [
      { path: 'target', before: '"https://svc:***@git.example.com/r.git"', after: '"https://pkgs.example.com/simple/"', sensitive: false },
      { path: 'metadata.docs', before: '"https://d.example/?sig=***"', sensitive: false },
    ]);
    assert.deepEqual(byName(plan.items, 'rot').changes, [{ path: 'target', sensitive: true }]);
  });

  describe('fingerprints', () => {
    it('the workspace fingerprint ignores systemData and changes with a declared connection', async () => {
      const api = new FakeConnectionsApi();
      api.seed('feed', feedNone('feed').properties);
      const first = await makePlan([feedNone('feed')], api, options());
      api.seed('feed', feedNone('feed').properties); // same properties, new systemData
      const again = await makePlan([feedNone('feed')], api, options());
      api.seed('feed', feedNone('feed', 'https://elsewhere/simple/').properties);
      const changed = await makePlan([feedNone('feed')], api, options());

      assert.equal(first.workspaceFingerprint, again.workspaceFingerprint);
      assert.notEqual(first.workspaceFingerprint, changed.workspaceFingerprint);
      assert.match(first.workspaceFingerprint, /^[0-9a-f]{64}$/);
    });

    it('the desired fingerprint sees a secret given or not, never its value', async () => {
      const api = new FakeConnectionsApi();
      const a = await makePlan([gitPat('git', PAT)], api, options());
      const b = await makePlan([gitPat('git', PAT2)], api, options());
      const c = await makePlan([gitPat('git', undefined)], api, options());
      assert.equal(a.desiredFingerprint, b.desiredFingerprint);
      assert.notEqual(a.desiredFingerprint, c.desiredFingerprint);
    });
  });

  describe('on an AI Foundry project or hub', () => {
    it("never updates or prunes the hub's shared connections; a declared one of their names is an error on its item", async () => {
      const api = new FakeConnectionsApi();
      api.seedShared('hub-feed', { ...feedNone('hub-feed').properties, metadata: { ...marker } }, 'hub-1');
      api.seedShared('hub-other', { ...feedNone('hub-other').properties, metadata: { ...marker } }, 'hub-1');
      api.seed('old-own', { ...feedNone('old-own').properties, metadata: { ...marker } });
      const plan = await makePlan([feedNone('own'), feedNone('HUB-FEED')], api, { ...options(), prune: true });
      assert.deepEqual(plan.items.map((i) => [i.name, i.action, i.error !== undefined]), [
        ['HUB-FEED', 'create', true],
        ['old-own', 'delete', false],
        ['own', 'create', false],
      ]);
      assert.equal(
        byName(plan.items, 'HUB-FEED').error,
        "'HUB-FEED' is a connection of the hub 'hub-1', shared with the project 'ws-dev': it is not the project's to write. Declare it in the hub's files and run Create on the hub, or give the project's own connection another name.",
      );
      assert.equal(byName(plan.items, 'HUB-FEED').write, undefined);
      assert.deepEqual(Object.keys(plan.connectionFingerprints ?? {}).sort(), ['old-own']);
    });

    it('on a hub, is_shared: false is compared and written as the shared connection ARM stores, with a note', async () => {
      const api = new FakeConnectionsApi();
      api.seed('feed', { ...feedNone('feed').properties, isSharedToAll: true });
      const declared = feedNone('feed');
      declared.properties.isSharedToAll = false;
      const onHub = await makePlan([declared, { ...feedNone('new'), properties: { ...feedNone('new').properties, isSharedToAll: false } }], api, { ...options(), workspaceKind: 'Hub' });
      assert.deepEqual(onHub.items.map((i) => [i.name, i.action, i.changes.map((c) => c.path)]), [['feed', 'unchanged', []], ['new', 'create', []]]);
      assert.ok(byName(onHub.items, 'feed').notes.includes('is_shared: false has no effect on a hub: a hub shares every connection with its projects, so it is written shared'));
      const write = byName(onHub.items, 'new').write;
      assert.equal(write?.method === 'PUT' ? write.properties.isSharedToAll : undefined, true);
      const elsewhere = await makePlan([declared], api, options());
      assert.equal(byName(elsewhere.items, 'feed').action, 'update');
    });
  });
});
