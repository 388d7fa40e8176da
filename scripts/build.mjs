// Bundles each task into one script: dist/tasks/<Name>V1/{index.js, task.json, icon.png, task.loc.json, Strings/}. No node_modules ship.
// And the command line into one script: dist/cli/azureml-connections.js (package.json `bin`).
//   node scripts/build.mjs [<TaskName>V1 ...] [cli]     only those (default: every task and the command line)
// dist/meta/<name>.json is esbuild's metafile of each script: what went into it, and how each part is imported (tests check both).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { writeLoc } from './loc.mjs';
import { WORKSPACE_SDK_ENTRY, workspaceSdkSlim } from './workspace-sdk-slim.mjs';

const root = new URL('..', import.meta.url).pathname;
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const only = process.argv.slice(2);
const tasks = readdirSync(join(root, 'tasks')).filter((d) => existsSync(join(root, 'tasks', d, 'task.json')) && (only.length === 0 || only.includes(d)));
const withCli = only.length === 0 || only.includes('cli');
const writeMeta = (name, result) => {
  mkdirSync(join(root, 'dist', 'meta'), { recursive: true });
  writeFileSync(join(root, 'dist', 'meta', `${name}.json`), JSON.stringify(result.metafile));
};

// src/model/schema-validator.ts compiles the connection schema with ajv at first use (~70 ms of every
// task's start-up). In the bundles it is replaced by the same validator compiled here, once, by that
// module's own schemaValidatorSource (same options, same schema file).
let schemaValidatorModule;
async function precompiledSchemaValidator(path) {
  if (!schemaValidatorModule) {
    const gen = await build({ entryPoints: [path], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning' });
    const mod = { exports: {} };
    new Function('module', 'exports', 'require', gen.outputFiles[0].text)(mod, mod.exports, createRequire(path));
    const source = mod.exports.schemaValidatorSource();
    schemaValidatorModule = [
      'const standalone = { exports: {} };',
      `(function (module, exports) {\n${source}\n})(standalone, standalone.exports);`,
      'export function compileSchemaValidator() { return standalone.exports.default ?? standalone.exports; }',
      "export function schemaValidatorSource() { throw new Error('schemaValidatorSource is for the build only'); }",
    ].join('\n');
  }
  return schemaValidatorModule;
}
const precompileSchema = {
  name: 'precompile-connection-schema',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]model[\\/]schema-validator\.ts$/ }, async (args) => ({
      contents: await precompiledSchemaValidator(args.path),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// The Azure SDK's pipelines ask every request's body `typeof FormData !== "undefined" && body instanceof
// FormData` (@typespec/ts-http-runtime). In Node that first touch of the global FormData loads Node's
// bundled undici — 25 to 50 ms of CPU on the way to a task's first request, for a class none of our requests
// use. In the bundles the test reads the body's own tag instead (what a real FormData says it is), which
// touches no global. The build stops if the SDK's code no longer reads as expected, so the change cannot
// silently stop applying.
const FORM_DATA_TEST = /typeof FormData !== "undefined" && (\w+) instanceof FormData/g;
const formDataWithoutUndici = {
  name: 'form-data-without-undici',
  setup(b) {
    b.onLoad({ filter: /[\\/]@typespec[\\/]ts-http-runtime[\\/]dist[\\/](esm|commonjs)[\\/](formData|client[\\/]sendRequest)\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const contents = text.replace(FORM_DATA_TEST, (_, body) => `isNativeFormData(${body})`);
      if (contents === text) throw new Error(`${args.path}: the FormData test the build rewrites is not there any more; see scripts/build.mjs`);
      return {
        contents: `${contents}\nfunction isNativeFormData(value) { return typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object FormData]"; }\n`,
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

// msal-node imports jsonwebtoken for one call: signing the client assertion of a certificate sign-in
// (ClientAssertion's `jwt.sign`). Imported as it is, the package and what it pulls in (its own semver, jws,
// lodash pieces) are evaluated at start-up by every task run — some 8 to 10 ms of CPU on the way to the
// first request — though only a certificate sign-in uses it. In the bundles msal-node gets a stand-in whose
// `sign` loads the package at that first call. The build stops if msal-node uses more of it than `sign`.
const MSAL_CLIENT_ASSERTION = /[\\/]@azure[\\/]msal-node[\\/]dist[\\/]client[\\/]ClientAssertion\.mjs$/;
const jsonwebtokenOnFirstSign = {
  name: 'jsonwebtoken-on-first-sign',
  setup(b) {
    b.onResolve({ filter: /^jsonwebtoken$/ }, (args) => {
      if (!MSAL_CLIENT_ASSERTION.test(args.importer)) return undefined;
      const used = new Set([...readFileSync(args.importer, 'utf8').matchAll(/\bjwt\.(\w+)/g)].map((m) => m[1]));
      if (used.size !== 1 || !used.has('sign')) throw new Error(`${args.importer}: msal-node uses jsonwebtoken's ${[...used].join(', ') || 'nothing'}, not only sign; see scripts/build.mjs`);
      return { path: 'jsonwebtoken-on-first-sign', namespace: 'jsonwebtoken-on-first-sign', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'jsonwebtoken-on-first-sign' }, (args) => ({
      contents: 'export default { sign: (...args) => require("jsonwebtoken").sign(...args) };',
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

// The message catalog (src/messages): each bundled task.json gets, as `messages`, the entries its script
// uses, so task-lib's loc() finds each key and task.loc.json / resources.resjson carry them for translators.
async function messageCatalog() {
  const entry = join(root, 'src', 'messages', 'index.ts');
  const gen = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', gen.outputFiles[0].text)(mod, mod.exports, createRequire(entry));
  return Object.fromEntries(Object.entries(mod.exports.MESSAGES).sort(([a], [b]) => a.localeCompare(b)));
}
const messages = tasks.length > 0 ? await messageCatalog() : {};

// The workspace SDK (@azure/arm-machinelearning) is evaluated only when the workspace is first read. Inside
// the task's one script it is carried as the text of its own bundle, brotli-compressed and in base64 (a
// string V8 does not parse at start-up), and decompressed and compiled from that text then
// (src/workspace/sdk-file.ts in place of src/workspace/sdk.ts): as code in index.js, Node would parse it
// before the first request and evaluate it on the way to it. That bundle is the SDK's client with its
// workspace operations and the models they name (scripts/workspace-sdk-slim.mjs): 51 KB of code, 12 KB
// as carried, instead of 339 KB. The packages the task itself carries are left out of it and handed to it
// at load time (SHARED in sdk-file.ts lists the same six), so there is one copy of each.
const WORKSPACE_SDK_SHARED = ['@azure/core-auth', '@azure/core-client', '@azure/core-rest-pipeline', '@azure/core-tracing', '@azure/core-util', '@azure/logger'];
let workspaceSdkScript;
async function workspaceSdk() {
  workspaceSdkScript ??= await build({
    stdin: { contents: WORKSPACE_SDK_ENTRY, resolveDir: root, sourcefile: 'workspace-sdk.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: WORKSPACE_SDK_SHARED,
    plugins: [workspaceSdkSlim],
    metafile: true,
    write: false,
    outfile: 'workspace-sdk.js',
  });
  return workspaceSdkScript;
}
const workspaceSdkAsText = {
  name: 'workspace-sdk-as-text',
  setup(b) {
    b.onResolve({ filter: /^\.\/sdk$/ }, (args) =>
      /[\\/]src[\\/]workspace$/.test(args.resolveDir) ? { path: join(args.resolveDir, 'sdk-file.ts') } : undefined,
    );
    b.onResolve({ filter: /^workspace-sdk-source$/ }, () => ({ path: 'workspace-sdk-source', namespace: 'workspace-sdk' }));
    b.onLoad({ filter: /.*/, namespace: 'workspace-sdk' }, async () => {
      const sdk = await workspaceSdk();
      writeMeta('workspace-sdk', sdk);
      writeFileSync(join(root, 'dist', 'meta', 'workspace-sdk.js'), sdk.outputFiles[0].contents);
      const text = sdk.outputFiles[0].contents;
      const packed = brotliCompressSync(text, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: text.length } });
      return { contents: `export const WORKSPACE_SDK_BROTLI = ${JSON.stringify(packed.toString('base64'))};`, loader: 'js' };
    });
  },
};

/** One script with everything it imports (no node_modules ship), the schema validator precompiled. */
const bundle = (entry, outfile, plugins = []) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __EXTENSION_VERSION__: JSON.stringify(version) },
    metafile: true,
    plugins: [precompileSchema, formDataWithoutUndici, jsonwebtokenOnFirstSign, ...plugins],
  });

for (const task of tasks) {
  const src = join(root, 'tasks', task);
  const final = join(root, 'dist', 'tasks', task);
  // build beside the old folder and swap it in, so a run reading dist/ never sees a half-built task
  const out = join(root, 'dist', 'tasks', `.${task}.${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await bundle(join(src, 'index.ts'), join(out, 'index.js'), [workspaceSdkAsText]);
  for (const f of readdirSync(src)) {
    if (f === 'index.ts') continue;
    copyFileSync(join(src, f), join(out, f));
  }
  if (!existsSync(join(out, 'icon.png'))) copyFileSync(join(root, 'images', 'task-icon.png'), join(out, 'icon.png'));
  // the messages this task can show: every catalog key written as a literal in a source file of its bundle
  // (keys are never computed: msg() takes a MessageKey)
  const sourcesText = Object.keys(result.metafile.inputs)
    .filter((f) => /^(src|tasks)\//.test(f) && !f.startsWith('src/messages/'))
    .map((f) => readFileSync(join(root, f), 'utf8'))
    .join('\n');
  const used = Object.fromEntries(Object.entries(messages).filter(([key]) => new RegExp(`['"\`]${key}['"\`]`).test(sourcesText)));
  const taskJson = JSON.parse(readFileSync(join(out, 'task.json'), 'utf8'));
  writeFileSync(join(out, 'task.json'), JSON.stringify({ ...taskJson, messages: { ...(taskJson.messages ?? {}), ...used } }, null, 2) + '\n');
  writeLoc(out); // task.loc.json + Strings/resources.resjson/en-US (generated from task.json, see scripts/loc.mjs)
  rmSync(final, { recursive: true, force: true });
  renameSync(out, final);
  writeMeta(task, result);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`built dist/tasks/${task}/index.js (${(bytes / 1024).toFixed(0)} KiB)`);
}

if (withCli) {
  // built beside the old script and renamed over it, so a run never starts a half-written one
  const final = join(root, 'dist', 'cli', 'azureml-connections.js');
  const out = `${final}.${process.pid}`;
  mkdirSync(dirname(final), { recursive: true });
  const result = await bundle(join(root, 'src', 'cli', 'main.ts'), out);
  chmodSync(out, 0o755);
  renameSync(out, final);
  writeMeta('azureml-connections', result);
  console.log(`built dist/cli/azureml-connections.js (${(statSync(final).size / 1024).toFixed(0)} KiB)`);
}
