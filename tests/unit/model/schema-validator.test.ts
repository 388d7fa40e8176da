import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import schemaJson from '../../../schema/connection.schema.json';
import { schemaRegExp, spellingTest } from '../../../src/model/schema-regexp';
import { compileSchemaValidator, schemaValidatorSource } from '../../../src/model/schema-validator';

/** The bundles carry the validator as standalone code (scripts/build.mjs); it must judge exactly like the one compiled at run time. */
function fromSource(): ValidateFunction {
  const mod: { exports: unknown } = { exports: {} };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  // the generated module requires ./schema-regexp beside it, as in the bundles
  new Function('module', 'exports', 'require', schemaValidatorSource())(mod, mod.exports, createRequire(join(__dirname, '../../../src/model/schema-validator.ts')));
  const e = mod.exports as ValidateFunction & { default?: ValidateFunction };
  return e.default ?? e;
}

const DOCS: unknown[] = [
  { name: 'git-1', type: 'git', target: 'https://dev.azure.com/o/p/_git/r', credentials: { type: 'pat', pat: 'x' } },
  { name: 'feed', type: 'python_feed', target: 'https://pkgs.example/simple/', credentials: { type: 'username_password', username: 'u', password: 'p' } },
  { name: 'aoai', type: 'azure_open_ai', azure_endpoint: 'https://a.openai.azure.com/', api_key: 'k', api_version: '2024-10-21' },
  { name: 'bad type', type: 'gti', target: 'https://x' },
  { name: 'c', type: 'git', target: 42, credentials: { type: 'pat', pat: 'x', extra: true } },
  { type: 'custom', credentials: { type: 'custom_keys', keys: 'not a mapping' }, metadata: ['x'] },
  'not a mapping',
  { name: 's3', type: 's3', target: 'b', credentials: { type: 'access_key', access_key_id: 'a' }, unknown_key: 1 },
];

describe('model: the precompiled schema validator', () => {
  it('gives the same verdict and the same errors as the validator compiled at run time', () => {
    const runtime = compileSchemaValidator();
    const standalone = fromSource();
    let invalid = 0;
    for (const doc of DOCS) {
      const a = runtime(doc);
      const b = standalone(doc);
      assert.equal(b, a, JSON.stringify(doc));
      assert.deepEqual(standalone.errors ?? null, runtime.errors ?? null, JSON.stringify(doc));
      if (!a) invalid++;
    }
    assert.ok(invalid >= 4, 'the sample holds invalid documents');
  });
});

/** Every `pattern` in the schema file, in order. */
function schemaPatterns(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'pattern' && typeof x === 'string' ? out.push(x) : walk(x);
  };
  walk(schemaJson);
  return out;
}

/** The names a spelling pattern alternates, read with a RegExp (independent of the engine's own reading). */
function namesIn(pattern: string): string[] {
  const inner = /\(\?:(.*)\)_\*\$$/.exec(pattern)?.[1] ?? '';
  return inner.split('|').map((a) => a.replace(/_\*/g, '').replace(/\[([a-z])[A-Z]\]/g, '$1'));
}

describe('model: the schema patterns\' engine (schema-regexp)', () => {
  const patterns = schemaPatterns();
  const spelled = patterns.filter((p) => spellingTest(p));

  it('reads every name-spelling pattern of the schema as a set, and nothing else', () => {
    // the connection type (with and without rest:), REST categories, credential types: every pattern with an alternation
    assert.deepEqual(spelled, patterns.filter((p) => p.includes('(?:')));
    assert.ok(spelled.some((p) => p.length > 5000), 'the long type patterns are among them');
    assert.ok(spelled.some((p) => p.startsWith('^[rR][eE][sS][tT]:')), 'and the rest: form');
    assert.equal(spellingTest('^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$'), undefined, 'any other pattern is left to RegExp');
    assert.equal(spellingTest('^_*(?:[gG]_*[iI]_*[tT]|[gG]_*.*)_*$'), undefined, 'a pattern not of the shape exactly is left to RegExp');
    assert.equal(spellingTest('^_*(?:[gG]_*[iI]_*[Tt])_*$'), undefined);
  });

  it('answers as V8 does for any other pattern too, and is keyed by its source as a RegExp is', () => {
    const name = schemaRegExp('^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$', 'u');
    assert.deepEqual(['abc', 'a', '-ab', 'a_b-c', 'ab\u212A'].map((t) => name.test(t)), [true, false, false, true, false]);
    assert.equal(String(name), '/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/u');
    const type = schemaRegExp(spelled[0], 'u');
    assert.equal(String(type), `/${spelled[0]}/u`);
    assert.equal(type.test(namesIn(spelled[0])[0].toUpperCase()), true);
  });

  it('matches exactly the strings V8 matches with each of those patterns', () => {
    const traps = ['', '_', 'rest:', 'REST:', 'rest:_', 'git\n', ' git', 'git ', 'g-it', 'g.it', '\u212Aey', 'ſ3', 'İ', 'a\u0131', 'ｇｉｔ', '\ud800'];
    let compared = 0;
    for (const pattern of spelled) {
      const v8 = new RegExp(pattern, 'u');
      const ours = spellingTest(pattern) as { test(s: string): boolean };
      const names = namesIn(pattern);
      assert.ok(names.length > 0, pattern.slice(0, 60));
      const prefixes = pattern.startsWith('^[rR]') ? ['rest:', 'Rest:', 'REST:_', 'rest', 'rest::', '_rest:', 'ʀest:', 'r_est:', 'rest_:', 're\u212At:'] : ['', '_', '__', 'rest:'];
      for (const name of names) {
        const spellings = [
          name, name.toUpperCase(), `_${[...name].join('_')}__`, name.replace(/^./, (c) => c.toUpperCase()), `${name}x`, name.slice(1), `${name}_s`,
          name.replace(/k/g, '\u212A'), name.replace(/s/g, 'ſ'), name.replace(/i/g, 'İ'), `${name}\n`, `${name} `,
        ];
        for (const p of prefixes) for (const s of [...spellings, ...traps]) {
          const text = p + s;
          // twice: the second answer is the one the engine remembers
          for (let k = 0; k < 2; k++) assert.equal(ours.test(text), v8.test(text), `${JSON.stringify(text)} against ${pattern.slice(0, 60)}…`);
          compared++;
        }
      }
    }
    assert.ok(compared > 10_000, `${compared} comparisons`);
  });
});
