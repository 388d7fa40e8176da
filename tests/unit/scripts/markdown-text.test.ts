import * as assert from 'node:assert/strict';
import { escapeMarkdown } from '../../../src/core/markdown';
import { inlineText, markdownToText, width } from '../../../scripts/markdown-text';

describe('scripts/markdown-text: a summary as the plain text the demo prints', () => {
  it('shows inline markup and the escapes of escapeMarkdown as the characters a reader sees', () => {
    const outside = 'a|b `c` *d* <e> & [f](g) #h \\i';
    assert.equal(inlineText(escapeMarkdown(outside)), outside);
    assert.equal(inlineText('**bold** and `code` and [docs](https://example.invalid/x)'), 'bold and code and docs (https://example.invalid/x)');
    assert.equal(inlineText('one<br>two<br/>three'), 'one / two / three');
  });

  it('underlines headings and aligns a table under its header, escaped pipes kept in their cell', () => {
    const md = ['## Azure ML connections: verify', '', 'Workspace w  ', '', '| Name | Status |', '|---|---|', '| a\\|b | ok |', '| longer-name | drifted |', ''].join('\n');
    assert.deepEqual(markdownToText(md, '  '), [
      '  Azure ML connections: verify',
      '  ============================',
      '',
      '  Workspace w',
      '',
      '  Name         Status',
      '  -----------  -------',
      '  a|b          ok',
      '  longer-name  drifted',
    ]);
  });

  it('counts an emoji two columns wide, so the column after it stays aligned', () => {
    assert.equal(width('✅ ok'), 5);
    assert.equal(width('❌'), 2);
    const lines = markdownToText('| S | N |\n|---|---|\n| ✅ verified | 1 |\n| failed | 2 |');
    // the second column starts at the same terminal column on both rows
    assert.equal(width(lines[2]!.slice(0, lines[2]!.indexOf('1'))), width(lines[3]!.slice(0, lines[3]!.indexOf('2'))));
    assert.equal(lines[1], '-----------  -');
  });

  it('breaks a cell at <br> and wraps the widest column so the table fits the width, rows then apart by a blank line', () => {
    const md = ['| Name | Why |', '|---|---|', `| a | first reason<br>${'word '.repeat(12).trim()} |`, '| b | short |'].join('\n');
    const lines = markdownToText(md, '', 30);
    assert.ok(lines.every((l) => width(l) <= 30), lines.join('\n'));
    assert.deepEqual(lines, [
      'Name  Why',
      '----  ------------------------',
      'a     first reason',
      '      word word word word word',
      '      word word word word word',
      '      word word',
      '',
      'b     short',
    ]);
  });
});
