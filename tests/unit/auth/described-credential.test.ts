import * as assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { DescribedCredential } from '../../../src/auth';

/** A credential that answers when the test says so, and counts what it was asked. */
class HeldCredential implements TokenCredential {
  asked: { scopes: string; claims?: string }[] = [];
  private waiting: { resolve: (t: AccessToken) => void; reject: (e: Error) => void }[] = [];
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.asked.push({ scopes: [scopes].flat().join(' '), claims: options?.claims });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  answer(token: string, expiresOnTimestamp: number, refreshAfterTimestamp?: number): void {
    this.waiting.shift()!.resolve({ token, expiresOnTimestamp, refreshAfterTimestamp, tokenType: 'Bearer' });
  }
  fail(message: string): void {
    this.waiting.shift()!.reject(new Error(message));
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const SCOPE = 'https://management.azure.com/.default';
const HOUR = 3_600_000;

describe('auth/DescribedCredential: one sign-in shared by every pipeline of a run', () => {
  it('hands a token being fetched, then a fresh one, to the next callers instead of asking again', async () => {
    const inner = new HeldCredential();
    let now = 0;
    const c = new DescribedCredential(inner, "service connection 'arm'", () => now);
    const first = c.getToken(SCOPE);
    const second = c.getToken([SCOPE]);
    assert.equal(inner.asked.length, 1, 'the second caller waits for the first sign-in');
    inner.answer('t1', HOUR);
    assert.deepEqual([(await first).token, (await second).token], ['t1', 't1']);
    now = HOUR - 6 * 60_000;
    assert.equal((await c.getToken(SCOPE)).token, 't1', 'still fresh six minutes before it expires');
    assert.equal(inner.asked.length, 1);
    now = HOUR - 4 * 60_000;
    const later = c.getToken(SCOPE);
    await flush();
    assert.equal(inner.asked.length, 2, 'within five minutes of expiry it signs in again');
    inner.answer('t2', 2 * HOUR);
    assert.equal((await later).token, 't2');
  });

  it('honours refreshAfterTimestamp; another scope or a claims challenge asks again', async () => {
    const inner = new HeldCredential();
    let now = 0;
    const c = new DescribedCredential(inner, 'x', () => now);
    const first = c.getToken(SCOPE);
    inner.answer('t1', HOUR, 10_000);
    await first;
    now = 10_000;
    const refreshed = c.getToken(SCOPE);
    await flush();
    inner.answer('t2', HOUR);
    assert.equal((await refreshed).token, 't2');
    const other = c.getToken('https://other.example/.default');
    inner.answer('o1', HOUR);
    assert.equal((await other).token, 'o1');
    const challenged = c.getToken(SCOPE, { claims: 'e30=' });
    inner.answer('c1', HOUR);
    assert.equal((await challenged).token, 'c1');
    assert.deepEqual(
      inner.asked.map((a) => [a.scopes, a.claims]),
      [[SCOPE, undefined], [SCOPE, undefined], ['https://other.example/.default', undefined], [SCOPE, 'e30=']],
    );
  });

  it('does not keep a failure: the callers waiting for it get its sentence, the next caller tries again', async () => {
    const inner = new HeldCredential();
    const c = new DescribedCredential(inner, "service connection 'arm'", () => 0);
    const first = c.getToken(SCOPE);
    const second = c.getToken(SCOPE);
    inner.fail('AADSTS7000215: Invalid client secret provided.');
    await assert.rejects(first, /service connection 'arm'/);
    await assert.rejects(second, /service connection 'arm'/);
    assert.equal(inner.asked.length, 1, 'one sign-in failed, once, for both');
    const third = c.getToken(SCOPE);
    await flush();
    assert.equal(inner.asked.length, 2, 'a caller after the failure asks again');
    inner.answer('t', HOUR);
    assert.equal((await third).token, 't');
    const fourth = c.getToken(SCOPE);
    await flush();
    assert.equal(inner.asked.length, 2);
    assert.equal((await fourth).token, 't');
  });
});
