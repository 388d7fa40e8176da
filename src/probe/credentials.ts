/** Which stored credentials a probe can present, and how. */
import { canonicalAuthType } from '../model/credentials';
import { msg } from '../messages';
import { basicAuthorization } from './http';
import type { ProbeOptions, ProbeTarget } from './types';

/**
 * The user name sent with a personal access token over HTTP Basic. Token-based Git and package hosts
 * (Azure Repos and Azure Artifacts, GitHub, GitLab, Gitea) accept any non-empty user name with a token as
 * the password; `x-access-token` is the one GitHub documents.
 */
export const PAT_USER = 'x-access-token';

export type Presented =
  | { kind: 'anonymous' }
  | { kind: 'basic'; user: string; header: string }
  | { kind: 'unusable'; reason: string };

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** HTTP Basic credentials from a PAT or UsernamePassword connection; anonymous for None. */
export function presentCredentials(target: ProbeTarget, options: ProbeOptions): Presented {
  const auth = canonicalAuthType(target.authType);
  if (auth === 'None') return { kind: 'anonymous' };
  if (auth !== 'PAT' && auth !== 'UsernamePassword') {
    return { kind: 'unusable', reason: target.category ? msg('Verify_CredentialsNotPresentable', target.authType, target.category) : msg('Verify_CredentialsNotPresentableHere', target.authType) };
  }
  if (!target.credentials) return { kind: 'unusable', reason: msg('Verify_ProbeCredentialsUnreadable') };
  if (auth === 'PAT') {
    const pat = text(target.credentials.pat);
    if (!pat) return { kind: 'unusable', reason: msg('Verify_NoStoredPat') };
    return { kind: 'basic', user: PAT_USER, header: basicAuthorization(PAT_USER, pat, options) };
  }
  const user = text(target.credentials.username);
  const password = text(target.credentials.password);
  if (!user || !password) return { kind: 'unusable', reason: msg(user ? 'Verify_NoStoredPassword' : 'Verify_NoStoredUsername') };
  return { kind: 'basic', user, header: basicAuthorization(user, password, options) };
}
