import * as assert from 'node:assert/strict';
import { SecretSet } from '../../../src/core/secrets';
import { findTargetSecrets, redactTarget, registerTargetSecrets } from '../../../src/core/target-secrets';

describe('core/target-secrets', () => {
  it('finds a password in the user information, at its index', () => {
    const t = 'https://build-bot:s3cr%40t@git.example.com/acme/models.git';
    assert.deepEqual(findTargetSecrets(t), [{ kind: 'userinfo', name: 'password', value: 's3cr%40t', index: 18 }]);
    assert.equal(redactTarget(t), 'https://build-bot:***@git.example.com/acme/models.git');
  });

  it('treats a bare user name in an http(s) target as a credential (a token written as the user), not in ssh', () => {
    assert.deepEqual(findTargetSecrets('https://ghp_abcdef123456@github.com/o/r'), [{ kind: 'userinfo', name: 'user', value: 'ghp_abcdef123456', index: 8 }]);
    assert.deepEqual(findTargetSecrets('ssh://git@github.com/o/r'), []);
    assert.deepEqual(findTargetSecrets('https://tok@github.com/o/r', { userOnly: false }), []);
  });

  it('finds tokens in query strings and connection-string parameters, ignoring case, - and _', () => {
    const found = findTargetSecrets('https://x.blob.core.windows.net/c?sv=2022-11-02&SIG=abc%2Bdef&se=2030&Access-Token=t0k');
    assert.deepEqual(found.map((f) => [f.name, f.value]), [['SIG', 'abc%2Bdef'], ['Access-Token', 't0k']]);
    assert.equal(redactTarget('https://x/c?sv=1&sig=abc&x=1#frag'), 'https://x/c?sv=1&sig=***&x=1#frag');
    assert.deepEqual(findTargetSecrets('Server=tcp:db.example.com;Database=d;Password=p@ss;').map((f) => f.value), ['p@ss']);
    assert.deepEqual(findTargetSecrets('jdbc:sqlserver://db:1433;databaseName=x;password=pw1').map((f) => f.value), ['pw1']);
    assert.deepEqual(findTargetSecrets('jdbc:snowflake://a.snowflakecomputing.com/?db=X&warehouse=W'), []);
    assert.deepEqual(findTargetSecrets('https://x.example/?token='), [], 'an empty value is no secret');
    assert.deepEqual(findTargetSecrets('https://x.example/keys?monkey=1&keyword=2'), [], 'whole names only');
  });

  it('registers the value as written and percent-decoded', () => {
    const sink = new SecretSet();
    registerTargetSecrets('https://u:p%40ss%2Fw@h/?code=a+b', sink);
    assert.ok(sink.has('p%40ss%2Fw'));
    assert.ok(sink.has('p@ss/w'));
    assert.ok(sink.has('a+b'));
    assert.ok(sink.has('a b'));
    assert.deepEqual(registerTargetSecrets(undefined, sink), []);
  });
});
