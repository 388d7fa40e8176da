/**
 * The product contract (../shared/docs/product.md) names each task, its inputs (with their types and
 * defaults) and its output variables; checks outside this repository drive the tasks through those
 * names. This test reads the contract itself and holds every task.json to it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/agent-harness';
import { takesReleasedType, type TaskInput } from './helpers';

const PRODUCT = join(REPO_ROOT, '..', 'shared', 'docs', 'product.md');

interface ContractInput {
  name: string;
  type?: string;
  defaultValue?: string;
}
interface ContractTask {
  name: string;
  inputs: ContractInput[];
  outputs: string[];
}

const names = (cell: string) => [...cell.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]);

/** Parses the contract: the shared input table, then each `### <Task>@1` section's table and output line. */
function readContract(text: string): ContractTask[] {
  const shared: ContractInput[] = [];
  const sharedTable = text.slice(text.indexOf('## The four tasks'), text.indexOf('### '));
  for (const row of sharedTable.split('\n').filter((l) => l.startsWith('| `'))) {
    const [, name, type] = row.split('|').map((c) => c.trim());
    shared.push({ name: names(name)[0], type: names(type)[0] ? undefined : type.replace(/`/g, '') });
  }
  const tasks: ContractTask[] = [];
  const sections = text.split(/^### /m).slice(1);
  let createOutputs: string[] = [];
  let createInputs: ContractInput[] = [];
  for (const section of sections) {
    const title = /^(AzureMLConnection\w+)@1/.exec(section);
    if (!title) continue;
    const inputs: ContractInput[] = [...shared];
    for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
      const cells = row.split('|').map((c) => c.trim());
      const rowNames = names(cells[1]);
      if (rowNames.length > 1) {
        // `mode`, `planFile`, `onExisting` | as in Create
        for (const n of rowNames) inputs.push(createInputs.find((i) => i.name === n) ?? { name: n });
        continue;
      }
      const type = cells[2].replace(/`/g, '').split(/[ ,]/)[0];
      const hasDefaultColumn = cells.length >= 6;
      const defaultCell = hasDefaultColumn ? cells[3] : undefined;
      // `x`, or `x`, or <what else it may be> (e.g. maxParallel: `auto`, or a number 1–64), empty, true/false/a number
      const quoted = defaultCell ? /^`([^`]*)`(?:$|, or )/.exec(defaultCell) : null;
      const defaultValue = quoted ? quoted[1] : defaultCell === 'empty' ? '' : defaultCell && /^(true|false|\d+)$/.test(defaultCell) ? defaultCell : undefined;
      inputs.push({ name: rowNames[0], type, defaultValue });
    }
    const outLine = section.split('\n').find((l) => l.startsWith('Output variables'));
    let outputs = outLine ? names(outLine) : [];
    if (outLine?.includes('as in Create') || section.includes('Output variables as in Create')) outputs = createOutputs;
    if (title[1] === 'AzureMLConnectionCreate') {
      createOutputs = outputs;
      createInputs = inputs;
    }
    tasks.push({ name: title[1], inputs, outputs });
  }
  return tasks;
}

describe('task.json against the product contract (product.md)', () => {
  const contract = existsSync(PRODUCT) ? readContract(readFileSync(PRODUCT, 'utf8')) : [];

  it('finds the four tasks in the contract (skipped when ../shared is absent)', function () {
    if (!existsSync(PRODUCT)) this.skip(); // ../shared/docs/product.md is not beside this clone
    assert.deepEqual(contract.map((t) => t.name).sort(), ['AzureMLConnectionCreate', 'AzureMLConnectionExport', 'AzureMLConnectionMigrate', 'AzureMLConnectionVerify']);
  });

  for (const task of ['AzureMLConnectionCreate', 'AzureMLConnectionVerify', 'AzureMLConnectionExport', 'AzureMLConnectionMigrate']) {
    it(`${task}@1 has every contract input (name, type, default) and output variable (skipped without ../shared)`, function () {
      const c = contract.find((t) => t.name === task);
      if (!c) this.skip(); // ../shared/docs/product.md is not beside this clone
      const json = JSON.parse(readFileSync(join(REPO_ROOT, 'tasks', `${task}V1`, 'task.json'), 'utf8')) as {
        name: string;
        version: { Major: number };
        inputs: TaskInput[];
        outputVariables?: { name: string }[];
      };
      assert.equal(json.name, task);
      assert.equal(json.version.Major, 1);
      for (const input of c!.inputs) {
        const mine = json.inputs.find((i) => i.name === input.name);
        assert.ok(mine, `${task}: input '${input.name}' is in the contract`);
        if (input.type && /^(connectedService:|multiLine|pickList|boolean|string|filePath)/.test(input.type)) {
          // a contracted string may be an editable pick list (a picker that takes any text, see takesReleasedType)
          const type = mine!.type.split(':').slice(0, 2).join(':');
          assert.ok(takesReleasedType(input.type, { ...mine!, type }), `${task}: '${input.name}' is ${type} and the contract says ${input.type}`);
        }
        if (input.defaultValue !== undefined && !/\n/.test(String(mine!.defaultValue))) {
          assert.equal(String(mine!.defaultValue ?? ''), input.defaultValue, `${task}: default of '${input.name}'`);
        }
      }
      const outputs = (json.outputVariables ?? []).map((o) => o.name);
      for (const o of c!.outputs) assert.ok(outputs.includes(o), `${task}: output variable '${o}' is in the contract`);
    });
  }
});
