import * as assert from 'node:assert/strict';
import { countResults, formatPlan, formatSummaryMarkdown } from '../../../src/engine/format';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../../src/engine/marker';
import type { Plan } from '../../../src/engine/types';
import { format } from 'node:util';
import { MESSAGES, setMessageTranslator } from '../../../src/messages';
import { FakeConnectionsApi } from './fake-api';
import { PAT, PAT2, feedNone, gitPat, leakForms, options, makePlan, applyPlanned } from './fixtures';

const ws = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };

function plan(items: Plan['items']): Plan {
  return { workspace: ws, apiVersion: '2025-06-01', items, workspaceFingerprint: 'w', desiredFingerprint: 'd' };
}

describe('engine/format', () => {
  it('prints [+]/[~]/[-]/[=]/[!]/[ ] lines with indented changes and a total', () => {
    const lines = formatPlan(
      plan([
        { name: 'feed', action: 'update', category: 'PythonFeed', authType: 'None', notes: [], changes: [
          { path: 'target', before: '"https://a"', after: '"https://b"', sensitive: false },
          { path: 'credentials.pat', sensitive: true },
          { path: 'metadata.New', after: '"x"', sensitive: false },
          { path: 'metadata.Old', before: '"y"', sensitive: false },
          { path: 'isSharedToAll', before: 'false', after: 'true', sensitive: false },
        ] },
        { name: 'git-main', action: 'create', category: 'Git', authType: 'PAT', notes: [], changes: [] },
        { name: 'old-conn', action: 'delete', category: 'Git', authType: 'None', notes: ['written by this extension earlier and declared by no file any more'], changes: [] },
        { name: 'x', action: 'unchanged', category: 'Git', authType: 'None', notes: [], changes: [] },
        { name: 'y', action: 'conflict', notes: ['exists and differs (onExisting: fail)'], error: 'e', changes: [{ path: 'target', before: '"1"', after: '"2"', sensitive: false }] },
        { name: 'z', action: 'skip', notes: [], changes: [] },
        { name: 'w', action: 'create', category: 'Git', authType: 'PAT', notes: [], changes: [], error: "Connection 'w': the file gives no pat; a new connection needs it." },
      ]),
    );
    assert.deepEqual(lines, [
      '[~] update feed (PythonFeed)',
      '    ~ target: "https://a" -> "https://b"',
      '    ~ credentials.pat: (sensitive)',
      '    + metadata.New: "x"',
      '    - metadata.Old: "y"',
      '    ~ isSharedToAll: false -> true',
      '[+] create git-main (Git, PAT)',
      '[-] delete old-conn',
      '    note: written by this extension earlier and declared by no file any more',
      '[=] unchanged x',
      '[!] conflict y: exists and differs (onExisting: fail)',
      '    ~ target: "1" -> "2"',
      '[ ] skip z',
      "[!] create w (Git, PAT): Connection 'w': the file gives no pat; a new connection needs it.",
      'Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged, 1 skipped, 2 failing.',
    ]);
  });

  it('prints the total in the plain form when nothing is skipped or failing', () => {
    assert.deepEqual(formatPlan(plan([])), ['Plan: 0 to create, 0 to update, 0 to delete, 0 unchanged.']);
  });

  it('truncates long values and JSON-quotes them', () => {
    const long = 'https://example.com/' + 'a'.repeat(200);
    const [, line] = formatPlan(plan([{ name: 'c', action: 'update', notes: [], changes: [{ path: 'target', before: JSON.stringify(long), after: '"b\\nc"', sensitive: false }] }]));
    assert.match(line ?? '', /^ {4}~ target: "https:\/\/example\.com\/a+…" -> "b\\nc"$/);
    assert.ok((line ?? '').length < 120);
  });

  it('neutralises logging commands in names, values, notes and errors', () => {
    const evil = 'x##vso[task.setvariable variable=x]1';
    const lines = formatPlan(
      plan([
        { name: evil, action: 'update', category: '##[error]cat', notes: [evil], error: undefined, changes: [{ path: `metadata.${evil}`, before: JSON.stringify(evil), after: '"ok"', sensitive: false }] },
        { name: `a\n##vso[task.complete result=Failed]`, action: 'delete', notes: [], changes: [] },
      ]),
    );
    const text = lines.join('\n');
    assert.ok(!/##vso\[/i.test(text), text);
    assert.ok(!text.includes('##['), text);
    assert.ok(lines.every((l) => !l.includes('\n')));
    assert.ok(text.includes('##_vso[task.setvariable variable=x]1'));

    const md = formatSummaryMarkdown(plan([{ name: evil, action: 'create', notes: [], changes: [] }]), undefined, { title: 'T', workspace: ws, mode: 'plan' });
    assert.ok(!/##vso\[/i.test(md));
  });

  it('counts planned actions, or outcomes when results are given', () => {
    const p = plan([
      { name: 'a', action: 'create', notes: [], changes: [] },
      { name: 'b', action: 'update', notes: [], changes: [] },
      { name: 'c', action: 'delete', notes: [], changes: [] },
      { name: 'd', action: 'unchanged', notes: [], changes: [] },
      { name: 'e', action: 'skip', notes: [], changes: [] },
      { name: 'f', action: 'conflict', notes: [], changes: [], error: 'x' },
    ]);
    assert.deepEqual(countResults(p), { created: 1, updated: 1, deleted: 1, unchanged: 1, skipped: 1, failed: 1 });
    const results = p.items.map((i) => ({ name: i.name, action: i.action, ok: i.name !== 'b' && i.name !== 'f' }));
    assert.deepEqual(countResults(p, results), { created: 1, updated: 0, deleted: 1, unchanged: 1, skipped: 1, failed: 2 });
  });

  it('writes a Markdown summary with counts, one escaped row per connection, and outcomes', () => {
    const p = plan([
      { name: 'feed_one', action: 'update', category: 'PythonFeed', notes: [], changes: [{ path: 'target', before: '"https://a|b"', after: '"*x*"', sensitive: false }] },
      { name: 'git', action: 'create', category: 'Git', notes: [], changes: [] },
    ]);
    const md = formatSummaryMarkdown(
      p,
      [
        { name: 'feed_one', action: 'update', ok: false, error: "Could not update connection 'feed_one': Bad <thing> (HTTP 400)" },
        { name: 'git', action: 'create', ok: true },
      ],
      { title: 'Azure ML connections', workspace: ws, mode: 'apply', planFile: 'plan.json' },
    );
    assert.match(md, /^## Azure ML connections\n/);
    assert.match(md, /\| Created \| Updated \| Deleted \| Unchanged \| Skipped \| Failed \|\n\|---:\|---:\|---:\|---:\|---:\|---:\|\n\| 1 \| 0 \| 0 \| 0 \| 0 \| 1 \|/);
    assert.ok(md.includes('| feed\\_one | update | PythonFeed | \\~ target: "https://a\\|b" -&gt; "\\*x\\*" | **failed**: Could not update connection \'feed\\_one\': Bad &lt;thing&gt; (HTTP 400) |'), md);
    assert.ok(md.includes('| git | create | Git |  | created |'), md);
    assert.ok(md.includes('plan file plan.json'));
  });

  it('never shows a secret in the lines or the summary of a real plan and apply', async () => {
    const api = new FakeConnectionsApi();
    api.seed('git', { ...gitPat('git', PAT).properties, metadata: { [MANAGED_BY_KEY]: MANAGED_BY_VALUE } });
    api.seed('kept', gitPat('kept', PAT, 'https://old').properties);
    const desired = [gitPat('git', PAT2), gitPat('kept', undefined), feedNone('feed'), gitPat('new', PAT2)];
    const opts = options();
    const p = await makePlan(desired, api, opts);
    const results = await applyPlanned(p, desired, api, { maxParallel: 2, secrets: opts.secrets, log: opts.log });

    const text = [
      ...formatPlan(p),
      formatSummaryMarkdown(p, undefined, { title: 't', workspace: ws, mode: 'plan' }),
      formatSummaryMarkdown(p, results, { title: 't', workspace: ws, mode: 'apply' }),
      ...opts.log.lines,
    ].join('\n');
    assert.ok(text.includes('credentials.pat: (sensitive)'));
    for (const s of [PAT, PAT2]) for (const form of leakForms(s)) assert.ok(!text.includes(form), `leaked ${form}`);
  });

  describe('in another culture (a translator installed, as task-lib loc() is under the agent)', () => {
    beforeEach(() => setMessageTranslator((key, args) => `«${format(MESSAGES[key], ...args)}»`));
    afterEach(() => setMessageTranslator(undefined));

    it('takes every word of the plan lines from the catalog and keeps the markers; the conflict note is still not repeated', () => {
      const lines = formatPlan(
        plan([
          { name: 'feed', action: 'update', category: 'PythonFeed', notes: ['«keeps the stored pat (read with listsecrets when writing)»'], changes: [{ path: 'credentials.pat', sensitive: true }] },
          { name: 'y', action: 'conflict', notes: ['«exists and differs (onExisting: fail)»'], error: 'e', changes: [] },
          { name: 'old', action: 'conflict', notes: ['exists and differs (onExisting: fail)'], error: 'e', changes: [] },
          { name: 'w', action: 'create', category: 'Git', authType: 'PAT', notes: [], changes: [], error: 'no pat' },
          { name: 'x', action: 'unchanged', notes: [], changes: [] },
        ]),
      );
      assert.deepEqual(lines, [
        '[~] «update feed (PythonFeed)»',
        '    ~ credentials.pat: «(sensitive)»',
        '    «note: «keeps the stored pat (read with listsecrets when writing)»»',
        '[!] «conflict y: exists and differs (onExisting: fail)»',
        '[!] «conflict old: exists and differs (onExisting: fail)»',
        '[!] ««create w (Git, PAT)»: no pat»',
        '[=] «unchanged x»',
        '«Plan: 0 to create, 1 to update, 0 to delete, 1 unchanged, 3 failing.»',
      ]);
    });

    it('takes the summary headings, column names, action and outcome words from the catalog', () => {
      const p = plan([{ name: 'git', action: 'create', category: 'Git', notes: [], changes: [] }]);
      const md = formatSummaryMarkdown(p, [{ name: 'git', action: 'create', ok: true }], { title: 'T', workspace: ws, mode: 'apply', planFile: 'p.json' });
      assert.deepEqual(md.split('\n'), [
        '## T',
        '',
        '«Workspace **ws** in resource group **rg**, subscription sub»  ',
        '«Mode: apply; plan file p.json»',
        '',
        '| «Created» | «Updated» | «Deleted» | «Unchanged» | «Skipped» | «Failed» |',
        '|---:|---:|---:|---:|---:|---:|',
        '| 1 | 0 | 0 | 0 | 0 | 0 |',
        '',
        '| «Connection» | «Action» | «Category» | «What changed» | «Outcome» |',
        '|---|---|---|---|---|',
        '| git | «create» | Git |  | «created» |',
        '',
      ]);
    });
  });
});
