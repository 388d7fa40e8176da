/** The text of @azure/arm-machinelearning's own bundle, brotli-compressed, in base64: put in by scripts/build.mjs (task bundles only; see sdk-file.ts). */
declare module 'workspace-sdk-source' {
  export const WORKSPACE_SDK_BROTLI: string;
}
