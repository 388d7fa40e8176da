/**
 * Container registry: the Docker Registry HTTP API v2 handshake, `GET /v2/`, answered either after HTTP
 * Basic or after the Docker token flow (`WWW-Authenticate: Bearer realm=…,service=…`).
 *
 * Where the credentials go:
 * - the registry's own origin receives them (Basic on /v2/), redirects followed only within that origin;
 * - the token realm receives them only when it is https and its host is the registry's host, or lies
 *   under the registry host's parent domain (registry-1.docker.io -> auth.docker.io, registry.gitlab.com ->
 *   gitlab.com). The realm is named by the registry itself, over the verified TLS connection that already
 *   carries the credentials, so such a realm learns nothing the registry could not pass on; a realm on an
 *   unrelated host gets nothing and the probe says so instead of sending them. The realm receives exactly
 *   what the token flow needs: Basic credentials plus the `service`, `scope` and `account` parameters, on
 *   one GET, redirects again only within the realm's origin;
 * - the bearer token it returns is registered as a secret and sent only back to the registry's origin.
 */
import { presentCredentials } from './credentials';
import { displayUrl, fetchWithinOrigin, parseChallenges, type Challenge } from './http';
import { httpStatusText, networkFailure, redirectProblem, refused, skipped } from './outcome';
import { parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';
import { msg } from '../messages';

const KIND = 'container-registry' as const;

/** Whether a token realm named by `registry` may receive the registry's credentials (see the rule above). */
export function realmMayReceiveCredentials(realm: URL, registry: URL): boolean {
  if (realm.protocol !== 'https:') return false;
  const r = realm.hostname.toLowerCase();
  const g = registry.hostname.toLowerCase();
  if (r === g) return true;
  if (/^[\d.]+$/.test(g) || g.includes(':') || g.startsWith('[')) return false;
  const labels = g.split('.');
  if (labels.length < 3) return false;
  const parent = labels.slice(1).join('.');
  return r === parent || r.endsWith(`.${parent}`);
}

export async function probeRegistry(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target, true);
  if (!parsed.ok) return skipped(KIND, parsed.reason);
  const creds = presentCredentials(target, options);
  if (creds.kind === 'unusable') return skipped(KIND, creds.reason);
  const v2 = new URL('/v2/', parsed.url);
  const withCredentials = creds.kind === 'basic';

  try {
    // 1. anonymous: the registry says how it wants to be authenticated
    const first = await fetchWithinOrigin(v2, {}, options);
    const p1 = redirectProblem(KIND, first);
    if (p1 || first.kind !== 'response') return p1!;
    const r1 = first.response;
    if (r1.status === 200) {
      return { kind: KIND, status: 'ok', detail: msg(withCredentials ? 'Verify_RegistryAnonymousUnused' : 'Verify_RegistryAnonymous'), url: displayUrl(r1.url), httpStatus: 200 };
    }
    if (r1.status !== 401) {
      if (r1.status === 404) return { kind: KIND, status: 'failed', detail: msg('Verify_RegistryNotDocker', displayUrl(r1.url), httpStatusText(404)), url: displayUrl(r1.url), httpStatus: 404 };
      return refused(KIND, msg('Verify_SubjectRegistry'), r1, false);
    }
    const challenges = parseChallenges(r1.challenges);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');

    if (bearer) return await tokenFlow(bearer, v2, creds.kind === 'basic' ? creds : undefined, options);
    if (!basic) return { kind: KIND, status: 'failed', detail: msg('Verify_RegistryNoScheme', httpStatusText(401)), url: displayUrl(r1.url), httpStatus: 401 };
    if (creds.kind !== 'basic') return refused(KIND, msg('Verify_SubjectRegistry'), r1, false);

    // 2. Basic: the same origin, with the credentials
    const second = await fetchWithinOrigin(v2, { Authorization: creds.header }, options);
    const p2 = redirectProblem(KIND, second);
    if (p2 || second.kind !== 'response') return p2!;
    if (second.response.status !== 200) return refused(KIND, msg('Verify_SubjectRegistry'), second.response, true);
    return { kind: KIND, status: 'ok', detail: msg('Verify_RegistryBasicOk'), url: displayUrl(second.response.url), httpStatus: 200 };
  } catch (e) {
    return networkFailure(KIND, e, v2);
  }
}

async function tokenFlow(challenge: Challenge, v2: URL, creds: { user: string; header: string } | undefined, options: ProbeOptions): Promise<ProbeResult> {
  let realm: URL;
  try {
    realm = new URL(challenge.params.realm);
  } catch {
    return { kind: KIND, status: 'failed', detail: msg('Verify_RealmNotUrl'), url: displayUrl(v2), httpStatus: 401 };
  }
  if (creds && !realmMayReceiveCredentials(realm, v2)) {
    return skipped(
      KIND,
      msg('Verify_RealmForeignHost', realm.host),
    );
  }
  if (realm.protocol !== 'https:') return skipped(KIND, msg('Verify_RealmNotHttps', realm.protocol.replace(/:$/, '')));
  const tokenUrl = new URL(realm.href);
  if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
  if (challenge.params.scope) tokenUrl.searchParams.set('scope', challenge.params.scope);
  if (creds) tokenUrl.searchParams.set('account', creds.user);

  const tokenOutcome = await fetchWithinOrigin(tokenUrl, creds ? { Authorization: creds.header } : {}, options);
  const p = redirectProblem(KIND, tokenOutcome);
  if (p || tokenOutcome.kind !== 'response') return p!;
  const tr = tokenOutcome.response;
  if (tr.status !== 200) return refused(KIND, msg('Verify_SubjectTokenService'), tr, !!creds);
  let token = '';
  try {
    const body = JSON.parse(tr.body) as { token?: unknown; access_token?: unknown };
    token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
  } catch {
    /* handled below */
  }
  if (!token) return { kind: KIND, status: 'failed', detail: msg('Verify_TokenMissing'), url: displayUrl(tr.url), httpStatus: tr.status };
  options.secrets.add(token);

  const final = await fetchWithinOrigin(v2, { Authorization: `Bearer ${token}` }, options);
  const p2 = redirectProblem(KIND, final);
  if (p2 || final.kind !== 'response') return p2!;
  if (final.response.status !== 200) return refused(KIND, msg('Verify_SubjectRegistry'), final.response, true);
  return {
    kind: KIND,
    status: 'ok',
    detail: msg(creds ? 'Verify_TokenOkCredentials' : 'Verify_TokenOkAnonymous', realm.host),
    url: displayUrl(final.response.url),
    httpStatus: 200,
  };
}
