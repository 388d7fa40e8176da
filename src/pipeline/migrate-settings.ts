/** AzureMLConnectionMigrate@1: inputs -> MigrateSettings, and the services its logic needs. */
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors';
import { msg } from '../messages';
import type { OnExisting } from '../engine/types';
import { serviceEndpointDirectory } from '../devops/endpoints';
import type { SourceType } from '../migrate';
import { EXTENSION_VERSION } from '../core/version';
import type { MigrateServices, MigrateSettings, SelectedConnection } from '../tasks/migrate';
import { AgentSecrets, readEndpointById, tempDirectory, tl, workingDirectory } from './agent';
import { createServices, pick, readWorkspaceSettings } from './settings';

/** The multi-select inputs and the service connection type each takes. */
export const MIGRATE_INPUTS: ReadonlyArray<{ input: string; type: SourceType }> = [
  { input: 'dockerRegistryConnections', type: 'dockerregistry' },
  { input: 'pythonFeedConnections', type: 'externalpythondownloadfeed' },
  { input: 'gitConnections', type: 'git' },
  { input: 'githubConnections', type: 'github' },
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TASK_ID = 'AzureMLConnectionMigrate@1';

/** Multi-select service connection inputs arrive as comma-separated endpoint GUIDs. */
function readSelected(): SelectedConnection[] {
  const out: SelectedConnection[] = [];
  for (const { input, type } of MIGRATE_INPUTS) {
    for (const raw of tl.getDelimitedInput(input, ',', false)) {
      const id = raw.trim();
      if (!id) continue;
      if (!GUID.test(id)) {
        throw new UserError(msg('Task_MigrateInputNotId', input, id));
      }
      out.push({ id: id.toLowerCase(), input, type });
    }
  }
  return out;
}

function readGithubRepository(): string {
  const raw = (tl.getInput('githubRepository') || '').trim();
  if (!raw) return '';
  if (/^https:\/\/[^\s/]+(\/\S*)?$/i.test(raw)) return raw.replace(/\/+$/, '');
  if (/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/.test(raw)) return raw;
  throw new UserError(msg('Task_GithubRepositoryInvalid', raw));
}

function maxParallel(): number {
  const raw = (tl.getInput('maxParallel') || '8').trim();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError(msg('Task_InputNotWholeNumber', 'maxParallel', raw, 64));
  return n;
}

function optionalPath(name: string): string | undefined {
  if (!tl.filePathSupplied(name)) return undefined;
  const p = tl.getPathInput(name);
  if (!p) return undefined;
  return isAbsolute(p) ? p : resolve(workingDirectory(), p);
}

export function readMigrateSettings(secrets: AgentSecrets): MigrateSettings {
  const base = readWorkspaceSettings(TASK_ID, secrets);
  return {
    ...base,
    selected: readSelected(),
    nameTemplate: (tl.getInput('nameTemplate') || '{name}').trim(),
    githubRepository: readGithubRepository(),
    mode: pick('mode', ['apply', 'plan'] as const, 'apply'),
    planFile: optionalPath('planFile'),
    defaultPlanFile: join(tempDirectory(), 'azureml-connections.plan.json'),
    onExisting: pick<OnExisting>('onExisting', ['update', 'skip', 'fail'], 'update'),
    maxParallel: maxParallel(),
    yamlOutputPath: optionalPath('yamlOutputPath'),
    inventory: tl.getBoolInput('inventory', false),
    allowInsecureTargets: tl.getBoolInput('allowInsecureTargets', false),
  };
}

export function migrateServices(secrets: AgentSecrets, settings: MigrateSettings): MigrateServices {
  const { job } = settings;
  const directory =
    job.accessToken && job.collectionUri && job.projectId
      ? serviceEndpointDirectory({
          collectionUri: job.collectionUri,
          project: job.projectId,
          accessToken: job.accessToken,
          proxy: settings.proxy,
          caFile: tl.getHttpCertConfiguration()?.caFile,
          userAgent: `AzureMLConnections/${EXTENSION_VERSION} (${TASK_ID})`,
        })
      : undefined;
  return {
    ...createServices(secrets),
    endpoint: (id) => readEndpointById(id),
    directory,
  };
}
