import * as assert from 'node:assert/strict';
import { isUserError } from '../../../src/core/errors';
import { checkSavedPlan, parsePlan, serializePlan } from '../../../src/engine/planfile';
import { FakeConnectionsApi } from './fake-api';
import { PAT, PAT2, feedNone, gitPat, leakForms, options, makePlan, applyPlanned } from './fixtures';

const FILE = 'plans/connections.plan.json';

function assertUserError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isUserError(e), `not a UserError: ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('engine/planfile', () => {
  async function setup() {
    const api = new FakeConnectionsApi();
    api.seed('git', gitPat('git', PAT, 'https://old').properties);
    api.seed('feed', feedNone('feed').properties);
    const desired = [gitPat('git', PAT2), feedNone('feed'), feedNone('new-feed')];
    const plan = await makePlan(desired, api, options());
    return { api, desired, plan };
  }

  it('round-trips a plan through JSON with a version, createdAt and no secrets', async () => {
    const { plan } = await setup();
    const text = serializePlan(plan);
    const doc = JSON.parse(text) as Record<string, unknown>;

    assert.equal(doc['version'], 1);
    assert.equal(doc['createdAt'], '2025-01-02T03:04:05.000Z');
    for (const s of [PAT, PAT2]) for (const form of leakForms(s)) assert.ok(!text.includes(form), `leaked ${form}`);
    assert.equal(serializePlan(plan), text, 'stable');

    const back = parsePlan(text, FILE);
    assert.deepEqual({ ...back, source: undefined }, { ...plan, source: undefined }, 'everything, write bodies included');
    const puts = plan.items.filter((i) => i.write?.method === 'PUT');
    assert.ok(puts.length > 0, 'the plan has writes');
    for (const i of puts) {
      for (const v of Object.values((i.write as { properties: { credentials?: Record<string, unknown> } }).properties.credentials ?? {})) {
        assert.ok(typeof v === 'object' && v !== null && '$secret' in v, `${i.name}: a secret is a reference in the body, never a value`);
      }
    }
    assert.equal(back.source, FILE);
    assert.equal(serializePlan(back), text);
  });

  it('refuses bad JSON, another kind of document and another version, naming the file', () => {
    assertUserError(() => parsePlan('{not json', FILE), /^The plan in plans\/connections\.plan\.json cannot be used: it is not valid JSON/);
    assertUserError(() => parsePlan('{"a":1}', FILE), /plans\/connections\.plan\.json cannot be used: it is not a plan written by this task/);
    assertUserError(() => parsePlan('{"kind":"azureml-connections-plan","version":2}', FILE), /has version 2 and this task reads version 1; make a new plan/);
    assertUserError(
      () =>
        parsePlan(
          JSON.stringify({ kind: 'azureml-connections-plan', version: 1, workspace: { subscriptionId: 's', resourceGroup: 'r', workspace: 'w' }, apiVersion: 'a', workspaceFingerprint: 'x', desiredFingerprint: 'y', items: [{ name: 'n', action: 'explode', changes: [], notes: [] }] }),
          FILE,
        ),
      /item 1 has an unknown action/,
    );
  });

  it('accepts a saved plan when nothing changed, then applies it', async () => {
    const { api, desired, plan } = await setup();
    const saved = parsePlan(serializePlan(plan), FILE);
    const fresh = await makePlan(desired, api, options());

    checkSavedPlan(saved, fresh);
    const results = await applyPlanned(fresh, desired, api, { maxParallel: 2, secrets: options().secrets, log: options().log });
    assert.ok(results.every((r) => r.ok));
  });

  it('refuses when a connection in the workspace changed since, naming it', async () => {
    const { api, desired, plan } = await setup();
    const saved = parsePlan(serializePlan(plan), FILE);
    api.seed('feed', feedNone('feed', 'https://changed.example.com/simple/').properties);
    const fresh = await makePlan(desired, api, options());

    assertUserError(
      () => checkSavedPlan(saved, fresh),
      /^The plan in plans\/connections\.plan\.json was made for a different state \(changed in the workspace since: feed\); make a new plan\.$/,
    );
  });

  it('refuses when a declared connection appeared in the workspace since', async () => {
    const { api, desired, plan } = await setup();
    const saved = parsePlan(serializePlan(plan), FILE);
    api.seed('new-feed', feedNone('new-feed').properties);
    const fresh = await makePlan(desired, api, options());
    assertUserError(() => checkSavedPlan(saved, fresh), /changed in the workspace since: new-feed/);
  });

  it('ignores changes to connections the plan does not touch', async () => {
    const { api, desired, plan } = await setup();
    api.seed('unrelated', feedNone('unrelated').properties);
    const fresh = await makePlan(desired, api, options());
    checkSavedPlan(parsePlan(serializePlan(plan), FILE), fresh);
  });

  it('refuses when the files changed since', async () => {
    const { api, plan } = await setup();
    const saved = parsePlan(serializePlan(plan), FILE);
    const fresh = await makePlan([gitPat('git', PAT2), feedNone('feed', 'https://other/simple/'), feedNone('new-feed')], api, options());
    assertUserError(() => checkSavedPlan(saved, fresh), /different state \(the connection files, variables or overrides changed since\); make a new plan/);
  });

  it('refuses when what would be done changed (a stored secret rotated since)', async () => {
    const api = new FakeConnectionsApi();
    api.seed('git', gitPat('git', PAT).properties);
    const desired = [gitPat('git', PAT)];
    const saved = parsePlan(serializePlan(await makePlan(desired, api, options())), FILE);
    api.seed('git', gitPat('git', PAT2).properties); // same non-secret fields
    const fresh = await makePlan(desired, api, options());
    assert.equal(saved.items[0]?.action, 'unchanged');
    assertUserError(() => checkSavedPlan(saved, fresh), /what would be done changed for: git/);
  });

  it('refuses a plan for another workspace or api-version', async () => {
    const { plan } = await setup();
    const saved = parsePlan(serializePlan(plan), FILE);
    assertUserError(() => checkSavedPlan(saved, { ...plan, workspace: { ...plan.workspace, workspace: 'ws-prod' } }), /it is for workspace ws-dev in rg-ml, not ws-prod in rg-ml/);
    assertUserError(() => checkSavedPlan(saved, { ...plan, apiVersion: '2026-09-01' }), /api-version 2025-06-01, this run uses 2026-09-01/);
    checkSavedPlan(saved, { ...plan, workspace: { ...plan.workspace, workspace: 'WS-DEV' } });
  });
});
