import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES, msg } from '../../../src/messages';
import { cliMessages } from '../../../src/messages/cli';
import { withCliMessages } from './support';

describe('cli messages', () => {
  it('are Cli_ keys, each used by src/cli, none in the task catalog (so the task bundles do not carry them)', () => {
    const dir = join(__dirname, '..', '..', '..', 'src', 'cli');
    const code = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const [key, text] of Object.entries(cliMessages)) {
      assert.match(key, /^Cli_[A-Z][A-Za-z0-9]*$/);
      assert.ok(text.trim().length > 0, key);
      assert.ok(!(key in MESSAGES), key);
    }
    assert.deepEqual(Object.keys(cliMessages).filter((k) => !code.includes(`'${k}'`)), []);
  });

  describe('installed', () => {
    withCliMessages();
    it('are said, and the tasks\' sentences keep their English templates', () => {
      assert.equal(msg('Cli_UsageRequired', '--workspace'), '--workspace is required.');
      assert.equal(msg('Task_CreateDeclared', 2), '2 connection(s) declared.');
    });
  });
});
