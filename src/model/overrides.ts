/**
 * `overrides`: lines `name.path=value`, applied to the named connection's document before validation,
 * like `az ml connection create --set path=value`.
 */
import { UserError, type SourceLocation } from '../core/errors';
import { msg } from '../messages';
import type { Override } from './types';

/** The file name used in positions of values that came from the overrides input. */
export const OVERRIDES_FILE = 'overrides';

const LINE = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([^=]+)=(.*)$/;

/**
 * Parse the overrides input. Blank lines and lines starting with `#` are ignored; spaces around the path
 * and the value are trimmed. A line that is not `name.path=value` is a UserError naming its line.
 */
export function parseOverrides(text: string): Override[] {
  const out: Override[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = LINE.exec(trimmed);
    const path = m?.[2].trim() ?? '';
    const segments = path.split('.');
    if (!m || !path || segments.some((s) => s.trim() === '')) {
      throw new UserError(msg('Model_OverrideLineInvalid', line), { file: OVERRIDES_FILE, line, column: 1 });
    }
    out.push({ connection: m[1], path: segments.map((s) => s.trim()).join('.'), value: m[3].trim(), line });
  });
  return out;
}

/** Where an override's value sits in the overrides input (column of the value). */
export function overrideLocation(o: Override): SourceLocation {
  return { file: OVERRIDES_FILE, line: o.line, column: o.connection.length + 1 + o.path.length + 2 };
}

/**
 * Set `path` inside `doc` to the override's value, creating mappings on the way. Returns the name of the
 * segment that blocked it when an intermediate value is not a mapping.
 */
export function applyOverride(doc: Record<string, unknown>, o: Override): string | undefined {
  const segments = o.path.split('.');
  let cursor: Record<string, unknown> = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    const next = cursor[s];
    if (next === undefined || next === null) {
      cursor[s] = {};
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      return segments.slice(0, i + 1).join('.');
    }
    cursor = cursor[s] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1];
  let value: unknown = o.value;
  // `--set is_shared=false` means the boolean, as marshmallow reads it
  if (o.path === 'is_shared' && /^(true|false)$/i.test(o.value)) value = o.value.toLowerCase() === 'true';
  cursor[last] = value;
  return undefined;
}
