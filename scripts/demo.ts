/**
 * npm run demo: the whole flow against the local sandbox, no Azure account. Runs the *bundled*
 * AzureMLConnectionCreate@1 exactly as the agent would (see tests/support/agent-harness.ts):
 * plan -> apply the saved plan -> a re-run that changes nothing; then the promotion of those connections
 * to a second workspace with AzureMLConnectionExport@1 and AzureMLConnectionCreate@1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { TaskRun } from '../tests/support/agent-harness';
import { exampleSecretVariables, startWorld, type World } from '../tests/support/world';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function show(title: string, run: TaskRun): void {
  console.log(`\n${bold(`== ${title} ==`)}  (${run.durationMs} ms, result: ${run.result})`);
  for (const line of run.lines) {
    if (line.startsWith('##[group]') || line.startsWith('##[endgroup]')) continue;
    console.log(`  ${line}`);
  }
  for (const w of run.warnings) console.log(`  warning: ${w}`);
  for (const e of run.errors) console.log(`  error: ${e}`);
  const outs = Object.entries(run.outputs).map(([k, v]) => `${k}=${v}`).join(' ');
  if (outs) console.log(`  output variables: ${outs}`);
  if (run.result === 'Failed') throw new Error(`${title} failed: ${run.resultMessage}`);
}

/**
 * Promotion dev -> prod: AzureMLConnectionExport@1 (secrets: variables) from the demo's workspace, then
 * AzureMLConnectionCreate@1 plan + apply into a second workspace with those files and secret variables.
 */
async function promote(world: World, workDir: string): Promise<void> {
  const dev = world.ws;
  const prod = { ...world.ws, resourceGroup: 'rg-mlops-prod', workspace: 'mlw-prod' };
  world.sandbox.addWorkspace(prod);
  console.log(`\n${bold(`Promotion: ${dev.workspace} (dev) -> ${prod.workspace} (prod)`)}`);

  const exp = await world.run('AzureMLConnectionExportV1', 'wif', {
    workDir,
    variables: { 'Build.ArtifactStagingDirectory': join(workDir, 'staging') },
    inputs: { workspaceName: dev.workspace, secrets: 'variables' },
  });
  show(`4. Export ${dev.workspace} (secrets: variables) — one az-ml YAML file per connection`, exp);
  const out = exp.outputs.outputPath ?? '';
  const sample = readdirSync(out).sort()[0];
  if (sample) {
    console.log(`  ${sample} (no secret in the file; a placeholder instead):`);
    for (const line of readFileSync(join(out, sample), 'utf8').trimEnd().split('\n')) console.log(`    ${line}`);
  }

  const base = { workDir, secretVariables: exp.secretVariablesSet };
  const inputs = { resourceGroupName: prod.resourceGroup, workspaceName: prod.workspace, connectionFiles: `${out}/*.yml`, planFile: 'plan/prod.plan.json' };
  const plan = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...inputs, mode: 'plan' } });
  show(`5. Plan into ${prod.workspace} with the exported files and variables`, plan);
  const apply = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { ...inputs, mode: 'apply' } });
  show(`6. Apply the saved plan to ${prod.workspace}`, apply);

  // compared through the sandbox, not through our code: read-only fields and our marker aside
  const comparable = (ws: typeof dev, name: string) => {
    const { createdByWorkspaceArmId: _id, group: _g, ...p } = world.sandbox.storedConnection(ws, name)?.properties ?? { authType: '' };
    const { ManagedBy: _m, ...metadata } = p.metadata ?? {};
    return { ...p, metadata };
  };
  const names = world.sandbox.storedConnections(dev).map((c) => c.name);
  const same = names.filter((n) => isDeepStrictEqual(comparable(dev, n), comparable(prod, n)));
  console.log(`\n${bold('== dev and prod compared (read from the sandbox, secrets included) ==')}`);
  console.log(`  identical: ${same.length} of ${names.length}${same.length === names.length ? '' : ` (differ: ${names.filter((n) => !same.includes(n)).join(', ')})`}`);
}

async function main(): Promise<void> {
  const world = await startWorld({ latencyMs: 5, resourceGroup: 'rg-mlops-dev', workspace: 'mlw-dev' });
  try {
    const workDir = world.newWorkDir();
    const secrets = exampleSecretVariables();
    const writes = () => world.sandbox.requests.filter((r) => r.service === 'arm' && ['PUT', 'PATCH', 'DELETE'].includes(r.method)).length;
    console.log(bold('Azure ML Connections for Azure Pipelines: demo against the local sandbox'));
    console.log(`  sandbox (ARM, Entra, Azure DevOps) at ${world.sandbox.url}; workspace ${world.ws.workspace} in ${world.ws.resourceGroup}`);
    console.log(`  connection files: examples/connections/*.yml (secrets come from secret pipeline variables)`);
    console.log(`  service connection: Azure Resource Manager, workload identity federation`);

    const base = { workDir, secretVariables: secrets, inputs: {} as Record<string, string> };
    const plan = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { mode: 'plan', planFile: 'plan/connections.plan.json' } });
    show('1. Plan (mode: plan) — nothing is written', plan);
    console.log(`  ARM writes so far: ${writes()}`);

    const apply = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: { mode: 'apply', planFile: 'plan/connections.plan.json' } });
    show('2. Apply the saved plan (mode: apply, planFile) — e.g. in a deployment job behind an approval', apply);
    console.log(`  ARM writes so far: ${writes()}`);

    const before = writes();
    const again = await world.run('AzureMLConnectionCreateV1', 'wif', { ...base, inputs: {} });
    show('3. Run again with nothing changed', again);
    console.log(`  ARM writes in this run: ${writes() - before}`);

    console.log(`\n${bold('== What the workspace holds (read from the sandbox) ==')}`);
    for (const c of world.sandbox.storedConnections(world.ws)) {
      const p = c.properties;
      const creds = Object.keys(p.credentials ?? {}).join(', ') || '-';
      console.log(`  ${c.name.padEnd(16)} ${String(p.category).padEnd(18)} ${String(p.authType).padEnd(17)} credentials: ${creds}`);
    }
    console.log(`\n  Summary uploaded to the run's Extensions tab: ${join(apply.tempDir, 'azureml-connections', 'apply.md')}`);
    console.log(`  REST requests checked against the official spec: ${world.sandbox.specLoaded ? `yes, ${world.sandbox.validationFailures.length} failures` : 'no (spec not found)'}`);

    await promote(world, workDir);
  } finally {
    await world.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
