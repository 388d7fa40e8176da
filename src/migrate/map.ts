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
import { secretVariableName, variableReference } from '../model/placeholders';
import type { Classification, MapOptions, Refusal, ServiceEndpoint, SourceType, Verdict } from './types';

export const SOURCE_TYPES: readonly SourceType[] = ['dockerregistry', 'externalpythondownloadfeed', 'git', 'github'];

/** The UI names of the service connection types, for messages. */
const TYPE_LABEL: Record<SourceType, string> = {
  dockerregistry: 'Docker Registry',
  externalpythondownloadfeed: 'Python package download',
  git: 'Other Git',
  github: 'GitHub',
};

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
const OTHER_TYPES: Record<string, string> = {
  externalpythonuploadfeed: 'ML reads Python packages through a download feed; migrate the Python package download connection of the same feed instead.',
  githubenterprise: 'This task does not take GitHub Enterprise Server connections; declare a git connection with a personal access token and apply it with AzureMLConnectionCreate.',
  azurerm: 'An Azure Resource Manager connection signs pipelines in to Azure; ML workspaces reach Azure resources through the workspace managed identity, not through a connection.',
};

/** Judges a service connection by its type and scheme alone (the inventory; the API returns no credentials). */
export function classify(ep: Pick<ServiceEndpoint, 'type' | 'scheme' | 'auth' | 'data'>): Classification {
  const type = sourceType(ep.type);
  const scheme = schemeOf(ep);
  const shown = scheme || 'no scheme';
  if (!type) {
    const known = OTHER_TYPES[ep.type.toLowerCase()];
    return {
      migratable: false,
      kind: ep.type,
      reason: known
        ? known
        : `ML workspace connections have no counterpart for service connections of type ${ep.type} (this task takes Docker Registry, Python package download, Other Git and GitHub connections).`,
    };
  }
  const unsupported = (kind: string): Classification => ({
    migratable: false,
    kind,
    reason: `The ${shown} scheme of a ${TYPE_LABEL[type]} service connection is not supported; recreate the service connection with ${SUPPORTED_SCHEMES[type]}.`,
  });
  switch (type) {
    case 'dockerregistry': {
      if (isAcr(ep)) {
        if (eq(scheme, 'ServicePrincipal')) {
          return { migratable: true, mlType: 'container_registry', credential: 'username_password', kind: 'Docker Registry (Azure Container Registry, service principal)' };
        }
        if (eq(scheme, 'ManagedServiceIdentity') || eq(scheme, 'WorkloadIdentityFederation')) {
          const how = eq(scheme, 'ManagedServiceIdentity') ? 'managed identity' : 'workload identity federation';
          return {
            migratable: false,
            mlType: 'container_registry',
            kind: `Docker Registry (Azure Container Registry, ${how})`,
            reason: `A ${how} connection holds no credential that could be carried over (it signs in as the agent's or the pipeline's identity); give the workspace managed identity AcrPull on the registry and apply the equivalent connection instead.`,
          };
        }
        return unsupported('Docker Registry (Azure Container Registry)');
      }
      if (eq(scheme, 'UsernamePassword')) {
        const hub = eq(ep.data.registrytype ?? '', 'DockerHub');
        return { migratable: true, mlType: 'container_registry', credential: 'username_password', kind: `Docker Registry (${hub ? 'Docker Hub' : 'Others'})` };
      }
      return unsupported('Docker Registry');
    }
    case 'externalpythondownloadfeed':
      if (eq(scheme, 'Token')) return { migratable: true, mlType: 'python_feed', credential: 'pat', kind: 'Python package download (token)' };
      if (eq(scheme, 'UsernamePassword')) return { migratable: true, mlType: 'python_feed', credential: 'username_password', kind: 'Python package download (username and password)' };
      return unsupported('Python package download');
    case 'git':
      if (eq(scheme, 'UsernamePassword') || scheme === '') return { migratable: true, mlType: 'git', credential: 'username_password', kind: 'Other Git' };
      return unsupported('Other Git');
    case 'github':
      if (eq(scheme, 'PersonalAccessToken')) return { migratable: true, mlType: 'git', credential: 'pat', kind: 'GitHub (personal access token)' };
      if (eq(scheme, 'OAuth')) return { migratable: true, mlType: 'git', credential: 'pat', kind: 'GitHub (OAuth)' };
      if (eq(scheme, 'Token')) return { migratable: true, mlType: 'git', credential: 'pat', kind: 'GitHub (token)' };
      if (eq(scheme, 'InstallationToken')) {
        return {
          migratable: false,
          mlType: 'git',
          kind: 'GitHub (GitHub App)',
          reason: 'A GitHub App connection holds no token a task can read (Azure DevOps mints one per run); ML Git connections take a personal access token, so create one and apply the equivalent connection instead.',
        };
      }
      return unsupported('GitHub');
  }
}

const SUPPORTED_SCHEMES: Record<SourceType, string> = {
  dockerregistry: 'Docker ID and password (Docker Hub or Others) or, for Azure Container Registry, a service principal',
  externalpythondownloadfeed: 'a username and password or an authentication token',
  git: 'a username and password or token',
  github: 'a personal access token or OAuth',
};

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
        `Grant the workspace's managed identity the AcrPull role on ${target || 'the registry'}; for a user-assigned identity also set credentials.client_id to its client id.`,
      );
    }
    if (type === 'github' && eq(scheme, 'InstallationToken')) {
      const pat = variableReference(secretVariableName(placeholderName, 'pat'));
      return refuse(
        classification.reason!,
        { type: 'git', target: githubTarget(ep.url, options.githubRepository), credentials: { type: 'pat', pat } },
        `Create a GitHub personal access token that can read the repository and set it as the secret variable ${pat.slice(2, -1)}.`,
      );
    }
    return refuse(classification.reason!);
  }

  switch (type) {
    case 'dockerregistry': {
      if (eq(scheme, 'ServicePrincipal')) {
        const target = acrTarget(ep);
        if (!target) return refuse('The Azure Container Registry connection names no login server (loginServer) and has no URL.');
        if (!a.serviceprincipalid || !a.serviceprincipalkey) {
          return refuse('The Azure Container Registry connection did not hand over its service principal id and secret to the task.');
        }
        return migrate(
          { type: 'container_registry', target, credentials: { type: 'username_password', username: a.serviceprincipalid, password: a.serviceprincipalkey } },
          ['password'],
          [`signs in to ${target} as service principal ${a.serviceprincipalid}.`],
        );
      }
      const target = asUrl(a.registry || ep.url);
      if (!target) return refuse('The Docker Registry connection gives no registry URL.');
      if (!a.password) return refuse('The Docker Registry connection handed over no password, so there is nothing to carry over.');
      return migrate({ type: 'container_registry', target, credentials: { type: 'username_password', username: a.username ?? '', password: a.password } }, ['password']);
    }
    case 'externalpythondownloadfeed': {
      const target = asUrl(ep.url);
      if (!target) return refuse('The Python package download connection has no feed URL.');
      if (eq(scheme, 'Token')) {
        if (!a.apitoken) return refuse('The Python package download connection handed over no token.');
        return migrate({ type: 'python_feed', target, credentials: { type: 'pat', pat: a.apitoken } }, ['pat']);
      }
      if (!a.password) return refuse('The Python package download connection handed over no password.');
      return migrate({ type: 'python_feed', target, credentials: { type: 'username_password', username: a.username ?? '', password: a.password } }, ['password']);
    }
    case 'git': {
      const target = asUrl(ep.url);
      if (!target) return refuse('The Other Git connection has no repository URL.');
      const username = a.username ?? '';
      const password = a.password ?? '';
      if (!password && !username) {
        return migrate({ type: 'git', target, credentials: { type: 'none' } }, [], ['the Other Git connection has no username or password, so the ML connection has no credentials (a public repository).']);
      }
      if (!password) return refuse('The Other Git connection has a username but no password or token.');
      if (!username) return migrate({ type: 'git', target, credentials: { type: 'pat', pat: password } }, ['pat'], ['no username is given, so the password is used as a personal access token.']);
      return migrate({ type: 'git', target, credentials: { type: 'username_password', username, password } }, ['password']);
    }
    case 'github': {
      // PersonalAccessToken -> accessToken; OAuth / Token -> AccessToken (keys are lower-cased here)
      const token = a.accesstoken;
      if (!token) return refuse(`The GitHub connection (${scheme}) handed over no access token.`);
      const target = githubTarget(ep.url, options.githubRepository);
      const notes = [`target ${target} (${(options.githubRepository ?? '').trim() ? 'from the githubRepository input' : "the service connection's URL; set githubRepository to name the repository the workspace clones"}).`];
      if (!eq(scheme, 'PersonalAccessToken')) notes.push(`the ${scheme} token of the service connection is stored as a personal access token; it stops working when the authorization is revoked.`);
      return migrate({ type: 'git', target, credentials: { type: 'pat', pat: token } }, ['pat'], notes);
    }
  }
  return refuse(classification.reason ?? 'This service connection cannot be migrated.');
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
