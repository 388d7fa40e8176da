// Packs the built tasks into a Marketplace .vsix with tfx-cli (run by `npm run package`, after the build).
//
//   npm run package                          dev: configs/dev.json (dev publisher and id, private), the
//                                            tasks that are built; a task the manifest contributes but
//                                            that does not exist yet is left out with a warning
//   npm run package -- --env release         configs/release.json (prod publisher, public); every task
//                                            the manifest contributes must be there, or it fails
//   ... --output DIR                         where the .vsix goes (default dist/)
//
// vss-extension.json is the whole product (all four tasks). tfx packs every file under a `files` path
// (node_modules included, no exclusions), so this script stages exactly what may ship into
// dist/package/<env>/ (each bundled task folder as <Name>/, images, overview.md, LICENSE and the manifest)
// and runs tfx on that folder, failing on any tfx warning (tfx only warns about a bad task.json). In the dev package each task gets a different id (derived from its release id)
// and a "(dev)" name, so the dev and the released extension can be installed in the same organization.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const env = option('--env', 'dev');
const outDir = resolve(option('--output', join(root, 'dist')));
const overridesFile = join(root, 'configs', `${env}.json`);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

if (!existsSync(overridesFile)) fail(`there is no configs/${env}.json; use --env dev or --env release.`);

const manifest = JSON.parse(readFileSync(join(root, 'vss-extension.json'), 'utf8'));
const taskContributions = manifest.contributions.filter((c) => c.type === 'ms.vss-distributed-task.task');
const contributed = taskContributions.map((c) => c.properties.name);
const taskFileEntry = (name) => manifest.files.find((f) => f.packagePath === name && f.path === `dist/tasks/${name}`);
for (const name of contributed) {
  if (!taskFileEntry(name)) fail(`vss-extension.json contributes ${name} but has no files entry { "path": "dist/tasks/${name}", "packagePath": "${name}" }; add one.`);
}

const sources = readdirSync(join(root, 'tasks')).filter((d) => existsSync(join(root, 'tasks', d, 'task.json')));
for (const name of sources) {
  if (!contributed.includes(name)) fail(`tasks/${name} has a task.json but vss-extension.json does not contribute it; add a files entry and a contribution for it.`);
  if (!existsSync(join(root, 'dist', 'tasks', name, 'index.js'))) fail(`dist/tasks/${name} is not built; run npm run build (npm run package does both).`);
}
const missing = contributed.filter((name) => !sources.includes(name));
if (missing.length > 0) {
  if (env === 'release') fail(`a release must hold every task the manifest contributes, and ${missing.map((m) => `tasks/${m}`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist.`);
  console.warn(`package: warning: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in tasks/ yet; the ${env} package leaves ${missing.length === 1 ? 'it' : 'them'} out.`);
}

// the manifest for the tasks that exist
const effective = structuredClone(manifest);
effective.contributions = manifest.contributions.filter((c) => !missing.includes(c.properties?.name));
effective.files = manifest.files.filter((f) => !missing.includes(f.packagePath));

// stage exactly what ships
const stage = join(root, 'dist', 'package', env);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
// each task folder goes to <stage>/<Name>, where the contribution's properties.name points (so tfx can
// check its task.json); everything else keeps its path
effective.files = effective.files.map((f) => (contributed.includes(f.packagePath) ? { path: f.packagePath } : f));
const copies = new Map([
  ...contributed.filter((n) => !missing.includes(n)).map((n) => [join('dist', 'tasks', n), n]),
  ...[...effective.files.map((f) => f.path).filter((p) => !contributed.includes(p)), ...Object.values(effective.icons ?? {}), ...Object.values(effective.content ?? {}).map((c) => c.path)].map((p) => [p, p]),
]);
for (const [from, to] of copies) {
  if (!existsSync(join(root, from))) fail(`${from}, named in vss-extension.json, does not exist.`);
  mkdirSync(dirname(join(stage, to)), { recursive: true });
  cpSync(join(root, from), join(stage, to), { recursive: true });
}
writeFileSync(join(stage, 'vss-extension.json'), JSON.stringify(effective, null, 2) + '\n');

/** A name-based (v5-style) UUID: the same release id always gives the same dev id. */
export function derivedTaskId(id, salt) {
  const bytes = createHash('sha1').update(`${salt}:${id.toLowerCase()}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

if (env !== 'release') {
  for (const name of contributed.filter((n) => !missing.includes(n))) {
    for (const file of ['task.json', 'task.loc.json']) {
      const p = join(stage, name, file);
      if (!existsSync(p)) continue;
      const task = JSON.parse(readFileSync(p, 'utf8'));
      task.id = derivedTaskId(task.id, env);
      if (!task.friendlyName.startsWith('ms-resource:') && task.friendlyName.length + 6 <= 40) task.friendlyName += ' (dev)';
      writeFileSync(p, JSON.stringify(task, null, 2) + '\n');
    }
  }
}

const require = createRequire(import.meta.url);
const tfx = join(dirname(require.resolve('tfx-cli/package.json')), '_build', 'tfx-cli.js');
mkdirSync(outDir, { recursive: true });
// tfx only warns about a bad task.json (and still writes the vsix): any warning fails the package here
const tfxRun = spawnSync(
  process.execPath,
  [tfx, 'extension', 'create', '--root', stage, '--manifest-globs', 'vss-extension.json', '--overrides-file', overridesFile, '--output-path', outDir, '--no-prompt', '--json', '--no-color'],
  { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
);
const tfxOutput = `${tfxRun.stdout ?? ''}${tfxRun.stderr ?? ''}`.trim();
if (tfxRun.status !== 0) fail(`tfx extension create failed: ${tfxOutput || tfxRun.error?.message}`);
const warnings = tfxOutput.split('\n').filter((l) => /^\s*warning/i.test(l));
if (warnings.length > 0) fail(`tfx extension create warned, and a warning here is an error:\n${warnings.join('\n')}`);
const result = JSON.parse(tfxRun.stdout.slice(tfxRun.stdout.indexOf('{')));

const folderBytes = (dir) => readdirSync(dir).reduce((n, f) => {
  const p = join(dir, f);
  return n + (statSync(p).isDirectory() ? folderBytes(p) : statSync(p).size);
}, 0);
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
const report = {
  env,
  vsix: result.path,
  publisher: result.publisher,
  id: result.extensionId,
  version: result.version,
  vsixBytes: statSync(result.path).size,
  tasks: Object.fromEntries(contributed.filter((n) => !missing.includes(n)).map((n) => [n, folderBytes(join(stage, n))])),
  missing,
};
writeFileSync(join(root, 'dist', 'package', `${env}-report.json`), JSON.stringify(report, null, 2) + '\n');
console.log(`package: ${result.path} (${report.publisher}.${report.id} ${report.version}, ${env}): ${mb(report.vsixBytes)} (goal <= 3 MB)`);
for (const [name, bytes] of Object.entries(report.tasks)) console.log(`package:   ${name}: ${mb(bytes)} unpacked (goal <= 1.5 MB)`);
