/**
 * The hostile corpus (tests/hostile/cases/<NN-slug>/): connection files that the Create task refuses, each
 * with the exact errors it prints. `case.json` holds the title, why the case must be refused (source), the
 * task inputs, variables and secret variables, values that must never be printed, and the errors (as the
 * agent shows them, paths relative to the work directory); `files/` is copied into the work directory and
 * `generate` makes files that cannot live in git (20 MiB, names with line breaks). Used by the Create
 * task's test (tests/e2e/hostile.test.ts) and the command line's (tests/e2e/cli.test.ts).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './agent-harness';

const CASES = join(REPO_ROOT, 'tests', 'hostile', 'cases');

export interface Generated {
  path: string;
  /** the whole text */
  text?: string;
  /** written first */
  head?: string;
  /** repeated with {i} (and {i:04d}) replaced by the repetition number, `count` times or until `bytes` */
  repeat?: string;
  count?: number;
  bytes?: number;
}

export interface HostileCase {
  dir: string;
  title: string;
  source: string;
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  generate?: Generated[];
  /** values that must not appear in any output or file, in any encoding */
  secrets?: string[];
  errors: string[];
  /** the task's result message, when it is not the count of file errors */
  result?: string;
}

export function loadCases(): HostileCase[] {
  return readdirSync(CASES)
    .sort()
    .map((dir) => ({ dir, ...(JSON.parse(readFileSync(join(CASES, dir, 'case.json'), 'utf8')) as Omit<HostileCase, 'dir'>) }));
}

function fill(template: string, i: number): string {
  return template.replace(/\{i:04d\}/g, String(i).padStart(4, '0')).replace(/\{i\}/g, String(i));
}

function generate(workDir: string, g: Generated): void {
  const path = join(workDir, g.path);
  mkdirSync(dirname(path), { recursive: true });
  if (g.text !== undefined) {
    writeFileSync(path, g.text);
    return;
  }
  const parts: string[] = [g.head ?? ''];
  let size = Buffer.byteLength(parts[0] as string);
  for (let i = 0; g.count !== undefined ? i < g.count : size < (g.bytes ?? 0); i++) {
    const piece = fill(g.repeat ?? '', i);
    parts.push(piece);
    size += Buffer.byteLength(piece);
  }
  writeFileSync(path, parts.join(''));
}

/** Copies (and generates) a case's files into the work directory. */
export function prepareCase(c: HostileCase, workDir: string): void {
  const files = join(CASES, c.dir, 'files');
  if (existsSync(files)) cpSync(files, workDir, { recursive: true });
  for (const g of c.generate ?? []) generate(workDir, g);
}

export async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
