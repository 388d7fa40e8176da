import * as assert from 'node:assert/strict';
import { SecretSet } from '../../../src/core/secrets';
import { azureData, azureProperty, CliLog, detectCi, githubData, githubProperty, ProgressLine, safeText, wantsColour, type Env } from '../../../src/cli/output';
import { parseAzureCommand, parseGithubCommand, runnerLines } from '../../support/ci-commands';
import { Captured, withCliMessages } from './support';

/** Text that tries every way out: logging commands, workflow commands, line breaks, terminal escapes. */
const HOSTILE = [
  '##vso[task.setvariable variable=pwned]1',
  '##[error]forged',
  '::error::forged',
  '  ::set-output name=x::1',
  '\u00a0::add-mask::x',
  '\u0085::warning::nel',
  'a\n::error::after a line feed',
  'a\r::error::after a carriage return',
  'a\r\n##[group]x',
  '\u001b]0;title\u0007\u001b[2J',
  '%0A::error::escaped',
  'x%AZP25y;z]w',
  'ab]c;d,e:f%g',
];

function logWith(env: Env, options: { tty?: boolean; secrets?: SecretSet; cwd?: string } = {}) {
  const stdout = new Captured(options.tty);
  const stderr = new Captured(options.tty);
  const log = new CliLog({ stdout, stderr, env, cwd: options.cwd ?? '/work', secrets: options.secrets ?? new SecretSet() });
  return { log, stdout, stderr };
}

describe('cli/output', () => {
  withCliMessages();

  describe('safeText', () => {
    it('prints one line, as the tasks do: ##vso[ and ##[ neutralised, CR and LF shown as \\r and \\n; other control characters as \\uXXXX; no leading ::', () => {
      assert.equal(safeText('##vso[task.complete]x ##VSO[y] ##[error]z'), '##_vso[task.complete]x ##_vso[y] ##_[error]z');
      assert.equal(safeText('::error::x\n  ::warning::y\r\nok ::z'), ':_:error::x\\n  ::warning::y\\r\\nok ::z');
      assert.equal(safeText('  \u00a0::x'), '  \u00a0:_:x');
      assert.equal(safeText('a\rb\u001b[31mc\u2028d\u202ee\tf\u0085g'), 'a\\rb\\u001b[31mc\\u2028d\\u202ee\tf\\u0085g');
    });

    it('redacts every registered secret (and its encodings) before anything else', () => {
      const secrets = new SecretSet();
      secrets.add('p@ss##vso[word');
      assert.equal(safeText('pat p@ss##vso[word and p%40ss%23%23vso%5Bword', secrets), 'pat *** and ***');
    });

    it('leaves no line of hostile text that either runner reads as a command', () => {
      for (const text of HOSTILE) {
        for (const line of runnerLines(safeText(text))) {
          assert.equal(parseAzureCommand(line), undefined, JSON.stringify(line));
          assert.equal(parseGithubCommand(line), undefined, JSON.stringify(line));
          assert.ok(!line.includes('##['), JSON.stringify(line));
        }
      }
    });
  });

  describe('escaping, as each runner unescapes', () => {
    it('Azure Pipelines: data keeps ; and ], properties escape them; %AZP25 for %', () => {
      assert.equal(azureData('a%b\r\nc;d]'), 'a%AZP25b%0D%0Ac;d]');
      assert.equal(azureProperty('a%b\r\nc;d]'), 'a%AZP25b%0D%0Ac%3Bd%5D');
      for (const text of HOSTILE) {
        const cmd = parseAzureCommand(`##vso[task.logissue type=error;sourcepath=${azureProperty(text)};]${azureData(text)}`);
        assert.deepEqual([cmd?.name, cmd?.props.sourcepath, cmd?.data], ['task.logissue', text, text]);
      }
    });

    it('GitHub Actions: data escapes %, CR and LF; properties also : and ,', () => {
      assert.equal(githubData('a%b\r\nc:d,e'), 'a%25b%0D%0Ac:d,e');
      assert.equal(githubProperty('a%b\r\nc:d,e'), 'a%25b%0D%0Ac%3Ad%2Ce');
      for (const text of HOSTILE) {
        const lines = runnerLines(`::error file=${githubProperty(text)},line=1::${githubData(text)}`);
        assert.equal(lines.length, 1);
        const cmd = parseGithubCommand(lines[0] as string);
        assert.deepEqual([cmd?.name, cmd?.props.file, cmd?.props.line, cmd?.data], ['error', text, '1', text]);
      }
    });
  });

  describe('CliLog', () => {
    const at = { file: 'connections/a.yml', line: 3, column: 9 };

    it('prints problems as file:line:col: message (warnings with warning:), and error:/warning: without a place', () => {
      const { log, stdout } = logWith({});
      log.error('Bad target.', at);
      log.warning('Odd.', at);
      log.error('No file matched.');
      log.warning('Careful.');
      log.error('connections/a.yml:3:9: Already placed.', at);
      assert.deepEqual(stdout.lines, [
        'connections/a.yml:3:9: Bad target.',
        'connections/a.yml:3:9: warning: Odd.',
        'error: No file matched.',
        'warning: Careful.',
        'connections/a.yml:3:9: Already placed.',
      ]);
      assert.equal(log.errorCount, 3);
    });

    it('inside Azure Pipelines: task.logissue with the absolute file, line and column; groups as ##[group]', () => {
      const { log, stdout } = logWith({ TF_BUILD: 'True' }, { cwd: '/repo' });
      log.error('Bad target.', at);
      log.warning('Careful.');
      log.error('overrides line 1 is wrong.', { file: 'overrides', line: 1, column: 1 });
      log.group('Plan');
      log.info('[+] create x');
      log.endGroup();
      assert.deepEqual(stdout.lines, [
        '##vso[task.logissue type=error;sourcepath=/repo/connections/a.yml;linenumber=3;columnnumber=9;]connections/a.yml:3:9: Bad target.',
        '##vso[task.logissue type=warning;]Careful.',
        '##vso[task.logissue type=error;]overrides:1:1: overrides line 1 is wrong.',
        '##[group]Plan',
        '[+] create x',
        '##[endgroup]',
      ]);
    });

    it('inside GitHub Actions: ::error annotations with the file relative to the workspace; groups as ::group::', () => {
      const { log, stdout } = logWith({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '/home/runner/work/repo' }, { cwd: '/home/runner/work/repo/ml' });
      log.error('Bad target.', at);
      log.error('Outside.', { file: '/elsewhere/b.yml', line: 1, column: 2 });
      log.warning('Careful.');
      log.group('Plan');
      log.endGroup();
      assert.deepEqual(stdout.lines, [
        '::error file=ml/connections/a.yml,line=3,col=9::connections/a.yml:3:9: Bad target.',
        '::error file=/elsewhere/b.yml,line=1,col=2::/elsewhere/b.yml:1:2: Outside.',
        '::warning::Careful.',
        '::group::Plan',
        '::endgroup::',
      ]);
    });

    it('never lets a file name or a message become another command, in any of the three forms', () => {
      for (const env of [{}, { TF_BUILD: 'True' }, { GITHUB_ACTIONS: 'true' }] as Env[]) {
        const { log, stdout } = logWith(env);
        for (const text of HOSTILE) {
          log.error(text, { file: `connections/${text}.yml`, line: 1, column: 1 });
          log.warning(text);
          log.info(text);
          log.group(text);
          log.endGroup();
        }
        for (const line of runnerLines(stdout.text)) {
          const azure = parseAzureCommand(line);
          if (azure) assert.equal(azure.name, 'task.logissue', line);
          const github = parseGithubCommand(line);
          if (github) assert.ok(['error', 'warning', 'group', 'endgroup'].includes(github.name), line);
          if (line.includes('##[')) assert.match(line, /^##\[(group|endgroup)\]/, line);
          if (!env.TF_BUILD && !env.GITHUB_ACTIONS) assert.equal(github ?? azure, undefined, line);
        }
      }
    });

    it('colours on a terminal only, never with NO_COLOR, --no-color or inside a CI', () => {
      assert.equal(wantsColour(new Captured(true), {}), true);
      assert.equal(wantsColour(new Captured(false), {}), false);
      assert.equal(wantsColour(new Captured(true), { NO_COLOR: '1' }), false);
      assert.equal(wantsColour(new Captured(true), { TERM: 'dumb' }), false);
      assert.equal(wantsColour(new Captured(true), {}, true), false);
      const tty = logWith({}, { tty: true });
      tty.log.error('Bad.', at);
      tty.log.info('[+] create x');
      assert.equal(tty.stdout.text, '\u001b[1mconnections/a.yml:3:9:\u001b[0m \u001b[31mBad.\u001b[0m\n\u001b[32m[+]\u001b[0m create x\n');
      const plain = logWith({ NO_COLOR: '1' }, { tty: true });
      plain.log.error('Bad.', at);
      assert.equal(plain.stdout.text, 'connections/a.yml:3:9: Bad.\n');
      const ci = logWith({ GITHUB_ACTIONS: 'true' }, { tty: true });
      ci.log.info('[+] create x');
      assert.equal(ci.stdout.text, '[+] create x\n');
    });

    it('redacts the secrets registered with it in every line it prints', () => {
      const secrets = new SecretSet();
      const { log, stdout } = logWith({ TF_BUILD: 'true' }, { secrets });
      secrets.add('s3cr3t-value');
      log.info('token s3cr3t-value');
      log.error('bad s3cr3t-value', { file: 'a.yml', line: 1, column: 1 });
      log.group('s3cr3t-value');
      assert.ok(!stdout.text.includes('s3cr3t'), stdout.text);
      assert.equal(stdout.lines[0], 'token ***');
    });

    it('keeps problems and lines instead of printing them when collecting for a report', () => {
      const stdout = new Captured();
      const log = new CliLog({ stdout, stderr: new Captured(), env: {}, cwd: '/w', secrets: new SecretSet(), collect: true });
      log.info('##vso[x]');
      log.error('Bad.', at);
      assert.equal(stdout.text, '');
      assert.deepEqual(log.lines, ['##_vso[x]']);
      assert.deepEqual(log.problems, [{ severity: 'error', message: 'Bad.', location: at, text: 'connections/a.yml:3:9: Bad.' }]);
    });

    it('counts the plan lines that will write while the plan group is printed', () => {
      const { log } = logWith({});
      log.group('Plan');
      for (const line of ['[+] create a', '[~] update b', '    ~ target: "x" -> "y"', '[-] delete c', '[=] d unchanged', '[!] e failing']) log.info(line);
      log.endGroup();
      log.info('[+] created a');
      assert.equal(log.writesPlanned, 3);
    });

    it('prints debug lines on stderr only when verbose', () => {
      const quiet = logWith({});
      quiet.log.debug('GET x');
      assert.equal(quiet.stderr.text, '');
      const stderr = new Captured();
      const loud = new CliLog({ stdout: new Captured(), stderr, env: {}, cwd: '/w', secrets: new SecretSet(), verbose: true });
      loud.debug('GET ##vso[x]');
      assert.equal(stderr.text, 'debug: GET ##_vso[x]\n');
    });
  });

  describe('ProgressLine', () => {
    it('appears after a second, redraws at most every 100 ms, hides around other lines and clears at the end', () => {
      let now = 0;
      const err = new Captured(true);
      const line = new ProgressLine(err, true, () => now);
      line.set('1 of 3');
      now = 500;
      line.set('2 of 3');
      assert.equal(err.text, '', 'nothing in the first second');
      now = 1000;
      line.set('2 of 3');
      now = 1050;
      line.set('3 of 3');
      assert.equal(err.text, '\r\u001b[K2 of 3', 'not redrawn within 100 ms');
      line.hide();
      line.show();
      now = 1200;
      line.set(undefined);
      assert.equal(err.text, '\r\u001b[K2 of 3\r\u001b[K\r\u001b[K3 of 3\r\u001b[K');
    });

    it('is never drawn when off (not a terminal, or inside a CI)', () => {
      let now = 0;
      const err = new Captured(false);
      const line = new ProgressLine(err, false, () => now);
      line.set('1 of 3');
      now = 5000;
      line.set('2 of 3');
      line.show();
      assert.equal(err.text, '');
      const stdout = new Captured(true);
      const stderr = new Captured(true);
      const ci = new CliLog({ stdout, stderr, env: { TF_BUILD: 'true' }, cwd: '/w', secrets: new SecretSet(), now: () => now });
      ci.setProgress('x');
      now = 9000;
      ci.setProgress('y');
      assert.equal(stderr.text, '');
    });

    it('clears itself before a line goes to stdout and draws itself again after it', () => {
      let now = 0;
      const stdout = new Captured(false);
      const stderr = new Captured(true);
      const log = new CliLog({ stdout, stderr, env: {}, cwd: '/w', secrets: new SecretSet(), now: () => now });
      log.setProgress('1 of 2');
      now = 2000;
      log.setProgress('1 of 2');
      log.info('[+] created a');
      assert.equal(stderr.text, '\r\u001b[K1 of 2\r\u001b[K\r\u001b[K1 of 2');
      assert.equal(stdout.text, '[+] created a\n');
    });
  });

  it('detects the CI from TF_BUILD (any case) and GITHUB_ACTIONS', () => {
    assert.equal(detectCi({ TF_BUILD: 'True' }), 'azure-pipelines');
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true' }), 'github-actions');
    assert.equal(detectCi({ TF_BUILD: 'False', GITHUB_ACTIONS: 'false' }), undefined);
  });
});
