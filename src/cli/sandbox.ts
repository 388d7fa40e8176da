/**
 * `--sandbox`: the embedded sandbox (sandbox/: ARM, Microsoft Entra and the rest on loopback over TLS with
 * a CA of its own) started for one command, with an empty workspace and a service principal, and the
 * command pointed at it: its ARM endpoint, its CA, and the principal in AZURE_CLIENT_ID,
 * AZURE_CLIENT_SECRET and AZURE_TENANT_ID, so that sign-in takes the same DefaultAzureCredential path as
 * with a real service principal. Loaded only when asked for (it is most of a megabyte of code).
 */
import { randomUUID } from 'node:crypto';
import type { WorkspaceRef } from '../arm/types';
import { UserError } from '../core/errors';
import { msg } from '../messages';

export interface RunningSandbox {
  ws: WorkspaceRef;
  /** the ARM endpoint, no trailing slash */
  armUrl: string;
  caPem: string;
  /** what sign-in reads from the environment */
  env: Record<string, string>;
  /** the sentence that says what was started */
  description: string;
  stop(): Promise<void>;
}

export const SANDBOX_WORKSPACE: WorkspaceRef = { subscriptionId: '00000000-0000-0000-0000-0000000000a1', resourceGroup: 'rg-sandbox', workspace: 'mlw-sandbox' };

/** Variables that would make DefaultAzureCredential pick another identity than the sandbox's principal. */
const OTHER_IDENTITY = ['AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_USERNAME', 'AZURE_PASSWORD', 'AZURE_TOKEN_CREDENTIALS'];

export async function startCliSandbox(ws: Partial<WorkspaceRef>): Promise<RunningSandbox> {
  const { startSandbox } = require('../../sandbox') as typeof import('../../sandbox');
  let sb;
  try {
    sb = await startSandbox({ specDir: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? msg('Cli_SandboxNoOpenssl') : msg('Cli_SandboxFailed', (e as Error).message ?? String(e)));
  }
  const ref: WorkspaceRef = { ...SANDBOX_WORKSPACE, ...Object.fromEntries(Object.entries(ws).filter(([, v]) => v)) };
  sb.addWorkspace(ref);
  const clientId = randomUUID();
  const secret = `sandbox-${randomUUID()}`;
  sb.addServicePrincipal({ tenantId: sb.defaultTenantId, clientId, secret });
  const env: Record<string, string> = {
    AZURE_CLIENT_ID: clientId,
    AZURE_CLIENT_SECRET: secret,
    AZURE_TENANT_ID: sb.defaultTenantId,
    AZURE_AUTHORITY_HOST: sb.authorityHost,
  };
  for (const name of OTHER_IDENTITY) delete process.env[name];
  Object.assign(process.env, env);
  const armUrl = sb.url.replace(/\/+$/, '');
  return {
    ws: ref,
    armUrl,
    caPem: sb.caPem,
    env,
    description: msg('Cli_SandboxStarted', armUrl, ref.workspace, ref.resourceGroup, ref.subscriptionId, clientId),
    stop: () => sb.stop(),
  };
}
