/**
 * @azure/arm-machinelearning, loaded when the workspace is first read (src/workspace/info.ts), never at
 * start-up. Run from source (tests, tsx) this is a plain dynamic import. In the task bundles
 * scripts/build.mjs puts ./sdk-file.ts in this module's place: the SDK ships as workspace-sdk.js beside
 * the task's index.js, so Node does not compile its 0.4 MB before the task's first request.
 */
export type WorkspaceSdk = typeof import('@azure/arm-machinelearning');

export function loadWorkspaceSdk(): Promise<WorkspaceSdk> {
  return import('@azure/arm-machinelearning');
}
