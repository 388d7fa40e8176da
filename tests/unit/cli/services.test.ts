import * as assert from 'node:assert/strict';
import { CliOutputs, CliVariables, CountedWrites, registerEnvironmentSecrets } from '../../../src/cli/services';
import { SecretSet } from '../../../src/core/secrets';
import { ArmError } from '../../../src/core/errors';
import { FakeConnectionsApi } from '../engine/fake-api';
import { withCliMessages } from './support';

describe('cli/services', () => {
  withCliMessages();

  it('variables: --var first (names ignore case), then the environment variable of that name; empty is not defined; none is secret', () => {
    const vars = new CliVariables(new Map([['Git_Pat', 'from-var'], ['EMPTY', '']]), { GIT_PAT: 'from-env', ORG: 'contoso', BLANK: '', EMPTY: 'env' });
    assert.deepEqual(vars.get('GIT_PAT'), { value: 'from-var', secret: false });
    assert.deepEqual(vars.get('git_pat'), { value: 'from-var', secret: false });
    assert.deepEqual(vars.get('ORG'), { value: 'contoso', secret: false });
    assert.equal(vars.get('org'), undefined, 'environment variable names are exact (the loader also tries the upper-case form)');
    assert.equal(vars.get('BLANK'), undefined);
    assert.equal(vars.get('EMPTY'), undefined, '--var NAME= hides the environment variable');
    assert.equal(vars.get('MISSING'), undefined);
  });

  it('outputs: kept and printed as one line at the end; a secret variable is only registered', () => {
    const secrets = new SecretSet();
    const outputs = new CliOutputs(secrets);
    assert.equal(outputs.line(), undefined);
    outputs.set('created', '2');
    outputs.set('hasChanges', 'true');
    outputs.setSecretVariable('AZUREML_X_PAT', 'shh-123');
    outputs.uploadSummary();
    assert.equal(outputs.line(), 'Outputs: created=2 hasChanges=true');
    assert.ok(secrets.has('shh-123'));
  });

  it("registers the sign-in's secrets from the environment", () => {
    const secrets = new SecretSet();
    registerEnvironmentSecrets({ AZURE_CLIENT_SECRET: 'cs-1', AZURE_CLIENT_CERTIFICATE_PASSWORD: 'cp-2', AZURE_PASSWORD: 'pw-3', AZURE_CLIENT_ID: 'not-a-secret' }, secrets);
    assert.deepEqual(['cs-1', 'cp-2', 'pw-3', 'not-a-secret'].map((v) => secrets.has(v)), [true, true, true, false]);
  });

  it('counts finished writes (PUT and DELETE, failed ones too) and passes everything through', async () => {
    const fake = new FakeConnectionsApi();
    const seen: number[] = [];
    const api = new CountedWrites(fake, (n) => seen.push(n));
    await api.put('a', { authType: 'None', category: 'Git', target: 'https://a' });
    await api.list();
    await api.get('a');
    await api.delete('a');
    fake.failPut.set('b', new ArmError('boom', 500, 'InternalError', undefined));
    await assert.rejects(api.put('b', { authType: 'None' }), { message: 'boom' });
    await api.listSecrets('a').catch(() => undefined);
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(fake.calls.map((c) => c.method), ['put', 'list', 'get', 'delete', 'put', 'listSecrets']);
    assert.equal(api.workspace, fake.workspace);
  });
});
