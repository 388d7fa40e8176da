import type { SourceLocation } from './errors';

/**
 * Everything a task prints goes through this. Implementations make sure that text which came from
 * outside (names, targets, server messages) can never become a `##vso[` logging command.
 */
export interface TaskLog {
  info(line: string): void;
  warning(message: string, location?: SourceLocation): void;
  error(message: string, location?: SourceLocation): void;
  debug(message: string): void;
  group(title: string): void;
  endGroup(): void;
}

/** Neutralise logging commands in outside text: `##vso[` and `##[` can no longer start a command. */
export function neutralise(text: string): string {
  return text.replace(/##vso\[/gi, '##_vso[').replace(/##\[/g, '##_[');
}

/**
 * One printed line stays one line: the agent starts a new line at every CR, LF and CRLF, so outside text
 * holding one (a target, a server message) would otherwise begin a line of its own choosing. Each is
 * shown as `\r` / `\n` instead.
 */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, (m) => (m === '\r\n' ? '\\r\\n' : m === '\r' ? '\\r' : '\\n'));
}

/** Outside text as one printed line that cannot start a logging command. */
export function printable(text: string): string {
  return neutralise(oneLine(text));
}

/** A TaskLog that keeps lines in memory (tests, and capturing output for summaries). */
export class MemoryLog implements TaskLog {
  readonly lines: string[] = [];
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  info(line: string): void {
    this.lines.push(line);
  }
  warning(message: string): void {
    this.warnings.push(message);
    this.lines.push(`WARNING: ${message}`);
  }
  error(message: string): void {
    this.errors.push(message);
    this.lines.push(`ERROR: ${message}`);
  }
  debug(): void {}
  group(title: string): void {
    this.lines.push(`> ${title}`);
  }
  endGroup(): void {}
}
