/** Printing the loader's diagnostics: errors and warnings at their file:line:column, bounded in number. */
import type { TaskLog } from '../core/log';
import { msg } from '../messages';
import type { Diagnostic } from './types';

/** The most file problems printed one by one; the rest are counted in one line. */
export const MAX_DIAGNOSTICS_SHOWN = 100;

/** Prints diagnostics (at most MAX_DIAGNOSTICS_SHOWN, errors first) and returns the number of errors. */
export function reportDiagnostics(log: TaskLog, diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = [...errors, ...diagnostics.filter((d) => d.severity !== 'error')].slice(0, MAX_DIAGNOSTICS_SHOWN);
  const order = new Map(diagnostics.map((d, i) => [d, i]));
  for (const d of shown.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))) {
    if (d.severity === 'error') log.error(d.message, d.location);
    else log.warning(d.message, d.location);
  }
  if (diagnostics.length > shown.length) log.error(msg('Task_MoreDiagnostics', diagnostics.length - shown.length));
  return errors.length;
}
