/**
 * Start the sandbox by hand and print what a client needs:
 *   npx tsx sandbox/main.ts [--page-size N] [--latency-ms N] [--throttling [writes=50/10,reads=250/25,deletes=200/10]]
 * --throttling alone throttles ARM with its real buckets (reads 250, refill 25/s; writes and deletes 200,
 * refill 10/s); `bucket=size/refill` pairs change some of them.
 * Seeds one workspace, a service principal (secret), a managed identity and a WIF service
 * connection, prints URLs, ids and the environment for a child process, and runs until Ctrl+C.
 */
import { randomUUID } from 'node:crypto';
import { startSandbox, type BucketKind, type ThrottlingOptions } from './index';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : undefined;
}

/** `--throttling` absent: off; alone: ARM's buckets; `writes=50/10,reads=250/25`: ARM's with those changed. */
function throttling(): ThrottlingOptions | boolean {
  const i = process.argv.indexOf('--throttling');
  if (i < 0) return false;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) return true;
  const out: ThrottlingOptions = {};
  for (const part of value.split(',')) {
    const m = /^(reads|writes|deletes)=(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(part.trim());
    if (!m) throw new Error(`--throttling: '${part}' is not bucket=size/refillPerSecond (reads, writes or deletes), e.g. writes=50/10`);
    out[m[1] as BucketKind] = { size: Number(m[2]), ...(m[3] ? { refillPerSecond: Number(m[3]) } : {}) };
  }
  return out;
}

async function main(): Promise<void> {
  const sb = await startSandbox({ pageSize: arg('--page-size'), latencyMs: arg('--latency-ms'), throttling: throttling(), echoLog: true });
  const ws = { subscriptionId: '00000000-0000-0000-0000-0000000000a1', resourceGroup: 'rg-demo', workspace: 'ws-demo' };
  sb.addWorkspace(ws);
  const tenantId = sb.defaultTenantId;
  const spn = { clientId: randomUUID(), secret: `sandbox-${randomUUID()}` };
  sb.addServicePrincipal({ tenantId, clientId: spn.clientId, secret: spn.secret });
  const mi = sb.addManagedIdentity({ system: true });
  const scId = randomUUID();
  const sc = sb.addServiceConnection({ id: scId, name: 'sandbox-wif' });
  const wifClient = randomUUID();
  sb.addServicePrincipal({ tenantId, clientId: wifClient, federatedSubject: sc.subject });

  const lines = [
    `ARM / authority:   ${sb.url}`,
    `Workspace:         ${sb.url}subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}?api-version=2025-06-01`,
    `Token endpoint:    ${sb.url}${tenantId}/oauth2/v2.0/token  (scope ${sb.url}.default)`,
    `IMDS:              ${sb.imdsUrl}/metadata/identity/oauth2/token  (system identity ${mi.clientId})`,
    `Collection:        ${sb.collectionUrl}`,
    `OIDC request URI:  ${sb.oidcRequestUri}`,
    `Azure Stack:       ${sb.url}metadata/endpoints?api-version=2015-01-01`,
    `Tenant:            ${tenantId}`,
    `Service principal: ${spn.clientId}  secret ${spn.secret}`,
    `WIF connection:    id ${scId}, client ${wifClient}, subject ${sc.subject}`,
    `Job access token:  ${sb.jobAccessToken}`,
    `Spec validation:   ${sb.specLoaded ? 'on' : 'OFF (spec not found)'}`,
    `Throttling:        ${sb.throttling ? Object.entries(sb.throttling).map(([k, l]) => `${k} ${l.size} (refill ${l.refillPerSecond}/s)`).join(', ') : 'off'}`,
    '',
    'Environment for a child process:',
    ...Object.entries(sb.childEnv()).map(([k, v]) => `  export ${k}='${v}'`),
  ];
  process.stdout.write(`${lines.join('\n')}\n\nCtrl+C to stop.\n`);
  const stop = () => void sb.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
