/** The extension's version: set by the build (esbuild define), overridable for tests, `0.0.0-dev` from sources. */
declare const __EXTENSION_VERSION__: string | undefined;

export const EXTENSION_VERSION: string =
  process.env.AZUREML_CONNECTIONS_VERSION_OVERRIDE ?? (typeof __EXTENSION_VERSION__ === 'string' ? __EXTENSION_VERSION__ : '0.0.0-dev');
