/** Git: smart-HTTP discovery, the first request of `git ls-remote` / `git clone`. */
import { presentCredentials } from './credentials';
import { displayUrl, fetchWithinOrigin } from './http';
import { networkFailure, redirectProblem, refused, skipped } from './outcome';
import { below, parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';

export async function probeGit(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target);
  if (!parsed.ok) return skipped('git', parsed.reason);
  const creds = presentCredentials(target, options);
  if (creds.kind === 'unusable') return skipped('git', creds.reason);
  const url = below(parsed.url, 'info/refs');
  url.search = '?service=git-upload-pack';
  const headers: Record<string, string> = creds.kind === 'basic' ? { Authorization: creds.header } : {};
  let outcome;
  try {
    outcome = await fetchWithinOrigin(url, headers, options);
  } catch (e) {
    return networkFailure('git', e, url);
  }
  const problem = redirectProblem('git', outcome);
  if (problem || outcome.kind !== 'response') return problem!;
  const r = outcome.response;
  if (r.status !== 200) return refused('git', 'the Git server', r, creds.kind === 'basic');
  const type = (r.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-git-upload-pack-advertisement')) {
    return { kind: 'git', status: 'failed', detail: `${displayUrl(r.url)} answered, but not as a Git smart-HTTP server (content type ${type || 'none'}); check that the target is the repository's clone URL`, url: displayUrl(r.url), httpStatus: 200 };
  }
  const refs = r.body.split('\n').filter((l) => / refs\//.test(l) || /\trefs\//.test(l)).length;
  return {
    kind: 'git',
    status: 'ok',
    detail: `Git smart-HTTP discovery answered with ${refs} ref(s)${creds.kind === 'basic' ? ' for the stored credentials' : ' anonymously'}`,
    url: displayUrl(r.url),
    httpStatus: 200,
  };
}
