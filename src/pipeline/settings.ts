/** Reads each task's inputs once into its typed settings object. */
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_API_VERSION } from '../arm/types';
import { UserError } from '../core/errors';
import { writeTextFile } from '../core/files';
import { msg } from '../messages';
import type { CreateServices, CreateSettings } from '../tasks/create';
import type { TaskServices } from '../tasks/services';
import { connectWorkspace, signIn, type WorkspaceSettings } from '../workspace/connect';
import type { OnExisting, SecretCheck } from '../engine/types';
import type { Parallelism } from '../arm/throttle';
import { nodeSourceFiles } from '../model/files';
import {
  AgentOutputs,
  AgentSecrets,
  AgentVariables,
  PipelineLog,
  readEndpoint,
  readQuietInput,
  readJobContext,
  readNetworkSettings,
  readText,
  tempDirectory,
  tl,
  workingDirectory,
} from './agent';

export function readWorkspaceSettings(taskId: string, secrets: AgentSecrets): WorkspaceSettings {
  const apiVersion = (tl.getInput('apiVersion') || DEFAULT_API_VERSION).trim();
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) {
    throw new UserError(msg('Task_ApiVersionInvalid', apiVersion));
  }
  const network = readNetworkSettings(secrets);
  return {
    azure: readEndpoint('azureSubscription'),
    job: readJobContext(),
    resourceGroup: (tl.getInput('resourceGroupName') || '').trim(),
    workspace: (tl.getInput('workspaceName') || '').trim(),
    apiVersion,
    proxy: network.proxy,
    caPem: network.caPem,
    taskId,
  };
}

export function readLines(name: string): string[] {
  return (tl.getInput(name) || '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

export function pick<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const raw = (tl.getInput(name) || fallback).trim();
  const hit = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!hit) throw new UserError(msg('Task_InputNotOneOf', name, raw, allowed.join(', ')));
  return hit;
}

export function positiveInt(name: string, fallback: number, max: number): number {
  const raw = (tl.getInput(name) || String(fallback)).trim();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UserError(msg('Task_InputNotWholeNumber', name, raw, max));
  return n;
}

/** `auto` (any case) or a whole number 1-64 (maxParallel). */
export function parallelism(name: string): Parallelism {
  const raw = (tl.getInput(name) || 'auto').trim();
  if (raw.toLowerCase() === 'auto') return 'auto';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UserError(msg('Task_InputNotParallelism', name, raw));
  return n;
}

/** Matches the connectionFiles globs (relative to System.DefaultWorkingDirectory; absolute allowed). */
export function matchFiles(patterns: string[]): string[] {
  const root = workingDirectory();
  const found = new Set<string>();
  for (const p of patterns) {
    for (const f of tl.findMatch(root, [p])) found.add(resolve(f));
  }
  // folders stay in: the loader refuses each by name (a folder named like a file is a mistake to see, not to skip)
  const files = [...found].sort();
  if (files.length === 0) {
    throw new UserError(msg('Task_NoConnectionFileMatches', patterns.map((p) => `'${p}'`).join(', '), root));
  }
  return files;
}

export function readCreateSettings(secrets: AgentSecrets): CreateSettings {
  const base = readWorkspaceSettings('AzureMLConnectionCreate@1', secrets);
  const patterns = readLines('connectionFiles');
  if (patterns.length === 0) throw new UserError(msg('Task_ConnectionFilesEmpty'));
  const planFile = tl.filePathSupplied('planFile') ? tl.getPathInput('planFile') : undefined;
  return {
    ...base,
    patterns,
    files: matchFiles(patterns),
    mode: pick('mode', ['apply', 'plan'] as const, 'apply'),
    planFile: planFile ? (isAbsolute(planFile) ? planFile : resolve(workingDirectory(), planFile)) : undefined,
    defaultPlanFile: join(tempDirectory(), 'azureml-connections.plan.json'),
    onExisting: pick<OnExisting>('onExisting', ['update', 'skip', 'fail'], 'update'),
    prune: tl.getBoolInput('prune', false),
    overrides: readQuietInput('overrides'),
    maxParallel: parallelism('maxParallel'),
    allowInsecureTargets: tl.getBoolInput('allowInsecureTargets', false),
    secretCheck: pick<SecretCheck>('secretCheck', ['digest', 'read'], 'digest'),
  };
}

/** The services every task's logic gets from the agent. */
export function taskServices(secrets: AgentSecrets): TaskServices & { variables: AgentVariables } {
  return {
    log: new PipelineLog(),
    secrets,
    variables: new AgentVariables(),
    outputs: new AgentOutputs(),
    readFile: readText,
    sourceFiles: nodeSourceFiles,
    writeFile: writeTextFile,
  };
}

export function createServices(secrets: AgentSecrets): CreateServices {
  const base = taskServices(secrets);
  return { ...base, signIn: (settings) => signIn(settings, secrets), connect: (settings, signedIn) => connectWorkspace(settings, secrets, base.log, signedIn) };
}
