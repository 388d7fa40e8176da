import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setMessageTranslator } from '../../../src/messages';
import { modelMessages } from '../../../src/messages/model';
import { parseOverrides } from '../../../src/model';
import { load } from './helpers';

/** A translator that shows which key and arguments each sentence was made from. */
const tagged = (key: string, args: (string | number)[]): string => `<${key}${args.map((a) => ` ${a}`).join('')}>`;

describe('model messages', () => {
  afterEach(() => setMessageTranslator(undefined));

  it('validation errors, warnings and notes are catalog sentences, translated as a whole with their parts as arguments', () => {
    setMessageTranslator(tagged);
    const r = load({
      'a.yml': 'name: git1\ntype: git\ntarget: https://g\ntargt: x\ndescription: d\n---\nname: oai1\ntype: azure_open_ai\nazure_endpoint: https://o\ncredentials:\n  type: pat\n  pat: p\n',
      'b.yml': 'name: redis1\ntype: Redis\ntarget: r\n---\nimage: x\n',
    });
    assert.deepEqual(r.diagnostics.map((d) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.message}`), [
      'a.yml:4:1 <Model_UnknownKeyHint targt <Model_ConnectionOfTypeA git> target>',
      'a.yml:11:9 <Model_CredentialsApiKeyOrAad <Model_ConnectionOfTypeAnCap azure_open_ai> pat>',
      "b.yml:5:1 <Model_NotAConnectionEnvironment 'image'>",
    ]);
    assert.deepEqual(r.connections.map((c) => c.notes), [['<Model_NoteGenericType Redis>']]);
  });

  it('the overrides input error is a catalog sentence that keeps its position', () => {
    setMessageTranslator(tagged);
    assert.throws(() => parseOverrides('ok.target=x\n\nnot an override\n'), (e: Error & { location?: unknown }) => {
      assert.equal(e.message, '<Model_OverrideLineInvalid 3>');
      assert.deepEqual(e.location, { file: 'overrides', line: 3, column: 1 });
      return true;
    });
  });

  it('every Model_ key is used by src/model (no sentence the code can no longer say)', () => {
    const dir = join(__dirname, '..', '..', '..', 'src', 'model');
    const code = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    assert.deepEqual(Object.keys(modelMessages).filter((k) => !code.includes(`'${k}'`)), []);
  });
});
