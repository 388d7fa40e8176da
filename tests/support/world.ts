/**
 * An end-to-end world: a running sandbox with a workspace, a principal for each AzureRM scheme, and the
 * service connections (endpoints) the agent would hand a task. Used by the e2e tests, the demo and the
 * benchmark.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { startSandbox, type ArmConnection, type ConnectionProperties, type SandboxImpl, type SandboxOptions, type WorkspaceRef } from '../../sandbox';
import { createCertificateAuthority, issueClientCertificate } from '../../sandbox/tls';
import { ALLOWED_COMMANDS, findInjections, findSecretLeaks, NON_SECRET_AUTH_PARAMS, REPO_ROOT, runTask, type EndpointSpec, type RunTaskOptions, type TaskRun } from './agent-harness';
import { credentialsInText, separateTotals, type LabeledSecret, type Store } from './leak-scan';

export type Scheme = 'spnKey' | 'spnCertificate' | 'msi' | 'msiUserAssigned' | 'wif';

export interface World {
  sandbox: SandboxImpl;
  ws: WorkspaceRef;
  tenantId: string;
  /** the AzureRM service connection of each scheme, as the agent passes it */
  endpoints: Record<Scheme, EndpointSpec>;
  /** secrets the world itself holds (SP secret, certificate key, job token): none may leak */
  secrets: string[];
  /**
   * Every secret a run against this world could have seen, labelled: the world's own, every credential and
   * every credential inside a target the sandbox's workspaces store, every token the sandbox issued or
   * client assertion it received, the service connections registered with its DevOps API.
   */
  knownSecrets(): LabeledSecret[];
  /** a fresh System.DefaultWorkingDirectory with examples/connections copied to ./connections */
  newWorkDir(copyExamples?: boolean): string;
  /**
   * run a bundled task against this world with the given AzureRM scheme; `extraEndpoints` are handed to the
   * task besides the AzureRM one (e.g. the service connections a Migrate input selects).
   *
   * Unless the world was started with `audit: false` (the benchmark), every run has System.Debug on and is
   * audited afterwards (see auditRun): a secret in any output or file it wrote, or outside text that became
   * a logging command or a `##[` line, fails the test right there.
   */
  run(task: string, scheme: Scheme, options: WorldRunOptions): Promise<TaskRun>;
  stop(): Promise<void>;
}

export type WorldRunOptions = Partial<RunTaskOptions> & {
  inputs: Record<string, string>;
  workDir: string;
  extraEndpoints?: EndpointSpec[];
  /** more secrets to look for besides those the world knows (e.g. values a test computed) */
  secrets?: string[];
  /**
   * false: skip the audit for this run. Only for a run that deliberately checks something else, with the
   * reason in a comment where it is used.
   */
  audit?: boolean;
  /** count this run's scan into these totals, not the suite's (a test whose leak is planted on purpose) */
  auditTotals?: Store;
};

export async function startWorld(options: SandboxOptions & { resourceGroup?: string; workspace?: string; audit?: boolean } = {}): Promise<World> {
  const { resourceGroup, workspace, audit = true, ...sandboxOptions } = options;
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
    // the private key: each line of its base64 body (a PEM may be re-wrapped, but never by line)
    secrets: [spnSecret, ...cert.keyPem.split('\n').filter((l) => l && !l.startsWith('-----')), sandbox.jobAccessToken],
    knownSecrets() {
      return [...world.secrets.map((value, i) => ({ label: `the world's secret #${i + 1}`, value })), ...sandboxSecrets(sandbox)];
    },
    newWorkDir(copyExamples = true) {
      const dir = mkdtempSync(join(tmpdir(), 'amlc-work-'));
      if (copyExamples) cpSync(join(REPO_ROOT, 'examples', 'connections'), join(dir, 'connections'), { recursive: true });
      return dir;
    },
    async run(task, scheme, opts) {
      const ep = endpoints[scheme];
      const { NODE_EXTRA_CA_CERTS: _ca, ...env } = sandbox.childEnv();
      const { extraEndpoints, secrets: extraSecrets, audit: auditThis, auditTotals, ...rest } = opts;
      const handed = rest.endpoints ?? [ep, ...(extraEndpoints ?? [])];
      const auditing = audit && auditThis !== false;
      const before = auditing ? { files: snapshot(opts.workDir), secrets: world.knownSecrets(), at: Date.now() } : undefined;
      const run = await runTask({
        task,
        endpoints: handed,
        systemAccessToken: sandbox.jobAccessToken,
        collectionUrl: sandbox.collectionUrl,
        oidcRequestUri: sandbox.oidcRequestUri,
        caFile: sandbox.caFile,
        ...rest,
        debug: rest.debug ?? audit,
        inputs: { azureSubscription: ep.id, resourceGroupName: ws.resourceGroup, workspaceName: ws.workspace, ...opts.inputs },
        env: { ...env, ...(opts.env ?? {}) },
      });
      if (before) {
        const secrets = [
          ...before.secrets,
          ...world.knownSecrets(),
          ...runSecrets(rest, handed),
          ...(extraSecrets ?? []).map((value, i) => ({ label: `the test's secret #${i + 1}`, value })),
        ];
        auditRun(run, secrets, writtenFiles(opts.workDir, before.files, run, before.at), auditTotals);
      }
      return run;
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

/** The connection that holds the workspace's secret digest key (src/engine/digest.ts): the extension's own. */
export const DIGEST_KEY = 'azureml-connections-key';

/** A request about the digest key connection (its PUT, its listsecrets — a 404 before it exists). */
export function isDigestKeyRequest(r: { path: string }): boolean {
  return new RegExp(`/connections/${DIGEST_KEY}(/listsecrets)?$`, 'i').test(r.path);
}

/** ARM writes (PUT, PATCH, DELETE) the sandbox received since its last resetRequests(), the digest key's included. */
export function armWrites(world: World): number {
  return world.sandbox.requests.filter((r) => r.service === 'arm' && (r.method === 'PUT' || r.method === 'PATCH' || r.method === 'DELETE')).length;
}

/** ARM writes of declared connections: the digest key's own write left out. */
export function connectionWrites(world: World, method?: string): number {
  return world.sandbox.requests.filter(
    (r) => r.service === 'arm' && (method ? r.method === method : ['PUT', 'PATCH', 'DELETE'].includes(r.method)) && !isDigestKeyRequest(r),
  ).length;
}

/** The workspace's connections but the digest key. */
export function userConnections(world: World, ws: WorkspaceRef): ArmConnection[] {
  return world.sandbox.storedConnections(ws).filter((c) => c.name.toLowerCase() !== DIGEST_KEY);
}

/**
 * A body sent or stored, with its secret digest taken out, and whether it had one of the right form
 * (`v1:<stored fields>:<fields MAC>:<values MAC>`).
 */
export function splitDigest(properties: ConnectionProperties): { properties: ConnectionProperties; digest?: string } {
  const digest = properties.metadata?.SecretDigest;
  if (digest === undefined) return { properties };
  assert.match(digest, /^v1:[A-Za-z0-9+]*:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{22}$/, 'a secret digest of the documented form');
  const { SecretDigest: _d, ...metadata } = properties.metadata ?? {};
  return { properties: { ...properties, metadata }, digest };
}

/**
 * A stored connection's properties as written: without the read-only fields the service adds, and without
 * the secret digest (its own tests look at it), so that a test compares what the files declare.
 */
export function writtenProperties(world: World, ws: WorkspaceRef, name: string): Omit<ConnectionProperties, 'createdByWorkspaceArmId' | 'group'> | undefined {
  const p = world.sandbox.storedConnection(ws, name)?.properties;
  if (!p) return undefined;
  const { createdByWorkspaceArmId: _id, group: _g, ...written } = p;
  if (written.metadata) {
    const { SecretDigest: _d, ...metadata } = written.metadata;
    written.metadata = metadata;
  }
  return written;
}

/**
 * What a successful end-to-end run must satisfy besides the audit world.run already made: the test's own
 * secrets not in any output or the given files (checked again, not counted again in the suite's leak-scan
 * figures), only our own logging commands, every ARM request valid against the REST spec, exit code 0.
 */
export function assertCleanRun(run: TaskRun, world: World, secrets: string[], files: string[] = []): void {
  assert.deepEqual(findSecretLeaks(run, [...secrets, ...world.secrets], files, separateTotals()), [], 'no secret in any output or file, in any encoding');
  assert.deepEqual(run.commands.filter((c) => !ALLOWED_COMMANDS.has(c.name)).map((c) => c.name), [], 'only our own logging commands');
  assert.deepEqual(world.sandbox.validationFailures, [], 'every ARM request valid against the REST spec');
  assert.equal(run.exitCode, 0, run.stderr);
}

/** Credential fields that are not secret (ids and names); every other credential value is. */
const NON_SECRET_CREDENTIAL_FIELDS = new Set(['username', 'clientId', 'tenantId', 'resourceId', 'accessKeyId', 'authUrl']);

/** Every secret the sandbox holds or handed out, labelled (see World.knownSecrets). */
function sandboxSecrets(sandbox: SandboxImpl): LabeledSecret[] {
  const out: LabeledSecret[] = [{ label: 'the job access token', value: sandbox.jobAccessToken }];
  const walk = (v: unknown, label: string, key: string): void => {
    if (typeof v === 'string') {
      if (!NON_SECRET_CREDENTIAL_FIELDS.has(key)) out.push({ label, value: v });
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${label}.${k}`, k);
  };
  for (const ws of sandbox.arm.workspaces.values()) {
    for (const c of ws.connections.values()) {
      const where = `${ws.ref.workspace}/${c.name}`;
      walk(c.properties.credentials, `the stored credential ${where}`, '');
      for (const v of credentialsInText(c.properties.target ?? '')) out.push({ label: `a credential in the stored target of ${where}`, value: v });
      for (const [k, m] of Object.entries(c.properties.metadata ?? {})) {
        for (const v of credentialsInText(String(m))) out.push({ label: `a credential in the stored metadata ${where}.${k}`, value: v });
      }
    }
  }
  sandbox.identity.tokens.forEach((value, i) => out.push({ label: `token #${i + 1} the sandbox issued or received`, value }));
  for (const e of sandbox.devopsEndpoints.endpoints.values()) {
    for (const [k, v] of Object.entries(e.parameters ?? {})) if (!NON_SECRET_AUTH_PARAMS.has(k.toLowerCase())) out.push({ label: `service connection '${e.name}' parameter ${k}`, value: v });
    for (const v of credentialsInText(e.url)) out.push({ label: `a credential in the URL of service connection '${e.name}'`, value: v });
  }
  return out;
}

/** The secrets given to one run: secret variables, secret endpoint parameters, credentials in endpoint URLs, the proxy password. */
function runSecrets(opts: Partial<RunTaskOptions>, endpoints: readonly EndpointSpec[]): LabeledSecret[] {
  const out: LabeledSecret[] = [];
  for (const [name, value] of Object.entries(opts.secretVariables ?? {})) out.push({ label: `secret variable ${name}`, value });
  for (const ep of endpoints) {
    for (const [k, v] of Object.entries(ep.params)) if (!NON_SECRET_AUTH_PARAMS.has(k.toLowerCase())) out.push({ label: `endpoint ${ep.id} parameter ${k}`, value: v });
    for (const v of credentialsInText(ep.url)) out.push({ label: `a credential in the URL of endpoint ${ep.id}`, value: v });
  }
  const proxyPassword = opts.variables?.['Agent.ProxyPassword'] ?? opts.env?.AGENT_PROXYPASSWORD;
  if (proxyPassword) out.push({ label: 'the proxy password', value: proxyPassword });
  return out;
}

/** size and mtime of every file under dir */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(p, `${st.size}:${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

/**
 * The files a run wrote: new or changed under its working directory, and under the paths its output
 * variables name outside it (a plan file, a report, an export folder), those modified since it started.
 * The input files a test wrote before the run are not among them (they may hold secrets on purpose).
 */
function writtenFiles(workDir: string, before: Map<string, string>, run: TaskRun, startedAt: number): string[] {
  const out: string[] = [];
  for (const [p, sig] of snapshot(workDir)) if (before.get(p) !== sig) out.push(p);
  for (const value of Object.values(run.outputs)) {
    if (!isAbsolute(value) || !existsSync(value) || !relative(workDir, value).startsWith('..')) continue;
    const files = statSync(value).isDirectory() ? [...snapshot(value).keys()] : [value];
    for (const f of files) if (statSync(f).mtimeMs >= startedAt - 1) out.push(f);
  }
  return out;
}

/**
 * What every audited run must satisfy, whatever else its test checks: no secret in any output or file it
 * wrote, in any form (tests/support/leak-scan.ts), and no outside text turned into a logging command or a
 * `##[` line (findInjections).
 */
export function auditRun(run: TaskRun, secrets: readonly LabeledSecret[], files: readonly string[], totals?: Store): void {
  const leaks = findSecretLeaks(run, secrets, [...files], totals);
  assert.deepEqual(leaks, [], `no secret in any output or file of the run, in any form (debug on)`);
  assert.deepEqual(findInjections(run), [], 'no logging command or ##[ line from outside text');
}
