/**
 * npm run demo: the whole flow against the local sandbox, no Azure account. Runs the *bundled*
 * AzureMLConnectionCreate@1 exactly as the agent would (see tests/support/agent-harness.ts):
 * plan -> apply the saved plan -> a re-run that changes nothing.
 */
import { join } from 'node:path';
import type { TaskRun } from '../tests/support/agent-harness';
import { exampleSecretVariables, startWorld } from '../tests/support/world';

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

async function main(): Promise<void> {
  const world = await startWorld({ latencyMs: 5 });
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
  } finally {
    await world.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
