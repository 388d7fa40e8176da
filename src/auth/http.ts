/**
 * The few plain HTTP calls sign-in makes itself (the Azure DevOps OIDC token, Azure Stack's
 * /metadata/endpoints), through @azure/core-rest-pipeline so they honour the same proxy and trusted
 * certificates as the identity credentials, with its default retry policy (429/5xx/network).
 */
import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import type { AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { rootCertificates } from 'node:tls';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  type ProxySettings as CoreProxySettings,
  type TlsSettings,
} from '@azure/core-rest-pipeline';

/** The agent's proxy (task-lib getHttpProxyConfiguration): bypass entries are regular expressions matched against the URL. */
export interface ProxyConfig {
  url: string;
  username?: string;
  password?: string;
  bypass?: string[];
}

export interface NetworkOptions {
  /** an extra trusted CA (PEM); added to Node's bundled roots and NODE_EXTRA_CA_CERTS */
  tlsCaPem?: string;
  proxy?: ProxyConfig;
}

/** Proxy settings in the form @azure/identity's `proxyOptions` and core-rest-pipeline take; undefined when none or bypassed for `target`. */
export function proxyFor(target: string, proxy: ProxyConfig | undefined): CoreProxySettings | undefined {
  if (!proxy?.url) return undefined;
  for (const entry of proxy.bypass ?? []) {
    try {
      if (entry && new RegExp(entry, 'i').test(target)) return undefined;
    } catch {
      /* an entry that is not a regular expression never matches */
    }
  }
  const u = new URL(proxy.url);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return {
    host: `${u.protocol}//${u.hostname}`,
    port,
    username: proxy.username || (u.username ? decodeURIComponent(u.username) : undefined),
    password: proxy.password || (u.password ? decodeURIComponent(u.password) : undefined),
  };
}

/**
 * TLS settings for an extra CA. Node's `ca` option replaces the default trust store, so the bundled
 * roots and the NODE_EXTRA_CA_CERTS file are put back alongside.
 */
export function tlsFor(tlsCaPem: string | undefined): TlsSettings | undefined {
  if (!tlsCaPem) return undefined;
  const ca: string[] = [...rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      ca.push(readFileSync(extra, 'utf8'));
    } catch {
      /* unreadable: Node itself warns about it */
    }
  }
  ca.push(tlsCaPem);
  return { ca: ca.join('\n') };
}

/**
 * core-rest-pipeline drops TLS settings when it routes a request through a proxy ("TLS settings are
 * not supported in combination with custom Proxy"), so an extra CA would be ignored behind a proxy.
 * This policy gives such requests a proxy agent that trusts the CA for the tunnelled TLS connection.
 * Only needed when both a proxy and an extra CA are given; a CA in NODE_EXTRA_CA_CERTS works anyway.
 */
class CaTrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxyUrl: string,
    private readonly ca: string,
  ) {
    super(proxyUrl, { keepAlive: true });
  }
  override async connect(req: ClientRequest, opts: AgentConnectOpts): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, { ...opts, ca: this.ca } as AgentConnectOpts);
  }
}

export function proxyTlsPolicy(net: NetworkOptions): PipelinePolicy | undefined {
  const tls = tlsFor(net.tlsCaPem);
  if (!net.proxy?.url || !tls?.ca) return undefined;
  const settings = proxyFor('', { ...net.proxy, bypass: [] })!;
  const u = new URL(settings.host);
  u.port = String(settings.port);
  if (settings.username) u.username = encodeURIComponent(settings.username);
  if (settings.password) u.password = encodeURIComponent(settings.password);
  const agent = new CaTrustingProxyAgent(u.toString(), String(tls.ca));
  return {
    name: 'azureml-proxy-tls',
    sendRequest(request, next) {
      if (request.url.startsWith('https:') && proxyFor(request.url, net.proxy)) request.agent = agent;
      return next(request);
    },
  };
}

export interface SimpleResponse {
  status: number;
  bodyText: string;
  headers: Record<string, string>;
}

let sharedClient: HttpClient | undefined;

export function pipelineFor(target: string, net: NetworkOptions): Pipeline {
  const pipeline = createPipelineFromOptions({
    proxyOptions: proxyFor(target, net.proxy),
    tlsOptions: tlsFor(net.tlsCaPem),
    retryOptions: { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
    userAgentOptions: { userAgentPrefix: 'AzureMLConnections' },
  });
  const viaProxy = proxyTlsPolicy(net);
  if (viaProxy) pipeline.addPolicy(viaProxy);
  return pipeline;
}

export async function sendSimple(
  method: 'GET' | 'POST',
  url: string,
  net: NetworkOptions,
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 30000,
): Promise<SimpleResponse> {
  sharedClient ??= createDefaultHttpClient();
  const request = createPipelineRequest({ url, method, headers: createHttpHeaders(headers), body, timeout: timeoutMs });
  const response = await pipelineFor(url, net).sendRequest(sharedClient, request);
  return { status: response.status, bodyText: response.bodyAsText ?? '', headers: response.headers.toJSON() };
}
