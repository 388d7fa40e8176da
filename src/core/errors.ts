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
 * The one error type users see: one plain sentence, where it is, and what to do. `message` is the
 * sentence alone; `fullMessage` prefixes the location and the connection. Every failure a user can act on
 * is one (ArmError is one too); anything else reaching the top is a defect of ours.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly connection?: string,
  ) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
  get fullMessage(): string {
    const where = [formatLocation(this.location), this.connection ? msg('Platform_ErrorConnection', this.connection) : '']
      .filter(Boolean)
      .join(' ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && (e.name === 'UserError' || e.name === 'ArmError');
}

/**
 * A UserError from Azure Resource Manager (or another Azure REST endpoint), with what the service said:
 * status, code, request id. Never carries a request or response body.
 */
export class ArmError extends UserError {
  override readonly name: string = 'ArmError';
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly method?: string,
    readonly url?: string,
  ) {
    super(message);
  }
  override get fullMessage(): string {
    const facts = [this.statusCode ? `HTTP ${this.statusCode}` : '', this.code ?? '', this.requestId ? msg('Platform_ErrorRequestId', this.requestId) : '']
      .filter(Boolean)
      .join(', ');
    return facts ? `${this.message} (${facts})` : this.message;
  }
}

export function isArmError(e: unknown): e is ArmError {
  return e instanceof Error && e.name === 'ArmError';
}

/** The one line a user sees for any error. */
export function describeError(e: unknown): string {
  if (isUserError(e)) return e.fullMessage;
  if (e instanceof Error) return e.message;
  return String(e);
}
