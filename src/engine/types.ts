import type { ConnectionSpec } from '../model/types';
import type { ArmConnection, WorkspaceRef } from '../arm/types';

export type OnExisting = 'update' | 'skip' | 'fail';

export type Action = 'create' | 'update' | 'unchanged' | 'delete' | 'skip' | 'conflict';

/** One field that differs. Secret values are never held here: `sensitive` fields carry no before/after. */
export interface FieldChange {
  /** YAML-ish path, e.g. `target`, `metadata.ApiVersion`, `credentials.pat` */
  path: string;
  before?: string;
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
}

export interface Plan {
  workspace: WorkspaceRef;
  apiVersion: string;
  items: PlanItem[];
  /** hash over what the workspace held when the plan was made (non-secret fields only) */
  workspaceFingerprint: string;
  /** hash over the declared connections (secret values excluded; a secret's presence is included) */
  desiredFingerprint: string;
}

export interface PlanOptions {
  onExisting: OnExisting;
  prune: boolean;
  apiVersion: string;
}

export interface PlanInputs {
  desired: ConnectionSpec[];
  actual: ArmConnection[];
}

export interface ApplyResult {
  name: string;
  action: Action;
  ok: boolean;
  /** one plain sentence when !ok */
  error?: string;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  skipped: number;
}
