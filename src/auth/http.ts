/**
 * The few plain HTTP calls sign-in makes itself (the Azure DevOps OIDC token, Azure Stack's
 * /metadata/endpoints), through @azure/core-rest-pipeline so they honour the same proxy and trusted
 * certificates as the identity credentials, with its default retry policy (429/5xx/network) and a
 * per-attempt timeout that never outlives the attempt.
 */
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
} from '@azure/core-rest-pipeline';
import { attemptTimeoutPolicy, networkPolicy, proxyOptionsFor, type NetworkOptions } from '../core/network';

export type { NetworkOptions } from '../core/network';

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
  // timeout 0: the per-attempt timeout is attemptTimeoutPolicy's (see src/core/network.ts for why)
  const request = createPipelineRequest({ url, method, headers: createHttpHeaders(headers), body, timeout: 0 });
  const pipeline = createPipelineFromOptions({
    proxyOptions: proxyOptionsFor(url, net.proxy),
    retryOptions: { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 8000 },
    userAgentOptions: { userAgentPrefix: 'AzureMLConnections' },
  });
  pipeline.addPolicy(networkPolicy(net), { afterPhase: 'Sign' });
  pipeline.addPolicy(attemptTimeoutPolicy(timeoutMs), { afterPhase: 'Sign' });
  const response = await pipeline.sendRequest(sharedClient, request);
  return { status: response.status, bodyText: response.bodyAsText ?? '', headers: response.headers.toJSON() };
}
