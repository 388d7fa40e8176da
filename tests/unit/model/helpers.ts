import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecretSet } from '../../../src/core/secrets';
import { loadConnections, type LoadOptions } from '../../../src/model';
import type { LoadResult, Override, VariableSource } from '../../../src/model/types';

/** The reference material beside the project (present in CI; absent in a bare clone). */
export const SHARED = process.env.AZUREML_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared');
export const CORPUS_DIR = path.join(SHARED, 'corpus', 'azure-ai-ml', 'connection');
export const EXPECTED_MD = path.join(SHARED, 'corpus', 'azure-ai-ml', 'EXPECTED.md');
export const SEED_000 = path.join(SHARED, 'seeds', '000_9c92903ffd286563.txt');

/** Skip the current test (with the reason) when a reference file is not there. */
export function requireFile(ctx: Mocha.Context, file: string): void {
  if (fs.existsSync(file)) return;
  const reason = `skipped: ${file} is absent (the reference material in ../shared is not checked out)`;
  if (ctx.currentTest) ctx.currentTest.title += ` (${reason})`;
  else if (ctx.test) ctx.test.title += ` (${reason})`;
  ctx.skip();
}

export function variables(values: Record<string, string | { value: string; secret: boolean }>): VariableSource {
  const map = new Map<string, { value: string; secret: boolean }>();
  for (const [k, v] of Object.entries(values)) map.set(k.toLowerCase(), typeof v === 'string' ? { value: v, secret: false } : v);
  return { get: (name) => map.get(name.toLowerCase()) };
}

export interface Loaded extends LoadResult {
  secrets: SecretSet;
}

export function load(
  files: Record<string, string> | { path: string; text: string }[],
  opts: Partial<Omit<LoadOptions, 'secrets'>> & { overrides?: Override[] } = {},
): Loaded {
  const list = Array.isArray(files) ? files : Object.entries(files).map(([p, text]) => ({ path: p, text }));
  const secrets = new SecretSet();
  const result = loadConnections(list, {
    variables: opts.variables ?? variables({}),
    overrides: opts.overrides ?? [],
    secrets,
    apiVersion: opts.apiVersion ?? '2025-06-01',
  });
  return { ...result, secrets };
}

export const errors = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'error');
export const warnings = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'warning');

/** `file:line:column message` lines, for readable assertions. */
export function describe_(r: LoadResult): string[] {
  return r.diagnostics.map((d) => `${d.severity} ${d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : '-'} ${d.message}`);
}
