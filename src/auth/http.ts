/**
 * The few plain HTTP calls sign-in makes itself (the Azure DevOps OIDC token, Azure Stack's
 * /metadata/endpoints), through @azure/core-rest-pipeline so they honour the same proxy and trusted
 * certificates as the identity credentials, with its default retry policy (429/5xx/network).
 */
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type ProxySettings as CoreProxySettings,
} from '@azure/core-rest-pipeline';
import { networkPolicy, proxyOptionsFor, trustedCertificates, type NetworkOptions, type ProxySettings } from '../core/network';

export type { NetworkOptions } from '../core/network';

/**
 * @deprecated for src/probe only (decoded credentials, joined CA); use src/core/network:
 * isBypassed, proxyOptionsFor, trustedCertificates.
 */
export function proxyFor(target: string, proxy: ProxySettings | undefined): CoreProxySettings | undefined {
  const s = proxyOptionsFor(target, proxy);
  const decode = (v: string | undefined): string | undefined => (v ? decodeURIComponent(v) : undefined);
  return s && { ...s, username: decode(s.username), password: decode(s.password) };
}

/** @deprecated for src/probe only; see proxyFor. */
export function tlsFor(tlsCaPem: string | undefined): { ca: string } | undefined {
  return tlsCaPem ? { ca: trustedCertificates(tlsCaPem).join('\n') } : undefined;
}

export interface SimpleResponse {
  status: number;
  bodyText: string;
  headers: Record<string, string>;
}

let sharedClient: HttpClient | undefined;

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
  const pipeline = createPipelineFromOptions({
    proxyOptions: proxyOptionsFor(url, net.proxy),
    retryOptions: { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
    userAgentOptions: { userAgentPrefix: 'AzureMLConnections' },
  });
  pipeline.addPolicy(networkPolicy(net), { afterPhase: 'Sign' });
  const response = await pipeline.sendRequest(sharedClient, request);
  return { status: response.status, bodyText: response.bodyAsText ?? '', headers: response.headers.toJSON() };
}
