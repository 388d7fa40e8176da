/**
 * The agent's network settings, in one place: its proxy (Agent.ProxyUrl, credentials, bypass list)
 * and its extra trusted CA (Agent.CAInfo), for every @azure/core-rest-pipeline pipeline we build or
 * hand to @azure/identity; and the per-attempt timeout of the pipelines we build (attemptTimeoutPolicy).
 * No task-lib here; src/pipeline/agent.ts reads the settings.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { proxyPolicy, RestError, type PipelinePolicy, type ProxySettings as CoreProxySettings } from '@azure/core-rest-pipeline';
import { msg } from '../messages';

export interface ProxySettings {
  /** e.g. `http://proxy.corp:8888` (credentials may also be given in the URL, percent-encoded) */
  url: string;
  username?: string;
  password?: string;
  /**
   * The agent's bypass list (Agent.ProxyBypassList): regular expressions matched case-insensitively
   * against the whole request URL, as azure-pipelines-task-lib does; an entry that is not a valid
   * regular expression matches its host exactly.
   */
  bypass?: string[];
}

export interface NetworkOptions {
  proxy?: ProxySettings;
  /** an extra trusted CA in PEM, trusted in addition to Node's roots and NODE_EXTRA_CA_CERTS */
  tlsCaPem?: string;
}

/** Whether `url` goes direct, by the agent's bypass semantics. */
export function isBypassed(url: string, bypass: readonly string[] | undefined): boolean {
  return (bypass ?? []).some((entry) => {
    if (!entry.trim()) return false;
    try {
      return new RegExp(entry, 'i').test(url);
    } catch {
      return new URL(url).hostname.toLowerCase() === entry.trim().toLowerCase();
    }
  });
}

/** Whether a request to `url` goes through the agent's proxy (there is one, and no bypass entry matches). */
export function goesThroughProxy(url: string, net: NetworkOptions): boolean {
  return !!net.proxy?.url && !isBypassed(url, net.proxy.bypass);
}

/** Node replaces its roots when `ca` is given, so keep them (and NODE_EXTRA_CA_CERTS) beside the extra CA. */
export function trustedCertificates(extraPem: string): string[] {
  const out = [...rootCertificates];
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      out.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS; nothing to add.
    }
  }
  out.push(extraPem);
  return out;
}

/**
 * The proxy in the form core-rest-pipeline's proxyPolicy and @azure/identity's `proxyOptions` take;
 * undefined when there is none or `target` bypasses it. The library puts the credentials into a URL
 * with the userinfo setters (which leave '%' alone) and the proxy agent decodes them again, so they
 * go in percent-encoded: 'p%ss' would otherwise be a malformed URI.
 */
export function proxyOptionsFor(target: string, proxy: ProxySettings | undefined): CoreProxySettings | undefined {
  if (!proxy || !goesThroughProxy(target, { proxy })) return undefined;
  const u = new URL(proxy.url);
  return {
    host: `${u.protocol}//${u.hostname}`,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    username: proxy.username ? encodeURIComponent(proxy.username) : u.username || undefined,
    password: proxy.password ? encodeURIComponent(proxy.password) : u.password || undefined,
  };
}

const secureContexts = new Map<string, SecureContext>();

/**
 * The TLS context that trusts Node's roots and the extra CA: made once per CA and process, at the first
 * request that needs it. (Handing each request `ca` instead makes Node build a context from every root
 * certificate for each new connection — about half a millisecond of CPU each, and a run opens dozens.)
 */
export function trustingContext(extraPem: string): SecureContext {
  let context = secureContexts.get(extraPem);
  if (!context) {
    context = createSecureContext({ ca: trustedCertificates(extraPem) });
    secureContexts.set(extraPem, context);
  }
  return context;
}

let nodeTrust: SecureContext | undefined;

/** The TLS context networkPolicy gives a request that has no TLS settings of its own. */
export function contextFor(net: NetworkOptions): SecureContext {
  return net.tlsCaPem ? trustingContext(net.tlsCaPem) : defaultContext();
}

/** Node's own trust (its roots and NODE_EXTRA_CA_CERTS), as a context made once per process. */
export function defaultContext(): SecureContext {
  return (nodeTrust ??= createSecureContext());
}

/**
 * Makes a pipeline honour the proxy (per request, with the agent's bypass semantics) and the extra
 * CA. The CA's TLS context travels in the request options, which reach the TLS connection both directly
 * and through the proxy agent; core-rest-pipeline's tlsSettings are dropped behind a proxy. Without an
 * extra CA (and without a library's own tlsSettings) the request still gets one shared context, of Node's
 * own trust, rather than a new one per connection. With `agent`, requests that go direct use it (a
 * WarmingAgent, src/core/warm-agent.ts, that the caller can open connections ahead with).
 * Add it after any proxyPolicy of the library's (for @azure/identity: additionalPolicies, perRetry).
 */
export function networkPolicy(net: NetworkOptions, agent?: Agent): PipelinePolicy {
  const extraPem = net.tlsCaPem;
  const settings = proxyOptionsFor('', net.proxy && { ...net.proxy, bypass: [] });
  const viaProxy = settings && proxyPolicy(settings, { customNoProxyList: [] });
  return {
    name: 'agentNetworkPolicy',
    sendRequest(request, next) {
      if (extraPem) {
        request.tlsSettings = undefined;
        request.requestOverrides = { ...request.requestOverrides, secureContext: trustingContext(extraPem) };
      } else if (!request.tlsSettings && !request.requestOverrides?.secureContext) {
        request.requestOverrides = { ...request.requestOverrides, secureContext: defaultContext() };
      }
      if (viaProxy && goesThroughProxy(request.url, net)) return viaProxy.sendRequest(request, next);
      if (agent && !request.tlsSettings) request.agent ??= agent;
      return next(request);
    },
  };
}

/**
 * The per-attempt timeout of a pipeline, enforced here rather than by the HTTP client: add it inside
 * the retry policy (after the Retry phase) and create requests with `timeout: 0`.
 *
 * Why not `request.timeout`: the Node HTTP client of @typespec/ts-http-runtime 0.3.6 starts a timer
 * of `request.timeout` ms for each attempt and clears it only when the response headers arrive. When
 * the connection is reset instead, the timer stays armed and keeps the process alive for the whole
 * timeout (100 s for ARM) after the task's work is done.
 *
 * Here each attempt gets its own AbortController, tied to the caller's abortSignal, and one unref'd
 * timer that is cleared whatever the outcome. The timer covers the whole attempt (headers and body).
 * An attempt that times out fails with a RestError of code ETIMEDOUT, which the retry strategies
 * retry like any other transport error; the caller's own abort stays an abort.
 */
export function attemptTimeoutPolicy(timeoutInMs: number): PipelinePolicy {
  return {
    name: 'attemptTimeoutPolicy',
    async sendRequest(request, next) {
      if (!(timeoutInMs > 0)) return next(request);
      const callerSignal = request.abortSignal;
      if (callerSignal?.aborted) return next(request); // the client throws its AbortError
      const attempt = new AbortController();
      const onCallerAbort = () => attempt.abort();
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeoutInMs);
      timer.unref();
      request.abortSignal = attempt.signal;
      try {
        return await next(request);
      } catch (e) {
        if (timedOut && !callerSignal?.aborted) throw new RestError(msg('Platform_RequestTimedOut', timeoutInMs), { code: 'ETIMEDOUT', request });
        throw e;
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        request.abortSignal = callerSignal;
      }
    },
  };
}

/**
 * Settles once the first request to `origin` whose path starts with `pathPrefix` has been written out
 * (its ClientRequest 'finish': connected, TLS done, sent) or has failed — seen through Node's
 * `http.client.request.start` diagnostics channel, so it covers whichever pipeline sends it. For work that
 * should run while that request is in flight rather than before it goes out.
 */
export function requestWritten(origin: string, pathPrefix: string): Promise<void> {
  const host = new URL(origin).host.toLowerCase();
  return new Promise<void>((resolve) => {
    const onStart = (message: unknown): void => {
      const request = (message as { request?: ClientRequestLike }).request;
      if (String(request?.getHeader('host') ?? '').toLowerCase() !== host || !request?.path?.startsWith(pathPrefix)) return;
      unsubscribe('http.client.request.start', onStart);
      request.once('finish', () => resolve());
      request.once('error', () => resolve());
      request.once('close', () => resolve());
    };
    subscribe('http.client.request.start', onStart);
  });
}

interface ClientRequestLike {
  path?: string;
  getHeader(name: string): unknown;
  once(event: 'finish' | 'error' | 'close', listener: () => void): void;
}
