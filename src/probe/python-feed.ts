/** Python feed: the PEP 503 simple index (`<index>/simple/`), as pip reads it. */
import { presentCredentials } from './credentials';
import { displayUrl } from './http';
import { fetchOk, skipped } from './outcome';
import { below, parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';
import { msg } from '../messages';

/** The simple index URL: the target itself when it already ends in /simple, else <target>/simple/. */
export function simpleIndexUrl(target: URL): URL {
  if (/\/simple\/?$/i.test(target.pathname)) {
    const u = new URL(target.href);
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    return u;
  }
  return below(target, 'simple/');
}

export async function probePythonFeed(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target);
  if (!parsed.ok) return skipped('python-feed', parsed.reason);
  const creds = presentCredentials(target, options);
  if (creds.kind === 'unusable') return skipped('python-feed', creds.reason);
  const url = simpleIndexUrl(parsed.url);
  const headers: Record<string, string> = {
    Accept: 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01',
    ...(creds.kind === 'basic' ? { Authorization: creds.header } : {}),
  };
  const got = await fetchOk('python-feed', msg('Verify_SubjectPythonFeed'), url, headers, options, creds.kind === 'basic');
  if ('result' in got) return got.result;
  const r = got.response;
  const type = (r.headers['content-type'] ?? '').toLowerCase();
  let projects: number | undefined;
  if (type.includes('json')) {
    try {
      const body = JSON.parse(r.body) as { projects?: unknown[] };
      if (Array.isArray(body.projects)) projects = body.projects.length;
    } catch {
      /* not the JSON form */
    }
  } else if (type.includes('html')) {
    projects = (r.body.match(/<a[\s>]/gi) ?? []).length;
  }
  if (projects === undefined) {
    return { kind: 'python-feed', status: 'failed', detail: msg('Verify_FeedNotSimpleIndex', displayUrl(r.url), type || msg('Verify_ContentTypeNone')), url: displayUrl(r.url), httpStatus: 200 };
  }
  return {
    kind: 'python-feed',
    status: 'ok',
    detail: msg(creds.kind === 'basic' ? 'Verify_FeedOkCredentials' : 'Verify_FeedOkAnonymous', projects),
    url: displayUrl(r.url),
    httpStatus: 200,
  };
}
