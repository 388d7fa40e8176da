// `npm run pack:cli`: the command line as an npm package, dist/azureml-connections-<version>.tgz, which
// `npm install -g <tarball>` turns into an `azureml-connections` command (no dependency: the script is bundled).
//
// The repository's package.json is the development manifest: private, with the tasks' and the tests'
// dependencies (an optional Node 24 whose `node` bin would shadow the user's) and a postinstall script of
// the repository. Packing it would give a tarball that installs all of that, so the package gets a
// manifest of its own, generated here in dist/npm-package/ (never committed), and `npm pack` packs that folder.
//
//   node scripts/pack-cli.mjs [--output DIR]   (after `node scripts/build.mjs cli`; npm run pack:cli does both)
//   node scripts/pack-cli.mjs --refuse-root    the root's prepack: `npm pack` at the root says to use pack:cli, and fails
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

if (args.includes('--refuse-root')) {
  console.error(
    'pack: the repository root is the development package (the tasks, the tests and their dependencies), not one to install.\n' +
      'pack: `npm run pack:cli` packs the command line into dist/azureml-connections-<version>.tgz (install it with npm install -g <tarball>);\n' +
      'pack: `npm run package` packs the Azure DevOps extension (.vsix).',
  );
  process.exit(1);
}

const at = args.indexOf('--output');
const outDir = resolve(at >= 0 && args[at + 1] ? args[at + 1] : join(root, 'dist'));
const bundle = join(root, 'dist', 'cli', 'azureml-connections.js');
if (!existsSync(bundle)) {
  console.error('pack: dist/cli/azureml-connections.js is not built; run node scripts/build.mjs cli (npm run pack:cli does both).');
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = join(root, 'dist', 'npm-package');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
copyFileSync(bundle, join(stage, 'azureml-connections.js'));
copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));

// the README's command line section, as the package's README
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = /^## Command line\n[\s\S]*?(?=^## )/m.exec(readme)?.[0];
if (!section) {
  console.error('pack: README.md has no "## Command line" section to ship as the package README.');
  process.exit(1);
}
writeFileSync(join(stage, 'README.md'), `# azureml-connections\n\n${section.replace(/^## Command line\n+/, '').replace(/^### /gm, '## ').trim()}\n`);

const pkg = {
  name: 'azureml-connections',
  version: manifest.version,
  description: 'Validate, plan, apply, verify and export Azure Machine Learning workspace connections from az-ml YAML: the command line of Azure ML Connections for Azure Pipelines.',
  license: manifest.license,
  // not published to a registry: installed from the tarball
  private: true,
  bin: { 'azureml-connections': 'azureml-connections.js' },
  files: ['azureml-connections.js', 'README.md', 'LICENSE'],
  engines: manifest.engines,
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

mkdirSync(outDir, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8', shell: process.platform === 'win32' });
if (run.status !== 0) {
  console.error(`pack: npm pack failed: ${run.stderr || run.error?.message}`);
  process.exit(1);
}
const [info] = JSON.parse(run.stdout.slice(run.stdout.indexOf('[')));
const tarball = join(outDir, info.filename);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`pack: ${tarball}: ${kib(statSync(tarball).size)} (${info.entryCount} files, ${kib(info.unpackedSize)} unpacked); npm install -g ${tarball}`);
