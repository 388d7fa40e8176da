import type { SourceLocation } from '../core/errors';
import type { ConnectionProperties, WorkspaceRef } from '../arm/types';

export type OnExisting = 'update' | 'skip' | 'fail';

export type Action = 'create' | 'update' | 'unchanged' | 'delete' | 'skip' | 'conflict';

/** One field that differs. Secret values are never held here: `sensitive` fields carry no before/after. */
export interface FieldChange {
  /** YAML-ish path, e.g. `target`, `metadata.ApiVersion`, `credentials.pat` */
  path: string;
  /** the stored value as JSON text (`"https://a"`, `true`); absent when the workspace has none (or it cannot be read) */
  before?: string;
  /** the declared value as JSON text; absent when the field is removed */
  after?: string;
  sensitive: boolean;
}

export interface PlanItem {
  name: string;
  action: Action;
  category?: string;
  authType?: string;
  changes: FieldChange[];
  /** why (for skip / conflict / secrets treated as changed / carried-over secrets) */
  notes: string[];
  /**
   * A per-connection failure found while planning (a create without its secret, a conflict, stored
   * secrets that could not be read): one plain sentence naming the connection. Nothing is written for it.
   */
  error?: string;
  /** where the connection is declared (the credentials block for a missing secret); not saved in plan files */
  location?: SourceLocation;
  /** what applying it sends: the exact body of the PUT (secrets as references, never values), or a DELETE */
  write?: PlannedWrite;
}

/**
 * A secret inside a planned body: never its value. `declared`: the value the connection's files (or
 * variables, overrides) give, resolved when the plan is applied; `stored`: the value the workspace holds,
 * carried over so that the PUT does not wipe it (`optional`: kept when there is one, else left out).
 */
export interface SecretRef {
  $secret: 'declared' | 'stored';
  optional?: boolean;
}

/** A PUT's `digest`: add metadata.SecretDigest, computed when the write's secrets are resolved (src/engine/digest.ts). */
export type PlannedWrite = { method: 'PUT'; properties: ConnectionProperties; digest?: boolean } | { method: 'DELETE' };

/** How a plan tells that declared secrets are unchanged: by their digest (no read), or by reading each stored secret. */
export type SecretCheck = 'digest' | 'read';

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ((value as SecretRef).$secret === 'declared' || (value as SecretRef).$secret === 'stored');
}

export interface Plan {
  workspace: WorkspaceRef;
  apiVersion: string;
  items: PlanItem[];
  /** hash over what the workspace held when the plan was made (non-secret fields only) */
  workspaceFingerprint: string;
  /** hash over the declared connections (secret values excluded; a secret's presence is included) */
  desiredFingerprint: string;
  /** when the plan was made (ISO 8601) */
  createdAt?: string;
  /** per connection the plan looked at (lower-cased name): hash of its non-secret fields, to say which changed */
  connectionFingerprints?: Record<string, string>;
  /** the file a saved plan was read from (set by parsePlan; never serialized) */
  source?: string;
}

export interface PlanOptions {
  onExisting: OnExisting;
  prune: boolean;
  apiVersion: string;
  /** clock for `createdAt` (default: now) */
  now?: () => Date;
  /** default `read` (the task's default is `digest`) */
  secretCheck?: SecretCheck;
  /** the workspace's digest key, when this run could read it */
  digestKey?: Buffer;
  /** the workspace's kind (`Hub`: ARM shares every connection of a hub with its projects, isSharedToAll true) */
  workspaceKind?: string;
}

export interface ApplyResult {
  name: string;
  action: Action;
  ok: boolean;
  /** one plain sentence when !ok */
  error?: string;
  /** where the failing connection is declared, when the failure is about its file */
  location?: SourceLocation;
  /** its write was refused for want of a role (403 AuthorizationFailed): writing stopped there */
  refused?: boolean;
  /** not written because writing had stopped at a refusal */
  notAttempted?: boolean;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  skipped: number;
}
