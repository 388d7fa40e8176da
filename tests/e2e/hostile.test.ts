/**
 * The hostile corpus (tests/hostile/cases/<NN-slug>/): connection files that must each be refused before
 * anything is written, with the exact errors expected. Each case runs the bundled Create task as the agent
 * would (System.Debug on) against the sandbox, and must end Failed with exactly its errors, no request to
 * its workspace, no secret of the case anywhere in the output or the files written, and no logging command
 * that outside text could have forged.
 *
 * A case folder holds `case.json` (title, source: why it must be refused, inputs, variables, errors) and
 * `files/` (copied into the work directory); `generate` makes files that cannot live in git (20 MiB, names
 * with line breaks). Errors are written as the agent shows them, paths relative to the work directory.
 * `HOSTILE_PRINT=1` prints what each case got (to review a new case's messages by hand).
 */
import * as assert from 'node:assert/strict';
import { ALLOWED_COMMANDS, findSecretLeaks, type TaskRun } from '../support/agent-harness';
import { inBatches, loadCases, prepareCase } from '../support/hostile';
import { startWorld, type World } from '../support/world';

const TASK = 'AzureMLConnectionCreateV1';
/** Cases run this many at a time (each is one task process). */
const PARALLEL = 4;

/** Errors as the agent shows them, with the work directory taken out of paths, without the task's result (the last one). */
function relativeErrors(run: TaskRun, workDir: string): string[] {
  const errors = run.errors.map((e) => relative(e, workDir));
  return errors[errors.length - 1] === relative(run.resultMessage, workDir) ? errors.slice(0, -1) : errors;
}

/** Paths below the work directory made relative; the work directory itself written as {workDir}. */
function relative(text: string, workDir: string): string {
  return text.split(`${workDir}/`).join('').split(workDir).join('{workDir}');
}

const FILE_ERRORS = (n: number) => `${n} error(s) in the connection files; nothing was written. Fix them and run again.`;

describe('hostile corpus: every case refused before anything is written (bundled Create, sandbox, System.Debug)', function () {
  this.timeout(600_000);
  const cases = loadCases();
  let world: World;
  const runs = new Map<string, { run: TaskRun; workDir: string; armRequests: number }>();

  before(async () => {
    world = await startWorld();
    await inBatches(cases, PARALLEL, async (c) => {
      const ws = { ...world.ws, workspace: `mlw-h${c.dir.slice(0, 2)}` };
      world.sandbox.addWorkspace(ws);
      const workDir = world.newWorkDir(false);
      prepareCase(c, workDir);
      const run = await world.run(TASK, 'spnKey', {
        workDir,
        debug: true,
        variables: c.variables,
        secretVariables: c.secretVariables,
        inputs: { workspaceName: ws.workspace, ...(c.inputs ?? {}) },
      });
      const armRequests = world.sandbox.requests.filter((r) => r.service === 'arm' && r.path.includes(`/workspaces/${ws.workspace}`)).length;
      runs.set(c.dir, { run, workDir, armRequests });
      if (process.env.HOSTILE_PRINT === '1') {
        process.stdout.write(`\n== ${c.dir}\n${JSON.stringify(relativeErrors(run, workDir), null, 2)}\nresult: ${relative(run.resultMessage, workDir)}\n`);
      }
    });
  });

  after(async () => {
    await world?.stop();
  });

  it(`has at least 60 cases (${cases.length})`, () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
  });

  for (const c of cases) {
    it(`${c.dir}: ${c.title}`, () => {
      const got = runs.get(c.dir);
      assert.ok(got, 'the case ran');
      const { run, workDir, armRequests } = got;
      assert.equal(run.result, 'Failed', run.resultMessage);
      assert.deepEqual(relativeErrors(run, workDir), c.errors);
      assert.equal(relative(run.resultMessage, workDir), c.result ?? FILE_ERRORS(c.errors.length));
      assert.equal(armRequests, 0, 'nothing was asked of (let alone written to) the workspace');
      const secrets = [...(c.secrets ?? []), ...Object.values(c.secretVariables ?? {}).filter((v) => v.length >= 6), ...world.secrets];
      assert.deepEqual(findSecretLeaks(run, secrets), [], 'no secret of the case in any output or file, in any encoding');
      assert.deepEqual(run.commands.filter((cmd) => !ALLOWED_COMMANDS.has(cmd.name)).map((cmd) => cmd.name), [], 'only our own logging commands');
      assert.equal(run.commands.filter((cmd) => cmd.name === 'task.complete').length, 1, 'one result, ours');
      assert.ok(!run.commands.some((cmd) => cmd.name === 'task.setvariable' && cmd.props.variable === 'pwned'), 'no forged variable');
      assert.deepEqual(run.stdout.split(/\r\n|\r|\n/).filter((l) => /^##\[/.test(l) && !/^##\[(group|endgroup)\]/.test(l)), [], 'no forged ##[...] line');
    });
  }
});
