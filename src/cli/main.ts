#!/usr/bin/env node
/** The `azureml-connections` command (bundled into dist/cli/azureml-connections.js). */
import { describeError } from '../core/errors';
import { PROGRAM } from './args';
import { safeText } from './output';
import { EXIT_FAILED, runCli } from './run';

runCli({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${PROGRAM}: ${safeText(describeError(e))}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
