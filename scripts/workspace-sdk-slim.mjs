// The part of @azure/arm-machinelearning the tasks use: its client class with its workspace operations,
// and the models those operations name. The tasks read one thing through the SDK (the workspace, in
// src/workspace/info.ts); the package's other 26 operation groups and the 340 models only they name are
// some 80 % of its code, and compiling and evaluating them cost every run about 40 ms before that read
// could go out. This esbuild plugin, for the SDK's own bundle (scripts/build.mjs), changes three of the
// package's ES modules as they are loaded:
//   - operations/index.js: WorkspacesImpl as it is; every other group a class with no operations, so the
//     client's constructor still builds each one;
//   - models/parameters.js: the parameters workspaces.js names, and the import of the models they name;
//   - models/mappers.js: the models those name, and every model those name in turn (by class name, by
//     the base whose properties they copy, by polymorphic subtype), with `discriminators` cut to match.
// Every piece kept is the package's text, unchanged. The build stops if the package's layout changes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const OPERATIONS = /[\\/]@azure[\\/]arm-machinelearning[\\/]dist-esm[\\/]src[\\/]operations[\\/]index\.js$/;
const PARAMETERS = /[\\/]@azure[\\/]arm-machinelearning[\\/]dist-esm[\\/]src[\\/]models[\\/]parameters\.js$/;
const MAPPERS = /[\\/]@azure[\\/]arm-machinelearning[\\/]dist-esm[\\/]src[\\/]models[\\/]mappers\.js$/;

/** The entry of the SDK's bundle: the package's client class, from its ES modules. */
export const WORKSPACE_SDK_ENTRY = "export { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning/dist-esm/src/azureMachineLearningWorkspaces.js';";

function fail(what) {
  throw new Error(`scripts/workspace-sdk-slim.mjs: ${what}; @azure/arm-machinelearning's layout is not the one this build knows`);
}

/** `export const|let NAME = ...` pieces of a generated module, by name, and the text before the first. */
function pieces(text, file) {
  const starts = [...text.matchAll(/^export (?:const|let) (\$?\w+) = /gm)].map((m) => ({ name: m[1], at: m.index }));
  if (starts.length === 0) fail(`${file} has no exports`);
  const byName = new Map(starts.map((s, i) => [s.name, text.slice(s.at, i + 1 < starts.length ? starts[i + 1].at : text.length)]));
  return { head: text.slice(0, starts[0].at), byName };
}

/** What the workspace operations need: the parameters and models they name, and the models those need. */
function slimModels(srcDir) {
  const operations = readFileSync(join(srcDir, 'operations', 'workspaces.js'), 'utf8');
  const parametersText = readFileSync(join(srcDir, 'models', 'parameters.js'), 'utf8');
  const mappersText = readFileSync(join(srcDir, 'models', 'mappers.js'), 'utf8');

  const parameters = pieces(parametersText, 'models/parameters.js');
  const usedParameters = new Set([...operations.matchAll(/\bParameters\.(\$?\w+)/g)].map((m) => m[1]));
  const importLine = /^import \{([^}]*)\} from "\.\.\/models\/mappers";$/m.exec(parameters.head);
  if (!importLine || usedParameters.size === 0) fail('models/parameters.js or operations/workspaces.js');
  const aliases = importLine[1].split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name, alias] = s.split(/\s+as\s+/);
    return { name, alias: alias ?? name, spec: s };
  });
  const keptParameters = [...usedParameters].map((p) => parameters.byName.get(p) ?? fail(`parameter ${p} is not in models/parameters.js`));
  const usedAliases = aliases.filter((a) => keptParameters.some((text) => new RegExp(`\\b${a.alias}\\b`).test(text)));

  const mappers = pieces(mappersText, 'models/mappers.js');
  const discriminatorsText = mappers.byName.get('discriminators') ?? fail('models/mappers.js has no discriminators');
  mappers.byName.delete('discriminators');
  const subtypes = [...discriminatorsText.matchAll(/^\s*"(\w+)\.([^"]*)": (\w+),?$/gm)].map((m) => ({ parent: m[1], line: m[0].trim().replace(/,$/, ''), child: m[3] }));
  const roots = [...[...operations.matchAll(/\bMappers\.(\w+)/g)].map((m) => m[1]), ...usedAliases.map((a) => a.name)];
  const kept = new Set();
  for (const todo = [...roots]; todo.length; ) {
    const name = todo.pop();
    if (kept.has(name)) continue;
    const text = mappers.byName.get(name) ?? fail(`model ${name} is not in models/mappers.js`);
    kept.add(name);
    // any word that names a model: a className, a base whose properties are copied, an uberParent
    for (const word of text.match(/\b[A-Z]\w*\b/g) ?? []) if (mappers.byName.has(word) && !kept.has(word)) todo.push(word);
    for (const s of subtypes) if (s.parent === name && !kept.has(s.child)) todo.push(s.child);
  }
  const keptSubtypes = subtypes.filter((s) => kept.has(s.parent) && kept.has(s.child));
  return {
    parameters:
      parameters.head.replace(importLine[0], usedAliases.length ? `import { ${usedAliases.map((a) => a.spec).join(', ')} } from "../models/mappers";` : '') +
      keptParameters.join(''),
    mappers:
      mappers.head +
      [...mappers.byName].filter(([name]) => kept.has(name)).map(([, text]) => text).join('') +
      `export let discriminators = {\n${keptSubtypes.map((s) => `    ${s.line}`).join(',\n')}\n};\n`,
    figures: { parameters: `${keptParameters.length} of ${parameters.byName.size}`, models: `${kept.size} of ${mappers.byName.size}` },
  };
}

export const workspaceSdkSlim = {
  name: 'workspace-sdk-slim',
  setup(b) {
    let models;
    const modelsFor = (path) => (models ??= slimModels(dirname(dirname(path))));
    b.onLoad({ filter: OPERATIONS }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const groups = [...text.matchAll(/^export \* from "\.\/(\w+)";$/gm)].map((m) => m[1]);
      if (!groups.includes('workspaces')) fail('operations/index.js does not export ./workspaces');
      const others = groups
        .filter((g) => g !== 'workspaces')
        .flatMap((g) => [...readFileSync(join(dirname(args.path), `${g}.js`), 'utf8').matchAll(/^export class (\w+Impl) \{$/gm)].map((m) => m[1]));
      if (others.length !== groups.length - 1) fail('an operation group in operations/ is not one `export class ...Impl`');
      return {
        contents: `export * from "./workspaces";\n/** Not carried (scripts/workspace-sdk-slim.mjs): the client builds it, and it has no operations. */\nclass NotCarried {\n    constructor(client) { }\n}\n${others.map((c) => `export class ${c} extends NotCarried {\n}\n`).join('')}`,
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
    b.onLoad({ filter: PARAMETERS }, (args) => ({ contents: modelsFor(args.path).parameters, loader: 'js', resolveDir: dirname(args.path) }));
    b.onLoad({ filter: MAPPERS }, (args) => ({ contents: modelsFor(args.path).mappers, loader: 'js', resolveDir: dirname(args.path) }));
    b.onEnd(() => {
      if (!models) fail('the bundle did not load models/mappers.js');
    });
  },
};
