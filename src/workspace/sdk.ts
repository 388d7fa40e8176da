/**
 * @azure/arm-machinelearning, loaded when the workspace is first read (src/workspace/info.ts), never at
 * start-up. Run from source (tests, tsx, the command line's bundle) this is a plain dynamic import. In the
 * task bundles scripts/build.mjs puts ./sdk-file.ts in this module's place: the SDK's own bundle travels
 * inside the task's script as text and is compiled only then.
 */
export type WorkspaceSdk = typeof import('@azure/arm-machinelearning');

export function loadWorkspaceSdk(): Promise<WorkspaceSdk> {
  return import('@azure/arm-machinelearning');
}
