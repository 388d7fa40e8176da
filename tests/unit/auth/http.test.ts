import * as assert from 'node:assert/strict';
import { sendSimple } from '../../../src/auth/http';
import { activeTimers, ArmTestServer, json, reset, sequence } from '../arm/support';

describe('auth/http sendSimple (OIDC token, Azure Stack endpoints)', () => {
  let server: ArmTestServer;
  before(async () => {
    server = await ArmTestServer.start();
  });
  after(async () => server.close());

  it('retries a reset connection and leaves no timer running (it would hold the task process for the whole timeout)', async () => {
    server.reset(sequence(reset, (_r, res) => json(res, 200, { value: 'ok' })));
    const before = await activeTimers();
    const response = await sendSimple('POST', `${server.url}/oidctoken`, { tlsCaPem: server.caPem }, { accept: 'application/json' }, '{}', 60_000);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.bodyText), { value: 'ok' });
    assert.equal(server.requests.length, 2);
    assert.equal(await activeTimers(), before);
  });

  it('gives up on an attempt with no answer after its timeout, and retries it', async () => {
    server.reset(sequence(() => undefined /* never answers */, (_r, res) => json(res, 200, {})));
    const before = await activeTimers();
    const response = await sendSimple('GET', `${server.url}/metadata/endpoints`, { tlsCaPem: server.caPem }, {}, undefined, 150);
    assert.equal(response.status, 200);
    assert.equal(server.requests.length, 2);
    assert.equal(await activeTimers(), before);
  });
});
