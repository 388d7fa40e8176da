import * as assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv';
import { compileSchemaValidator, schemaValidatorSource } from '../../../src/model/schema-validator';

/** The bundles carry the validator as standalone code (scripts/build.mjs); it must judge exactly like the one compiled at run time. */
function fromSource(): ValidateFunction {
  const mod: { exports: unknown } = { exports: {} };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('module', 'exports', 'require', schemaValidatorSource())(mod, mod.exports, require);
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
