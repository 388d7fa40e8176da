/**
 * Azure DevOps service connection -> ML workspace connection (az-ml YAML document), or why not.
 * Pure: no I/O. Keys of `auth` and `data` are lower-case (agent-contract.md §3 gives the exact names).
 *
 * | service connection                         | scheme                              | becomes                                        |
 * |--------------------------------------------|-------------------------------------|------------------------------------------------|
 * | Docker Registry, Docker Hub / Others       | UsernamePassword                    | container_registry, username_password, target = registry |
 * | Docker Registry, Azure Container Registry  | ServicePrincipal                    | container_registry, username_password (principal id/secret), target = https://<loginServer> |
 * | Docker Registry, Azure Container Registry  | ManagedServiceIdentity, WIF         | not migrated; equivalent: managed_identity     |
 * | Python package download                    | Token / UsernamePassword            | python_feed, pat / username_password           |
 * | Other Git                                  | UsernamePassword                    | git, username_password (pat when no username; none when neither) |
 * | GitHub                                     | PersonalAccessToken, OAuth, Token   | git, pat, target = githubRepository            |
 * | GitHub                                     | InstallationToken (GitHub App)      | not migrated                                   |
 */
import { describeTargetSecrets, findTargetSecrets, redactTarget } from '../core/target-secrets';
import { msg, type MessageKey } from '../messages';
import { secretVariableName, variableReference } from '../model/placeholders';
import type { Classification, MapOptions, Refusal, ServiceEndpoint, SourceType, Verdict } from './types';

export const SOURCE_TYPES: readonly SourceType[] = ['dockerregistry', 'externalpythondownloadfeed', 'git', 'github'];

export function sourceType(type: string): SourceType | undefined {
  const t = type.toLowerCase();
  return (SOURCE_TYPES as readonly string[]).includes(t) ? (t as SourceType) : undefined;
}

/** The scheme as the agent or the API gives it; ACR connections may carry it as the auth parameter `scheme`. */
export function schemeOf(ep: Pick<ServiceEndpoint, 'scheme' | 'auth'>): string {
  return (ep.scheme || ep.auth.scheme || '').trim();
}

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function isAcr(ep: Pick<ServiceEndpoint, 'scheme' | 'auth' | 'data'>): boolean {
  const scheme = schemeOf(ep);
  return eq(ep.data.registrytype ?? '', 'ACR') || !eq(scheme, 'UsernamePassword') && !!ep.auth.loginserver || ['ServicePrincipal', 'ManagedServiceIdentity', 'WorkloadIdentityFederation'].some((s) => eq(s, scheme));
}

/** Other service connection types a user might expect here, and what to do instead. */
const OTHER_TYPES: Record<string, MessageKey> = {
  externalpythonuploadfeed: 'Task_MapUploadFeed',
  githubenterprise: 'Task_MapGithubEnterprise',
  azurerm: 'Task_MapAzureRm',
};

/** Per type: why a scheme is not supported, and which to use instead. */
const UNSUPPORTED: Record<SourceType, MessageKey> = {
  dockerregistry: 'Task_MapUnsupportedDocker',
  externalpythondownloadfeed: 'Task_MapUnsupportedPython',
  git: 'Task_MapUnsupportedGit',
  github: 'Task_MapUnsupportedGithub',
};

/** Judges a service connection by its type and scheme alone (the inventory; the API returns no credentials). */
export function classify(ep: Pick<ServiceEndpoint, 'type' | 'scheme' | 'auth' | 'data'>): Classification {
  const type = sourceType(ep.type);
  const scheme = schemeOf(ep);
  if (!type) {
    const known = OTHER_TYPES[ep.type.toLowerCase()];
    return { migratable: false, kind: ep.type, reason: known ? msg(known) : msg('Task_MapNoCounterpart', ep.type) };
  }
  const unsupported = (kind: MessageKey): Classification => ({
    migratable: false,
    kind: msg(kind),
    reason: msg(UNSUPPORTED[type], scheme || msg('Task_MapNoScheme')),
  });
  switch (type) {
    case 'dockerregistry': {
      if (isAcr(ep)) {
        if (eq(scheme, 'ServicePrincipal')) {
          return { migratable: true, mlType: 'container_registry', credential: 'username_password', kind: msg('Task_KindAcrServicePrincipal') };
        }
        if (eq(scheme, 'ManagedServiceIdentity') || eq(scheme, 'WorkloadIdentityFederation')) {
          const msi = eq(scheme, 'ManagedServiceIdentity');
          return {
            migratable: false,
            mlType: 'container_registry',
            kind: msg(msi ? 'Task_KindAcrManagedIdentity' : 'Task_KindAcrWorkloadIdentity'),
            reason: msg(msi ? 'Task_MapAcrManagedIdentity' : 'Task_MapAcrWorkloadIdentity'),
          };
        }
        return unsupported('Task_KindAcr');
      }
      if (eq(scheme, 'UsernamePassword')) {
        const hub = eq(ep.data.registrytype ?? '', 'DockerHub');
        return { migratable: true, mlType: 'container_registry', credential: 'username_password', kind: msg(hub ? 'Task_KindDockerHub' : 'Task_KindDockerOthers') };
      }
      return unsupported('Task_KindDockerRegistry');
    }
    case 'externalpythondownloadfeed':
      if (eq(scheme, 'Token')) return { migratable: true, mlType: 'python_feed', credential: 'pat', kind: msg('Task_KindPythonToken') };
      if (eq(scheme, 'UsernamePassword')) return { migratable: true, mlType: 'python_feed', credential: 'username_password', kind: msg('Task_KindPythonUsernamePassword') };
      return unsupported('Task_KindPython');
    case 'git':
      if (eq(scheme, 'UsernamePassword') || scheme === '') return { migratable: true, mlType: 'git', credential: 'username_password', kind: msg('Task_KindOtherGit') };
      return unsupported('Task_KindOtherGit');
    case 'github':
      if (eq(scheme, 'PersonalAccessToken')) return { migratable: true, mlType: 'git', credential: 'pat', kind: msg('Task_KindGithubPat') };
      if (eq(scheme, 'OAuth')) return { migratable: true, mlType: 'git', credential: 'pat', kind: msg('Task_KindGithubOAuth') };
      if (eq(scheme, 'Token')) return { migratable: true, mlType: 'git', credential: 'pat', kind: msg('Task_KindGithubToken') };
      if (eq(scheme, 'InstallationToken')) {
        return {
          migratable: false,
          mlType: 'git',
          kind: msg('Task_KindGithubApp'),
          reason: msg('Task_MapGithubApp'),
        };
      }
      return unsupported('Task_KindGithub');
  }
}

/** A URL as a target: trimmed, `https://` added when no scheme is given. */
export function asUrl(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`;
}

/** The Git target for a GitHub connection (see MapOptions.githubRepository). */
export function githubTarget(endpointUrl: string, repository: string | undefined): string {
  const base = /^https?:\/\//i.test(endpointUrl.trim()) ? endpointUrl.trim().replace(/\/+$/, '') : 'https://github.com';
  const repo = (repository ?? '').trim();
  if (!repo) return base;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) return repo;
  return `${base}/${repo.replace(/^\/+|\/+$/g, '')}`;
}

/**
 * Maps one service connection (credentials included, as the agent hands them over) to the az-ml document
 * of the ML connection it becomes, or to a refusal with the reason and, where ML has one, the equivalent.
 * `placeholderName` is the ML connection name used for `$(...)` placeholders in the equivalent.
 */
export function mapEndpoint(ep: ServiceEndpoint, options: MapOptions = {}, placeholderName = 'CONNECTION'): Verdict {
  const verdict = mapUnchecked(ep, options, placeholderName);
  // A credential written into the URL would land in the ML connection's target, which anyone who may
  // read the workspace can see (and which Create refuses in a file): refused, shown with `***`.
  if (verdict.kind === 'migrate') {
    const target = String(verdict.doc.target ?? '');
    const found = findTargetSecrets(target);
    if (found.length) return { kind: 'refuse', classification: verdict.classification, reason: msg('Task_MapTargetCredential', redactTarget(target), describeTargetSecrets(found)) };
  } else if (typeof verdict.equivalent?.target === 'string') {
    verdict.equivalent.target = redactTarget(verdict.equivalent.target);
  }
  return verdict;
}

function mapUnchecked(ep: ServiceEndpoint, options: MapOptions, placeholderName: string): Verdict {
  const classification = classify(ep);
  const a = ep.auth;
  const refuse = (reason: string, equivalent?: Record<string, unknown>, advice?: string): Refusal => ({ kind: 'refuse', classification, reason, equivalent, advice });
  const migrate = (doc: Record<string, unknown>, secretFields: string[], notes: string[] = []): Verdict => ({ kind: 'migrate', classification, doc, secretFields, notes });
  const type = sourceType(ep.type);
  const scheme = schemeOf(ep);

  if (!classification.migratable) {
    if (type === 'dockerregistry' && classification.mlType === 'container_registry') {
      const target = acrTarget(ep);
      const resourceId = acrResourceId(ep);
      const credentials: Record<string, unknown> = { type: 'managed_identity' };
      if (resourceId) credentials.resource_id = resourceId;
      return refuse(
        classification.reason!,
        { type: 'container_registry', ...(target ? { target } : {}), credentials },
        target ? msg('Task_MapAcrAdvice', target) : msg('Task_MapAcrAdviceNoTarget'),
      );
    }
    if (type === 'github' && eq(scheme, 'InstallationToken')) {
      const pat = variableReference(secretVariableName(placeholderName, 'pat'));
      return refuse(
        classification.reason!,
        { type: 'git', target: githubTarget(ep.url, options.githubRepository), credentials: { type: 'pat', pat } },
        msg('Task_MapGithubAppAdvice', pat.slice(2, -1)),
      );
    }
    return refuse(classification.reason!);
  }

  switch (type) {
    case 'dockerregistry': {
      if (eq(scheme, 'ServicePrincipal')) {
        const target = acrTarget(ep);
        if (!target) return refuse(msg('Task_MapAcrNoLoginServer'));
        if (!a.serviceprincipalid || !a.serviceprincipalkey) {
          return refuse(msg('Task_MapAcrNoPrincipal'));
        }
        return migrate(
          { type: 'container_registry', target, credentials: { type: 'username_password', username: a.serviceprincipalid, password: a.serviceprincipalkey } },
          ['password'],
          [msg('Task_MapNoteServicePrincipal', target, a.serviceprincipalid)],
        );
      }
      const target = asUrl(a.registry || ep.url);
      if (!target) return refuse(msg('Task_MapDockerNoUrl'));
      if (!a.password) return refuse(msg('Task_MapDockerNoPassword'));
      return migrate({ type: 'container_registry', target, credentials: { type: 'username_password', username: a.username ?? '', password: a.password } }, ['password']);
    }
    case 'externalpythondownloadfeed': {
      const target = asUrl(ep.url);
      if (!target) return refuse(msg('Task_MapPythonNoUrl'));
      if (eq(scheme, 'Token')) {
        if (!a.apitoken) return refuse(msg('Task_MapPythonNoToken'));
        return migrate({ type: 'python_feed', target, credentials: { type: 'pat', pat: a.apitoken } }, ['pat']);
      }
      if (!a.password) return refuse(msg('Task_MapPythonNoPassword'));
      return migrate({ type: 'python_feed', target, credentials: { type: 'username_password', username: a.username ?? '', password: a.password } }, ['password']);
    }
    case 'git': {
      const target = asUrl(ep.url);
      if (!target) return refuse(msg('Task_MapGitNoUrl'));
      const username = a.username ?? '';
      const password = a.password ?? '';
      if (!password && !username) {
        return migrate({ type: 'git', target, credentials: { type: 'none' } }, [], [msg('Task_MapNoteGitNoCredentials')]);
      }
      if (!password) return refuse(msg('Task_MapGitNoPassword'));
      if (!username) return migrate({ type: 'git', target, credentials: { type: 'pat', pat: password } }, ['pat'], [msg('Task_MapNoteGitPat')]);
      return migrate({ type: 'git', target, credentials: { type: 'username_password', username, password } }, ['password']);
    }
    case 'github': {
      // PersonalAccessToken -> accessToken; OAuth / Token -> AccessToken (keys are lower-cased here)
      const token = a.accesstoken;
      if (!token) return refuse(msg('Task_MapGithubNoToken', scheme));
      const target = githubTarget(ep.url, options.githubRepository);
      const notes = [msg((options.githubRepository ?? '').trim() ? 'Task_MapNoteGithubTargetInput' : 'Task_MapNoteGithubTargetUrl', target)];
      if (!eq(scheme, 'PersonalAccessToken')) notes.push(msg('Task_MapNoteGithubToken', scheme));
      return migrate({ type: 'git', target, credentials: { type: 'pat', pat: token } }, ['pat'], notes);
    }
  }
  return refuse(classification.reason ?? msg('Task_MapNotMigratable'));
}

function acrTarget(ep: ServiceEndpoint): string {
  const login = (ep.auth.loginserver ?? '').trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (login) return `https://${login}`;
  return asUrl(ep.url).replace(/\/+$/, '');
}

function acrResourceId(ep: ServiceEndpoint): string | undefined {
  const candidates = [ep.data.registryid, ep.auth.scope];
  return candidates.find((c) => typeof c === 'string' && /\/providers\/Microsoft\.ContainerRegistry\/registries\/[^/]+$/i.test(c.trim()))?.trim();
}
