/**
 * Connection files as bytes -> text, refusing what is not a connection file by name before anything is
 * parsed: folders, files over 1 MiB, names with control characters, bytes that are not UTF-8 (with the
 * line), UTF-16, and control characters anywhere in the text (comments included).
 */
import { readFileSync, statSync } from 'node:fs';
import type { SourceLocation } from '../core/errors';
import { msg } from '../messages';
import type { Diagnostic } from './types';

/** The largest connection file read (bytes). */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface ConnectionFile {
  path: string;
  text: string;
}

/** The two file operations reading needs (the task passes node:fs, tests pass fakes). */
export interface SourceFileReader {
  /** undefined when nothing is there */
  stat(path: string): { folder: boolean; size: number } | undefined;
  read(path: string): Uint8Array;
}

export const nodeSourceFiles: SourceFileReader = {
  stat(path) {
    try {
      const s = statSync(path);
      return { folder: s.isDirectory(), size: s.size };
    } catch {
      return undefined;
    }
  },
  read: (path) => readFileSync(path),
};

export interface ReadFiles {
  files: ConnectionFile[];
  diagnostics: Diagnostic[];
}

/** Control characters: C0 but tab, LF and CR; DEL; C1; line/paragraph separators; bidirectional embeddings, overrides and isolates; a byte order mark inside the text. */
/** The same but tab, LF and CR (for block scalars and secret values). */
export const LOOSE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/;
/** The same, and tab and line breaks too (for values outside block scalars, and for file names). */
export const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** `U+001B`: how a control character is named in messages (the character itself is never printed). */
export function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A name safe to print: control characters escaped as \uXXXX. */
export function printableName(name: string): string {
  return name.replace(new RegExp(ANY_CONTROL.source, 'g'), (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

export function readConnectionFiles(paths: readonly string[], reader: SourceFileReader): ReadFiles {
  const out: ReadFiles = { files: [], diagnostics: [] };
  const refuse = (message: string, location?: SourceLocation): void => {
    out.diagnostics.push({ severity: 'error', message, location });
  };
  for (const path of paths) {
    const shown = printableName(path);
    if (ANY_CONTROL.test(path)) {
      refuse(msg('Model_FileNameControl', shown));
      continue;
    }
    const info = reader.stat(path);
    if (!info) {
      refuse(msg('Model_FileMissing', shown));
      continue;
    }
    if (info.folder) {
      refuse(msg('Model_FileIsFolder', shown));
      continue;
    }
    if (info.size > MAX_FILE_BYTES) {
      refuse(msg('Model_FileTooLarge', shown, sizeText(info.size)));
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = reader.read(path);
    } catch (e) {
      refuse(msg('Model_FileUnreadable', shown, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
      continue;
    }
    if (bytes.length > MAX_FILE_BYTES) {
      refuse(msg('Model_FileTooLarge', shown, sizeText(bytes.length)));
      continue;
    }
    const decoded = decodeUtf8(path, bytes);
    if ('problem' in decoded) {
      out.diagnostics.push(decoded.problem);
      continue;
    }
    const control = LOOSE_CONTROL.exec(decoded.text);
    if (control) {
      refuse(msg('Model_FileControlCharacter', codePoint(control[0])), locationOf(path, decoded.text, control.index));
      continue;
    }
    out.files.push({ path, text: decoded.text });
  }
  return out;
}

function sizeText(bytes: number): string {
  return `${(bytes / MAX_FILE_BYTES).toFixed(1)} MiB`;
}

/** UTF-8 without its byte order mark, or the problem at the first byte that is not UTF-8. */
function decodeUtf8(path: string, bytes: Uint8Array): { text: string } | { problem: Diagnostic } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { severity: 'error', message: msg('Model_FileUtf16'), location: { file: path, line: 1, column: 1 } } };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    const bad = firstInvalidUtf8(body);
    const before = new TextDecoder('utf-8').decode(body.subarray(0, bad));
    const location = locationOf(path, before, before.length);
    return { problem: { severity: 'error', message: msg('Model_FileNotUtf8', (body[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0')), location } };
  }
}

/** The offset of the first byte that does not start (or continue) a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    let need: number;
    let min = 0;
    let max = 0xbf;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) min = 0xa0;
      if (c === 0xed) max = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) min = 0x90;
      if (c === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      const lo = k === 1 && min ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (x === undefined || x < lo || x > hi) return i;
    }
    i += need + 1;
  }
  return b.length;
}

/** 1-based line and column of a character offset. */
export function locationOf(file: string, text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}
