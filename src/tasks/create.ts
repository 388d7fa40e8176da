/** AzureMLConnectionCreate@1: create or update connections from YAML, as a plan or applied. No task-lib here. */
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import type { WorkspaceInfo } from '../workspace/info';
import type { VariableSource } from '../model/types';
import type { OnExisting, SecretCheck } from '../engine/types';
import type { Parallelism } from '../arm/throttle';
import { readDeclaredConnections } from './declared';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './services';
import type { ArmSignIn } from '../workspace/connect';
import { reconcile } from '../engine/reconcile';
import { msg } from '../messages';

export interface CreateSettings extends WorkspaceSettings {
  /** the globs as given, for messages */
  patterns: string[];
  /** the files they matched (absolute paths), sorted */
  files: string[];
  mode: 'apply' | 'plan';
  /** plan mode: where to write the plan; apply mode: the saved plan to apply (undefined = plan afresh) */
  planFile?: string;
  /** where plan mode writes when planFile is not given */
  defaultPlanFile: string;
  onExisting: OnExisting;
  prune: boolean;
  overrides: string;
  /** ARM requests in flight: `auto` or a fixed upper bound 1-64 */
  maxParallel: Parallelism;
  /** credentials may be sent to http:// targets */
  allowInsecureTargets: boolean;
  /** digest: declared secrets compared with the digest kept in metadata (no read); read: every stored secret read */
  secretCheck: SecretCheck;
}

export interface CreateServices extends TaskServices {
  variables: VariableSource;
  /**
   * Starts signing in (Entra, and Azure DevOps for workload identity federation; no ARM request), for
   * `connect`: it proceeds while the files are read. Its failure is reported by `connect`, if that is reached.
   */
  signIn?(settings: WorkspaceSettings): Promise<ArmSignIn>;
  /** `info`: the workspace itself (its kind), when the adapter reads it */
  connect(settings: WorkspaceSettings, signedIn?: Promise<ArmSignIn>): Promise<{ api: ConnectionsApi; ref: WorkspaceRef; info?: Promise<WorkspaceInfo> }>;
}

export async function runCreate(settings: CreateSettings, services: CreateServices): Promise<TaskOutcome> {
  // 1. Read and validate every file before anything is written; the sign-in proceeds meanwhile.
  const signedIn = services.signIn?.(settings);
  signedIn?.catch(() => undefined); // connect reports it; with a file refused, nobody needs it
  const declared = await readDeclaredConnections(settings, services);
  if (!declared.ok) return declared.outcome;

  // 2. Plan against one read of the workspace, then apply (unless mode is plan).
  const workspace = await services.connect(settings, signedIn);
  const done = await reconcile(declared.connections, workspace, settings, services, { title: msg('Task_CreateSummaryTitle'), declaredBy: 'files' });
  return done.outcome;
}
