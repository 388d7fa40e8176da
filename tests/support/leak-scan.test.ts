/** The audit every end-to-end run goes through: the leak scan (leak-scan.ts) and the injection check (agent-harness.ts). */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentLines, findInjections, type TaskRun } from './agent-harness';
import { base64Decoded, credentialsInText, leakScanTotals, percentDecoded, scanForSecrets, secretForms, separateTotals } from './leak-scan';
import { auditRun } from './world';

// base64 of it holds '/', so base64url differs
const SECRET = 'Zq7/+=&x-s3cr3t-"q"??';
/** planted hits count apart from the suite's */
const own = separateTotals();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const scan = (text: string, secret = SECRET) => scanForSecrets([{ where: 'out', text }], [{ label: 'the secret', value: secret }], own);

describe('support: the leak scan', () => {
  it('looks for each secret raw, URL-encoded, URI-encoded, base64 (padded or not), base64url and JSON-escaped; never for forms under 6 characters', () => {
    assert.deepEqual(secretForms(SECRET).map((f) => f.how), ['raw', 'URL-encoded', 'URI-encoded', 'base64', 'base64url', 'JSON-escaped'], 'its base64 needs no padding');
    assert.deepEqual(secretForms('abcdefg').map((f) => [f.how, f.form]), [['raw', 'abcdefg'], ['base64', 'YWJjZGVmZw=='], ['base64 without padding', 'YWJjZGVmZw']], 'identical forms once');
    assert.deepEqual(secretForms('abc'), []);
  });

  it('finds every form, in the middle of other text, and names the form and the place, never the value', () => {
    const hits = (text: string) => scan(`before ${text} after`);
    assert.deepEqual(hits(SECRET), ['the secret (raw) appears in out']);
    assert.deepEqual(hits(encodeURIComponent(SECRET)), ['the secret (URL-encoded) appears in out']);
    assert.deepEqual(hits(b64(SECRET)), ['the secret (base64) appears in out']);
    assert.deepEqual(hits(Buffer.from(SECRET).toString('base64url')), ['the secret (base64url) appears in out']);
    assert.deepEqual(hits(JSON.stringify({ v: SECRET })), ['the secret (JSON-escaped) appears in out']);
    assert.deepEqual(hits('nothing here'), []);
    for (const h of [hits(SECRET), hits(b64(SECRET))]) assert.ok(!h.join().includes(SECRET));
  });

  it('finds a secret inside base64 of something longer (Basic user:secret, any user, at any alignment) and in percent-encoded text', () => {
    assert.deepEqual(scan(`Authorization: Basic ${b64(`anyone-at-all:${SECRET}`)}`), ['the secret (inside base64) appears in out']);
    assert.deepEqual(scan(`token=x${b64(`a:${SECRET}`)}`), ['the secret (inside base64) appears in out'], 'not aligned with the run');
    assert.deepEqual(scan(`jwt ${b64('{"alg":"none"}')}.${Buffer.from(`{"pw":"${'plain-secret-9'}"}`).toString('base64url')}.sig`, 'plain-secret-9'), ['the secret (inside base64) appears in out']);
    assert.deepEqual(scan('p%61ssw%6Frd-%31%32'.replace(/%/g, '%'), 'password-12'), ['the secret (percent-encoded) appears in out']);
    assert.equal(percentDecoded('a%2Fb %ZZ %E2%82'), 'a/b %ZZ %E2%82');
    assert.ok(base64Decoded(`x ${b64('hello world, hi')} y`).includes('hello world, hi'));
  });

  it('finds the credentials written into URLs and connection strings without the product code', () => {
    assert.deepEqual(credentialsInText('https://svc:st%2Fored@git.example.com/r.git'), ['st%2Fored', 'st/ored']);
    assert.deepEqual(credentialsInText('https://ghp_tok123@github.com/o/r'), ['ghp_tok123']);
    assert.deepEqual(credentialsInText('ssh://git@github.com/o/r'), []);
    assert.deepEqual(credentialsInText('https://x/c?sv=1&sig=abc%2B1&se=2'), ['abc%2B1', 'abc+1']);
    assert.deepEqual(credentialsInText('Server=db;Database=d;Password=p@ss'), ['p@ss']);
  });

  it('counts bytes, secrets and hits (the suite totals are what the reporter prints)', () => {
    const t = separateTotals();
    scanForSecrets([{ where: 'a', text: 'x'.repeat(1000) }, { where: 'b', text: 'é secret-2' }], [{ label: 's', value: 'secret-1' }, { label: 't', value: 'secret-2' }], t);
    const { ms, ...rest } = t;
    assert.deepEqual({ ...rest, values: [...t.values] }, { runs: 1, haystacks: 2, bytes: 1011, secretsChecked: 2, formsChecked: 6, hits: 1, values: ['secret-1', 'secret-2'] });
    assert.ok(ms >= 0 && ms < 5000);
    const suite = leakScanTotals();
    assert.deepEqual(Object.keys(suite).sort(), ['bytes', 'distinctSecrets', 'formsChecked', 'haystacks', 'hits', 'ms', 'runs', 'secretsChecked']);
  });
});

describe('support: the injection check', () => {
  const run = (stdout: string, stderr = '') => ({ stdout, stderr });
  it('splits lines as the agent does: at \\r\\n, \\r and \\n', () => {
    assert.deepEqual(agentLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  });

  it('fails on a command we never emit, on any command on stderr, and on a ##[ line other than our groups, after a bare \\r too', () => {
    assert.deepEqual(findInjections(run('##[group]x ##[error]y\n##[endgroup]\n##vso[task.setvariable variable=a]1\nplain ##_vso[task.complete]\n')), []);
    assert.deepEqual(findInjections(run('ok\r##[error]fake\n')), ['stdout line 2: a formatted line "##[error]fake"']);
    assert.deepEqual(findInjections(run('x ##vso[task.prependpath]/evil\n')), ['stdout line 1: logging command task.prependpath']);
    assert.deepEqual(findInjections(run('', 'boom ##vso[task.setvariable variable=a]1\r\n  ##[warning]w')), [
      'stderr line 1: logging command task.setvariable',
      'stderr line 2: a formatted line "  ##[warning]w"',
    ]);
  });

  it('auditRun fails a run with a leak in a file it wrote or an injected line', () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'amlc-audit-'));
    const file = join(tempDir, 'plan.json');
    writeFileSync(file, JSON.stringify({ before: `https://u:${SECRET}@h` }));
    const fake = { stdout: 'fine\n', stderr: '', masked: 'fine\n', tempDir, summaryFiles: [] } as unknown as TaskRun;
    assert.throws(() => auditRun(fake, [{ label: 'the secret', value: SECRET }], [], own), /the secret \(JSON-escaped\) appears in .*plan\.json/);
    assert.doesNotThrow(() => auditRun(fake, [{ label: 'other', value: 'another-secret' }], [], own));
    assert.throws(() => auditRun({ ...fake, stdout: 'a\r##[error]x' }, [], [], own), /##\[ line/);
  });
});
