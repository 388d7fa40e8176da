/**
 * In the task bundles, in place of ./sdk.ts (scripts/build.mjs): loads @azure/arm-machinelearning from
 * workspace-sdk.js beside the task's script. That file holds the SDK and what only it uses (core-lro,
 * tslib); the packages the task's own ARM calls already carry are handed to it from this
 * script (SHARED), so there is one copy of each — one pipeline implementation, one RestError class.
 */
import * as coreAuth from '@azure/core-auth';
import * as coreClient from '@azure/core-client';
import * as coreRestPipeline from '@azure/core-rest-pipeline';
import * as coreTracing from '@azure/core-tracing';
import * as coreUtil from '@azure/core-util';
import * as logger from '@azure/logger';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import type { WorkspaceSdk } from './sdk';

export type { WorkspaceSdk } from './sdk';

/** The file beside the task's script, and the packages it takes from this one (scripts/build.mjs leaves them out of it). */
export const WORKSPACE_SDK_FILE = 'workspace-sdk.js';
export const SHARED: Readonly<Record<string, unknown>> = {
  '@azure/core-auth': coreAuth,
  '@azure/core-client': coreClient,
  '@azure/core-rest-pipeline': coreRestPipeline,
  '@azure/core-tracing': coreTracing,
  '@azure/core-util': coreUtil,
  '@azure/logger': logger,
};

let loaded: WorkspaceSdk | undefined;

export async function loadWorkspaceSdk(): Promise<WorkspaceSdk> {
  if (!loaded) {
    const filename = join(__dirname, WORKSPACE_SDK_FILE);
    const module = { exports: {} as WorkspaceSdk };
    const load = compileFunction(readFileSync(filename, 'utf8'), ['module', 'exports', 'require'], { filename });
    const requireShared = (id: string): unknown => {
      if (id in SHARED) return SHARED[id];
      if (id.startsWith('node:') || builtinModules.includes(id)) return require(id);
      throw new Error(`${WORKSPACE_SDK_FILE} asks for '${id}', which this script does not hand it`);
    };
    load(module, module.exports, requireShared);
    loaded = module.exports;
  }
  return loaded;
}
