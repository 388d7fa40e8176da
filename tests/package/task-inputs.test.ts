/**
 * Inputs and output variables are an API: pipelines in the field set them by name. The snapshot
 * (task-inputs.snapshot.json) holds every released name and input type (for tasks still being written,
 * the names product.md promises). This fails when one disappears or changes type, and when a new one is
 * not in the snapshot yet. Adding is a deliberate step:
 *   UPDATE_INPUT_SNAPSHOT=1 npx mocha tests/package/task-inputs.test.ts
 * adds new tasks, inputs and outputs to the snapshot; it never removes or changes an entry (edit the file
 * by hand for that, in a new major version of the task).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { presentTasks, readTask, REPO_ROOT, takesReleasedType, type TaskJson } from './helpers';

interface Snapshot {
  [task: string]: { inputs: Record<string, string>; outputVariables: string[] };
}

const SNAPSHOT = join(__dirname, 'task-inputs.snapshot.json');
const UPDATE = process.env.UPDATE_INPUT_SNAPSHOT === '1';
const HOW = 'if that is deliberate, add it with UPDATE_INPUT_SNAPSHOT=1 npx mocha tests/package/task-inputs.test.ts';

/** What broke compared with the snapshot: removed or retyped inputs, removed outputs. */
export function breakingChanges(released: Snapshot[string], task: TaskJson): string[] {
  const problems: string[] = [];
  for (const [name, type] of Object.entries(released.inputs)) {
    const input = task.inputs.find((i) => i.name === name || (i.aliases ?? []).includes(name));
    if (!input) problems.push(`input '${name}' (${type}) was released and is gone`);
    else if (!takesReleasedType(type, input)) problems.push(`input '${name}' was released as ${type} and is now ${input.type}`);
  }
  for (const name of released.outputVariables) {
    if (!(task.outputVariables ?? []).some((o) => o.name === name)) problems.push(`output variable '${name}' was released and is gone`);
  }
  return problems;
}

/** What the task has that the snapshot does not. */
export function additions(released: Snapshot[string], task: TaskJson): { inputs: Record<string, string>; outputVariables: string[] } {
  const known = new Set(Object.keys(released.inputs));
  const inputs = Object.fromEntries(task.inputs.filter((i) => !known.has(i.name) && !(i.aliases ?? []).some((a) => known.has(a))).map((i) => [i.name, i.type]));
  const outputVariables = (task.outputVariables ?? []).map((o) => o.name).filter((n) => !released.outputVariables.includes(n));
  return { inputs, outputVariables };
}

describe('task inputs and output variables are stable (task-inputs.snapshot.json)', () => {
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot;
  const present = presentTasks();

  after(() => {
    if (UPDATE) writeFileSync(SNAPSHOT, JSON.stringify(snapshot, null, 2) + '\n');
  });

  it('the checks catch a removed input, a changed type, a removed output and an addition', () => {
    const released = { inputs: { a: 'string', b: 'boolean', c: 'filePath' }, outputVariables: ['x', 'y'] };
    const task = {
      inputs: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'pickList' },
        { name: 'cNew', type: 'filePath', aliases: ['c'] },
        { name: 'd', type: 'multiLine' },
      ],
      outputVariables: [{ name: 'x' }, { name: 'z' }],
    } as unknown as TaskJson;
    assert.deepEqual(breakingChanges(released, task), ["input 'b' was released as boolean and is now pickList", "output variable 'y' was released and is gone"]);
    assert.deepEqual(additions(released, task), { inputs: { d: 'multiLine' }, outputVariables: ['z'] });
    assert.deepEqual(breakingChanges(released, { inputs: [], outputVariables: [] } as unknown as TaskJson).length, 5);
  });

  it('a released string may become an editable pick list (a picker), and nothing else', () => {
    const released = { inputs: { rg: 'string', ws: 'string', n: 'string', flag: 'boolean' }, outputVariables: [] };
    const task = (types: Record<string, { type: string; properties?: Record<string, string> }>) =>
      ({ inputs: Object.entries(types).map(([name, t]) => ({ name, ...t })), outputVariables: [] }) as unknown as TaskJson;
    const editable = { type: 'pickList', properties: { EditableOptions: 'True' } };
    assert.deepEqual(breakingChanges(released, task({ rg: editable, ws: editable, n: { type: 'string' }, flag: { type: 'boolean' } })), []);
    assert.deepEqual(breakingChanges(released, task({ rg: { type: 'pickList' }, ws: { type: 'pickList', properties: { EditableOptions: 'False' } }, n: { type: 'multiLine' }, flag: editable })), [
      "input 'rg' was released as string and is now pickList",
      "input 'ws' was released as string and is now pickList",
      "input 'n' was released as string and is now multiLine",
      "input 'flag' was released as boolean and is now pickList",
    ]);
  });

  for (const name of Object.keys(snapshot)) {
    it(`${name}: no released input or output disappeared or changed type`, function () {
      if (!present.includes(name)) {
        console.log(`      skipped: tasks/${name} is not written yet`);
        this.skip();
      }
      assert.deepEqual(breakingChanges(snapshot[name], readTask(name)), [], `${name} breaks pipelines that use it`);
    });
    it(`${name}: every input and output is in the snapshot`, function () {
      if (!present.includes(name)) this.skip();
      const added = additions(snapshot[name], readTask(name));
      if (UPDATE) {
        Object.assign(snapshot[name].inputs, added.inputs);
        snapshot[name].outputVariables.push(...added.outputVariables);
        return;
      }
      assert.deepEqual(added, { inputs: {}, outputVariables: [] }, `${name} has inputs or outputs the snapshot does not hold; ${HOW}`);
    });
  }

  it('every task in tasks/ is in the snapshot', () => {
    for (const name of present.filter((t) => !snapshot[t])) {
      if (UPDATE) {
        const task = readTask(name);
        snapshot[name] = { inputs: Object.fromEntries(task.inputs.map((i) => [i.name, i.type])), outputVariables: (task.outputVariables ?? []).map((o) => o.name) };
      } else assert.fail(`tasks/${name} is not in tests/package/task-inputs.snapshot.json; ${HOW}`);
    }
    assert.ok(existsSync(join(REPO_ROOT, 'tasks')));
  });
});
