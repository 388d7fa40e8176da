import * as assert from 'node:assert/strict';
import { COMMANDS, findCommand, helpText, namedValues, Options, parseArgs, UsageError } from '../../../src/cli/args';
import { withCliMessages } from './support';

const usage = (argv: string[]): string => {
  try {
    parseArgs(argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e.message;
  }
  return assert.fail(`no usage error for ${argv.join(' ')}`);
};

const optionsOf = (argv: string[]) => {
  const parsed = parseArgs(argv);
  return new Options(parsed.command!, parsed.values);
};

describe('cli/args', () => {
  withCliMessages();

  it('reads a command, --name value, --name=value, repeatable options, flags, positionals and --', () => {
    const p = parseArgs(['plan', 'a.yml', '--workspace', 'ws', '--resource-group=rg', '--var', 'A=1', '--var=B=2', '--prune', '--', '--odd.yml']);
    assert.equal(p.command?.name, 'plan');
    assert.deepEqual(p.positionals, ['a.yml', '--odd.yml']);
    assert.deepEqual([...p.values], [['workspace', 'ws'], ['resource-group', 'rg'], ['var', ['A=1', 'B=2']], ['prune', true]]);
  });

  it('help and version: --help, -h, help <command>, <command> --help, --version', () => {
    assert.deepEqual([parseArgs([]).command, parseArgs([]).help], [undefined, false]);
    assert.equal(parseArgs(['--help']).help, true);
    assert.equal(parseArgs(['-h']).help, true);
    assert.equal(parseArgs(['--version']).version, true);
    const h = parseArgs(['help', 'verify']);
    assert.deepEqual([h.help, h.command?.name], [true, 'verify']);
    const c = parseArgs(['export', '--out', 'x', '--help']);
    assert.deepEqual([c.help, c.command?.name], [true, 'export']);
  });

  it('says what is wrong, with a near spelling when there is one', () => {
    assert.equal(usage(['valdate']), "'valdate' is not a command; did you mean 'validate'?");
    assert.equal(usage(['frobnicate']), "'frobnicate' is not a command; use one of validate, plan, apply, verify, export.");
    assert.equal(usage(['plan', '--workspce', 'x']), "'--workspce' is not an option of plan; did you mean '--workspace'?");
    assert.equal(usage(['plan', '-x']), "'-x' is not an option of plan.");
    assert.equal(usage(['--workspace', 'x', 'plan']), "'--workspace' is not an option of the program; put it after the command.");
    assert.equal(usage(['plan', '--workspace']), '--workspace needs a value (NAME).');
    assert.equal(usage(['plan', '--workspace', '--prune']), '--workspace needs a value (NAME).');
    assert.equal(usage(['plan', '--prune=yes']), '--prune takes no value.');
    assert.equal(usage(['export', 'a.yml']), "export takes no files or globs, and 'a.yml' is not one of its options.");
    assert.equal(usage(['validate', '--sandbox']), "'--sandbox' is not an option of validate.");
  });

  it('checks values: one of, whole numbers in range, required (or from the environment), NAME=VALUE', () => {
    assert.equal(optionsOf(['plan', '--on-existing', 'SKIP']).oneOf('on-existing', ['update', 'skip', 'fail'], 'update'), 'skip');
    assert.equal(optionsOf(['plan']).oneOf('on-existing', ['update', 'skip', 'fail'], 'update'), 'update');
    assert.throws(() => optionsOf(['plan', '--on-existing', 'merge']).oneOf('on-existing', ['update', 'skip', 'fail'], 'update'), {
      name: 'UsageError', message: "--on-existing is 'merge'; use one of update, skip, fail.",
    });
    assert.equal(optionsOf(['verify', '--max-parallel', '16']).wholeNumber('max-parallel', 1, 64, 8), 16);
    for (const bad of ['0', '65', '1.5', 'x', '']) {
      assert.throws(() => optionsOf(['verify', `--max-parallel=${bad}`]).wholeNumber('max-parallel', 1, 64, 8), { message: `--max-parallel is '${bad}'; use a whole number from 1 to 64.` });
    }
    assert.equal(optionsOf(['plan']).autoOrWholeNumber('max-parallel', 64), 'auto');
    assert.equal(optionsOf(['plan', '--max-parallel', 'AUTO']).autoOrWholeNumber('max-parallel', 64), 'auto');
    assert.equal(optionsOf(['apply', '--max-parallel', '32']).autoOrWholeNumber('max-parallel', 64), 32);
    assert.throws(() => optionsOf(['apply', '--max-parallel', '65']).autoOrWholeNumber('max-parallel', 64), {
      message: "--max-parallel is '65'; use auto (adapts to ARM's throttling) or a whole number from 1 to 64.",
    });
    assert.equal(optionsOf(['plan']).required('subscription', 'from-env', 'AZURE_SUBSCRIPTION_ID'), 'from-env');
    assert.equal(optionsOf(['plan', '--subscription', 's']).required('subscription', 'from-env', 'AZURE_SUBSCRIPTION_ID'), 's');
    assert.throws(() => optionsOf(['plan']).required('subscription', undefined, 'AZURE_SUBSCRIPTION_ID'), { message: '--subscription is required (or the environment variable AZURE_SUBSCRIPTION_ID).' });
    assert.throws(() => optionsOf(['plan']).required('workspace'), { message: '--workspace is required.' });
    const vars = namedValues(optionsOf(['validate', '--var', 'A=1', '--var', 'b.c=x=y', '--var', 'E=']), 'var', /^\w[\w.]*$/);
    assert.deepEqual([...vars], [['A', '1'], ['b.c', 'x=y'], ['E', '']]);
    assert.throws(() => namedValues(optionsOf(['validate', '--var', 'novalue']), 'var', /^\w+$/), { message: "--var takes NAME=VALUE, and 'novalue' is not of that form." });
    assert.throws(() => namedValues(optionsOf(['validate', '--var', '$(X)=1']), 'var', /^\w+$/), { message: "--var takes NAME=VALUE, and '$(X)=1' is not of that form." });
  });

  it('each command has help listing every option, an example, and the exit codes', () => {
    for (const command of COMMANDS) {
      const text = helpText(command);
      for (const o of command.options) assert.ok(text.includes(`--${o.name}`), `${command.name} --${o.name}`);
      assert.match(text, new RegExp(`azureml-connections ${command.name}`));
      assert.match(text, /Exit codes: 0 .*; 1 .*; 2 /s);
      assert.ok(!text.includes('undefined'));
    }
    const main = helpText();
    for (const command of COMMANDS) assert.match(main, new RegExp(`^  ${command.name} +\\S`, 'm'));
    assert.equal(findCommand('apply')?.name, 'apply');
  });
});
