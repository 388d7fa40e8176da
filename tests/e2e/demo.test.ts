/**
 * `npm run demo` in CI: scripts/demo.ts run as a process (after the build `npm test` makes first), as a
 * person runs it, but with its output captured (not a terminal, so no colour). What it must show: the four
 * tasks' sections, what the no-change run cost, the drift it found, which connections were probed and
 * which not (and why), the Migrate result, one run's summary as plain text; what it must never show: a
 * secret value of the example variables or of its own making, a logging command, a raw Markdown table.
 * A second run leaves two peers out (AMLC_DEMO_NO_PEERS), so the "not probed: not installed" path is shown
 * whatever this machine has, on a pseudo-terminal with NO_COLOR set.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/agent-harness';
import { findSpecFile, SPEC_API_VERSION } from '../../sandbox';
import { missingPeers, type PeerName } from '../support/peers';
import { exampleSecretVariables } from '../support/world';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** util-linux `script`, which runs a command on a pseudo-terminal (so the demo's stdout is a TTY) */
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

function runDemo(env: Record<string, string> = {}, onTerminal = false): Promise<DemoRun> {
  const started = Date.now();
  // the caller's environment but what would change the output's form (colour)
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...base } = process.env;
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const [cmd, args] = onTerminal && SCRIPT ? [SCRIPT, ['-qec', `${tsx} scripts/demo.ts`, '/dev/null']] : [tsx, ['scripts/demo.ts']];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: REPO_ROOT,
      env: { ...base, TMPDIR: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // a terminal ends lines with CR LF
    const text = (b: Buffer[]) => Buffer.concat(b).toString('utf8').replace(/\r\n/g, '\n');
    child.on('close', (code) => resolve({ code, stdout: text(out), stderr: text(err), ms: Date.now() - started }));
  });
}

/** The secret values the demo uses have known forms: exampleSecretVariables()'s `<name>-<8 hex>-<4 hex>`, its own `demo-<label>-…`, the world's `sp~<uuid>`. */
function secretForms(): RegExp[] {
  const names = Object.keys(exampleSecretVariables()).map((n) => n.toLowerCase().replace(/_/g, '-'));
  return [new RegExp(`(?:${names.join('|')})-[0-9a-f]{8}-[0-9a-f]{4}`, 'i'), /demo-[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}/i, /sp~[0-9a-f]{8}-/i];
}

const PEERS: Array<{ connection: string; kind: string; needs: PeerName[] }> = [
  { connection: 'git-models', kind: 'git', needs: ['git', 'git-http-backend'] },
  { connection: 'pypi-internal', kind: 'python-feed', needs: ['nginx', 'htpasswd'] },
  { connection: 'acr-images', kind: 'container-registry', needs: ['docker-registry', 'htpasswd'] },
];

function assertCommon(run: DemoRun): string[] {
  assert.equal(run.code, 0, `the demo failed:\n${run.stdout.slice(-3000)}\n${run.stderr}`);
  assert.equal(run.stderr.trim(), '', 'nothing on stderr');
  const out = run.stdout;
  const lines = out.split('\n');
  assert.ok(!out.includes('\x1b'), 'no colour: the output is not a terminal, or NO_COLOR is set');

  // the four tasks and the summary, in order
  const sections = [
    '━━ 1. AzureMLConnectionCreate@1 — plan, apply the saved plan, run again ━━',
    '━━ 2. AzureMLConnectionVerify@1 — drift made behind its back, and probes ━━',
    '━━ 3. AzureMLConnectionExport@1 and promotion dev -> prod ━━',
    "━━ 4. AzureMLConnectionMigrate@1 — from the project's Azure DevOps service connections ━━",
    "━━ 5. The summary of step 2a as a person sees it on the run's Extensions tab ━━",
  ];
  const at = sections.map((s) => lines.indexOf(s));
  assert.ok(at.every((i) => i >= 0), `every section heading: ${sections.filter((_, i) => at[i]! < 0).join(' / ')}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'the sections in order');

  // 1. Create: the plan wrote nothing, the apply created 9, the re-run changed nothing and cost one listsecrets
  assert.match(out, /^1a\. Plan \(mode: plan\).*result: Succeeded\)$/m);
  assert.match(out, /^ {2}cost: 0 PUT, 1 request\(s\) from ARM's write budget \(1 POST listsecrets of azureml-connections-key\), \d+ read\(s\)$/m);
  assert.match(out, /^ {2}output variables: created=9 updated=0 unchanged=0 deleted=0 failed=0 hasChanges=true planFile=\S+connections\.plan\.json$/m);
  assert.match(out, /^ {2}The no-change run cost \(the sandbox's request log\): 0 PUT, 1 request\(s\) from ARM's write budget \(1 POST listsecrets of azureml-connections-key\), \d+ read\(s\)\.$/m);
  assert.match(out, /output variables: created=0 updated=0 unchanged=9 deleted=0 failed=0 hasChanges=false/);

  // 2. Verify: the two changes made in the sandbox are found, and the run fails for them
  assert.match(out, /^2a\. Verify the workspace against the files .*result: Failed\) {2}— drift fails the run, as it should$/m);
  assert.ok(lines.includes("  Drift found: 2 connection(s) changed behind the pipeline's back: s3-landing, sql-warehouse."), 'the drift line');
  assert.match(out, /error: \S+data-sources\.yml:\d+:1: Connection 'sql-warehouse': it differs from its file in target\./);
  assert.match(out, /error: \S+data-sources\.yml:\d+:1: Connection 's3-landing': it differs from its file in credentials\.secretAccessKey\./);
  assert.match(out, /~ credentials\.secretAccessKey: \(sensitive\)/);
  assert.match(out, /^ {4}- aoai-prod, my_api_key, weather-tool: https targets on the internet, which the demo never reaches/m);
  assert.match(out, /^ {4}- s3-landing, snowflake-sales, sql-warehouse: targets that are not https URLs/m);

  // 3. Export and promotion
  assert.match(out, /^3a\. Export mlw-dev \(secrets: variables\).*result: Succeeded\)$/m);
  assert.match(out, /^ {8}api_key: \$\(AZUREML_WEATHER_TOOL_API_KEY\)$/m, 'the exported file shows a placeholder');
  assert.ok(lines.includes('  dev and prod compared (read from the sandbox, secrets included): identical 9 of 9'), 'prod holds what dev holds');

  // 4. Migrate: four migrated, the MSI one not (with its equivalent), what the workspace then holds
  assert.match(out, /^4a\. Migrate into mlw-legacy .*result: SucceededWithIssues\)/m);
  assert.match(out, /output variables: created=4 updated=0 unchanged=0 deleted=0 failed=0 hasChanges=true planFile= notMigrated=1/);
  assert.match(out, /warning: Service connection 'acr-contosoml-msi' \([0-9a-f-]{36}\) was not migrated\./);
  assert.ok(lines.includes('  Migrated (read from the sandbox): 4 connection(s) in mlw-legacy'), 'the migrate result');
  for (const row of [
    /^ {4}github-contoso +Git +PAT +https:\/\/github\.com\/contoso\/models +credentials: pat$/m,
    /^ {4}gitlab-models +Git +UsernamePassword +https:\/\/gitlab\.contoso\.example\/ml\/models\.git +credentials: username, password$/m,
    /^ {4}pypi-mirror +PythonFeed +UsernamePassword +https:\/\/pypi\.contoso\.example\/simple\/ +credentials: username, password$/m,
    /^ {4}registry-contoso +ContainerRegistry +UsernamePassword +https:\/\/registry\.contoso\.example:5000 +credentials: username, password$/m,
  ]) assert.match(out, row);

  // 5. the summary as text: heading underlined, the counts and the connections as aligned tables, no Markdown left
  const summary = lines.slice(at[4]!);
  const title = summary.indexOf('  Azure ML connections: verify');
  assert.ok(title > 0, 'the summary title');
  assert.equal(summary[title + 1], `  ${'='.repeat('Azure ML connections: verify'.length)}`);
  const counts = summary.findIndex((l) => /^ {2}Verified {2}With warnings {2}Drifted {2}Missing {2}Failed$/.test(l));
  assert.ok(counts > 0, summary.join('\n'));
  assert.match(summary[counts + 1]!, /^ {2}-{8} {2}-{13} {2}-{7} {2}-{7} {2}-{6}$/);
  assert.match(summary[counts + 2]!, /^ {2}7 {9}0 {14}2 {8}0 {8}0$/, 'the counts under their headings');
  const header = summary.findIndex((l) => /^ {2}Connection +Category +Status +What differs +Why \/ evidence$/.test(l));
  assert.ok(header > 0, 'the connections table');
  const statusColumn = summary[header]!.indexOf('Status');
  for (const [name, status] of [['sql-warehouse', '❌ drifted'], ['s3-landing', '❌ drifted'], ['git-models', '✅ verified']] as const) {
    const row = summary.find((l) => l.startsWith(`  ${name} `));
    assert.ok(row, `${name} in the summary`);
    assert.equal(row.indexOf(status), statusColumn, `${name}'s status under Status`);
  }
  assert.ok(!summary.some((l) => /^\s*\|/.test(l) || /\\[|_*`]|&(lt|gt|amp);|<br>|\*\*/.test(l)), 'no Markdown syntax left in the summary');
  // every REST request checked against the official spec when ../shared holds it (CI may run without it)
  const specHere = findSpecFile(SPEC_API_VERSION, REPO_ROOT) !== undefined;
  assert.match(out, specHere ? /^Done in \d+\.\d s: 9 task runs, each audited .*: 0 failure\(s\)\.$/m : /^Done in \d+\.\d s: 9 task runs, each audited .*: no \(spec not found\)\.$/m);

  // never: a secret, a logging command, a line the agent would take for a group or an issue
  for (const form of secretForms()) assert.doesNotMatch(out, form);
  assert.ok(!out.includes('##vso['), 'no logging command');
  assert.ok(!lines.some((l) => /^\s*##\[/.test(l)), 'no ##[ line');
  return lines;
}

describe('npm run demo (scripts/demo.ts as a process, after the build)', function () {
  this.timeout(120_000);

  it('shows the four tasks, the drift, the probes it made and those it could not, the Migrate result and a summary as text, under a minute', async function () {
    const run = await runDemo();
    const lines = assertCommon(run);
    assert.ok(run.ms < 60_000, `the demo took ${run.ms} ms`);
    const installed = PEERS.filter((p) => missingPeers(...p.needs).length === 0);
    if ((process.env.CI ?? '').toLowerCase() === 'true') assert.equal(installed.length, PEERS.length, 'CI has every probe peer (.ci/run installs them)');
    const probed = lines.find((l) => l.startsWith('  Probed (a real protocol peer on loopback stands in for the target): '));
    assert.ok(probed, 'the probed line');
    const expected = installed
      .map((p) => `${p.connection} (${p.kind}: ok)`)
      .sort()
      .join('; ');
    assert.equal(probed.slice(probed.indexOf(': ') + 2), expected || 'none');
    for (const p of PEERS.filter((x) => !installed.includes(x))) assert.match(run.stdout, new RegExp(`^ {4}- ${p.connection}: [a-z, -]+ not installed here, so nothing stands in for https://`, 'm'));
    if (installed.length) {
      const names = PEERS.filter((p) => installed.includes(p)).map((p) => p.connection);
      assert.match(run.stdout, new RegExp(`^2b\\. Verify ${names.join(', ')} with probes .*result: Succeeded\\)$`, 'm'));
      for (const p of installed) assert.match(run.stdout, new RegExp(`^ {2}${p.connection}: target pointed at .* on loopback, https://127\\.0\\.0\\.1:\\d+`, 'm'));
    }
  });

  it('without the registry and the PEP 503 peers: those two are not probed and the output says why; on a terminal NO_COLOR is honoured', async function () {
    if (!SCRIPT) console.log('      (util-linux script not found: run without a terminal)');
    const run = await runDemo({ AMLC_DEMO_NO_PEERS: 'docker-registry,nginx', NO_COLOR: '1' }, true);
    assertCommon(run);
    assert.match(run.stdout, /^ {2}pypi-internal: no local peer \(nginx not installed here\); its target stays https:\/\/pkgs\.contoso\.example\/simple\/$/m);
    assert.match(run.stdout, /^ {2}acr-images: no local peer \(docker-registry not installed here\); its target stays https:\/\/contosoml\.azurecr\.io$/m);
    assert.match(run.stdout, /^ {4}- pypi-internal: nginx not installed here, so nothing stands in for https:\/\/pkgs\.contoso\.example\/simple\/ \(the demo reaches no network beyond loopback\)$/m);
    assert.match(run.stdout, /^ {4}- acr-images: docker-registry not installed here, so nothing stands in for https:\/\/contosoml\.azurecr\.io /m);
    const gitThere = missingPeers('git', 'git-http-backend').length === 0;
    assert.match(run.stdout, new RegExp(`^ {2}Probed \\(a real protocol peer on loopback stands in for the target\\): ${gitThere ? 'git-models \\(git: ok\\)' : 'none'}$`, 'm'));
    assert.doesNotMatch(run.stdout, /^2b\. Verify .*(pypi-internal|acr-images)/m, 'no probe run for a connection without a peer');
  });
});
