/** What a probe needs and what it finds. No task-lib, no ARM: plain data in, plain data out. */
import type { ProxySettings } from '../core/network';
import type { SecretSink } from '../core/secrets';

/** How the probe reached (or did not reach) the target. */
export type ProbeKind = 'git' | 'python-feed' | 'container-registry' | 'tls' | 'none';

/**
 * ok: the target answered as expected with the stored credentials (or anonymously, for authType None);
 * failed: it did not (the detail says why, with the target's HTTP status where there was one);
 * skipped: not probed, and the detail says why (not an https URL, credentials that cannot be used from here).
 */
export type ProbeStatus = 'ok' | 'failed' | 'skipped';

export interface ProbeResult {
  kind: ProbeKind;
  status: ProbeStatus;
  /** one plain sentence, never holding a secret */
  detail: string;
  /** the URL probed last, without any user information */
  url?: string;
  /** the HTTP status that decided the outcome, when there was one */
  httpStatus?: number;
  /** a failure below HTTP: its code (ENOTFOUND, EAI_AGAIN, ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, a TLS code …) */
  networkCode?: string;
}

/** The codes that mean the target could not be resolved or reached at all (not a TLS or protocol problem). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** One connection as the probe sees it. `credentials` are the stored ones (listsecrets), undefined when unknown. */
export interface ProbeTarget {
  name: string;
  category: string;
  authType: string;
  target: string;
  credentials: Record<string, unknown> | undefined;
}

/** The agent's proxy, as everywhere else (src/core/network). */
export type ProbeProxy = ProxySettings;

export interface ProbeOptions {
  /** the longest wait for one request, connect to last byte */
  timeoutMs: number;
  /** same-origin redirects followed at most (default 3); a redirect to another origin is never followed */
  maxRedirects?: number;
  proxy?: ProbeProxy;
  /** an extra trusted CA (the agent's Agent.CAInfo), added to Node's roots and NODE_EXTRA_CA_CERTS */
  caPem?: string;
  /** values derived from credentials (Basic header values, bearer tokens) are registered here before use */
  secrets: SecretSink;
  /** User-Agent sent with every request */
  userAgent?: string;
}
