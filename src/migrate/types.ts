/** Shapes of the migration from Azure DevOps service connections to ML workspace connections. */

/** The four service connection types the Migrate task takes (lower-case, as compared). */
export type SourceType = 'dockerregistry' | 'externalpythondownloadfeed' | 'git' | 'github';

/**
 * One Azure DevOps service connection, as the agent hands it to the task (credentials included) or as the
 * service-endpoint API lists it (credentials absent). Auth parameter and data keys are lower-cased.
 */
export interface ServiceEndpoint {
  /** lower-case GUID */
  id: string;
  /** the service connection's name; undefined when it could not be read */
  name?: string;
  /** e.g. `dockerregistry`, `externalPythonDownloadFeed`, `git`, `github` (compared case-insensitively) */
  type: string;
  url: string;
  /** e.g. `UsernamePassword`, `ServicePrincipal`, `Token`, `PersonalAccessToken` */
  scheme: string;
  auth: Record<string, string>;
  data: Record<string, string>;
}

/** What a service connection of a type and scheme becomes, judged without its credentials (inventory). */
export interface Classification {
  migratable: boolean;
  /** the az-ml type it becomes (or would, for the equivalent) */
  mlType?: 'container_registry' | 'python_feed' | 'git';
  /** the az-ml credential type it becomes */
  credential?: 'username_password' | 'pat' | 'none';
  /** a short label of the kind, e.g. `Docker Registry (Azure Container Registry, service principal)` */
  kind: string;
  /** when not migratable: why, one plain sentence */
  reason?: string;
}

/** A service connection that becomes an ML connection: the az-ml document without its `name`. */
export interface Migration {
  kind: 'migrate';
  classification: Classification;
  /** az-ml YAML document (type, target, credentials); secret values are the real ones */
  doc: Record<string, unknown>;
  /** YAML names of the secret credential fields present in `doc.credentials` */
  secretFields: string[];
  /** what the mapping decided that a user should know (e.g. the GitHub target used) */
  notes: string[];
}

/** A service connection that cannot be migrated, with why and, where ML has one, the equivalent to apply instead. */
export interface Refusal {
  kind: 'refuse';
  classification: Classification;
  reason: string;
  /** an az-ml document (without `name`) a user could apply instead; secrets as `$(...)` placeholders or absent */
  equivalent?: Record<string, unknown>;
  /** what to do besides applying the equivalent (e.g. grant AcrPull) */
  advice?: string;
}

export type Verdict = Migration | Refusal;

export interface MapOptions {
  /**
   * The target of connections made from GitHub service connections: a URL or `owner/repo` (or `owner`)
   * relative to the service connection's URL (https://github.com). Empty: the service connection's URL.
   */
  githubRepository?: string;
}
