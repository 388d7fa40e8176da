import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/run';
import { Captured, withCliMessages } from './support';

describe('cli/run (in process): validate, help, version, exit codes', () => {
  withCliMessages();
  let dir: string;
  const run = async (argv: string[], env: Record<string, string> = {}, cwd = dir) => {
    const stdout = new Captured();
    const stderr = new Captured();
    const code = await runCli({ argv, env, cwd, stdout, stderr });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amlc-cli-run-'));
    mkdirSync(join(dir, 'connections'));
    writeFileSync(join(dir, 'connections', 'git.yml'), 'name: git-models\ntype: git\ntarget: https://dev.azure.com/contoso/ml/_git/models\ncredentials:\n  type: pat\n  pat: $(GIT_PAT)\n');
    writeFileSync(join(dir, 'connections', 'feed.yaml'), 'name: pypi-internal\ntype: python_feed\ntarget: https://pkgs.example.com/simple\ncredentials:\n  type: username_password\n  username: $(FEED_USER)\n  password: $(FEED_PASSWORD)\n');
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'a.yml'), 'name: x\ntype: git\ntargt: https://x\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 when the files are valid (the default globs, values from --var and the environment), secrets never printed', async () => {
    const r = await run(['validate', '--var', 'FEED_USER=builder'], { GIT_PAT: 'pat-value-123', FEED_PASSWORD: 'feed-pass-456' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, [
      'Reading 2 connection file(s) matched by **/connections/*.yml, **/connections/*.yaml.',
      '2 connection(s) declared.',
      '2 connection(s) in 2 file(s) are valid.',
      '',
    ].join('\n'));
    assert.equal(r.stderr, '');
  });

  it('exit 1 with file:line:col errors when they are not, and when no file matches', async () => {
    const r = await run(['validate', 'connections/*.yml', 'bad/a.yml']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'Reading 2 connection file(s) matched by connections/*.yml, bad/a.yml.',
      "bad/a.yml:1:1: A git connection needs a target; add 'target'.",
      "bad/a.yml:1:7: The connection name 'x' is not valid: it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit; rename it.",
      "bad/a.yml:3:1: 'targt' is not a field of a git connection; did you mean 'target'?",
      "connections/git.yml:6:8: The variable 'GIT_PAT' in 'credentials.pat' is not defined or has no value; define it in the pipeline (or a variable group) or remove the reference.",
      'error: 4 error(s) in the connection files.',
    ]);
    const none = await run(['validate', 'nothing/*.yml']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, `error: No connection file matches 'nothing/*.yml' under ${dir}; check the files and globs (quote globs so the shell leaves them to this tool).\n`);
  });

  it('--set applies overrides as the task input does; a malformed one is the same error as the task gives', async () => {
    const ok = await run(['validate', 'connections/git.yml', '--set', 'git-models.credentials.pat=$(PAT2)', '--var', 'PAT2=x']);
    assert.equal(ok.code, 0, ok.stdout);
    const bad = await run(['validate', 'connections/git.yml', '--set', 'git-models.credentials.pat']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, 'overrides:1:1: overrides line 1 is not of the form name.path=value; write e.g. my-conn.credentials.pat=$(GIT_PAT), one per line.\n');
  });

  it('--format json: only a JSON report on stdout, with the connections or every problem', async () => {
    const ok = await run(['validate', 'connections/git.yml', '--format', 'json'], { GIT_PAT: 'p-123' });
    assert.equal(ok.code, 0);
    assert.deepEqual(JSON.parse(ok.stdout), {
      valid: true,
      files: ['connections/git.yml'],
      connections: [{ name: 'git-models', type: 'git', file: 'connections/git.yml', line: 1, column: 1 }],
      errors: [],
      warnings: [],
    });
    const bad = await run(['validate', 'bad/a.yml', 'missing/*.yml', '--format=json']);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.stdout) as { valid: boolean; errors: { file?: string; line?: number; message: string }[] };
    assert.equal(report.valid, false);
    assert.deepEqual(report.errors.map((e) => [e.file, e.line]), [['bad/a.yml', 1], ['bad/a.yml', 1], ['bad/a.yml', 3]]);
    const none = await run(['validate', 'missing/*.yml', '--format=json']);
    assert.equal(JSON.parse(none.stdout).errors[0].message.startsWith("No connection file matches 'missing/*.yml'"), true);
  });

  it('exit 2 for a command line it cannot read, with a hint on stderr and nothing on stdout', async () => {
    for (const argv of [['valdate'], ['validate', '--format', 'xml'], ['validate', '--var', 'nope'], ['plan', '--workspace'], ['plan', '--max-parallel', '0', '--subscription', 's', '--resource-group', 'r', '--workspace', 'w'], ['plan', 'x.yml'], ['export', '--subscription', 's', '--resource-group', 'r', '--workspace', 'w'], ['plan', '--cloud', 'Mars', '--subscription', 's', '--resource-group', 'r', '--workspace', 'w'], ['apply', '--sandbox', '--cloud', 'AzureCloud'], []]) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '', argv.join(' '));
      assert.ok(r.stderr.length > 0, argv.join(' '));
    }
    const r = await run(['validate', '--formt', 'json']);
    assert.equal(r.stderr, "azureml-connections: '--formt' is not an option of validate; did you mean '--format'?\nRun 'azureml-connections validate --help' for its options.\n");
    const noSub = await run(['plan', '--resource-group', 'r', '--workspace', 'w']);
    assert.equal(noSub.stderr, "azureml-connections: --subscription is required (or the environment variable AZURE_SUBSCRIPTION_ID).\nRun 'azureml-connections plan --help' for its options.\n");
  });

  it('--help and --version print on stdout and exit 0', async () => {
    const help = await run(['validate', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: azureml-connections validate \[FILE\|GLOB \.\.\.\] \[options\]/);
    const version = await run(['--version']);
    assert.deepEqual([version.code, version.stdout], [0, '0.0.0-dev\n']);
  });
});
