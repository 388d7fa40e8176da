/**
 * An end-to-end world: a running sandbox with a workspace, a principal for each AzureRM scheme, and the
 * service connections (endpoints) the agent would hand a task. Used by the e2e tests, the demo and the
 * benchmark.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type ConnectionProperties, type SandboxImpl, type SandboxOptions, type WorkspaceRef } from '../../sandbox';
import { createCertificateAuthority, issueClientCertificate } from '../../sandbox/tls';
import { ALLOWED_COMMANDS, findSecretLeaks, REPO_ROOT, runTask, type EndpointSpec, type RunTaskOptions, type TaskRun } from './agent-harness';

export type Scheme = 'spnKey' | 'spnCertificate' | 'msi' | 'msiUserAssigned' | 'wif';

export interface World {
  sandbox: SandboxImpl;
  ws: WorkspaceRef;
  tenantId: string;
  /** the AzureRM service connection of each scheme, as the agent passes it */
  endpoints: Record<Scheme, EndpointSpec>;
  /** secrets the world itself holds (SP secret, certificate key, job token): none may leak */
  secrets: string[];
  /** a fresh System.DefaultWorkingDirectory with examples/connections copied to ./connections */
  newWorkDir(copyExamples?: boolean): string;
  /**
   * run a bundled task against this world with the given AzureRM scheme; `extraEndpoints` are handed to the
   * task besides the AzureRM one (e.g. the service connections a Migrate input selects)
   */
  run(task: string, scheme: Scheme, options: Partial<RunTaskOptions> & { inputs: Record<string, string>; workDir: string; extraEndpoints?: EndpointSpec[] }): Promise<TaskRun>;
  stop(): Promise<void>;
}

export async function startWorld(options: SandboxOptions & { resourceGroup?: string; workspace?: string } = {}): Promise<World> {
  const { resourceGroup, workspace, ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  const tenantId = randomUUID();
  const subscriptionId = randomUUID();
  const ws: WorkspaceRef = { subscriptionId, resourceGroup: resourceGroup ?? 'rg-mlops', workspace: workspace ?? 'mlw-prod' };
  sandbox.addWorkspace(ws);

  const common = {
    environment: 'AzureCloud',
    scopeLevel: 'Subscription',
    subscriptionId,
    subscriptionName: 'MLOps',
    activeDirectoryAuthority: sandbox.url,
    creationMode: 'Manual',
  };
  const lower = () => randomUUID().toLowerCase();

  // service principal with a secret
  const spnKeyId = randomUUID();
  const spnSecret = `sp~${randomUUID()}`;
  sandbox.addServicePrincipal({ tenantId, clientId: spnKeyId, secret: spnSecret });
  // service principal with a certificate (PEM holding the certificate and its private key)
  const certCa = createCertificateAuthority('Contoso Issuing CA');
  const cert = issueClientCertificate(certCa, 'azureml-connections-spn');
  const spnCertId = randomUUID();
  sandbox.addServicePrincipal({ tenantId, clientId: spnCertId, certificatePem: cert.certPem });
  // managed identities
  sandbox.addManagedIdentity({ system: true, tenantId });
  const userMi = sandbox.addManagedIdentity({ clientId: randomUUID(), tenantId });
  // workload identity federation
  const wifConnectionId = lower();
  const wifConnectionName = 'arm-mlops-wif';
  sandbox.addServiceConnection({ id: wifConnectionId, name: wifConnectionName });
  const wifClientId = randomUUID();
  sandbox.addServicePrincipal({ tenantId, clientId: wifClientId, federatedSubject: sandbox.federatedSubject(wifConnectionName) });

  const endpoints: Record<Scheme, EndpointSpec> = {
    spnKey: {
      id: lower(),
      url: sandbox.url,
      scheme: 'ServicePrincipal',
      params: { serviceprincipalid: spnKeyId, serviceprincipalkey: spnSecret, tenantid: tenantId, authenticationType: 'spnKey' },
      data: common,
    },
    spnCertificate: {
      id: lower(),
      url: sandbox.url,
      scheme: 'ServicePrincipal',
      params: { serviceprincipalid: spnCertId, servicePrincipalCertificate: cert.combinedPem, tenantid: tenantId, authenticationType: 'spnCertificate' },
      data: common,
    },
    msi: { id: lower(), url: sandbox.url, scheme: 'ManagedServiceIdentity', params: { tenantid: tenantId }, data: common },
    msiUserAssigned: { id: lower(), url: sandbox.url, scheme: 'ManagedServiceIdentity', params: { tenantid: tenantId }, data: { ...common, msiclientId: userMi.clientId } },
    wif: {
      id: wifConnectionId,
      url: sandbox.url,
      scheme: 'WorkloadIdentityFederation',
      params: { serviceprincipalid: wifClientId, tenantid: tenantId, workloadIdentityFederationSubject: sandbox.federatedSubject(wifConnectionName) },
      data: common,
    },
  };

  const world: World = {
    sandbox,
    ws,
    tenantId,
    endpoints,
    secrets: [spnSecret, cert.keyPem.split('\n').slice(1, 3).join(''), sandbox.jobAccessToken],
    newWorkDir(copyExamples = true) {
      const dir = mkdtempSync(join(tmpdir(), 'amlc-work-'));
      if (copyExamples) cpSync(join(REPO_ROOT, 'examples', 'connections'), join(dir, 'connections'), { recursive: true });
      return dir;
    },
    async run(task, scheme, opts) {
      const ep = endpoints[scheme];
      const { NODE_EXTRA_CA_CERTS: _ca, ...env } = sandbox.childEnv();
      return runTask({
        task,
        endpoints: [ep, ...(opts.extraEndpoints ?? [])],
        systemAccessToken: sandbox.jobAccessToken,
        collectionUrl: sandbox.collectionUrl,
        oidcRequestUri: sandbox.oidcRequestUri,
        caFile: sandbox.caFile,
        ...opts,
        inputs: { azureSubscription: ep.id, resourceGroupName: ws.resourceGroup, workspaceName: ws.workspace, ...opts.inputs },
        env: { ...env, ...(opts.env ?? {}) },
      });
    },
    async stop() {
      await sandbox.stop();
      certCa.dispose();
    },
  };
  return world;
}

/** Values for the secret variables the example files reference. */
export function exampleSecretVariables(): Record<string, string> {
  const v = (name: string) => `${name.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 13)}`;
  return {
    GIT_PAT: v('GIT_PAT'),
    FEED_PASSWORD: v('FEED_PASSWORD'),
    ACR_PASSWORD: v('ACR_PASSWORD'),
    SNOWFLAKE_CLIENT_SECRET: v('SNOWFLAKE_CLIENT_SECRET'),
    SQL_PASSWORD: v('SQL_PASSWORD'),
    S3_SECRET_ACCESS_KEY: v('S3_SECRET_ACCESS_KEY'),
    AOAI_KEY: v('AOAI_KEY'),
    MY_API_KEY: v('MY_API_KEY'),
    WEATHER_API_KEY: v('WEATHER_API_KEY'),
    WEATHER_ACCOUNT: v('WEATHER_ACCOUNT'),
  };
}

/** ARM writes (PUT, PATCH, DELETE) the sandbox received since its last resetRequests(). */
export function armWrites(world: World): number {
  return world.sandbox.requests.filter((r) => r.service === 'arm' && (r.method === 'PUT' || r.method === 'PATCH' || r.method === 'DELETE')).length;
}

/** A stored connection's properties as written: without the read-only fields the service adds. */
export function writtenProperties(world: World, ws: WorkspaceRef, name: string): Omit<ConnectionProperties, 'createdByWorkspaceArmId' | 'group'> | undefined {
  const p = world.sandbox.storedConnection(ws, name)?.properties;
  if (!p) return undefined;
  const { createdByWorkspaceArmId: _id, group: _g, ...written } = p;
  return written;
}

/**
 * What every end-to-end run must satisfy: no secret (world's or given) in any output or file in any
 * encoding, only our own logging commands, every ARM request valid against the REST spec, exit code 0.
 */
export function assertCleanRun(run: TaskRun, world: World, secrets: string[], files: string[] = []): void {
  assert.deepEqual(findSecretLeaks(run, [...secrets, ...world.secrets], files), [], 'no secret in any output or file, in any encoding');
  assert.deepEqual(run.commands.filter((c) => !ALLOWED_COMMANDS.has(c.name)).map((c) => c.name), [], 'only our own logging commands');
  assert.deepEqual(world.sandbox.validationFailures, [], 'every ARM request valid against the REST spec');
  assert.equal(run.exitCode, 0, run.stderr);
}
