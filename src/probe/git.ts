/** Git: smart-HTTP discovery, the first request of `git ls-remote` / `git clone`. */
import { presentCredentials } from './credentials';
import { displayUrl } from './http';
import { fetchOk, skipped } from './outcome';
import { below, parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';
import { msg } from '../messages';

export async function probeGit(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target);
  if (!parsed.ok) return skipped('git', parsed.reason);
  const creds = presentCredentials(target, options);
  if (creds.kind === 'unusable') return skipped('git', creds.reason);
  const url = below(parsed.url, 'info/refs');
  url.search = '?service=git-upload-pack';
  const headers: Record<string, string> = creds.kind === 'basic' ? { Authorization: creds.header } : {};
  const got = await fetchOk('git', msg('Verify_SubjectGit'), url, headers, options, creds.kind === 'basic');
  if ('result' in got) return got.result;
  const r = got.response;
  const type = (r.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-git-upload-pack-advertisement')) {
    return { kind: 'git', status: 'failed', detail: msg('Verify_GitNotSmartHttp', displayUrl(r.url), type || msg('Verify_ContentTypeNone')), url: displayUrl(r.url), httpStatus: 200 };
  }
  const refs = r.body.split('\n').filter((l) => / refs\//.test(l) || /\trefs\//.test(l)).length;
  return {
    kind: 'git',
    status: 'ok',
    detail: msg(creds.kind === 'basic' ? 'Verify_GitOkCredentials' : 'Verify_GitOkAnonymous', refs),
    url: displayUrl(r.url),
    httpStatus: 200,
  };
}
