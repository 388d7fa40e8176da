import * as assert from 'node:assert/strict';
import { SecretSet, secretEncodings } from '../../../src/core/secrets';

describe('core: secrets', () => {
  it('lists the encodings a secret could leak in: itself, URL-encoded, base64 (base64url when it differs), JSON-escaped', () => {
    assert.deepEqual(secretEncodings('a b/"c'), ['a b/"c', 'a%20b%2F%22c', 'a%20b/%22c', 'YSBiLyJj', 'a b/\\"c']);
  });

  it('gives the encodings a value with a lone surrogate can take, without throwing (no URL can hold one)', () => {
    const value = 'tok3n\ud800';
    assert.throws(() => encodeURIComponent(value), URIError);
    assert.deepEqual(secretEncodings(value), [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'), 'tok3n\\ud800']);
    // a well-formed pair is one character, and URLs carry it
    assert.ok(secretEncodings('x\ud83d\ude00').includes('x%F0%9F%98%80'));
  });

  it('registers a value added again once: its encodings stay, and redaction is unchanged', () => {
    const set = new SecretSet();
    set.add('s3cr3t value');
    const before = set.all();
    set.add('s3cr3t value');
    assert.deepEqual(set.all(), before);
    assert.equal(set.redact('x s3cr3t%20value y'), 'x *** y');
    // a value that is another's encoding still gets its own encodings
    set.add('czNjcjN0IHZhbHVl');
    assert.ok(set.has(Buffer.from('czNjcjN0IHZhbHVl').toString('base64')));
  });
});
