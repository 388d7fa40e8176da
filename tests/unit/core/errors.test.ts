import * as assert from 'node:assert/strict';
import { format } from 'node:util';
import { ArmError, UserError, describeError } from '../../../src/core/errors';
import { MESSAGES, setMessageTranslator } from '../../../src/messages';

describe('core/errors', () => {
  afterEach(() => setMessageTranslator(undefined));

  it('describes a UserError with its file:line:column and connection, and an ArmError with status, code and request id', () => {
    const user = new UserError('Something is wrong.', { file: 'c.yml', line: 3, column: 5 }, 'git');
    assert.equal(describeError(user), "c.yml:3:5 connection 'git': Something is wrong.");
    assert.equal(describeError(new ArmError('Denied.', 403, 'AuthorizationFailed', 'r-1')), 'Denied. (HTTP 403, AuthorizationFailed, request id r-1)');
    assert.equal(describeError(new ArmError('Gone.', undefined, undefined, undefined)), 'Gone.');
  });

  it('takes its words from the catalog (a translator installed, as task-lib loc() is under the agent)', () => {
    setMessageTranslator((key, args) => `«${format(MESSAGES[key], ...args)}»`);
    assert.equal(describeError(new UserError('S.', undefined, 'git')), "«connection 'git'»: S.");
    assert.equal(describeError(new ArmError('Denied.', 403, undefined, 'r-1')), 'Denied. (HTTP 403, «request id r-1»)');
  });
});
