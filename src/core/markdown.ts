/** Markdown for the summaries (the run's Extensions tab): table cells that outside text cannot break out of. */
import { msg, type MessageKey } from '../messages';
import { neutralise } from './log';

/** Escape text for a Markdown table cell: no markup, no HTML, no line breaks, no logging commands. */
export function escapeMarkdown(text: string): string {
  return neutralise(text.replace(/[\r\n\u2028\u2029]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#+\-]|\d+\.)/, '\\$1');
}

/** A Markdown table's header row from column-name messages (a `|` in a translation is escaped). */
export function tableHeader(columns: readonly MessageKey[]): string {
  return `| ${columns.map((k) => msg(k).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** A log line indented under the one before it. */
export function indent(spaces: number, line: string): string {
  return ' '.repeat(spaces) + line;
}
