/**
 * Sign-in with an AzureRM service connection: endpoint data -> a TokenCredential for ARM.
 * No task-lib here; the pipeline adapter reads the endpoint and the job's values and hands them over.
 *
 * Schemes (agent-contract §2.1):
 *  - ServicePrincipal + spnKey (default)  -> ClientSecretCredential
 *  - ServicePrincipal + spnCertificate    -> ClientCertificateCredential (PEM with CERTIFICATE and PRIVATE KEY)
 *  - ManagedServiceIdentity               -> ManagedIdentityCredential (user-assigned: data msiclientid)
 *  - WorkloadIdentityFederation           -> ClientAssertionCredential whose assertion is the job's OIDC
 *    token (POST ${System.OidcRequestUri}?api-version=7.1&serviceConnectionId=<id>, Bearer job token).
 *    Not AzurePipelinesCredential: that one reads SYSTEM_OIDCREQUESTURI from process.env instead of
 *    the job context we are handed, and when the OIDC call fails it puts JSON.stringify(response)
 *    into the error — which includes the request's Authorization header, i.e. the job token.
 *  - PublishProfile and anything else     -> UserError naming the scheme and what is supported.
 *
 * Clouds: the ARM URL is the endpoint URL; the authority is data activeDirectoryAuthority, then
 * environmentAuthorityUrl, then the environment's default; the token audience is the ARM URL
 * (AzureStack: data activeDirectoryServiceEndpointResourceId). For AzureStack with either missing,
 * GET ${url}metadata/endpoints?api-version=2015-01-01 supplies authentication.loginEndpoint and
 * audiences[0]. Instance discovery is disabled for every authority host MSAL does not know.
 *
 * Managed identity and its endpoint: @azure/identity 4.13.1 delegates to msal-node 5's
 * ManagedIdentityApplication. On a VM (no App Service / Arc / Cloud Shell / Service Fabric / Azure ML
 * variables) msal-node uses IMDS at http://169.254.169.254/metadata/identity/oauth2/token, unless
 * the environment variable AZURE_POD_IDENTITY_AUTHORITY_HOST is set: then it uses
 * `${AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token` (msal-node Imds.tryCreate).
 * That is how the tests and the demo point it at the sandbox. msal-node picks the source (and its
 * HTTP client) once per process (static ManagedIdentityClient.identitySource), so the variable must
 * be set before the first managed identity token is requested and stay valid afterwards.
 * The managed identity credential gets no proxy: IMDS is link-local and never reachable through one.
 *
 * Network: `options.proxy` and `options.tlsCaPem` (src/core/network): the proxy is the credentials'
 * `proxyOptions` unless a bypass entry matches the authority URL, and networkPolicy (perRetry) applies
 * the bypass list per request and trusts the CA directly and behind the proxy.
 */
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { UserError } from '../core/errors';
import { msg } from '../messages';
import type { SecretSink } from '../core/secrets';
import { CLOUDS, ENVIRONMENT_NAMES, defaultAuthorityFor, isPublicAuthorityHost, trimSlashes } from './clouds';
import { networkPolicy, proxyOptionsFor, type NetworkOptions } from '../core/network';
import { sendSimple } from './http';

export type { TokenCredential } from '@azure/identity';
export { isPublicAuthorityHost, defaultAuthorityFor } from './clouds';

export interface AzureRmEndpoint {
  id: string;
  url: string;
  scheme: string;
  /** authorization parameters, keys lower-cased */
  auth: Record<string, string>;
  /** data parameters, keys lower-cased */
  data: Record<string, string>;
}

export interface JobContext {
  oidcRequestUri?: string;
  /** SystemVssConnection AccessToken */
  accessToken?: string;
  collectionUri?: string;
  projectId?: string;
  hostType?: string;
  planId?: string;
  jobId?: string;
}

export interface ArmAuth {
  credential: TokenCredential;
  /** no trailing slash */
  armUrl: string;
  /** `${audience}/.default` */
  scope: string;
  /** the token audience (resource), no trailing slash */
  audience: string;
  /** no trailing slash */
  authorityHost: string;
  tenantId: string;
  /** AzureCloud, AzureUSGovernment, AzureChinaCloud, AzureGermanCloud, AzureStack */
  environment: string;
  subscriptionId?: string;
  resourceGroup?: string;
  workspace?: string;
  /** ServicePrincipal, ManagedServiceIdentity or WorkloadIdentityFederation */
  scheme: string;
  /** for logs: e.g. "service principal 0000… (certificate)" — never a secret */
  identity: string;
}

export type CreateArmAuthOptions = NetworkOptions;

function lower(record: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

function first(record: Record<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = record[k.toLowerCase()];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** The first line of an identity/MSAL error, without trace/correlation ids and the troubleshooting link. */
export function summariseAuthError(e: unknown): string {
  const err = e as { message?: string; errorResponse?: { errorDescription?: string; error?: string } };
  let text = err?.errorResponse?.errorDescription || err?.message || String(e);
  text = text.split(/\r?\n/)[0];
  text = text.replace(/\s*Trace ID:.*$/i, '').replace(/\s*To troubleshoot,? visit.*$/i, '').trim();
  if (text.length > 500) text = `${text.slice(0, 500)}…`;
  return text;
}

/**
 * Wraps a credential so that a failed sign-in says who (which connection or identity), tenant and
 * authority, in one sentence — and so that every ARM pipeline of a run (the connections client's, the
 * workspace SDK's) shares one sign-in: a token being fetched, or fetched and still fresh, is handed to the
 * next caller instead of asking Entra again. A failure is shared only by the callers that were waiting
 * for it; the next caller asks again. A claims challenge always asks Entra.
 */
export class DescribedCredential implements TokenCredential {
  private readonly shared = new Map<string, Promise<AccessToken>>();
  constructor(
    private readonly inner: TokenCredential,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (options?.claims) return this.fetch(scopes, options);
    const key = `${[scopes].flat().join(' ')}|${options?.tenantId ?? ''}`;
    for (;;) {
      // a sign-in in flight when this caller asked: its token, or its failure, is this caller's too
      const pending = this.shared.get(key);
      if (!pending) break;
      const token = await pending;
      if (this.fresh(token)) return token;
      if (this.shared.get(key) === pending) break;
    }
    const fetching = this.fetch(scopes, options);
    this.shared.set(key, fetching);
    fetching.catch(() => {
      if (this.shared.get(key) === fetching) this.shared.delete(key);
    });
    return fetching;
  }
  /** fresh: before the time the token asks to be refreshed at, else five minutes before it expires */
  private fresh(token: AccessToken): boolean {
    return this.now() < (token.refreshAfterTimestamp ?? token.expiresOnTimestamp - 5 * 60_000);
  }
  private async fetch(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopes, options);
    } catch (e) {
      const err = new UserError(msg('Platform_AuthSignInFailed', this.what, summariseAuthError(e)));
      (err as Error & { cause?: unknown }).cause = e;
      throw err;
    }
    if (!token) throw new UserError(msg('Platform_AuthNoToken', this.what));
    return token;
  }
}

interface StackEndpoints {
  loginEndpoint: string;
  audience: string;
}

async function discoverAzureStack(armUrl: string, net: NetworkOptions): Promise<StackEndpoints> {
  const url = `${armUrl}/metadata/endpoints?api-version=2015-01-01`;
  let res;
  try {
    res = await sendSimple('GET', url, net, { accept: 'application/json' });
  } catch (e) {
    throw new UserError(msg('Platform_AuthStackUnreachable', url, summariseAuthError(e)));
  }
  if (res.status !== 200) {
    throw new UserError(msg('Platform_AuthStackStatus', url, res.status));
  }
  let body: { authentication?: { loginEndpoint?: string; audiences?: string[] } };
  try {
    body = JSON.parse(res.bodyText) as typeof body;
  } catch {
    throw new UserError(msg('Platform_AuthStackNotJson', url));
  }
  const loginEndpoint = body.authentication?.loginEndpoint;
  const audience = body.authentication?.audiences?.[0];
  if (!loginEndpoint || !audience) throw new UserError(msg('Platform_AuthStackIncomplete', url));
  return { loginEndpoint, audience };
}

/** Resource group and workspace implied by a scope such as /subscriptions/s/resourcegroups/rg[/providers/Microsoft.MachineLearningServices/workspaces/ws]. */
function fromScope(scope: string | undefined): { resourceGroup?: string; workspace?: string } {
  if (!scope) return {};
  const m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)(?:\/providers\/microsoft\.machinelearningservices\/workspaces\/([^/]+))?\/?$/i.exec(scope.trim());
  return m ? { resourceGroup: m[1], workspace: m[2] } : {};
}

function registerPem(pem: string, secrets: SecretSink): void {
  secrets.add(pem);
  secrets.add(pem.trim());
  const key = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/.exec(pem)?.[0];
  if (key) {
    secrets.add(key);
    for (const line of key.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) secrets.add(line.trim());
  }
}

/** Build the credential and the ARM facts for an AzureRM service connection. */
export async function createArmAuth(endpoint: AzureRmEndpoint, job: JobContext, secrets: SecretSink, options: CreateArmAuthOptions = {}): Promise<ArmAuth> {
  const auth = lower(endpoint.auth);
  const data = lower(endpoint.data);
  // every secret first, before anything could print one
  secrets.add(auth.serviceprincipalkey);
  if (auth.serviceprincipalcertificate) registerPem(auth.serviceprincipalcertificate, secrets);
  secrets.add(auth.idtoken);
  secrets.add(job.accessToken);
  secrets.add(options.proxy?.password);

  const schemeRaw = (endpoint.scheme ?? '').trim();
  const scheme = schemeRaw.toLowerCase();
  const net: NetworkOptions = { tlsCaPem: options.tlsCaPem, proxy: options.proxy };
  const id = endpoint.id;

  if (scheme === 'publishprofile') {
    throw new UserError(msg('Platform_AuthPublishProfile', id));
  }
  if (!['serviceprincipal', 'managedserviceidentity', 'workloadidentityfederation'].includes(scheme)) {
    throw new UserError(msg('Platform_AuthUnsupportedScheme', id, schemeRaw || msg('Platform_AuthNone')));
  }

  // cloud
  const envKey = (first(data, 'environment') ?? 'AzureCloud').toLowerCase();
  const environment = ENVIRONMENT_NAMES[envKey] ?? first(data, 'environment') ?? 'AzureCloud';
  const isStack = envKey === 'azurestack';
  if (!isStack && !CLOUDS[envKey]) {
    throw new UserError(msg('Platform_AuthUnknownEnvironment', id, environment));
  }
  const armUrl = trimSlashes(endpoint.url || (isStack ? '' : CLOUDS[envKey].armUrl));
  if (!armUrl) throw new UserError(msg('Platform_AuthNoEndpointUrl', id));
  try {
    new URL(armUrl);
  } catch {
    throw new UserError(msg('Platform_AuthEndpointNotUrl', id, armUrl));
  }

  let authority = first(data, 'activeDirectoryAuthority', 'environmentAuthorityUrl');
  let audience = isStack ? first(data, 'activeDirectoryServiceEndpointResourceId') : armUrl;
  if (isStack && (!authority || !audience)) {
    const found = await discoverAzureStack(armUrl, net);
    authority ??= found.loginEndpoint;
    audience ??= found.audience;
  }
  authority ??= defaultAuthorityFor(envKey);
  if (!authority || !audience) throw new UserError(msg('Platform_AuthNoAuthority', id));
  let authorityHost = trimSlashes(authority);
  audience = trimSlashes(audience);
  const scope = `${audience}/.default`;

  let tenantId = first(auth, 'tenantid') ?? '';
  const adfs = /\/adfs$/i.test(authorityHost) || (first(data, 'EnableAdfsAuthentication') ?? '').toLowerCase() === 'true';
  if (adfs) {
    tenantId = 'adfs';
    if (!/\/adfs$/i.test(authorityHost)) authorityHost = `${authorityHost}/adfs`;
  }
  const disableInstanceDiscovery = !isPublicAuthorityHost(authorityHost);

  // scope: subscription, and resource group / workspace for AzureMLWorkspace-scoped (or RG-scoped) connections
  const subscriptionId = first(data, 'subscriptionId');
  const scoped = fromScope(auth.scope);
  const mlScoped = (first(data, 'scopeLevel') ?? '').toLowerCase() === 'azuremlworkspace';
  const resourceGroup = (mlScoped ? first(data, 'resourceGroupName') : undefined) ?? scoped.resourceGroup;
  const workspace = (mlScoped ? first(data, 'mlWorkspaceName') : undefined) ?? scoped.workspace;

  const common = {
    authorityHost,
    disableInstanceDiscovery,
    proxyOptions: proxyOptionsFor(authorityHost, options.proxy),
    additionalPolicies: [{ policy: networkPolicy(net), position: 'perRetry' as const }],
  };

  let inner: TokenCredential;
  let identity: string;
  let canonicalScheme: string;
  if (scheme === 'managedserviceidentity') {
    canonicalScheme = 'ManagedServiceIdentity';
    const clientId = first(data, 'msiclientid');
    // no proxy and no TLS options: IMDS is plain HTTP on a link-local address (see the header comment)
    inner = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    identity = clientId ? msg('Platform_AuthIdentityUserAssigned', clientId) : msg('Platform_AuthIdentitySystemAssigned');
    if (!tenantId) tenantId = first(auth, 'tenantid') ?? '';
  } else {
    const clientId = first(auth, 'serviceprincipalid');
    if (!tenantId) throw new UserError(msg('Platform_AuthNoTenant', id));
    if (!clientId) throw new UserError(msg('Platform_AuthNoClientId', id));
    if (scheme === 'serviceprincipal') {
      canonicalScheme = 'ServicePrincipal';
      const kind = (first(auth, 'authenticationType') ?? 'spnKey').toLowerCase();
      if (kind === 'spncertificate') {
        const pem = auth.serviceprincipalcertificate;
        if (!pem || !/-----BEGIN CERTIFICATE-----/.test(pem) || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
          throw new UserError(msg('Platform_AuthBadCertificate', id));
        }
        inner = new ClientCertificateCredential(tenantId, clientId, { certificate: pem }, common);
        identity = msg('Platform_AuthIdentityCertificate', clientId);
      } else if (kind === 'spnkey') {
        const secret = auth.serviceprincipalkey;
        if (!secret) throw new UserError(msg('Platform_AuthNoKey', id));
        inner = new ClientSecretCredential(tenantId, clientId, secret, common);
        identity = msg('Platform_AuthIdentitySecret', clientId);
      } else {
        throw new UserError(msg('Platform_AuthUnsupportedAuthenticationType', id, first(auth, 'authenticationType') ?? ''));
      }
    } else {
      canonicalScheme = 'WorkloadIdentityFederation';
      const getAssertion = federatedAssertion(endpoint.id, auth, job, secrets, net);
      inner = new ClientAssertionCredential(tenantId, clientId, getAssertion, common);
      identity = msg('Platform_AuthIdentityFederated', clientId);
    }
  }

  return {
    credential: new DescribedCredential(inner, msg('Platform_AuthWho', id, identity, tenantId || msg('Platform_AuthNone'), authorityHost)),
    armUrl,
    scope,
    audience,
    authorityHost,
    tenantId,
    environment,
    subscriptionId,
    resourceGroup,
    workspace,
    scheme: canonicalScheme,
    identity,
  };
}

/** The OIDC request URL of the job: System.OidcRequestUri, or built from the collection, project, hub, plan and job. */
export function oidcRequestUrl(job: JobContext): string | undefined {
  if (job.oidcRequestUri) return job.oidcRequestUri.trim();
  if (job.collectionUri && job.projectId && job.hostType && job.planId && job.jobId) {
    const base = job.collectionUri.endsWith('/') ? job.collectionUri : `${job.collectionUri}/`;
    return `${base}${job.projectId}/_apis/distributedtask/hubs/${job.hostType}/plans/${job.planId}/jobs/${job.jobId}/oidctoken`;
  }
  return undefined;
}

/** getAssertion for WIF: a fresh OIDC token for the service connection from Azure DevOps (registered as a secret). */
function federatedAssertion(endpointId: string, auth: Record<string, string>, job: JobContext, secrets: SecretSink, net: NetworkOptions): () => Promise<string> {
  const base = oidcRequestUrl(job);
  const lateBound = auth.idtoken;
  return async () => {
    if (!base) {
      if (lateBound) return lateBound;
      throw new UserError(msg('Platform_AuthWifNoRequestUri'));
    }
    if (!job.accessToken) {
      throw new UserError(msg('Platform_AuthWifNoAccessToken'));
    }
    const url = `${base}?api-version=7.1&serviceConnectionId=${encodeURIComponent(endpointId)}`;
    let res;
    try {
      res = await sendSimple('POST', url, net, {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${job.accessToken}`,
        'x-tfs-fedauthredirect': 'Suppress',
      }, '{}');
    } catch (e) {
      throw new UserError(msg('Platform_AuthOidcUnreachable', endpointId, new URL(base).origin, summariseAuthError(e)));
    }
    let parsed: { oidcToken?: string; message?: string } = {};
    try {
      parsed = JSON.parse(res.bodyText) as typeof parsed;
    } catch {
      /* not JSON */
    }
    if (res.status === 200 && typeof parsed.oidcToken === 'string' && parsed.oidcToken) {
      secrets.add(parsed.oidcToken);
      return parsed.oidcToken;
    }
    const why = typeof parsed.message === 'string' ? parsed.message.split(/\r?\n/)[0] : undefined;
    const sentence =
      why === undefined
        ? msg('Platform_AuthOidcNotIssued', endpointId, res.status)
        : msg('Platform_AuthOidcNotIssuedBecause', endpointId, res.status, why);
    const refused = res.status === 401 || res.status === 403;
    throw new UserError(refused ? `${sentence} ${msg('Platform_AuthOidcRefused')}` : sentence);
  };
}
