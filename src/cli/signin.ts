/**
 * The command line's sign-in: @azure/identity's DefaultAzureCredential (environment variables, workload
 * identity, managed identity, Azure CLI / Azure Developer CLI / Azure PowerShell sign-in), for one cloud
 * (`--cloud`) or an ARM endpoint of its own (`--arm-endpoint`: Azure Stack Hub, or a local stand-in, whose
 * authority and token audience come from its /metadata/endpoints). AZURE_AUTHORITY_HOST, when set, is the
 * authority. MSAL's instance discovery is off for every authority it does not know (a sovereign, private
 * or local one), as for the tasks. The proxy (HTTPS_PROXY, NO_PROXY) and NODE_EXTRA_CA_CERTS are the
 * command line's equivalents of the agent's proxy and trusted certificates.
 */
import { DefaultAzureCredential, type AccessToken, type GetTokenOptions, type TokenCredential } from '@azure/identity';
import { UserError } from '../core/errors';
import { networkPolicy, proxyOptionsFor, type NetworkOptions, type ProxySettings } from '../core/network';
import type { SecretSink } from '../core/secrets';
import { DescribedCredential, summariseAuthError } from '../auth';
import { CLOUDS, ENVIRONMENT_NAMES, isPublicAuthorityHost, trimSlashes } from '../auth/clouds';
import { sendSimple } from '../auth/http';
import { msg } from '../messages';
import type { ArmSignIn } from '../workspace/connect';
import type { Env } from './output';

/** The clouds `--cloud` names (Azure Stack Hub is `--arm-endpoint`). */
export const CLOUD_NAMES: readonly string[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'];

export interface CloudChoice {
  /** AzureCloud, ..., or the ARM endpoint URL */
  name: string;
  /** no trailing slash */
  armUrl: string;
  /** the cloud's authority; undefined for an ARM endpoint (its /metadata/endpoints says) */
  authorityHost?: string;
}

/** `--cloud NAME` (default AzureCloud) or `--arm-endpoint URL`; undefined with the sentence to show when neither is usable. */
export function chooseCloud(cloud: string | undefined, armEndpoint: string | undefined): CloudChoice | string {
  if (cloud !== undefined && armEndpoint !== undefined) return msg('Cli_UsageCloudAndEndpoint');
  if (armEndpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(armEndpoint.trim());
    } catch {
      return msg('Cli_UsageArmEndpointNotUrl', armEndpoint);
    }
    if (url.protocol !== 'https:') return msg('Cli_UsageArmEndpointNotUrl', armEndpoint);
    return { name: trimSlashes(url.href), armUrl: trimSlashes(url.href) };
  }
  const key = (cloud ?? 'AzureCloud').trim().toLowerCase();
  const name = CLOUD_NAMES.find((c) => c.toLowerCase() === key);
  if (!name) return msg('Cli_UsageNotOneOf', '--cloud', cloud ?? '', CLOUD_NAMES.join(', '));
  const defaults = CLOUDS[key] as { armUrl: string; authorityHost: string };
  return { name: ENVIRONMENT_NAMES[key] ?? name, armUrl: defaults.armUrl, authorityHost: defaults.authorityHost };
}

/**
 * The proxy from HTTPS_PROXY (or HTTP_PROXY, either case), with NO_PROXY's hosts (`host`, `.host`,
 * `host:port`; each also matches its subdomains) as the bypass list; none when NO_PROXY is `*`.
 */
export function proxyFromEnv(env: Env, secrets: SecretSink): ProxySettings | undefined {
  const raw = (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy || '').trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new UserError(msg('Cli_ProxyNotUrl'));
  }
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  secrets.add(password);
  secrets.add(url.password);
  const entries = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.includes('*')) return undefined;
  return {
    url: `${url.protocol}//${url.host}`,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password,
    bypass: entries.map(noProxyPattern),
  };
}

/** A NO_PROXY entry as the agent-style bypass pattern (a regular expression over the whole URL). */
export function noProxyPattern(entry: string): string {
  const m = /^(?:\*?\.)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
  const host = (m?.[1] ?? entry).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const port = m?.[2] ? `:${m[2]}` : '(?::\\d+)?';
  return `^[a-z][a-z0-9+.-]*://(?:[^/@]*@)?(?:[^/@]*\\.)?${host}${port}(?:[/?#]|$)`;
}

/** Which identity DefaultAzureCredential will use, as far as the environment tells (for the log line and errors). */
export function describeIdentity(env: Env): string {
  const clientId = env.AZURE_CLIENT_ID;
  if (clientId && env.AZURE_TENANT_ID && env.AZURE_CLIENT_SECRET) return msg('Platform_AuthIdentitySecret', clientId);
  if (clientId && env.AZURE_TENANT_ID && env.AZURE_CLIENT_CERTIFICATE_PATH) return msg('Platform_AuthIdentityCertificate', clientId);
  if (clientId && env.AZURE_FEDERATED_TOKEN_FILE) return msg('Platform_AuthIdentityFederated', clientId);
  return msg('Cli_IdentityDefault');
}

interface Endpoints {
  loginEndpoint: string;
  audience: string;
}

/** An ARM endpoint's authority and token audience, from its /metadata/endpoints (as Azure Stack Hub publishes them). */
async function discover(armUrl: string, net: NetworkOptions): Promise<Endpoints> {
  const url = `${armUrl}/metadata/endpoints?api-version=2015-01-01`;
  let why: string;
  try {
    const res = await sendSimple('GET', url, net, { accept: 'application/json' });
    const body = res.status === 200 ? (JSON.parse(res.bodyText) as { authentication?: { loginEndpoint?: string; audiences?: string[] } }) : undefined;
    const loginEndpoint = body?.authentication?.loginEndpoint;
    const audience = body?.authentication?.audiences?.[0];
    if (loginEndpoint && audience) return { loginEndpoint, audience };
    why = body ? msg('Cli_EndpointsIncomplete') : `HTTP ${res.status}`;
  } catch (e) {
    why = summariseAuthError(e);
  }
  throw new UserError(msg('Cli_EndpointsUnreadable', url, why));
}

/** Signs in for the chosen cloud; the credential fails with one sentence naming the identity and the authority. */
export async function signIn(cloud: CloudChoice, options: { tenant?: string; env: Env; net: NetworkOptions }): Promise<Omit<ArmSignIn, 'subscriptionId'>> {
  const found = cloud.authorityHost ? undefined : await discover(cloud.armUrl, options.net);
  const authorityHost = trimSlashes(options.env.AZURE_AUTHORITY_HOST || found?.loginEndpoint || (cloud.authorityHost as string));
  const audience = trimSlashes(found?.audience ?? cloud.armUrl);
  const identity = describeIdentity(options.env);
  const chain = new DefaultAzureCredential({
    authorityHost,
    disableInstanceDiscovery: !isPublicAuthorityHost(authorityHost),
    tenantId: options.tenant,
    proxyOptions: proxyOptionsFor(authorityHost, options.net.proxy),
    additionalPolicies: [{ policy: networkPolicy(options.net), position: 'perRetry' }],
  });
  return {
    credential: new DescribedCredential(new OneLineChain(chain), msg('Cli_SignInWho', identity, authorityHost)),
    armUrl: cloud.armUrl,
    scope: `${audience}/.default`,
    environment: cloud.name,
    scheme: identity,
  };
}

/** DefaultAzureCredential fails with one error per credential it tried: their first lines, joined, make the reason. */
class OneLineChain implements TokenCredential {
  constructor(private readonly chain: TokenCredential) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      return await this.chain.getToken(scopes, options);
    } catch (e) {
      const each = (e as { errors?: unknown[] } | undefined)?.errors;
      if (!Array.isArray(each) || each.length === 0) throw e;
      throw new Error(each.map((x) => summariseAuthError(x)).join(' | '));
    }
  }
}
