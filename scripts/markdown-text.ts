/**
 * A summary's Markdown (what a task uploads with task.uploadsummary and the Extensions tab renders) as
 * plain text a terminal shows readably: headings underlined, tables with aligned columns, inline markup
 * and the escapes of src/core/markdown.ts (`\|`, `&lt;`, …) resolved to the characters a reader sees.
 */

/** One line of inline Markdown as the text the tab shows. */
export function inlineText(md: string, lineBreak = ' / '): string {
  const out: string[] = [];
  let i = 0;
  while (i < md.length) {
    const c = md[i]!;
    if (c === '\\' && i + 1 < md.length && /[\\`*_[\]|~#+\-.!(){}<>]/.test(md[i + 1]!)) {
      out.push(md[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = md.indexOf('`', i + 1);
      if (end > i) {
        out.push(md.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    if (c === '*' && md[i + 1] === '*') {
      i += 2;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(md.slice(i));
      if (m) {
        out.push(`${inlineText(m[1]!, lineBreak)} (${m[2]})`);
        i += m[0].length;
        continue;
      }
    }
    if (c === '<') {
      const m = /^<br\s*\/?>/i.exec(md.slice(i));
      if (m) {
        out.push(lineBreak);
        i += m[0].length;
        continue;
      }
    }
    if (c === '&') {
      const m = /^&(amp|lt|gt|quot|#39|#124|nbsp);/.exec(md.slice(i));
      if (m) {
        out.push({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#124': '|', nbsp: ' ' }[m[1] as 'amp']);
        i += m[0].length;
        continue;
      }
    }
    out.push(c);
    i++;
  }
  return out.join('');
}

/** The cells of a table row `| a | b \| c |` (escaped pipes stay in their cell). */
function cells(row: string): string[] {
  const body = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  const result: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      cur += c + body[i + 1];
      i++;
    } else if (c === '|') {
      result.push(cur);
      cur = '';
    } else cur += c;
  }
  result.push(cur);
  return result.map((s) => inlineText(s.trim(), '\n'));
}

const isTableRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isSeparator = (line: string) => /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(line);

/** Columns a terminal gives the text: emoji two, combining marks and variation selectors none. */
export function width(s: string): number {
  let n = 0;
  for (const ch of s) {
    if (/[\u0300-\u036f\ufe00-\ufe0f\u200b-\u200d]/.test(ch)) continue;
    n += /\p{Extended_Pictographic}/u.test(ch) && ch.codePointAt(0)! > 0x2000 ? 2 : 1;
  }
  return n;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** A cell's text as lines no wider than `max`, broken at spaces (a longer word is cut). */
function wrap(text: string, max: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      let w = word;
      while (width(w) > max) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, max));
        w = w.slice(max);
      }
      if (!line) line = w;
      else if (width(line) + 1 + width(w) <= max) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

const GAP = 2;
const MIN_COLUMN = 12;

function table(rows: string[][], hasHeader: boolean, indent: string, maxWidth: number): string[] {
  const n = Math.max(...rows.map((r) => r.length));
  const natural = (i: number) => Math.max(...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map(width))));
  const widths = Array.from({ length: n }, (_, i) => natural(i));
  // the widest columns give way, one column at a time, until the table fits (or every column is at its minimum)
  const room = maxWidth - width(indent) - GAP * (n - 1);
  while (widths.reduce((a, b) => a + b, 0) > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest] = Math.max(MIN_COLUMN, widths[widest]! - 1);
  }
  const cellsOf = rows.map((r) => widths.map((w, i) => wrap(r[i] ?? '', w)));
  const tall = cellsOf.some((r) => r.some((c) => c.length > 1));
  const out: string[] = [];
  cellsOf.forEach((r, at) => {
    const height = Math.max(...r.map((c) => c.length));
    if (tall && at > (hasHeader ? 1 : 0)) out.push('');
    for (let k = 0; k < height; k++) out.push((indent + widths.map((w, i) => pad(r[i]![k] ?? '', w)).join(' '.repeat(GAP))).trimEnd());
    if (at === 0 && hasHeader) out.push(indent + widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)));
  });
  return out;
}

/** The whole summary as plain-text lines, each prefixed with `indent`. */
export function markdownToText(md: string, indent = '', maxWidth = 120): string[] {
  const src = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < src.length; i++) {
    const line = src[i]!;
    if (isTableRow(line)) {
      const rows: string[][] = [];
      let hasHeader = false;
      for (; i < src.length && isTableRow(src[i]!); i++) {
        if (isSeparator(src[i]!)) {
          hasHeader = rows.length === 1;
          continue;
        }
        rows.push(cells(src[i]!));
      }
      i--;
      out.push(...table(rows, hasHeader, indent, maxWidth));
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const text = inlineText(h[2]!);
      if (out.length > 0 && out[out.length - 1] !== indent.trimEnd()) out.push('');
      out.push(indent + text, indent + (h[1]!.length <= 2 ? '=' : '-').repeat(width(text)));
      continue;
    }
    const li = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (li) {
      out.push(`${indent}${li[1]}- ${inlineText(li[2]!)}`);
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      out.push(indent + '-'.repeat(40));
      continue;
    }
    const text = inlineText(line.replace(/^>\s?/, ''));
    if (text.trim() === '' && (out.length === 0 || out[out.length - 1]!.trim() === '')) continue;
    out.push(text.trim() === '' ? '' : (indent + text).trimEnd());
  }
  while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}
