/**
 * Localization: the build writes task.loc.json and Strings/resources.resjson/en-US/resources.resjson next
 * to each bundled task.json (scripts/loc.mjs, generated, never committed). These tests check that the
 * built files are in sync with tasks/<Name>V1/task.json, that every `ms-resource:` key resolves, that
 * every display string is localizable, and that every loc('Key') the code calls exists in `messages`.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { presentTasks, readTask, REPO_ROOT, type TaskJson } from './helpers';
import { MESSAGES } from '../../src/messages';

/**
 * task.json as the build writes it: the source task.json with, as `messages`, the catalog entries its
 * bundle uses (read back from the built file and checked against the catalog and the sources below).
 */
function builtTask(name: string): TaskJson {
  const task = readTask(name);
  const built = JSON.parse(readFileSync(join(DIST, name, 'task.json'), 'utf8')) as TaskJson;
  const catalog: Record<string, string> = MESSAGES;
  const messages: Record<string, string> = { ...(task.messages ?? {}) };
  for (const key of Object.keys(built.messages ?? {})) if (key in catalog) messages[key] = catalog[key] as string;
  return { ...task, messages };
}

/** The source files esbuild bundles into a task (its metafile's inputs under src/ and tasks/). */
async function bundledSources(name: string): Promise<string[]> {
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [join(REPO_ROOT, 'tasks', name, 'index.ts')], bundle: true, platform: 'node', write: false, metafile: true, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs)
    .filter((f) => /^(src|tasks)\//.test(f) && f.endsWith('.ts') && !f.startsWith('src/messages/'))
    .map((f) => join(REPO_ROOT, f));
}

const RESJSON = join('Strings', 'resources.resjson', 'en-US', 'resources.resjson');
const DIST = join(REPO_ROOT, 'dist', 'tasks');

/** Keys passed as a literal to loc(...) / tl.loc(...) / msg(...) in a source text. */
export function locKeysUsed(source: string): string[] {
  return [...source.matchAll(/(?<![A-Za-z0-9_$])(?:loc|msg)\(\s*(['"`])([A-Za-z0-9_.-]+)\1/g)].map((m) => m[2]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function collectResourceRefs(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.startsWith('ms-resource:')) out.push(value.slice('ms-resource:'.length));
  else if (Array.isArray(value)) for (const v of value) collectResourceRefs(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectResourceRefs(v, out);
  return out;
}

describe('localization (task.loc.json, resources.resjson, messages)', () => {
  before(function () {
    this.timeout(120_000);
    // the files are build output: build when a task is not built yet
    if (presentTasks().some((t) => !existsSync(join(DIST, t, 'task.loc.json')))) execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'ignore' });
  });

  it('finds loc keys the way the code calls them', () => {
    assert.deepEqual(locKeysUsed(`tl.loc('NoFiles', x); loc("Applied"); task.loc(\`Done\`); notloc('X'); alloc('Y'); tl.loc(name); msg('Task_Done', 1)`), ['NoFiles', 'Applied', 'Done', 'Task_Done']);
  });

  for (const name of presentTasks()) {
    describe(name, () => {
      it('the built task.loc.json and en-US resjson are in sync with task.json', async () => {
        const { generateLoc } = (await import(join(REPO_ROOT, 'scripts', 'loc.mjs'))) as { generateLoc: (t: unknown) => { locJson: unknown; resources: Record<string, string> } };
        const expected = generateLoc(builtTask(name));
        const built = join(DIST, name);
        assert.deepEqual(JSON.parse(readFileSync(join(built, 'task.json'), 'utf8')), builtTask(name), 'dist task.json is the source task.json plus the catalog messages its bundle uses (run npm run build)');
        assert.deepEqual(JSON.parse(readFileSync(join(built, 'task.loc.json'), 'utf8')), expected.locJson, 'task.loc.json (run npm run build)');
        assert.deepEqual(JSON.parse(readFileSync(join(built, RESJSON), 'utf8')), expected.resources, 'resources.resjson (run npm run build)');
      });

      it('every ms-resource key resolves, and every display string is localized', () => {
        const built = join(DIST, name);
        const loc = JSON.parse(readFileSync(join(built, 'task.loc.json'), 'utf8'));
        const resources = JSON.parse(readFileSync(join(built, RESJSON), 'utf8')) as Record<string, string>;
        const refs = collectResourceRefs(loc);
        for (const key of refs) assert.ok(key in resources, `task.loc.json uses ${key}, which resources.resjson lacks`);
        assert.deepEqual(Object.keys(resources).sort(), [...new Set(refs)].sort(), 'no unused resource');
        for (const field of ['friendlyName', 'description', 'helpMarkDown', 'instanceNameFormat']) assert.equal(loc[field], `ms-resource:loc.${field}`);
        for (const input of loc.inputs) {
          assert.equal(input.label, `ms-resource:loc.input.label.${input.name}`);
          assert.equal(input.helpMarkDown, `ms-resource:loc.input.help.${input.name}`);
        }
        for (const group of loc.groups ?? []) assert.equal(group.displayName, `ms-resource:loc.group.displayName.${group.name}`);
        const task = builtTask(name);
        assert.equal(resources['loc.friendlyName'], task.friendlyName);
        for (const [key, text] of Object.entries(task.messages ?? {})) assert.equal(resources[`loc.messages.${key}`], text);
      });

      it("every loc('Key') and msg('Key') its bundled code calls exists in its built messages", async function () {
        this.timeout(60_000);
        // shared code (src/) can run in any task, so its keys must be in every task's messages
        const files = await bundledSources(name);
        assert.ok(files.length > 10, 'the bundle has sources');
        const messages = (JSON.parse(readFileSync(join(DIST, name, 'task.json'), 'utf8')) as { messages?: Record<string, string> }).messages ?? {};
        const missing = files.flatMap((f) => locKeysUsed(readFileSync(f, 'utf8')).filter((k) => !(k in messages)).map((k) => `${k} (${f.slice(REPO_ROOT.length + 1)})`));
        assert.deepEqual(missing, [], `${name}/task.json messages lacks keys the code uses`);
      });
    });
  }
});
