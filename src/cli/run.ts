/**
 * `azureml-connections`: the command line, a second adapter beside src/pipeline/ (which it never
 * imports). It runs the tasks' own logic (src/tasks) with services of its own (src/cli/services.ts), so
 * that a file refused by the Create task is refused here with the same sentences, and a plan prints
 * the same lines. `validate` reaches no network; the other commands are loaded when asked for
 * (src/cli/online.ts), so that `validate` starts without the Azure SDK.
 *
 * Exit codes: 0 when the command succeeded (a task's Succeeded or SucceededWithIssues), 1 when it
 * failed (errors in the files, a connection that failed, drift that fails verify, sign-in), 2 when the
 * command line itself cannot be read.
 */
import { DEFAULT_API_VERSION } from '../arm/types';
import { describeError, isUserError, UserError } from '../core/errors';
import { neutralise } from '../core/log';
import { SecretSet } from '../core/secrets';
import { EXTENSION_VERSION } from '../core/version';
import { msg } from '../messages';
import { installCliMessages } from '../messages/cli';
import { VARIABLE_NAME } from '../model/variables';
import type { TaskOutcome } from '../core/task';
import { readDeclaredConnections } from '../tasks/declared';
import { helpText, namedValues, Options, parseArgs, PROGRAM, UsageError, type CommandSpec, type ParsedArgs } from './args';
import { DEFAULT_PATTERNS, matchFiles, shownPath } from './files';
import { CliLog, safeText, type Env, type OutStream } from './output';
import { CliOutputs, CliVariables, registerEnvironmentSecrets, sourceFilesIn } from './services';

export interface CliIo {
  argv: readonly string[];
  env: Env;
  cwd: string;
  stdout: OutStream;
  stderr: OutStream;
  /** milliseconds (the progress line's clock) */
  now?: () => number;
}

/** What one command gets to run with. */
export interface CommandContext {
  io: CliIo;
  command: CommandSpec;
  options: Options;
  positionals: string[];
  log: CliLog;
  secrets: SecretSet;
  outputs: CliOutputs;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs one command line and returns its exit code. */
export async function runCli(io: CliIo): Promise<number> {
  installCliMessages();
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(io.argv);
  } catch (e) {
    return usageFailure(io, e);
  }
  if (parsed.version) {
    io.stdout.write(`${EXTENSION_VERSION}\n`);
    return EXIT_OK;
  }
  if (!parsed.command || parsed.help) {
    (parsed.help ? io.stdout : io.stderr).write(helpText(parsed.command));
    return parsed.help ? EXIT_OK : EXIT_USAGE;
  }
  const command = parsed.command;
  const options = new Options(command, parsed.values);
  const secrets = new SecretSet();
  registerEnvironmentSecrets(io.env, secrets);
  let json: boolean;
  try {
    json = command.name === 'validate' && options.oneOf('format', ['text', 'json'] as const, 'text') === 'json';
  } catch (e) {
    return usageFailure(io, e);
  }
  const log = new CliLog({
    stdout: io.stdout, stderr: io.stderr, env: io.env, cwd: io.cwd, secrets, noColour: options.flag('no-color'), verbose: options.flag('verbose'), collect: json, now: io.now,
  });
  const ctx: CommandContext = { io, command, options, positionals: parsed.positionals, log, secrets, outputs: new CliOutputs(secrets) };
  /** undefined: failed, and the error is already printed */
  let outcome: TaskOutcome | undefined;
  let report: ValidateReport | undefined;
  try {
    if (command.name === 'validate') {
      report = await validate(ctx);
      outcome = report.outcome;
    } else {
      // loaded only now: the Azure SDK is not needed to validate (esbuild keeps a required module's code unrun until then)
      const online = require('./online') as typeof import('./online');
      outcome = await online.runOnline(ctx);
    }
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(io, e);
    if (isUserError(e) && e.location && !e.connection) log.error(e.message, e.location);
    else log.error(describeError(e));
  } finally {
    log.setProgress(undefined);
  }
  if (json) {
    // every string in it is already safe (one line, no command, no secret); what is left is JSON's own layout
    io.stdout.write(`${neutralise(secrets.redact(JSON.stringify(validateJson(log, report), null, 2)))}\n`);
  } else if (outcome) {
    const outputs = ctx.outputs.line();
    if (outputs) log.info(outputs);
    if (outcome.result === 'Failed') log.error(outcome.message);
    else if (outcome.result === 'SucceededWithIssues') log.warning(outcome.message);
    else log.info(outcome.message);
  }
  return outcome && outcome.result !== 'Failed' ? EXIT_OK : EXIT_FAILED;
}

function usageFailure(io: CliIo, e: unknown): number {
  if (!(e instanceof UsageError)) throw e;
  io.stderr.write(`${PROGRAM}: ${safeText(e.message)}\n${msg(e.command ? 'Cli_UsageHintCommand' : 'Cli_UsageHint', PROGRAM, e.command ?? '')}\n`);
  return EXIT_USAGE;
}

/** The connection files the command's globs (positional and --files) match, named as in messages; the patterns as given. */
export function connectionFiles(ctx: CommandContext, fallback: readonly string[]): { patterns: string[]; files: string[] } {
  const given = [...ctx.positionals, ...ctx.options.list('files')];
  const patterns = given.length > 0 ? given : [...fallback];
  if (patterns.length === 0) return { patterns, files: [] };
  const files = matchFiles(patterns, ctx.io.cwd).map((f) => shownPath(f, ctx.io.cwd));
  if (files.length === 0) throw new UserError(msg('Cli_NoFileMatches', patterns.map((p) => `'${p}'`).join(', '), ctx.io.cwd));
  return { patterns, files };
}

/** The `$(NAME)` values of `--var` and the environment. */
export function variablesOf(ctx: CommandContext): CliVariables {
  return new CliVariables(namedValues(ctx.options, 'var', VARIABLE_NAME), ctx.io.env);
}

interface ValidateReport {
  outcome: TaskOutcome;
  files: string[];
  connections: { name: string; type: string; file: string; line: number; column: number }[];
}

/** `validate`: what Create reads and refuses before it reaches a workspace, and nothing more. */
async function validate(ctx: CommandContext): Promise<ValidateReport> {
  const variables = variablesOf(ctx);
  const { patterns, files } = connectionFiles(ctx, DEFAULT_PATTERNS);
  const declared = await readDeclaredConnections(
    { files, patterns, overrides: ctx.options.list('set').join('\n'), apiVersion: DEFAULT_API_VERSION, allowInsecureTargets: ctx.options.flag('allow-insecure-targets') },
    { log: ctx.log, secrets: ctx.secrets, variables, sourceFiles: sourceFilesIn(ctx.io.cwd) },
  );
  if (!declared.ok) return { outcome: { result: 'Failed', message: msg('Cli_ValidateFailed', ctx.log.errorCount) }, files, connections: [] };
  const connections = declared.connections.map((c) => ({ name: c.name, type: c.yamlType, file: c.location.file, line: c.location.line, column: c.location.column }));
  return { outcome: { result: 'Succeeded', message: msg('Cli_ValidateOk', connections.length, files.length) }, files, connections };
}

/** `validate --format json`: the files, the connections they declare, and every problem. */
function validateJson(log: CliLog, report: ValidateReport | undefined): unknown {
  const problems = (severity: 'error' | 'warning') =>
    log.problems.filter((p) => p.severity === severity).map((p) => (p.location ? { file: p.location.file, line: p.location.line, column: p.location.column, message: p.message } : { message: p.message }));
  return {
    valid: report?.outcome.result === 'Succeeded',
    files: (report?.files ?? []).map((f) => log.safe(f)),
    connections: report?.connections ?? [],
    errors: problems('error'),
    warnings: problems('warning'),
  };
}
