/**
 * Connection files from globs, matched the way the tasks match their connectionFiles input
 * (azure-pipelines-task-lib findMatch): minimatch with dot files included and no brace expansion,
 * patterns relative to the current folder (absolute ones allowed), a leading `!` excluding what the
 * patterns before it matched, the search starting below the pattern's literal folders, symbolic
 * links followed (cycles skipped), folders kept (the loader refuses each by name). Unlike the task's
 * input, a pattern starting with `#` is a file name, not a comment.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { Minimatch, type MinimatchOptions } from 'minimatch';

const MATCH_OPTIONS: MinimatchOptions = { dot: true, nobrace: true, nocase: process.platform === 'win32', nocomment: true, nonegate: true };

/** The folder's path with its glob characters escaped, so that it matches only itself. */
function escapeRoot(root: string): string {
  return (process.platform === 'win32' ? root : root.replace(/\\/g, '\\\\'))
    .replace(/\[(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]')
    .replace(/([+@!])\(/g, '[$1](');
}

function rooted(cwd: string, pattern: string): string {
  if (isAbsolute(pattern)) return pattern;
  const root = escapeRoot(process.platform === 'win32' ? cwd.replace(/\\/g, '/') : cwd);
  return root.endsWith('/') ? `${root}${pattern}` : `${root}/${pattern}`;
}

/** Every path at and below `top` (files and folders), symbolic links followed, cycles skipped. */
function walk(top: string): string[] {
  const out: string[] = [];
  const visit = (path: string, chain: string[]): void => {
    let st;
    try {
      st = statSync(path);
    } catch {
      try {
        lstatSync(path); // a broken link: listed, and refused by name if it matches
      } catch {
        return;
      }
      out.push(path);
      return;
    }
    out.push(path);
    if (!st.isDirectory()) return;
    const real = realpathSync(path);
    if (chain.includes(real)) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names.sort()) visit(join(path, name), [...chain, real]);
  };
  visit(normalize(top), []);
  return out;
}

/** The files (and folders) the patterns match, as absolute paths, sorted. */
export function matchFiles(patterns: readonly string[], cwd: string): string[] {
  const found = new Map<string, string>();
  const key = (p: string) => (process.platform === 'win32' ? p.toUpperCase() : p);
  for (const raw of patterns) {
    let pattern = raw.trim();
    if (!pattern) continue;
    let negations = 0;
    while (pattern.charAt(negations) === '!') negations++;
    pattern = rooted(cwd, pattern.slice(negations));
    const matcher = new Minimatch(pattern, MATCH_OPTIONS);
    if (negations % 2 === 1) {
      for (const [k, p] of [...found]) if (matcher.match(p)) found.delete(k);
      continue;
    }
    const segments = matcher.set[0] ?? [];
    const literal: string[] = [];
    for (const s of segments) {
      if (typeof s !== 'string') break;
      literal.push(s);
    }
    const start = literal.join('/') || (isAbsolute(pattern) ? sep : '');
    if (!start) continue;
    const candidates = literal.length === segments.length ? exists(start) : walk(start);
    for (const p of candidates) if (matcher.match(p)) found.set(key(p), p);
  }
  return [...found.values()].sort();
}

function exists(path: string): string[] {
  try {
    lstatSync(path);
    return [normalize(path)];
  } catch {
    return [];
  }
}

/** How a matched file is named in messages: relative to the current folder when it is inside it. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The patterns when none are given: the default of the Create task's connectionFiles input. */
export const DEFAULT_PATTERNS: readonly string[] = ['**/connections/*.yml', '**/connections/*.yaml'];
