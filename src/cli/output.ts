/**
 * What the command line prints. Every line goes through `safeText` (secrets redacted, `##vso[` and
 * `##[` neutralised, line breaks shown as \r and \n as the tasks show them, other control characters as
 * \uXXXX, a line never starting with `::`), so outside text (file names, names, values, server messages)
 * can become neither an Azure Pipelines logging command nor a GitHub Actions workflow command, nor a
 * terminal escape.
 *
 * Problems print as `file:line:col: message` (warnings `file:line:col: warning: message`); inside
 * Azure Pipelines (TF_BUILD) as `##vso[task.logissue ...]` and inside GitHub Actions (GITHUB_ACTIONS)
 * as `::error file=...,line=...,col=...::`, escaped the way each runner unescapes. Results go to stdout;
 * debug lines and the progress line to stderr. Colours only on a terminal, and never with NO_COLOR.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { formatLocation, type SourceLocation } from '../core/errors';
import { neutralise, printable, type TaskLog } from '../core/log';
import type { SecretSet } from '../core/secrets';
import { OVERRIDES_FILE } from '../model/overrides';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The CI system whose annotations the problems are printed as. */
export type CiForm = 'azure-pipelines' | 'github-actions';

export function detectCi(env: Env): CiForm | undefined {
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') return 'azure-pipelines';
  if (env.GITHUB_ACTIONS === 'true') return 'github-actions';
  return undefined;
}

/** Colours on a terminal only, never with NO_COLOR (any non-empty value) or TERM=dumb. */
export function wantsColour(stream: OutStream, env: Env, disabled = false): boolean {
  return !disabled && stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** Control characters but tab (line breaks are gone by then): C0, DEL, C1, line/paragraph separators, bidirectional controls, BOM. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;
/** What GitHub's runner would read as a workflow command: `::` after leading white space (.NET's TrimStart). */
const WORKFLOW_COMMAND = /^([\s\u0085]*)::/;

/**
 * Outside text made safe to print as one line: secrets redacted, then as the tasks print it (src/core/log
 * printable: `##vso[` and `##[` neutralised, CR and LF shown as \r and \n), other control characters
 * shown as \uXXXX (a terminal would obey them), and a leading `::` broken up.
 */
export function safeText(text: string, secrets?: SecretSet): string {
  return printable(secrets ? secrets.redact(text) : text)
    .replace(CONTROL, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`)
    .replace(WORKFLOW_COMMAND, '$1:_:');
}

/** task-lib's escaping of a logging command's data (agent-contract §1.6). */
export function azureData(text: string): string {
  return text.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** task-lib's escaping of a logging command's property value. */
export function azureProperty(text: string): string {
  return azureData(text).replace(/]/g, '%5D').replace(/;/g, '%3B');
}
/** GitHub's escaping of a workflow command's data (actions/runner ActionCommand). */
export function githubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** GitHub's escaping of a workflow command's property value. */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const ANSI = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
type Colour = keyof typeof ANSI;
const paint = (on: boolean, colour: Colour, text: string): string => (on && text ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text);

/** The colour of a plan or apply line, by its marker. */
const MARKER_COLOUR: Readonly<Record<string, Colour>> = { '[+]': 'green', '[~]': 'yellow', '[-]': 'red', '[!]': 'red', '[=]': 'dim', '[ ]': 'dim' };

/** A problem as printed: its sentence, where, and the whole line (all made safe). */
export interface Problem {
  severity: 'error' | 'warning';
  /** the sentence without its location */
  message: string;
  location?: SourceLocation;
  /** `file:line:col: sentence`, or the sentence */
  text: string;
}

export interface CliLogOptions {
  stdout: OutStream;
  stderr: OutStream;
  env: Env;
  /** paths in messages are relative to this folder */
  cwd: string;
  secrets: SecretSet;
  noColour?: boolean;
  verbose?: boolean;
  /** keep problems and lines for a JSON report instead of printing them */
  collect?: boolean;
  /** milliseconds, for the progress line */
  now?: () => number;
}

/** The TaskLog of the command line. */
export class CliLog implements TaskLog {
  readonly ci: CiForm | undefined;
  readonly problems: Problem[] = [];
  readonly lines: string[] = [];
  private readonly colour: boolean;
  private readonly progress: ProgressLine;
  /** plan lines that will write (create, update, delete) in the plan group being printed */
  private inGroup = false;
  writesPlanned = 0;

  constructor(private readonly options: CliLogOptions) {
    this.ci = detectCi(options.env);
    this.colour = !this.ci && wantsColour(options.stdout, options.env, options.noColour);
    const progressOn = !this.ci && !options.collect && options.stderr.isTTY === true;
    this.progress = new ProgressLine(options.stderr, progressOn, options.now ?? (() => performance.now()));
  }

  safe(text: string): string {
    return safeText(text, this.options.secrets);
  }

  info(line: string): void {
    const text = this.safe(line);
    if (this.inGroup && /^\[[+~-]\] /.test(text)) this.writesPlanned++;
    if (this.options.collect) {
      this.lines.push(text);
      return;
    }
    const marker = MARKER_COLOUR[text.slice(0, 3)];
    this.out(marker ? `${paint(this.colour, marker, text.slice(0, 3))}${text.slice(3)}` : text);
  }

  warning(message: string, location?: SourceLocation): void {
    this.problem({ severity: 'warning', message, location });
  }

  error(message: string, location?: SourceLocation): void {
    this.problem({ severity: 'error', message, location });
  }

  debug(message: string): void {
    if (this.options.verbose) this.err(`debug: ${this.safe(message)}`);
  }

  group(title: string): void {
    this.inGroup = true;
    this.writesPlanned = 0;
    if (this.options.collect) return;
    const text = this.safe(title);
    if (this.ci === 'azure-pipelines') this.out(`##[group]${text}`);
    else if (this.ci === 'github-actions') this.out(`::group::${githubData(text)}`);
    else this.out(paint(this.colour, 'bold', text));
  }

  endGroup(): void {
    this.inGroup = false;
    if (this.options.collect) return;
    if (this.ci === 'azure-pipelines') this.out('##[endgroup]');
    else if (this.ci === 'github-actions') this.out('::endgroup::');
  }

  /** A line on stdout, after clearing the progress line. */
  out(line: string): void {
    this.progress.hide();
    this.options.stdout.write(`${line}\n`);
    this.progress.show();
  }

  /** A line on stderr (debug, usage), after clearing the progress line. */
  err(line: string): void {
    this.progress.hide();
    this.options.stderr.write(`${line}\n`);
    this.progress.show();
  }

  /** The progress line (stderr, on a terminal only); undefined clears it. */
  setProgress(text: string | undefined): void {
    this.progress.set(text === undefined ? undefined : this.safe(text));
  }

  get errorCount(): number {
    return this.problems.filter((p) => p.severity === 'error').length;
  }

  private problem(p: Omit<Problem, 'text'>): void {
    const where = p.location ? formatLocation(p.location) : '';
    const bare = where && p.message.startsWith(`${where}: `) ? p.message.slice(where.length + 2) : p.message;
    const text = this.safe(where ? `${where}: ${bare}` : bare);
    const at = where ? this.safe(where) : '';
    this.problems.push({ severity: p.severity, message: this.safe(bare), location: p.location && { ...p.location, file: this.safe(p.location.file) }, text });
    if (this.options.collect) return;
    if (this.ci === 'azure-pipelines') {
      this.out(`##vso[task.logissue type=${p.severity};${this.azureLocation(p.location)}]${azureData(text)}`);
    } else if (this.ci === 'github-actions') {
      const props = this.githubLocation(p.location);
      this.out(`::${p.severity}${props ? ` ${props}` : ''}::${githubData(text)}`);
    } else if (at && text.startsWith(`${at}: `)) {
      const rest = text.slice(at.length + 2);
      const tag = p.severity === 'warning' ? `${paint(this.colour, 'yellow', 'warning:')} ` : '';
      this.out(`${paint(this.colour, 'bold', `${at}:`)} ${tag}${p.severity === 'error' ? paint(this.colour, 'red', rest) : rest}`);
    } else {
      this.out(`${paint(this.colour, p.severity === 'error' ? 'red' : 'yellow', `${p.severity}:`)} ${text}`);
    }
  }

  /** A real file's absolute path (not the overrides pseudo-file), for the annotations. */
  private annotatedFile(location: SourceLocation | undefined): string | undefined {
    if (!location || location.file === OVERRIDES_FILE) return undefined;
    return isAbsolute(location.file) ? location.file : resolve(this.options.cwd, location.file);
  }

  private azureLocation(location: SourceLocation | undefined): string {
    const file = this.annotatedFile(location);
    if (!file || !location) return '';
    return `sourcepath=${azureProperty(this.safe(file))};linenumber=${location.line};columnnumber=${location.column};`;
  }

  private githubLocation(location: SourceLocation | undefined): string {
    const file = this.annotatedFile(location);
    if (!file || !location) return '';
    const root = this.options.env.GITHUB_WORKSPACE;
    const inRepo = root ? relative(root, file) : '';
    const shown = inRepo && !inRepo.startsWith('..') && !isAbsolute(inRepo) ? inRepo : file;
    return `file=${githubProperty(this.safe(shown))},line=${location.line},col=${location.column}`;
  }
}

/** Redraws after this long at the earliest, so a fast apply never shows one. */
const PROGRESS_DELAY_MS = 1000;
const PROGRESS_INTERVAL_MS = 100;

/**
 * One line on stderr that a long operation keeps rewriting (`\r`, erase to the end of the line), on a
 * terminal only. It appears once the operation has run for a second, and is hidden while other lines
 * are printed.
 */
export class ProgressLine {
  private text: string | undefined;
  private since: number | undefined;
  private shown = false;
  private lastDraw = -Infinity;

  constructor(
    private readonly stream: OutStream,
    private readonly enabled: boolean,
    private readonly now: () => number,
  ) {}

  set(text: string | undefined): void {
    if (!this.enabled) return;
    if (text === undefined) {
      this.hide();
      this.text = undefined;
      this.since = undefined;
      return;
    }
    this.since ??= this.now();
    this.text = text;
    const t = this.now();
    if (t - this.since >= PROGRESS_DELAY_MS && t - this.lastDraw >= PROGRESS_INTERVAL_MS) this.draw(t);
  }

  hide(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[K');
    this.shown = false;
  }

  show(): void {
    if (!this.enabled || this.text === undefined || this.since === undefined || this.shown) return;
    const t = this.now();
    if (t - this.since >= PROGRESS_DELAY_MS) this.draw(t);
  }

  private draw(t: number): void {
    this.stream.write(`\r\u001b[K${this.text}`);
    this.shown = true;
    this.lastDraw = t;
  }
}
