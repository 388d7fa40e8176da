import type { ConnectionProperties } from '../../../src/arm/types';
import { SecretSet } from '../../../src/core/secrets';
import { MemoryLog } from '../../../src/core/log';
import type { ConnectionSpec } from '../../../src/model/types';
import type { ConnectionsApi } from '../../../src/arm/types';
import { applyPlan } from '../../../src/engine/apply';
import { planAgainst, secretValues, type PlanAgainstOptions } from '../../../src/engine/reconcile';
import type { ApplyResult, Plan } from '../../../src/engine/types';
import type { WorkspaceSnapshot } from '../../../src/workspace/snapshot';

type MakePlanOptions = PlanAgainstOptions;

/** The snapshot each plan of these tests was made from, so that applying it reuses what it read (as a run does). */
const snapshots = new WeakMap<Plan, WorkspaceSnapshot>();

/** A run's plan step: the snapshot (list + the stored secrets the comparison needs), then the pure plan. */
export async function makePlan(desired: ConnectionSpec[], api: ConnectionsApi, opts: MakePlanOptions): Promise<Plan> {
  const { plan, snapshot } = await planAgainst(desired, api, opts);
  snapshots.set(plan, snapshot);
  return plan;
}

/** Apply a plan of these tests with this run's secret values: the declared ones, and what its snapshot read. */
export function applyPlanned(plan: Plan, desired: ConnectionSpec[], api: ConnectionsApi, opts: { maxParallel: number; secrets: SecretSet; log: MemoryLog }): Promise<ApplyResult[]> {
  return applyPlan(plan, api, { ...opts, values: secretValues(desired, snapshots.get(plan)) });
}

/** A declared connection, built by hand the way the loader would. */
export function spec(
  name: string,
  properties: ConnectionProperties,
  extra: { secretFields?: string[]; missingSecrets?: string[] } = {},
): ConnectionSpec {
  return {
    name,
    location: { file: 'connections/all.yml', line: 1, column: 1 },
    yamlType: (properties.category ?? 'custom').toLowerCase(),
    properties,
    secretFields: extra.secretFields ?? [],
    missingSecrets: extra.missingSecrets ?? [],
    fieldLocations: {},
    notes: [],
  };
}

export const PAT = 'ghp_S3cretPatValue_0123456789abcdef';
export const PAT2 = 'ghp_R0tatedPatValue_fedcba9876543210';

export function gitPat(name: string, pat: string | undefined, target = 'https://github.com/contoso/repo'): ConnectionSpec {
  return spec(
    name,
    {
      authType: 'PAT',
      category: 'Git',
      target,
      isSharedToAll: true,
      metadata: {},
      ...(pat !== undefined ? { credentials: { pat } } : {}),
    },
    { secretFields: ['pat'], missingSecrets: pat === undefined ? ['pat'] : [] },
  );
}

export function feedNone(name: string, target = 'https://pkgs.example.com/simple/'): ConnectionSpec {
  return spec(name, { authType: 'None', category: 'PythonFeed', target, isSharedToAll: true, metadata: {} });
}

export function options(over: Partial<MakePlanOptions> = {}): MakePlanOptions & { secrets: SecretSet; log: MemoryLog } {
  return {
    onExisting: 'update',
    prune: false,
    apiVersion: '2025-06-01',
    secrets: new SecretSet(),
    log: new MemoryLog(),
    maxParallel: 4,
    now: () => new Date('2025-01-02T03:04:05Z'),
    ...over,
  } as MakePlanOptions & { secrets: SecretSet; log: MemoryLog };
}

/** Every form in which a secret might leak. */
export function leakForms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)];
}
