import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { validateDocument } from '../../../src/model';
import { CORPUS_DIR, EXPECTED_MD, errors, load, requireFile } from './helpers';
import { corpusExpectations as expectations } from '../../support/corpus';

describe('model: azure-ai-ml corpus', () => {
  it('every fixture loads to the [derived] body of EXPECTED.md, with our documented deviations', function () {
    requireFile(this, EXPECTED_MD);
    const expected = expectations();
    assert.ok(expected.length >= 27, `only ${expected.length} fixtures described`);
    let checked = 0;
    for (const e of expected) {
      const file = path.join(CORPUS_DIR, e.file);
      if (!fs.existsSync(file)) continue;
      const r = load([{ path: e.file, text: fs.readFileSync(file, 'utf8') }]);
      if (!e.properties) continue;
      assert.deepEqual(errors(r), [], e.file);
      assert.equal(r.connections.length, 1, e.file);
      assert.deepEqual(r.connections[0].properties, e.properties, e.file);
      checked++;
    }
    assert.ok(checked >= 26, `checked ${checked}`);
  });

  it('sends the properties in msrest order (authType, category, isSharedToAll, metadata, target, credentials)', function () {
    requireFile(this, CORPUS_DIR);
    const r = load({ 'git_pat.yaml': fs.readFileSync(path.join(CORPUS_DIR, 'git_pat.yaml'), 'utf8') });
    assert.deepEqual(Object.keys(r.connections[0].properties), ['authType', 'category', 'isSharedToAll', 'metadata', 'target', 'credentials']);
  });

  it('spells out the deviations from azure-ai-ml', function () {
    requireFile(this, CORPUS_DIR);
    const read = (f: string) => ({ [f]: fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8') });
    const aoai = load(read('azure_open_ai_entra.yaml')).connections[0].properties;
    assert.equal(aoai.category, 'AzureOpenAI');
    assert.deepEqual(aoai.metadata, { hello: 'world', ApiType: 'Azure' }); // no "ApiVersion": null (bug 8)
    assert.equal(load(read('not_azure_open_ai.yaml')).connections[0].properties.category, 'OpenAI');
    assert.equal(load(read('not_azure_open_ai.yaml')).connections[0].properties.target, undefined);
    assert.deepEqual(load(read('blob_store_acc_key.yaml')).connections[0].properties.credentials, { key: '9876' });
  });

  it('rejects blob_store_bad_cred.yaml, saying why and where', function () {
    requireFile(this, CORPUS_DIR);
    const r = load({ 'blob_store_bad_cred.yaml': fs.readFileSync(path.join(CORPUS_DIR, 'blob_store_bad_cred.yaml'), 'utf8') });
    assert.equal(r.connections.length, 0);
    const errs = errors(r);
    assert.ok(errs.some((d) => d.location?.line === 7 && /sas, account_key or aad, not api_key/.test(d.message)), JSON.stringify(errs));
    assert.ok(errs.some((d) => d.location?.line === 8 && d.location.column === 3 && /did you mean 'key'/.test(d.message)));
    assert.ok(errs.every((d) => d.connection === 'test_ws_conn_blob_store' && !d.message.includes('9876')));
  });

  it('every corpus file that loads is valid against schema/connection.schema.json', function () {
    requireFile(this, CORPUS_DIR);
    for (const f of fs.readdirSync(CORPUS_DIR)) {
      const text = fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8');
      const r = load({ [f]: text });
      const problems = validateDocument(parse(text, { version: '1.1' }));
      assert.equal(problems.length === 0, r.connections.length === 1, `${f}: ${JSON.stringify(problems)}`);
    }
  });

  it('registers every secret of the corpus with the SecretSink', function () {
    requireFile(this, CORPUS_DIR);
    const files = fs.readdirSync(CORPUS_DIR).map((f) => ({ path: f, text: fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8') }));
    const r = load(files);
    for (const s of ['dummy_pat', 'halo', 'spaniel', '123456', '9876', 'some_pat', '4444', '3232', '123446', '1234467', '1029', '2222', '3333']) {
      assert.ok(r.secrets.has(s), s);
    }
    assert.ok(!r.secrets.has('springer') && !r.secrets.has('john') && !r.secrets.has('12345'));
  });
});
