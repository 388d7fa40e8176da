/** ML connection names from nameTemplate (src/migrate/names.ts). */
import * as assert from 'node:assert/strict';
import { isUserError } from '../../../src/core/errors';
import {
  NAME_PATTERN, checkTemplate, connectionNameFor, fallbackName, findCollisions, toConnectionName, transliterate,
} from '../../../src/migrate';

const ID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

describe('migrate: connection names', () => {
  it('transliterates accented Latin letters and the letters decomposition leaves alone', () => {
    assert.equal(transliterate('Dépôt Modèles'), 'Depot Modeles');
    assert.equal(transliterate('Straße Øresund Łódź Æther naïve'), 'Strasse Oresund Lodz AEther naive');
  });

  it('replaces runs of other characters with one -, trims, cuts to 33 and pads to 3', () => {
    assert.equal(toConnectionName('my registry (prod)', 'pad', 'fb'), 'my-registry-prod');
    assert.equal(toConnectionName('__docker__', 'pad', 'fb'), 'docker');
    assert.equal(toConnectionName('a', '1234abcd', 'fb'), 'a-1234abcd');
    assert.equal(toConnectionName('ab', '1234abcd', 'fb'), 'ab-1234abcd');
    assert.equal(toConnectionName('abc', '1234abcd', 'fb'), 'abc');
    assert.equal(toConnectionName('日本語', '1234abcd', 'git-1234abcd'), 'git-1234abcd');
    const long = toConnectionName('a-very-long-service-connection-name-for-the-registry', 'p', 'fb');
    assert.equal(long, 'a-very-long-service-connection-na');
    assert.equal(long.length, 33);
    assert.equal(toConnectionName('abcdefghijklmnopqrstuvwxyz012345 67', 'p', 'fb'), 'abcdefghijklmnopqrstuvwxyz012345', 'a cut that ends in - drops it');
  });

  it('every result is a valid name, whatever the input', () => {
    const inputs = [
      'x##vso[task.setvariable variable=pwned]1', '', ' ', '-', '--a--', 'é', 'ß', '\u0000\u202e', 'a\nb\r\nc', '$(SECRET)', '../../etc/passwd',
      'Ω'.repeat(50), 'a'.repeat(100), '_'.repeat(40) + 'z', '0', 'Docker Hub (contoso)', '🙂 emoji 🙂',
    ];
    for (const text of inputs) {
      const n = toConnectionName(text, '9f8e7d6c', 'container-registry-9f8e7d6c');
      assert.match(n, NAME_PATTERN, JSON.stringify(text));
    }
    assert.equal(toConnectionName('x##vso[task.setvariable variable=pwned]1', 'p', 'fb'), 'x-vso-task-setvariable-variable-p');
  });

  it('nameTemplate: {name}, {type} and {id}; the fallback for an unreadable name', () => {
    assert.equal(connectionNameFor('{name}', { id: ID, name: 'Docker Hub', mlType: 'container_registry' }), 'Docker-Hub');
    assert.equal(connectionNameFor('ado-{type}-{name}', { id: ID, name: 'feed', mlType: 'python_feed' }), 'ado-python_feed-feed');
    assert.equal(connectionNameFor('{name}-{id}', { id: ID, name: 'feed', mlType: 'python_feed' }), 'feed-9f8e7d6c');
    assert.equal(fallbackName({ id: ID, mlType: 'container_registry' }), 'container-registry-9f8e7d6c');
    assert.equal(connectionNameFor('{name}', { id: ID, mlType: 'git' }), 'git-9f8e7d6c');
    assert.equal(connectionNameFor('ml-{name}', { id: ID, mlType: 'git' }), 'ml-git-9f8e7d6c');
  });

  it('checkTemplate refuses unknown fields and an empty template', () => {
    assert.doesNotThrow(() => checkTemplate('ado-{name}-{type}-{id}'));
    for (const [t, re] of [['{nme}', /uses \{nme\}; use only \{name\}, \{type\}, \{id\}/], ['  ', /'nameTemplate' is empty/]] as const) {
      assert.throws(() => checkTemplate(t), (e: unknown) => isUserError(e) && re.test((e as Error).message));
    }
  });

  it('collisions are found case-insensitively, with every member', () => {
    assert.deepEqual(findCollisions(['a-1', 'B-2', 'A-1', 'c', 'b-2', 'a-1']), [
      { name: 'a-1', members: [0, 2, 5] },
      { name: 'B-2', members: [1, 4] },
    ]);
    assert.deepEqual(findCollisions(['x', 'y']), []);
  });
});
