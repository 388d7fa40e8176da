/**
 * The command line's arguments, parsed by hand (no dependency): a command, `--name value` or
 * `--name=value` options, flags, repeatable options, positional files and globs, and `--` to end the
 * options. Anything it cannot read is a UsageError (exit code 2) that says what to do.
 */
import { closest } from '../model/catalog';
import { msg, type CliMessageKey } from '../messages';

export const PROGRAM = 'azureml-connections';

export type CommandName = 'validate' | 'plan' | 'apply' | 'verify' | 'export';

export interface OptionSpec {
  /** without the leading dashes */
  name: string;
  /** flag: present or not; value: one value (the last one given wins); list: repeatable */
  kind: 'flag' | 'value' | 'list';
  /** the value's placeholder in the help, e.g. NAME=VALUE */
  value?: string;
  help: CliMessageKey;
}

export interface CommandSpec {
  name: CommandName;
  /** one line, for the list of commands */
  summary: CliMessageKey;
  /** a few lines, for the command's help */
  about: CliMessageKey;
  /** positional arguments are connection files and globs */
  files: boolean;
  options: readonly OptionSpec[];
  examples: CliMessageKey;
}

/** The command line cannot be read: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    Object.setPrototypeOf(this, UsageError.prototype);
  }
}

const option = (name: string, kind: OptionSpec['kind'], help: CliMessageKey, value?: string): OptionSpec => ({ name, kind, help, value });

const FILES: readonly OptionSpec[] = [
  option('files', 'list', 'Cli_OptFiles', 'GLOB'),
  option('var', 'list', 'Cli_OptVar', 'NAME=VALUE'),
];
const OVERRIDES: readonly OptionSpec[] = [
  option('set', 'list', 'Cli_OptSet', 'NAME.PATH=VALUE'),
  option('allow-insecure-targets', 'flag', 'Cli_OptAllowInsecure'),
];
const WORKSPACE: readonly OptionSpec[] = [
  option('subscription', 'value', 'Cli_OptSubscription', 'ID'),
  option('resource-group', 'value', 'Cli_OptResourceGroup', 'NAME'),
  option('workspace', 'value', 'Cli_OptWorkspace', 'NAME'),
  option('cloud', 'value', 'Cli_OptCloud', 'NAME'),
  option('arm-endpoint', 'value', 'Cli_OptArmEndpoint', 'URL'),
  option('tenant', 'value', 'Cli_OptTenant', 'ID'),
  option('api-version', 'value', 'Cli_OptApiVersion', 'VERSION'),
  option('sandbox', 'flag', 'Cli_OptSandbox'),
];
const PARALLEL = option('max-parallel', 'value', 'Cli_OptMaxParallel', 'N');
const RECONCILE: readonly OptionSpec[] = [
  option('plan-file', 'value', 'Cli_OptPlanFile', 'FILE'),
  option('on-existing', 'value', 'Cli_OptOnExisting', 'update|skip|fail'),
  option('secret-check', 'value', 'Cli_OptSecretCheck', 'digest|read'),
  option('prune', 'flag', 'Cli_OptPrune'),
  option('max-parallel', 'value', 'Cli_OptMaxParallelAuto', 'auto|N'),
];
const COMMON: readonly OptionSpec[] = [
  option('no-color', 'flag', 'Cli_OptNoColor'),
  option('verbose', 'flag', 'Cli_OptVerbose'),
  option('help', 'flag', 'Cli_OptHelp'),
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'validate',
    summary: 'Cli_SummaryValidate',
    about: 'Cli_AboutValidate',
    files: true,
    options: [...FILES, ...OVERRIDES, option('format', 'value', 'Cli_OptFormat', 'text|json'), ...COMMON],
    examples: 'Cli_ExamplesValidate',
  },
  {
    name: 'plan',
    summary: 'Cli_SummaryPlan',
    about: 'Cli_AboutPlan',
    files: true,
    options: [...WORKSPACE, ...FILES, ...OVERRIDES, ...RECONCILE, ...COMMON],
    examples: 'Cli_ExamplesPlan',
  },
  {
    name: 'apply',
    summary: 'Cli_SummaryApply',
    about: 'Cli_AboutApply',
    files: true,
    options: [...WORKSPACE, ...FILES, ...OVERRIDES, ...RECONCILE, ...COMMON],
    examples: 'Cli_ExamplesApply',
  },
  {
    name: 'verify',
    summary: 'Cli_SummaryVerify',
    about: 'Cli_AboutVerify',
    files: true,
    options: [
      ...WORKSPACE,
      ...FILES,
      option('name', 'list', 'Cli_OptVerifyName', 'NAME'),
      option('no-check-credentials', 'flag', 'Cli_OptNoCheckCredentials'),
      option('probe', 'flag', 'Cli_OptProbe'),
      option('probe-timeout', 'value', 'Cli_OptProbeTimeout', 'SECONDS'),
      option('test-connection', 'flag', 'Cli_OptTestConnection'),
      option('expiry-warning-days', 'value', 'Cli_OptExpiryWarningDays', 'DAYS'),
      option('fail-on', 'value', 'Cli_OptFailOn', 'any|missing|none'),
      option('report-file', 'value', 'Cli_OptReportFile', 'FILE'),
      PARALLEL,
      ...COMMON,
    ],
    examples: 'Cli_ExamplesVerify',
  },
  {
    name: 'export',
    summary: 'Cli_SummaryExport',
    about: 'Cli_AboutExport',
    files: false,
    options: [
      ...WORKSPACE,
      option('out', 'value', 'Cli_OptOut', 'DIR'),
      option('name', 'list', 'Cli_OptExportName', 'NAME'),
      option('category', 'list', 'Cli_OptCategory', 'CATEGORY'),
      ...COMMON,
    ],
    examples: 'Cli_ExamplesExport',
  },
];

export type OptionValue = string | boolean | string[];

export interface ParsedArgs {
  command?: CommandSpec;
  help: boolean;
  version: boolean;
  /** by option name; flags are true, lists in the order given */
  values: Map<string, OptionValue>;
  positionals: string[];
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Reads the arguments after the program name. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { help: false, version: false, values: new Map(), positionals: [] };
  let i = 0;
  // before the command: --help, --version, or `help [command]`
  for (; i < argv.length && !out.command; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--version') out.version = true;
    else if (arg === 'help') {
      out.help = true;
      const topic = argv[i + 1];
      if (topic !== undefined) out.command = commandNamed(topic);
      return out;
    } else if (arg.startsWith('-')) throw new UsageError(msg('Cli_UsageOptionBeforeCommand', arg));
    else out.command = commandNamed(arg);
  }
  if (!out.command || out.help || out.version) return out;
  const command = out.command;
  let optionsEnded = false;
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      if (!command.files) throw new UsageError(msg('Cli_UsageNoPositional', command.name, arg), command.name);
      out.positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (arg === '-h') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(msg('Cli_UsageUnknownOption', arg, command.name), command.name);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = command.options.find((o) => o.name === name);
    if (!spec) {
      const near = closest(name, command.options.map((o) => o.name));
      throw new UsageError(near ? msg('Cli_UsageUnknownOptionNear', arg, command.name, `--${near}`) : msg('Cli_UsageUnknownOption', arg, command.name), command.name);
    }
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(msg('Cli_UsageFlagValue', `--${name}`), command.name);
      if (name === 'help') out.help = true;
      else out.values.set(name, true);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(msg('Cli_UsageMissingValue', `--${name}`, spec.value ?? ''), command.name);
      value = next;
      i++;
    }
    if (spec.kind === 'list') out.values.set(name, [...((out.values.get(name) as string[] | undefined) ?? []), value]);
    else out.values.set(name, value);
  }
  return out;
}

function commandNamed(name: string): CommandSpec {
  const found = findCommand(name);
  if (found) return found;
  const near = closest(name, COMMANDS.map((c) => c.name));
  throw new UsageError(near ? msg('Cli_UsageUnknownCommandNear', name, near) : msg('Cli_UsageUnknownCommand', name, COMMANDS.map((c) => c.name).join(', ')));
}

/** Typed access to one command's parsed options, with the checks every command shares. */
export class Options {
  constructor(
    readonly command: CommandSpec,
    private readonly values: Map<string, OptionValue>,
  ) {}
  flag(name: string): boolean {
    return this.values.get(name) === true;
  }
  value(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
  /** one of `allowed` (any case), or the fallback when not given */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    const hit = allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
    if (!hit) throw this.usage(msg('Cli_UsageNotOneOf', `--${name}`, raw, allowed.join(', ')));
    return hit;
  }
  /** a whole number from min to max, or the fallback when not given */
  wholeNumber(name: string, min: number, max: number, fallback: number): number {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw this.usage(msg('Cli_UsageNotWholeNumber', `--${name}`, raw, min, max));
    return n;
  }
  /** `auto` (any case, the default) or a whole number from 1 to max, as the Create task's maxParallel */
  autoOrWholeNumber(name: string, max: number): 'auto' | number {
    const raw = this.value(name);
    if (raw === undefined || raw.trim().toLowerCase() === 'auto') return 'auto';
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > max) throw this.usage(msg('Cli_UsageNotParallelism', `--${name}`, raw, max));
    return n;
  }
  /** a required value (or the fallback, e.g. from an environment variable) */
  required(name: string, fallback?: string, fallbackName?: string): string {
    const v = (this.value(name) ?? fallback ?? '').trim();
    if (!v) throw this.usage(fallbackName ? msg('Cli_UsageRequiredOrEnv', `--${name}`, fallbackName) : msg('Cli_UsageRequired', `--${name}`));
    return v;
  }
  usage(message: string): UsageError {
    return new UsageError(message, this.command.name);
  }
}

/** `NAME=VALUE` pairs of a list option, names as given. */
export function namedValues(options: Options, name: string, valid: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of options.list(name)) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (eq < 0 || !valid.test(key)) throw options.usage(msg('Cli_UsageNotNameValue', `--${name}`, pair));
    out.set(key, pair.slice(eq + 1));
  }
  return out;
}

/** The help of the program (no command) or of one command. */
export function helpText(command?: CommandSpec): string {
  if (!command) {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
      msg('Cli_HelpUsage', PROGRAM),
      '',
      msg('Cli_HelpIntro'),
      '',
      msg('Cli_HelpCommands'),
      ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${msg(c.summary)}`),
      '',
      msg('Cli_HelpMore', PROGRAM),
      '',
      msg('Cli_HelpExitCodes'),
      '',
    ].join('\n');
  }
  const shown = (o: OptionSpec) => `--${o.name}${o.value ? ` ${o.value}` : ''}`;
  const width = Math.max(...command.options.map((o) => shown(o).length));
  return [
    msg(command.files ? 'Cli_HelpCommandUsageFiles' : 'Cli_HelpCommandUsage', PROGRAM, command.name),
    '',
    msg(command.about),
    '',
    msg('Cli_HelpOptions'),
    ...command.options.map((o) => `  ${shown(o).padEnd(width)}  ${msg(o.help)}`),
    '',
    msg('Cli_HelpExamples'),
    msg(command.examples),
    '',
    msg('Cli_HelpExitCodes'),
    '',
  ].join('\n');
}
