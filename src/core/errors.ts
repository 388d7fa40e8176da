import { msg } from '../messages';

/** Where in a user's file something is (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : '';
}

/**
 * An error the user can fix: one plain sentence, where it is, and what to do.
 * `message` is the sentence alone; `toString()`/`fullMessage` prefix the location.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly connection?: string,
  ) {
    super(message);
    Object.setPrototypeOf(this, UserError.prototype);
  }
  get fullMessage(): string {
    const where = [formatLocation(this.location), this.connection ? msg('Platform_ErrorConnection', this.connection) : '']
      .filter(Boolean)
      .join(' ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === 'UserError';
}

/** An error from Azure Resource Manager (or another Azure REST endpoint). Never carries a request or response body. */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly method?: string,
    readonly url?: string,
  ) {
    super(message);
    Object.setPrototypeOf(this, ArmError.prototype);
  }
}

export function isArmError(e: unknown): e is ArmError {
  return e instanceof Error && e.name === 'ArmError';
}

/** The one line a user sees for any error. */
export function describeError(e: unknown): string {
  if (isUserError(e)) return e.fullMessage;
  if (isArmError(e)) {
    const parts = [e.message];
    const facts = [e.statusCode ? `HTTP ${e.statusCode}` : '', e.code ?? '', e.requestId ? msg('Platform_ErrorRequestId', e.requestId) : '']
      .filter(Boolean)
      .join(', ');
    if (facts) parts.push(`(${facts})`);
    return parts.join(' ');
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
