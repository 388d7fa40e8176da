import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MESSAGES, msg, setMessageTranslator, type MessageKey } from '../../src/messages';

const SRC = join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('messages', () => {
  afterEach(() => setMessageTranslator(undefined));

  it('formats the English template with util.format placeholders when no translator is installed', () => {
    const key = Object.keys(MESSAGES).find((k) => MESSAGES[k as MessageKey].includes('%s')) as MessageKey | undefined;
    if (!key) return assert.fail('the catalog has no template with a %s placeholder');
    assert.ok(!msg(key, 'ARG-1', 'ARG-2', 'ARG-3', 'ARG-4', 'ARG-5').includes('%s'));
    assert.ok(msg(key, 'ARG-1', 'ARG-2', 'ARG-3', 'ARG-4', 'ARG-5').includes('ARG-1'));
  });

  it('uses the installed translator (task-lib loc under the agent), and English when it has no string', () => {
    const key = Object.keys(MESSAGES)[0] as MessageKey;
    setMessageTranslator((k, args) => `[fr] ${k} ${args.join(',')}`);
    assert.equal(msg(key, 'a', 1), `[fr] ${key} a,1`);
    setMessageTranslator((k) => k); // loc() returns the key when it has no string
    assert.ok(!msg(key).startsWith(key) || MESSAGES[key].startsWith(key));
  });

  it('keys are PascalCase with an area prefix, and templates are one sentence or more, never empty', () => {
    for (const [key, text] of Object.entries(MESSAGES)) {
      assert.match(key, /^(Model|Platform|Task|Verify)_[A-Z][A-Za-z0-9]*$/, key);
      assert.ok(text.trim().length > 0, key);
    }
  });

  it('no user-facing sentence is written outside the catalog (log lines, UserErrors, messages)', () => {
    const patterns: [RegExp, string][] = [
      [/\blog\.(info|warning|error)\(\s*[`'"]/, 'a log line'],
      [/new UserError\(\s*[`'"]/, 'a UserError'],
      [/\b(message|error|reason|note|detail|why): [`'"]/, 'a message'],
      [/\b(notes|warnings|errors|findings)\.push\(\s*[`'"]/, 'a note'],
    ];
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      if (file.includes(`${join('src', 'messages')}`)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [re, what] of patterns) if (re.test(line)) offenders.push(`${relative(SRC, file)}:${i + 1}: ${what} in English instead of msg(): ${line.trim().slice(0, 100)}`);
        });
    }
    assert.deepEqual(offenders, []);
  });
});
