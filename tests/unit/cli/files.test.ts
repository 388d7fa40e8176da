import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PATTERNS, matchFiles, shownPath } from '../../../src/cli/files';

describe('cli/files: globs matched as the tasks match connectionFiles', () => {
  let root: string;
  const rel = (paths: string[]) => paths.map((p) => shownPath(p, root));

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'amlc-cli-files-'));
    for (const f of ['connections/a.yml', 'connections/b.yaml', 'connections/.hidden.yml', 'connections/notes.txt', 'ml/connections/c.yml', 'ml/deep/connections/d.yml', 'other/e.yml', 'x{1,2}.yml', '[id]/f.yml']) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'name: x\n');
    }
    mkdirSync(join(root, 'connections', 'folder.yml'));
    symlinkSync(root, join(root, 'ml', 'loop'));
    symlinkSync(join(root, 'other'), join(root, 'linked'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("the default patterns are the Create task's, and find connections/ folders at any depth (dot files included, symlink cycles skipped)", () => {
    assert.deepEqual(DEFAULT_PATTERNS, ['**/connections/*.yml', '**/connections/*.yaml']);
    assert.deepEqual(rel(matchFiles(DEFAULT_PATTERNS, root)), [
      'connections/.hidden.yml', 'connections/a.yml', 'connections/b.yaml', 'connections/folder.yml',
      'ml/connections/c.yml', 'ml/deep/connections/d.yml',
    ]);
  });

  it('a path without glob characters is checked as it is; a missing one matches nothing', () => {
    assert.deepEqual(rel(matchFiles(['other/e.yml', 'missing.yml'], root)), ['other/e.yml']);
    assert.deepEqual(rel(matchFiles(['linked/*.yml'], root)), ['linked/e.yml'], 'symbolic links are followed');
    assert.deepEqual(matchFiles([join(root, 'other', 'e.yml')], '/'), [join(root, 'other', 'e.yml')]);
  });

  it('! excludes what the patterns before it matched; braces are not expanded', () => {
    assert.deepEqual(rel(matchFiles(['connections/*', '!connections/*.yaml', '!**/.hidden.yml'], root)), ['connections/a.yml', 'connections/folder.yml', 'connections/notes.txt']);
    assert.deepEqual(rel(matchFiles(['x{1,2}.yml'], root)), ['x{1,2}.yml']);
  });

  it('glob characters in the current folder itself match only themselves', () => {
    assert.deepEqual(rel(matchFiles(['*.yml'], join(root, '[id]'))).map((p) => p.replace(/^.*\//, '')), ['f.yml']);
    assert.equal(shownPath(join(root, '[id]', 'f.yml'), join(root, '[id]')), 'f.yml');
  });

  it('names files outside the current folder by their absolute path', () => {
    assert.equal(shownPath('/elsewhere/a.yml', root), '/elsewhere/a.yml');
    assert.equal(shownPath(join(root, 'a.yml'), root), 'a.yml');
  });
});
