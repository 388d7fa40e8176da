import * as assert from 'node:assert/strict';
import { neutralise, oneLine, printable } from '../../../src/core/log';

describe('core/log', () => {
  it('neutralises ##vso[ in any case and ##[ anywhere in the text', () => {
    assert.equal(neutralise('a ##VSO[task.complete]x ##[error]y ##vso[z'), 'a ##_vso[task.complete]x ##_[error]y ##_vso[z');
  });

  it('keeps a printed line one line: CR, LF and CRLF (each a line break to the agent) shown as \\r and \\n', () => {
    assert.equal(oneLine('a\rb\nc\r\nd\n\re'), 'a\\rb\\nc\\r\\nd\\n\\re');
    assert.equal(printable('t\r##[error]fake\n##vso[task.setvariable variable=x]1'), 't\\r##_[error]fake\\n##_vso[task.setvariable variable=x]1');
    assert.equal(printable('plain text: tab\tstays'), 'plain text: tab\tstays');
  });
});
