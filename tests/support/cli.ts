/** Runs the bundled command line (dist/cli/azureml-connections.js) as a process, with an environment of the test's making. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './agent-harness';
import { scanForSecrets } from './leak-scan';

export const CLI = join(REPO_ROOT, 'dist', 'cli', 'azureml-connections.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * The child gets PATH, HOME and TMPDIR, and only what `env` adds: nothing else of the test's environment
 * (no NODE_EXTRA_CA_CERTS unless given, no TF_BUILD or GITHUB_ACTIONS, no AZURE_* sign-in).
 */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), TMPDIR: tmpdir(), ...options.env };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), durationMs: Date.now() - started });
    });
  });
}

/** Where any of the secrets shows, in any form (the suite's leak scan), among the texts given by name. */
export function secretsShown(secrets: readonly string[], texts: Record<string, string>): string[] {
  return scanForSecrets(
    Object.entries(texts).map(([where, text]) => ({ where, text })),
    secrets.map((value, i) => ({ label: `secret #${i + 1}`, value })),
  );
}
