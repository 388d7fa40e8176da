/**
 * A small Azure Resource Manager client on @azure/core-rest-pipeline: bearer auth, the library's
 * retry strategies (throttling 429/503 with Retry-After, exponential backoff for 408/5xx and
 * transport errors), the agent's proxy and extra CA, and one error type (ArmError).
 *
 * Nothing here logs: the pipeline has no logPolicy, and `onRequest` only ever sees the method, URL,
 * status, attempt number and duration. Error messages never contain a request body, and the service
 * message is scrubbed of any credential value that was sent.
 */
import type { TokenCredential } from '@azure/identity';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createEmptyPipeline,
  createPipelineRequest,
  decompressResponsePolicy,
  defaultRetryPolicy,
  isRestError,
  setClientRequestIdPolicy,
  userAgentPolicy,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelinePolicy,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { ArmError, UserError } from '../core/errors';
import { attemptTimeoutPolicy, contextFor, goesThroughProxy, networkPolicy, type NetworkOptions } from '../core/network';
import { WarmingAgent } from '../core/warm-agent';
import { SecretSet } from '../core/secrets';
import { msg } from '../messages';
import { ArmThrottle } from './throttle';
import type { Clock } from '../core/clock';

/**
 * Retries of 408/5xx answers and lost connections (exponential backoff: retry k waits between half and
 * all of retryDelayInMs × 2^k) and of 429/503 with Retry-After (waits what the service says).
 *
 * The defaults are finer than the library's (3 retries from 1000 ms): a transient fault (a reset
 * connection, a 500) costs 125–250 ms instead of 500–1000 ms, which is what lets an apply meeting
 * many of them finish close to the time of a clean one, while the patience for a longer outage grows:
 * six retries span at least 7.9 s and at most 15.75 s (the library's three: 3.5 s to 7 s).
 */
export interface ArmRetryOptions {
  /** default 6 */
  maxRetries?: number;
  /** base of the exponential backoff; default 250 */
  retryDelayInMs?: number;
  /** cap of one backoff delay; default 30000 */
  maxRetryDelayInMs?: number;
}

export const DEFAULT_ARM_RETRY: Required<ArmRetryOptions> = { maxRetries: 6, retryDelayInMs: 250, maxRetryDelayInMs: 30_000 };

/** What `onRequest` sees for every attempt. Never bodies, never headers. */
export interface ArmRequestInfo {
  method: string;
  url: string;
  /** undefined when no response arrived (connection reset, timeout, ...) */
  status?: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
}

/** `proxy` and `tlsCaPem` (the agent's proxy and extra CA): see src/core/network. */
export interface ArmClientOptions extends NetworkOptions {
  /** the cloud's ARM endpoint, e.g. `https://management.azure.com` */
  armUrl: string;
  credential: TokenCredential;
  /** e.g. `https://management.azure.com/.default` */
  scope: string;
  apiVersion: string;
  /** prefix of the User-Agent, e.g. `AzureMLConnections/1.0.0 (AzureMLConnectionCreate@1)` */
  userAgent: string;
  retry?: ArmRetryOptions;
  /** per attempt, until the whole response is read; default 100000; 0 = none */
  timeoutInMs?: number;
  /** replaces the default Node HTTP client (tests) */
  httpClient?: HttpClient;
  /** paces every attempt by ARM's budgets and the run's adaptive pools (one per run, shared by its pipelines; default: one of its own) */
  throttle?: ArmThrottle;
  /** the clock of the client's own throttle, when none is given (tests) */
  clock?: Clock;
  /** the keep-alive agent of the requests that go direct, with any connections it opened ahead (default: one of its own) */
  agent?: WarmingAgent;
  onRequest?: (info: ArmRequestInfo) => void;
}

export interface ArmResponse<T> {
  status: number;
  /** parsed JSON; undefined when the response had no body */
  body: T;
  headers: Record<string, string>;
}

export interface ArmSendOptions {
  abortSignal?: AbortSignal;
}

const DEFAULT_TIMEOUT_IN_MS = 100_000;

export class ArmClient {
  readonly armUrl: string;
  readonly apiVersion: string;
  private readonly origin: string;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  /** the keep-alive agent of the requests that go direct (not through a proxy) */
  private readonly agent: WarmingAgent;
  private readonly net: NetworkOptions;

  constructor(options: ArmClientOptions) {
    const base = new URL(options.armUrl);
    if (base.protocol !== 'https:') throw new UserError(msg('Platform_ArmUrlNotHttps', options.armUrl));
    if (!options.apiVersion) throw new TypeError('An api-version is required.');
    this.armUrl = base.href.replace(/\/+$/, '');
    this.origin = base.origin;
    this.apiVersion = options.apiVersion;
    this.httpClient = options.httpClient ?? createDefaultHttpClient();
    this.net = { proxy: options.proxy, tlsCaPem: options.tlsCaPem };
    this.agent = options.agent ?? new WarmingAgent();
    this.pipeline = buildPipeline(options, this.agent);
  }

  /**
   * Opens connections to ARM until `count` are open, for requests about to be sent (see
   * src/core/warm-agent.ts); none through a proxy. Returns how many it opened.
   */
  preconnect(count: number): number {
    if (goesThroughProxy(this.armUrl, this.net)) return 0;
    return this.agent.preconnect(this.armUrl, count, contextFor(this.net));
  }

  /**
   * Send one JSON request. `pathOrUrl` is either a path (with optional query) below the ARM URL,
   * which gets `api-version`, or an absolute URL from the service (nextLink, Location), which is
   * followed verbatim (api-version is added only when it has none) and must be on the ARM host.
   * Any non-2xx status, and any failure to get a response, throws an ArmError.
   */
  async send<T = unknown>(method: HttpMethods, pathOrUrl: string, body?: unknown, options: ArmSendOptions = {}): Promise<ArmResponse<T>> {
    const url = this.resolve(pathOrUrl);
    // timeout 0: the per-attempt timeout is attemptTimeoutPolicy's (see src/core/network.ts for why)
    const request = createPipelineRequest({ url, method, timeout: 0, abortSignal: options.abortSignal });
    request.headers.set('Accept', 'application/json');
    if (body !== undefined) {
      request.headers.set('Content-Type', 'application/json; charset=utf-8');
      request.body = JSON.stringify(body);
    }

    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.httpClient, request);
    } catch (e) {
      throw transportError(e, method, url);
    }

    const requestId = requestIdOf(response);
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse(response, method, url, credentialValuesIn(body));
    }
    let parsed: unknown;
    const text = response.bodyAsText;
    if (text && text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ArmError(msg('Platform_ArmInvalidJson', method, pathOf(url)), response.status, 'InvalidResponse', requestId, method, url);
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers.toJSON() };
  }

  /** The full URL for a path or a service-given absolute URL; see `send`. */
  resolve(pathOrUrl: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
      const url = new URL(pathOrUrl);
      if (url.origin !== this.origin) {
        // The bearer token must never go to another host.
        throw new ArmError(msg('Platform_ArmUntrustedLink', url.origin, this.origin), undefined, 'UntrustedLink', undefined);
      }
      return hasApiVersion(pathOrUrl) ? pathOrUrl : appendQuery(pathOrUrl, `api-version=${encodeURIComponent(this.apiVersion)}`);
    }
    if (!pathOrUrl.startsWith('/')) throw new TypeError(`An ARM path must start with '/': ${pathOrUrl}`);
    const url = this.armUrl + pathOrUrl;
    return hasApiVersion(url) ? url : appendQuery(url, `api-version=${encodeURIComponent(this.apiVersion)}`);
  }
}

function buildPipeline(options: ArmClientOptions, agent: WarmingAgent): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(networkPolicy(options, agent));
  pipeline.addPolicy(decompressResponsePolicy());
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgent }));
  pipeline.addPolicy(setClientRequestIdPolicy());
  pipeline.addPolicy(
    defaultRetryPolicy({
      maxRetries: options.retry?.maxRetries ?? DEFAULT_ARM_RETRY.maxRetries,
      retryDelayInMs: options.retry?.retryDelayInMs ?? DEFAULT_ARM_RETRY.retryDelayInMs,
      maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? DEFAULT_ARM_RETRY.maxRetryDelayInMs,
    }),
    { phase: 'Retry' },
  );
  const throttle = options.throttle ?? new ArmThrottle({ maxParallel: 'auto', clock: options.clock });
  pipeline.addPolicy(throttle.policy(), { phase: 'Retry', afterPolicies: ['defaultRetryPolicy'] });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }), { phase: 'Sign' });
  pipeline.addPolicy(attemptPolicy(options.onRequest), { phase: 'Sign' });
  pipeline.addPolicy(attemptTimeoutPolicy(options.timeoutInMs ?? DEFAULT_TIMEOUT_IN_MS), { phase: 'Sign', afterPolicies: ['armAttemptPolicy'] });
  return pipeline;
}

/** Per attempt (inside the retry policy, outside its timeout): reports the attempt to `onRequest`. */
export function attemptPolicy(onRequest: ArmClientOptions['onRequest']): PipelinePolicy {
  const attempts = new WeakMap<object, number>();
  return {
    name: 'armAttemptPolicy',
    async sendRequest(request, next) {
      const attempt = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, attempt);
      const started = performance.now();
      let status: number | undefined;
      try {
        const response = await next(request);
        status = response.status;
        return response;
      } catch (e) {
        if (isRestError(e)) status = e.statusCode;
        throw e;
      } finally {
        onRequest?.({ method: request.method, url: request.url, status, attempt, durationMs: Math.round(performance.now() - started) });
      }
    },
  };
}

/** A failure without an HTTP response, as an ArmError; other errors (e.g. from the credential) are rethrown. */
function transportError(e: unknown, method: string, url: string): ArmError {
  if (e instanceof ArmError) return e;
  const host = new URL(url).host;
  if (e instanceof Error && e.name === 'AbortError') {
    return new ArmError(msg('Platform_ArmCancelled', host), undefined, 'Aborted', undefined, method, url);
  }
  if (isRestError(e)) {
    const status = e.statusCode ?? e.response?.status;
    const requestId = e.response ? requestIdOf(e.response) : undefined;
    return new ArmError(msg('Platform_ArmUnreachable', host, e.message), status, e.code, requestId, method, url);
  }
  // Anything else (the credential failing to get a token, a bug) is not about ARM: keep it as it is.
  throw e;
}

function errorFromResponse(response: PipelineResponse, method: string, url: string, sentSecrets: SecretSet): ArmError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const parsed: unknown = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    const err = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : parsed;
    if (isRecord(err)) {
      code = typeof err.code === 'string' ? err.code : undefined;
      message = typeof err.message === 'string' && err.message.trim() ? err.message.trim() : undefined;
    }
  } catch {
    // not JSON: the body is not shown, it may be anything
  }
  const text = message ? sentSecrets.redact(message) : msg('Platform_ArmFailedStatus', method, pathOf(url), response.status);
  return new ArmError(text, response.status, code, requestIdOf(response), method, url);
}

/** Every string under a `credentials` key of a request body, so that an echo in an error can be removed. */
function credentialValuesIn(body: unknown): SecretSet {
  const secrets = new SecretSet();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') secrets.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isRecord(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key.toLowerCase() === 'credentials') collect(v);
        else walk(v);
      }
    }
  };
  walk(body);
  return secrets;
}

function requestIdOf(response: PipelineResponse): string | undefined {
  return response.headers.get('x-ms-request-id') ?? response.headers.get('x-ms-correlation-request-id') ?? undefined;
}

function hasApiVersion(url: string): boolean {
  return /[?&]api-version=/i.test(url);
}

function appendQuery(url: string, query: string): string {
  return url + (url.includes('?') ? '&' : '?') + query;
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
