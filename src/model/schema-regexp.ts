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

/** A–Z lower-cased and nothing else: `[kK]` does not match the Kelvin sign, which String#toLowerCase makes `k`. */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * The names a spelling pattern alternates, or undefined when `body` is not exactly that shape: names of
 * `[xX]` (a lower-case letter, then its capital) and digits, `_*` between them, `|` between names.
 */
function spelledNames(body: string): Set<string> | undefined {
  if (!body.startsWith(HEAD) || !body.endsWith(TAIL)) return undefined;
  const names = new Set<string>();
  for (const alternative of body.slice(HEAD.length, -TAIL.length).split('|')) {
    let name = '';
    for (const token of alternative.split('_*')) {
      if (/^\[[a-z][A-Z]\]$/.test(token) && token[2] === token[1].toUpperCase()) name += token[1];
      else if (/^[0-9]$/.test(token)) name += token;
      else return undefined; // an empty name or token too
    }
    names.add(name);
  }
  return names;
}

/** How many answers a test keeps (the same few values repeat in every document; hostile input cannot grow it further). */
const REMEMBERED = 256;

/** A set lookup for a spelling pattern (optionally after `rest:`), or undefined for any other pattern. */
export function spellingTest(pattern: string): PatternTest | undefined {
  const rest = pattern.startsWith(REST_PREFIX);
  const names = spelledNames(rest ? `^${pattern.slice(REST_PREFIX.length)}` : pattern);
  if (!names) return undefined;
  const answers = new Map<string, boolean>();
  const answer = (text: string): boolean => {
    // `rest:` itself takes no underscores; the name takes them anywhere
    if (rest && lowerAscii(text.slice(0, 5)) !== 'rest:') return false;
    return names.has(lowerAscii(rest ? text.slice(5) : text).replace(/_/g, ''));
  };
  return {
    test(text: string): boolean {
      let found = answers.get(text);
      if (found === undefined) {
        found = answer(text);
        if (answers.size < REMEMBERED) answers.set(text, found);
      }
      return found;
    },
  };
}

/**
 * ajv's `code.regExp` option: called with each pattern and ajv's flags. The validator makes all of its
 * patterns when the bundle starts, so each is read (or compiled) at its first test instead. `code` is
 * how the standalone validator (scripts/build.mjs) requires this function; its generated module sits in
 * this folder.
 */
export const schemaRegExp = Object.assign(
  (pattern: string, flags: string): PatternTest => {
    let engine: PatternTest | undefined;
    const lazy: PatternTest & { toString(): string } = {
      test: (text: string): boolean => (engine ??= spellingTest(pattern) ?? new RegExp(pattern, flags)).test(text),
      // ajv keys the patterns it keeps by toString(), as it would a RegExp
      toString: () => `/${pattern}/${flags}`,
    };
    return lazy;
  },
  { code: 'require("./schema-regexp").schemaRegExp' },
);
