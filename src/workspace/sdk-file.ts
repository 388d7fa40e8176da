/**
 * In the task bundles, in place of ./sdk.ts (scripts/build.mjs): @azure/arm-machinelearning compiled from
 * the text of its own bundle, which the task's script carries as a string (brotli, base64), when the
 * workspace is first read — so that Node neither parses nor evaluates it on the way to the first request.
 * That bundle holds the SDK's client with its workspace operations (the only ones the tasks call; the other
 * groups are there without operations, scripts/workspace-sdk-slim.mjs) and what only it uses (core-lro,
 * tslib); the packages the task's own ARM calls already carry are handed to it from this script (SHARED),
 * so there is one copy of each — one pipeline implementation, one RestError class.
 */
import * as coreAuth from '@azure/core-auth';
import * as coreClient from '@azure/core-client';
import * as coreRestPipeline from '@azure/core-rest-pipeline';
import * as coreTracing from '@azure/core-tracing';
import * as coreUtil from '@azure/core-util';
import * as logger from '@azure/logger';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';
import { WORKSPACE_SDK_BROTLI } from 'workspace-sdk-source';
import type { WorkspaceSdk } from './sdk';

export type { WorkspaceSdk } from './sdk';

/** The packages the SDK's bundle takes from this script (scripts/build.mjs leaves them out of it). */
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
    const module = { exports: {} as WorkspaceSdk };
    const source = brotliDecompressSync(Buffer.from(WORKSPACE_SDK_BROTLI, 'base64')).toString('utf8');
    const load = compileFunction(source, ['module', 'exports', 'require'], { filename: join(__dirname, 'workspace-sdk.js') });
    const requireShared = (id: string): unknown => {
      if (id in SHARED) return SHARED[id];
      if (id.startsWith('node:') || builtinModules.includes(id)) return require(id);
      throw new Error(`the workspace SDK asks for '${id}', which this script does not hand it`);
    };
    load(module, module.exports, requireShared);
    loaded = module.exports;
  }
  return loaded;
}
