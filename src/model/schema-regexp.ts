/**
 * The regular-expression engine ajv checks the connection schema's `pattern`s with.
 *
 * The schema spells each list of type and credential names as one pattern (schema-gen's
 * spellingPattern). The pattern ignores case and underscores, e.g. `^_*(?:[gG]_*[iI]_*[tT]|…)_*$`. For
 * the connection type it alternates 100-odd names in 5–8 KB. V8 compiles such a pattern at its first
 * test and again, to machine code, at its second. That costs 10–15 ms a pattern, and every run pays it
 * for three of them before its first request.
 *
 * This engine reads a pattern of exactly that shape back into its names. Its `test` then looks the
 * string up in a set, and matches the same strings as the pattern does. Any other pattern is an
 * ordinary RegExp.
 */

export interface PatternTest {
  test(text: string): boolean;
}

/** The prefix restPattern puts before a spelling pattern (no underscores inside it). */
const REST_PREFIX = '^[rR][eE][sS][tT]:';
const HEAD = '^_*(?:';
const TAIL = ')_*$';

/** Lower-cases A–Z only: `[kK]` does not match the Kelvin sign, which String#toLowerCase makes `k`. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** The names a spelling pattern alternates, or undefined when `body` is not exactly that shape. */
function spelledNames(body: string): Set<string> | undefined {
  if (!body.startsWith(HEAD) || !body.endsWith(TAIL)) return undefined;
  const names = new Set<string>();
  for (const alternative of body.slice(HEAD.length, -TAIL.length).split('|')) {
    let name = '';
    for (const token of alternative.split('_*')) {
      if (/^\[[a-z][A-Z]\]$/.test(token) && token[2] === token[1].toUpperCase()) name += token[1];
      else if (/^[0-9]$/.test(token)) name += token;
      else return undefined;
    }
    if (!name) return undefined;
    names.add(name);
  }
  return names;
}

/** A set lookup for a spelling pattern (optionally after `rest:`), or undefined for any other pattern. */
export function spellingTest(pattern: string): PatternTest | undefined {
  const rest = pattern.startsWith(REST_PREFIX);
  const names = spelledNames(rest ? `^${pattern.slice(REST_PREFIX.length)}` : pattern);
  if (!names) return undefined;
  return {
    test(text: string): boolean {
      if (rest && asciiLower(text.slice(0, 5)) !== 'rest:') return false;
      return names.has(asciiLower((rest ? text.slice(5) : text).replace(/_/g, '')));
    },
  };
}

/**
 * ajv's `code.regExp` option: called with each pattern and ajv's flags. `code` is how the standalone
 * validator (scripts/build.mjs) requires this function; its generated module sits in this folder.
 */
export const schemaRegExp = Object.assign(
  (pattern: string, flags: string): PatternTest => {
    const spelled = spellingTest(pattern);
    // ajv keys the patterns it keeps by toString(), as it would a RegExp
    return spelled ? Object.assign(spelled, { toString: () => `/${pattern}/${flags}` }) : new RegExp(pattern, flags);
  },
  { code: 'require("./schema-regexp").schemaRegExp' },
);
