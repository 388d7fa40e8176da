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
  /** checked by Azure DevOps as the value is typed (not in tasks.schema.json; see task-json.test.ts) */
  validation?: { expression: string; message: string };
}

/** A picker's list, which Azure DevOps reads with a service connection (classic editor). */
export interface DataSourceBinding {
  target: string;
  endpointId: string;
  endpointUrl?: string;
  dataSourceName?: string;
  parameters?: Record<string, string>;
  resultSelector?: string;
  resultTemplate?: string;
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
  dataSourceBindings?: DataSourceBinding[];
  outputVariables?: Array<{ name: string; description?: string }>;
  execution: Record<string, { target: string }>;
  messages?: Record<string, string>;
  [key: string]: unknown;
}

export function readTask(name: string, dir = join(REPO_ROOT, 'tasks')): TaskJson {
  return JSON.parse(readFileSync(join(dir, name, 'task.json'), 'utf8')) as TaskJson;
}

/**
 * Whether an input still takes what a released (or contracted) input type took. Only one change of type
 * keeps every pipeline working: a `string` that became a `pickList` with `EditableOptions: True` (a
 * picker that still accepts any text): YAML and saved classic definitions keep their value and the
 * agent passes it to the task unchanged. Every other change of type is breaking.
 */
export function takesReleasedType(released: string, input: Pick<TaskInput, 'type' | 'properties'>): boolean {
  if (input.type === released) return true;
  return released === 'string' && input.type === 'pickList' && input.properties?.EditableOptions === 'True';
}

const RULE_CLAUSE = /^([A-Za-z][A-Za-z0-9]*)\s*(=|!=|<=|>=|<|>|NotContains|Contains|NotEndsWith|EndsWith)\s*(.*)$/;

/** The input names and values a visibleRule mentions that the task does not have (empty when sound). */
export function visibleRuleProblems(rule: string, task: TaskJson): string[] {
  const problems: string[] = [];
  for (const clause of rule.split(/\|\||&&/).map((c) => c.trim())) {
    const m = RULE_CLAUSE.exec(clause);
    if (!m) {
      problems.push(`'${clause}' is not "<input> <operator> <value>"`);
      continue;
    }
    const [, name, op, value] = m;
    const input = task.inputs.find((i) => i.name === name);
    if (!input) {
      problems.push(`'${clause}' names no input of the task`);
      continue;
    }
    if (op !== '=' && op !== '!=') continue;
    const allowed = input.type === 'boolean' ? ['true', 'false'] : input.type === 'pickList' || input.type === 'radio' ? Object.keys(input.options ?? {}) : undefined;
    if (allowed && !allowed.includes(value)) problems.push(`'${clause}': ${name} is never '${value}' (it is one of ${allowed.join(', ')})`);
  }
  return problems;
}
