/** Turning HTTP answers into probe results: one sentence each, with the target's status. */
import { STATUS_CODES } from 'node:http';
import { displayUrl, fetchWithinOrigin, ProbeNetworkError, type FetchOutcome, type ProbeResponse } from './http';
import type { ProbeKind, ProbeOptions, ProbeResult } from './types';
import { msg } from '../messages';

export function httpStatusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** A non-success answer: what it means for the credentials. `what` is one of the Verify_Subject* words. */
export function refused(kind: ProbeKind, what: string, response: ProbeResponse, withCredentials: boolean): ProbeResult {
  const s = response.status;
  const status = httpStatusText(s);
  let detail: string;
  if (s === 401) detail = msg(withCredentials ? 'Verify_RefusedCredentials' : 'Verify_RequiresCredentials', what, status);
  else if (s === 403) detail = msg(withCredentials ? 'Verify_DeniedWithCredentials' : 'Verify_Denied', what, status);
  else if (s === 404) detail = msg('Verify_NotFoundAt', what, displayUrl(response.url), status);
  else detail = msg('Verify_AnsweredAt', what, status, displayUrl(response.url));
  return { kind, status: 'failed', detail, url: displayUrl(response.url), httpStatus: s };
}

/** Redirect outcomes that end a probe; undefined for a plain response. */
export function redirectProblem(kind: ProbeKind, outcome: FetchOutcome): ProbeResult | undefined {
  if (outcome.kind === 'foreign-redirect') {
    return {
      kind,
      status: 'failed',
      detail: msg('Verify_ForeignRedirect', displayUrl(outcome.response.url), httpStatusText(outcome.response.status), outcome.location.host),
      url: displayUrl(outcome.response.url),
      httpStatus: outcome.response.status,
    };
  }
  if (outcome.kind === 'too-many-redirects') {
    return { kind, status: 'failed', detail: msg('Verify_TooManyRedirects', displayUrl(outcome.response.url)), url: displayUrl(outcome.response.url), httpStatus: outcome.response.status };
  }
  return undefined;
}

export function networkFailure(kind: ProbeKind, e: unknown, url: URL): ProbeResult {
  if (e instanceof ProbeNetworkError) return { kind, status: 'failed', detail: e.message, url: displayUrl(url), ...(e.code ? { networkCode: e.code } : {}) };
  throw e;
}

export function skipped(kind: ProbeKind, reason: string): ProbeResult {
  return { kind, status: 'skipped', detail: msg('Verify_NotProbed', reason) };
}

/**
 * GET within the target's origin and insist on a 200: the response, or the probe's result when the
 * target could not be reached, redirected elsewhere, or answered otherwise.
 */
export async function fetchOk(
  kind: ProbeKind,
  what: string,
  url: URL,
  headers: Record<string, string>,
  options: ProbeOptions,
  withCredentials: boolean,
): Promise<{ response: ProbeResponse } | { result: ProbeResult }> {
  let outcome: FetchOutcome;
  try {
    outcome = await fetchWithinOrigin(url, headers, options);
  } catch (e) {
    return { result: networkFailure(kind, e, url) };
  }
  const problem = redirectProblem(kind, outcome);
  if (problem || outcome.kind !== 'response') return { result: problem! };
  if (outcome.response.status !== 200) return { result: refused(kind, what, outcome.response, withCredentials) };
  return { response: outcome.response };
}
