import * as assert from 'node:assert/strict';
import { ArmError } from '../../../src/core/errors';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../../src/engine/marker';
import type { ConnectionSpec } from '../../../src/model/types';
import { FakeConnectionsApi } from './fake-api';
import { Gate } from '../../support/gate';
import { PAT, feedNone, gitPat, options, spec, makePlan, applyPlanned } from './fixtures';

const marker = { [MANAGED_BY_KEY]: MANAGED_BY_VALUE };

async function planAndApply(api: FakeConnectionsApi, desired: ConnectionSpec[], over: Parameters<typeof options>[0] = {}) {
  const opts = options(over);
  const plan = await makePlan(desired, api, opts);
  const before = api.calls.length;
  const results = await applyPlanned(plan, desired, api, { maxParallel: opts.maxParallel, secrets: opts.secrets, log: opts.log });
  return { plan, results, opts, applyCalls: api.calls.slice(before) };
}

describe('engine/applyPlan', () => {
  it('creates with one PUT of the declared properties plus the marker, and reports each item', async () => {
    const api = new FakeConnectionsApi();
    const { results, applyCalls, opts } = await planAndApply(api, [gitPat('git-main', PAT)]);

    assert.deepEqual(results, [{ name: 'git-main', action: 'create', ok: true }]);
    assert.deepEqual(applyCalls, [
      {
        method: 'put',
        name: 'git-main',
        body: {
          authType: 'PAT',
          category: 'Git',
          target: 'https://github.com/contoso/repo',
          isSharedToAll: true,
          metadata: marker,
          credentials: { pat: PAT },
        },
      },
    ]);
    assert.deepEqual(opts.log.lines, ['[+] created git-main']);
  });

  it('updates, deletes, and sends nothing for unchanged and skipped connections', async () => {
    const api = new FakeConnectionsApi();
    api.seed('feed', feedNone('feed', 'https://old/simple/').properties);
    api.seed('same', feedNone('same').properties);
    api.seed('old-conn', { authType: 'None', category: 'Git', target: 'https://x', metadata: marker });
    api.seed('skipped', feedNone('skipped', 'https://old/simple/').properties);

    const first = await planAndApply(api, [feedNone('feed'), feedNone('same')], { prune: true });
    assert.deepEqual(first.applyCalls.map((c) => [c.method, c.name]), [
      ['put', 'feed'],
      ['delete', 'old-conn'],
    ]);
    assert.ok(first.results.every((r) => r.ok));
    assert.equal(api.stored('old-conn'), undefined);

    const second = await planAndApply(api, [feedNone('skipped')], { onExisting: 'skip' });
    assert.deepEqual(second.results, [{ name: 'skipped', action: 'skip', ok: true }]);
    assert.deepEqual(second.applyCalls, []);
  });

  it('writes nothing for a conflict and reports it as failed', async () => {
    const api = new FakeConnectionsApi();
    api.seed('feed', feedNone('feed', 'https://old/simple/').properties);

    const { results, applyCalls } = await planAndApply(api, [feedNone('feed'), feedNone('new-one')], { onExisting: 'fail' });

    assert.deepEqual(applyCalls.map((c) => [c.method, c.name]), [['put', 'new-one']]);
    assert.equal(results[0]?.ok, false);
    assert.match(results[0]?.error ?? '', /^Connection 'feed' exists and differs/);
    assert.equal(results[1]?.ok, true);
  });

  it('carries the stored secret over into the PUT when the file gives none', async () => {
    const api = new FakeConnectionsApi();
    api.seed('git', gitPat('git', PAT, 'https://old.example.com/repo').properties);

    const { results, applyCalls, opts } = await planAndApply(api, [gitPat('git', undefined)]);

    assert.deepEqual(results, [{ name: 'git', action: 'update', ok: true }]);
    assert.deepEqual(applyCalls.map((c) => c.method), ['listSecrets', 'put']);
    assert.deepEqual(applyCalls[1]?.body?.credentials, { pat: PAT });
    assert.equal(applyCalls[1]?.body?.target, 'https://github.com/contoso/repo');
    assert.ok(opts.secrets.has(PAT), 'the carried-over secret was registered');
    assert.equal(api.stored('git')?.properties.credentials?.['pat'], PAT);
  });

  it('keeps an optional stored secret the file does not mention (securityToken), and goes on without it when unreadable', async () => {
    const salesforce = (target: string, password: string) =>
      spec('crm', { authType: 'UsernamePassword', category: 'Salesforce', target, isSharedToAll: true, metadata: {}, credentials: { username: 'u', password } }, { secretFields: ['password', 'securityToken'] });
    const api = new FakeConnectionsApi();
    api.seed('crm', { ...salesforce('https://old.example', 'pw-1').properties, credentials: { username: 'u', password: 'pw-1', securityToken: 'tok-stored-123' } });

    const { results, applyCalls, opts } = await planAndApply(api, [salesforce('https://new.example', 'pw-1')]);
    assert.deepEqual(results, [{ name: 'crm', action: 'update', ok: true }]);
    assert.deepEqual(applyCalls.map((c) => c.method), ['put'], 'the plan already read the stored secrets in this run');
    assert.deepEqual(applyCalls[0]?.body?.credentials, { username: 'u', password: 'pw-1', securityToken: 'tok-stored-123' });
    assert.ok(opts.secrets.has('tok-stored-123'), 'the carried-over secret was registered');

    const denied = new FakeConnectionsApi();
    denied.seed('crm', { ...salesforce('https://old.example', 'pw-1').properties, credentials: { username: 'u', password: 'pw-1', securityToken: 't' } });
    denied.listSecretsForbidden = true;
    const second = await planAndApply(denied, [salesforce('https://new.example', 'pw-2')]);
    assert.deepEqual(second.results, [{ name: 'crm', action: 'update', ok: true }], 'the required secret is given, so the update goes on');
    assert.deepEqual(second.applyCalls.map((c) => c.method), ['put'], 'listsecrets is not asked again once the plan met a refusal');
  });

  it('fails that connection (and only that one) when the stored secret cannot be read to keep it', async () => {
    const api = new FakeConnectionsApi();
    api.seed('git', gitPat('git', PAT, 'https://old.example.com/repo').properties);
    const opts = options();
    const desired = [gitPat('git', undefined), feedNone('feed')];
    const plan = await makePlan(desired, api, opts);
    api.listSecretsForbidden = true;

    const results = await applyPlanned(plan, desired, api, { maxParallel: 2, secrets: opts.secrets, log: opts.log });

    assert.equal(results.find((r) => r.name === 'git')?.ok, false);
    assert.equal(
      results.find((r) => r.name === 'git')?.error,
      "Connection 'git': the stored pat cannot be kept because the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action; grant it a role that has this action on the workspace, or give the value in the file or an override.",
    );
    assert.equal(results.find((r) => r.name === 'feed')?.ok, true);
    assert.ok(!api.calls.some((c) => c.method === 'put' && c.name === 'git'), 'no PUT that would wipe the secret');
  });

  it('does not write a create that failed at plan time (no secret)', async () => {
    const api = new FakeConnectionsApi();
    const { results, applyCalls } = await planAndApply(api, [gitPat('git', undefined)]);
    assert.deepEqual(applyCalls, []);
    assert.equal(results[0]?.ok, false);
    assert.match(results[0]?.error ?? '', /the file gives no pat; a new connection needs it/);
  });

  it('one failing PUT does not stop the others; the failure is one sentence with the ARM message', async () => {
    const api = new FakeConnectionsApi();
    api.failPut.set('feed-03', new ArmError('Target is not a valid URL.', 400, 'BadRequest', 'req-9', 'PUT'));
    const desired = Array.from({ length: 6 }, (_, i) => feedNone(`feed-${String(i).padStart(2, '0')}`));

    const { results } = await planAndApply(api, desired, { maxParallel: 2 });

    assert.deepEqual(results.filter((r) => !r.ok), [
      {
        name: 'feed-03',
        action: 'create',
        ok: false,
        error: "Could not create connection 'feed-03': Target is not a valid URL. (HTTP 400, BadRequest, request id req-9)",
      },
    ]);
    assert.equal(results.filter((r) => r.ok).length, 5);
    for (const r of results.filter((x) => x.ok)) assert.ok(api.stored(r.name), `${r.name} was written`);
  });

  it('stops writing at a write refused for want of a role (403 AuthorizationFailed): one sentence naming the action, nothing more written', async () => {
    const api = new FakeConnectionsApi();
    const refusal = new ArmError("The client 'x' does not have authorization to perform action '...connections/write'.", 403, 'AuthorizationFailed', 'req-1', 'PUT');
    api.failPut.set('feed-01', refusal);
    const desired = Array.from({ length: 5 }, (_, i) => feedNone(`feed-${String(i).padStart(2, '0')}`));

    const { results, applyCalls } = await planAndApply(api, desired, { maxParallel: 1 });

    assert.deepEqual(applyCalls.map((c) => [c.method, c.name]), [
      ['put', 'feed-00'],
      ['put', 'feed-01'],
    ], 'no write is started after the refusal');
    assert.deepEqual(results.slice(0, 2), [
      { name: 'feed-00', action: 'create', ok: true },
      {
        name: 'feed-01',
        action: 'create',
        ok: false,
        refused: true,
        error:
          "Writing stopped at connection 'feed-01': the service connection's identity has no role with Microsoft.MachineLearningServices/workspaces/connections/write on workspace 'ws-dev'; grant it a role that has this action on the workspace, then re-run.",
      },
    ]);
    assert.deepEqual(
      results.slice(2).map((r) => [r.name, r.ok, r.notAttempted, r.error]),
      ['feed-02', 'feed-03', 'feed-04'].map((n) => [n, false, true, `Connection '${n}' was not written because writing stopped when a write was refused.`]),
    );
  });

  it('names the delete action when a prune is refused, and goes on past a 403 that is not about a role (a policy)', async () => {
    const api = new FakeConnectionsApi();
    api.seed('old-conn', { authType: 'None', category: 'Git', target: 'https://x', metadata: marker });
    api.failDelete.set('old-conn', new ArmError('No.', 403, 'AuthorizationFailed', 'req-2', 'DELETE'));
    const pruned = await planAndApply(api, [], { prune: true });
    assert.match(pruned.results[0]?.error ?? '', /^Writing stopped at connection 'old-conn': .* no role with Microsoft\.MachineLearningServices\/workspaces\/connections\/delete on workspace 'ws-dev'/);

    const policed = new FakeConnectionsApi();
    policed.failPut.set('feed-00', new ArmError("Resource 'feed-00' was disallowed by policy.", 403, 'RequestDisallowedByPolicy', 'req-3', 'PUT'));
    const { results } = await planAndApply(policed, [feedNone('feed-00'), feedNone('feed-01')], { maxParallel: 1 });
    assert.deepEqual(results.map((r) => [r.name, r.ok, r.refused]), [
      ['feed-00', false, undefined],
      ['feed-01', true, undefined],
    ]);
    assert.equal(results[0]?.error, "Could not create connection 'feed-00': Resource 'feed-00' was disallowed by policy. (HTTP 403, RequestDisallowedByPolicy, request id req-3)");
  });

  it('keeps exactly maxParallel writes in flight with 20 connections', async () => {
    const api = new FakeConnectionsApi();
    api.gate = new Gate();
    const desired = Array.from({ length: 20 }, (_, i) => feedNone(`feed-${String(i).padStart(2, '0')}`));

    const applying = planAndApply(api, desired, { maxParallel: 4 });
    // each time one write ends, the next starts: 4 in flight until the last ones
    const inFlight: number[] = [];
    while ((await api.gate.settle()) > 0) {
      inFlight.push(api.gate.held.length);
      api.gate.release();
    }
    const { results } = await applying;

    assert.deepEqual(inFlight, [...Array<number>(17).fill(4), 3, 2, 1]);
    assert.equal(api.maxInFlight, 4);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.ok));
  });

  it('a re-plan after apply is all unchanged and a second apply writes nothing', async () => {
    const api = new FakeConnectionsApi();
    api.seed('aoai', {
      authType: 'ApiKey',
      category: 'AzureOpenAI',
      target: 'https://old.openai.azure.com/',
      isSharedToAll: true,
      metadata: { ApiType: 'Azure' },
    });
    api.seed('old-conn', { authType: 'None', category: 'Git', target: 'https://x', metadata: marker });
    const desired: ConnectionSpec[] = [
      gitPat('git-main', PAT),
      feedNone('feed'),
      {
        ...feedNone('aoai'),
        properties: {
          authType: 'ApiKey',
          category: 'AzureOpenAi',
          target: 'https://new.openai.azure.com/',
          isSharedToAll: true,
          metadata: { ApiType: 'Azure', ApiVersion: '2024-02-01' },
          credentials: { key: 'aoai-key-value-123' },
        },
        secretFields: ['key'],
      },
    ];

    const first = await planAndApply(api, desired, { prune: true });
    assert.ok(first.results.every((r) => r.ok));
    const second = await planAndApply(api, desired, { prune: true });

    assert.deepEqual(second.plan.items.map((i) => i.action), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(api.writes().length, first.applyCalls.filter((c) => c.method !== 'listSecrets').length);
    assert.deepEqual(second.applyCalls, []);
  });
});
