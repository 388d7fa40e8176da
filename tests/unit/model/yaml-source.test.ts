import * as assert from 'node:assert/strict';
import { LIMITS, parseYamlFile } from '../../../src/model/yaml-source';

const problems = (text: string) => parseYamlFile('f.yml', text).problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`);

describe('model/yaml-source', () => {
  it('reads YAML 1.1 as PyYAML does: yes/no are booleans, y/n and dates are text, << merges (explicit keys win)', () => {
    const r = parseYamlFile('f.yml', 'base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nflag: yes\nletter: y\nday: 2024-10-21\n');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.documents[0]?.value, { base: { x: 1, y: 2 }, m: { x: 1, y: 3 }, flag: true, letter: 'y', day: '2024-10-21' });
    assert.deepEqual(r.documents[0]?.positions.get('m.x')?.value, { file: 'f.yml', line: 3, column: 7 }, 'a merged value points at the alias');
    assert.deepEqual(r.documents[0]?.positions.get('m.y')?.value, { file: 'f.yml', line: 4, column: 6 });
  });

  it('bounds alias expansion: nested anchors stop at the limit, at the alias that crossed it', () => {
    let text = 'a0: &a0 x\n';
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const out = problems(text); // unbounded, this would build 387 million values
    assert.deepEqual(out, ['3:10 Aliases are expanded more than 100 times in this document (aliases of anchors that hold aliases multiply); write the values out, or use fewer aliases.']);
  });

  it('bounds depth and values per document', () => {
    assert.match(problems(`a: ${'['.repeat(LIMITS.depth + 1)}${']'.repeat(LIMITS.depth + 1)}\n`)[0] as string, /nested too deeply/);
    const wide = `a: &a [${Array(200).fill('1').join(', ')}]\nb: [${Array(60).fill('*a').join(', ')}]\n`;
    assert.match(problems(wide)[0] as string, /more than 10000 values/);
  });

  it('names both places of a duplicate key; an alias without anchor and a complex key are errors; warnings count', () => {
    assert.deepEqual(problems('a: 1\nb: 2\na: 3\n'), ["3:1 The key 'a' is already given at f.yml:1:1 in the same mapping; remove one of them."]);
    assert.deepEqual(problems('a: *nope\n'), ["1:4 The alias '*nope' has no anchor '&nope' before it in this document; define the anchor earlier or write the value itself."]);
    assert.deepEqual(problems('? [a, b]\n: 1\n'), ['1:3 A key must be plain text, not a mapping, a list or an alias; write the key as text.']);
    assert.deepEqual(problems('a: !custom x\n'), ['1:4 Unresolved tag: !custom; fix the YAML syntax.']);
  });

  it('refuses more documents than the limit in one file', () => {
    const r = parseYamlFile('f.yml', 'a: 1\n---\n'.repeat(LIMITS.documentsPerFile + 1));
    assert.equal(r.documents.length, 0);
    assert.match(r.problems[0]?.message ?? '', /at most 1000 are read from one file/);
  });
});
