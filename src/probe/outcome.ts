/** Turning HTTP answers into probe results: one sentence each, with the target's status. */
import { STATUS_CODES } from 'node:http';
import { displayUrl, ProbeNetworkError, type FetchOutcome, type ProbeResponse } from './http';
import type { ProbeKind, ProbeResult } from './types';

export function httpStatusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** A non-success answer: what it means for the credentials. */
export function refused(kind: ProbeKind, what: string, response: ProbeResponse, withCredentials: boolean): ProbeResult {
  const s = response.status;
  const status = httpStatusText(s);
  let detail: string;
  if (s === 401) detail = withCredentials ? `${what} refused the stored credentials (${status})` : `${what} requires credentials and the connection has none (${status})`;
  else if (s === 403) detail = `${what} denied access${withCredentials ? ' with the stored credentials' : ''} (${status})`;
  else if (s === 404) detail = `${what} was not found at ${displayUrl(response.url)} (${status})`;
  else detail = `${what} answered ${status} at ${displayUrl(response.url)}`;
  return { kind, status: 'failed', detail, url: displayUrl(response.url), httpStatus: s };
}

/** Redirect outcomes that end a probe; undefined for a plain response. */
export function redirectProblem(kind: ProbeKind, outcome: FetchOutcome): ProbeResult | undefined {
  if (outcome.kind === 'foreign-redirect') {
    return {
      kind,
      status: 'failed',
      detail:
        `${displayUrl(outcome.response.url)} redirects (${httpStatusText(outcome.response.status)}) to another host, ${outcome.location.host}; ` +
        `credentials are never sent to another host, so the redirect was not followed: set the connection's target to the final address`,
      url: displayUrl(outcome.response.url),
      httpStatus: outcome.response.status,
    };
  }
  if (outcome.kind === 'too-many-redirects') {
    return { kind, status: 'failed', detail: `${displayUrl(outcome.response.url)} keeps redirecting (more than the few redirects followed)`, url: displayUrl(outcome.response.url), httpStatus: outcome.response.status };
  }
  return undefined;
}

export function networkFailure(kind: ProbeKind, e: unknown, url: URL): ProbeResult {
  if (e instanceof ProbeNetworkError) return { kind, status: 'failed', detail: `${e.message}`, url: displayUrl(url) };
  throw e;
}

export function skipped(kind: ProbeKind, reason: string): ProbeResult {
  return { kind, status: 'skipped', detail: `not probed: ${reason}` };
}
