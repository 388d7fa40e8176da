/** What the extension-packaging tests share: the product's four tasks, the task folders present, shared/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/agent-harness';

export { REPO_ROOT };

/** The four tasks of the product contract (shared/docs/product.md). */
export const PRODUCT_TASKS = ['AzureMLConnectionCreateV1', 'AzureMLConnectionVerifyV1', 'AzureMLConnectionExportV1', 'AzureMLConnectionMigrateV1'];

/** ../shared (or AZUREML_SHARED_DIR): read-only reference material; absent in some clones. */
export const SHARED = process.env.AZUREML_SHARED_DIR ?? resolve(REPO_ROOT, '..', 'shared');
export const TASKS_SCHEMA = join(SHARED, 'reference', 'specs', 'azure-pipelines-task-lib', 'tasks.schema.json');
export const MANIFEST_SCHEMA = join(SHARED, 'reference', 'specs', 'tfs-cli', 'manifest.schema.json');

/** Task folders under tasks/ that hold a task.json (other developers add theirs over time). */
export function presentTasks(): string[] {
  return readdirSync(join(REPO_ROOT, 'tasks'))
    .filter((d) => existsSync(join(REPO_ROOT, 'tasks', d, 'task.json')))
    .sort();
}

export interface TaskInput {
  name: string;
  type: string;
  label?: string;
  aliases?: string[];
  defaultValue?: string | boolean;
  required?: boolean;
  groupName?: string;
  visibleRule?: string;
  helpMarkDown?: string;
  options?: Record<string, string>;
  properties?: Record<string, string>;
}

export interface TaskJson {
  id: string;
  name: string;
  friendlyName: string;
  description: string;
  helpMarkDown?: string;
  instanceNameFormat?: string;
  runsOn?: string[];
  version: { Major: number; Minor: number; Patch: number };
  minimumAgentVersion?: string;
  groups?: Array<{ name: string; displayName: string; isExpanded?: boolean; visibleRule?: string }>;
  inputs: TaskInput[];
  outputVariables?: Array<{ name: string; description?: string }>;
  execution: Record<string, { target: string }>;
  messages?: Record<string, string>;
  [key: string]: unknown;
}

export function readTask(name: string, dir = join(REPO_ROOT, 'tasks')): TaskJson {
  return JSON.parse(readFileSync(join(dir, name, 'task.json'), 'utf8')) as TaskJson;
}
