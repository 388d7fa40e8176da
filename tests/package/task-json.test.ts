/**
 * Every task.json: valid against task-lib's tasks.schema.json (draft-04, plus the input `validation` it
 * lacks) and up to the Marketplace bar tfx and the classic editor expect (friendlyName <= 40,
 * instanceNameFormat, help with a docs link, groups, visibleRules that name real inputs and values,
 * Agent + DeploymentGroup, Node20_1 + Node24, output variables with descriptions). Also
 * vss-extension.json: it contributes the four product tasks. What the classic editor shows (pickers,
 * conditional inputs, checked numbers, help links) is in classic-editor.test.ts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { MANIFEST_SCHEMA, PRODUCT_TASKS, presentTasks, readTask, REPO_ROOT, SHARED, TASKS_SCHEMA, visibleRuleProblems, type TaskJson } from './helpers';

/**
 * tasks.schema.json (task-lib's, verbatim) has no `validation` on inputs and rejects unknown properties,
 * yet the service takes it: azure-devops-node-api's TaskInputDefinitionBase has `validation:
 * { expression, message }`, and Microsoft's own tasks use it (KubernetesManifest@1, AzureAppConfiguration*).
 * This is that schema plus exactly that property; a test below shows nothing else is needed.
 */
export function tasksSchemaWithInputValidation(schema: Record<string, any>): Record<string, any> {
  const extended = structuredClone(schema);
  extended.properties.inputs.items.properties.validation = {
    type: 'object',
    additionalProperties: false,
    required: ['expression', 'message'],
    properties: { expression: { type: 'string', minLength: 1 }, message: { type: 'string', minLength: 1 } },
  };
  return extended;
}

function withoutInputValidation(task: TaskJson): TaskJson {
  return { ...task, inputs: task.inputs.map(({ validation: _dropped, ...input }) => input) };
}

function schemaValidator(extended: boolean): (task: unknown) => { ok: boolean; errors: string } {
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  const schema = JSON.parse(readFileSync(TASKS_SCHEMA, 'utf8'));
  const validate = ajv.compile(extended ? tasksSchemaWithInputValidation(schema) : schema);
  return (task) => ({ ok: validate(task) as boolean, errors: JSON.stringify(validate.errors, null, 2) });
}

describe('task.json of every task', () => {
  const tasks = presentTasks();

  it('the visibleRule checker itself catches a wrong input, a wrong value and a bad clause', () => {
    const task = readTask('AzureMLConnectionCreateV1');
    assert.deepEqual(visibleRuleProblems('mode = apply', task), []);
    assert.deepEqual(visibleRuleProblems('mode = plan || prune = true', task), []);
    assert.equal(visibleRuleProblems('mood = apply', task).length, 1);
    assert.equal(visibleRuleProblems('mode = aply', task).length, 1);
    assert.equal(visibleRuleProblems('prune = yes', task).length, 1);
    assert.equal(visibleRuleProblems('mode', task).length, 1);
  });

  it('the schema extension is the service\'s own TaskInputValidation, and the schema checks catch a bad task', function () {
    if (!existsSync(TASKS_SCHEMA)) this.skip();
    const contract = readFileSync(join(REPO_ROOT, 'node_modules', 'azure-devops-node-api', 'interfaces', 'DistributedTaskCommonInterfaces.d.ts'), 'utf8');
    const body = (name: string) => new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(contract)?.[1] ?? '';
    assert.match(body('TaskInputDefinitionBase'), /\bvalidation\?: TaskInputValidation;/);
    assert.match(body('TaskInputValidation'), /\bexpression\?: string;[\s\S]*\bmessage\?: string;/);
    const task = readTask('AzureMLConnectionCreateV1');
    const withValidation = (validation: unknown) => ({ ...task, inputs: task.inputs.map((i) => (i.name === 'maxParallel' ? { ...i, validation } : i)) });
    const good = { expression: "isMatch(value, '^[0-9]+$', 'IgnoreCase')", message: 'A number.' };
    assert.equal(schemaValidator(false)(withValidation(good)).ok, false, 'the published schema rejects `validation`');
    assert.equal(schemaValidator(true)(withValidation(good)).ok, true);
    assert.equal(schemaValidator(true)(withValidation({ expression: good.expression })).ok, false, 'no message');
    assert.equal(schemaValidator(true)(withValidation({ ...good, explanation: 'x' })).ok, false, 'an unknown key');
    assert.equal(schemaValidator(true)({ ...task, dataSourceBindings: [{ target: 'workspaceName', endpointUrl: 'x', resultSelectr: 'y' }] }).ok, false, 'a misspelt binding key');
    assert.equal(schemaValidator(true)({ ...task, helpurl: 'x' }).ok, false, 'an unknown top-level key');
  });

  it('the Create task is present (the others arrive as they are written)', () => {
    assert.ok(tasks.includes('AzureMLConnectionCreateV1'), tasks.join(', '));
    for (const t of tasks) assert.ok(PRODUCT_TASKS.includes(t), `tasks/${t} is not one of the product's four tasks (${PRODUCT_TASKS.join(', ')})`);
  });

  it('task ids are unique GUIDs', () => {
    const ids = tasks.map((t) => readTask(t).id.toLowerCase());
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length, `duplicate task ids: ${ids.join(', ')}`);
  });

  for (const name of tasks) {
    describe(name, () => {
      const task = () => readTask(name);

      it('is valid against tasks.schema.json (draft-04) plus the input `validation` the service takes', function () {
        if (!existsSync(TASKS_SCHEMA)) {
          console.log(`      skipped: ${TASKS_SCHEMA} is absent (shared/ is not next to this clone; set AZUREML_SHARED_DIR)`);
          this.skip();
        }
        const { ok, errors } = schemaValidator(true)(task());
        assert.ok(ok, errors);
      });

      it('without its input `validation`s it is valid against tasks.schema.json exactly as published', function () {
        if (!existsSync(TASKS_SCHEMA)) this.skip();
        const { ok, errors } = schemaValidator(false)(withoutInputValidation(task()));
        assert.ok(ok, errors);
      });

      it('name, version and folder agree; friendlyName <= 40; instanceNameFormat names real inputs', () => {
        const t = task();
        assert.equal(`${t.name}V${t.version.Major}`, name);
        assert.ok(t.friendlyName.length > 0 && t.friendlyName.length <= 40, `friendlyName '${t.friendlyName}' is ${t.friendlyName.length} characters (tfx allows 40)`);
        assert.ok(t.instanceNameFormat, 'instanceNameFormat is required by tfx');
        for (const m of t.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g)) {
          assert.ok(t.inputs.some((i) => i.name === m[1]), `instanceNameFormat names $(${m[1]}), which is not an input`);
        }
      });

      it('help links to the docs; every input has a label and help', () => {
        const t = task();
        assert.match(t.helpMarkDown ?? '', /\[[^\]]+\]\(https:\/\/[^)]+\)/, 'helpMarkDown holds a [link](https://...)');
        for (const input of t.inputs) {
          assert.ok(input.label, `${input.name} has no label`);
          assert.ok((input.helpMarkDown ?? '').length >= 20, `${input.name} has no helpMarkDown`);
        }
      });

      it('runs on Agent and DeploymentGroup with the Node20_1 and Node24 handlers', () => {
        const t = task();
        assert.ok(t.runsOn?.includes('Agent') && t.runsOn.includes('DeploymentGroup'), `runsOn ${JSON.stringify(t.runsOn)}`);
        assert.equal(t.execution.Node20_1?.target, 'index.js');
        assert.equal(t.execution.Node24?.target, 'index.js');
        assert.deepEqual(Object.keys(t.execution).sort(), ['Node20_1', 'Node24']);
        const [major, minor] = (t.minimumAgentVersion ?? '0.0').split('.').map(Number);
        assert.ok(major > 4 || (major === 4 && minor >= 248), `minimumAgentVersion ${t.minimumAgentVersion} is below 4.248.0 (Node20_1 and Node24 handlers)`);
      });

      it('groups: every input is in a declared group and every group is used', () => {
        const t = task();
        const groups = (t.groups ?? []).map((g) => g.name);
        assert.ok(groups.length > 0, 'the classic editor shows grouped inputs');
        for (const input of t.inputs) assert.ok(input.groupName && groups.includes(input.groupName), `${input.name} is in group '${input.groupName}', declared: ${groups.join(', ')}`);
        for (const g of groups) assert.ok(t.inputs.some((i) => i.groupName === g), `group ${g} holds no input`);
      });

      it('visibleRules name real inputs and values; pickList defaults are options', () => {
        const t = task();
        for (const input of t.inputs) {
          if (input.visibleRule) assert.deepEqual(visibleRuleProblems(input.visibleRule, t), [], `${input.name}.visibleRule`);
          if (input.type === 'pickList' && input.defaultValue !== undefined && input.defaultValue !== '' && input.properties?.EditableOptions !== 'True') {
            assert.ok(Object.keys(input.options ?? {}).includes(String(input.defaultValue)), `${input.name} default '${input.defaultValue}' is not an option`);
          }
          if (input.required && input.visibleRule) assert.fail(`${input.name} is required but can be hidden by '${input.visibleRule}'`);
        }
        for (const g of t.groups ?? []) if (g.visibleRule) assert.deepEqual(visibleRuleProblems(g.visibleRule, t), [], `group ${g.name}.visibleRule`);
      });

      it('declares its output variables with descriptions', () => {
        const t = task();
        assert.ok((t.outputVariables ?? []).length > 0);
        for (const o of t.outputVariables ?? []) assert.ok((o.description ?? '').length > 0, `output ${o.name} has no description`);
      });
    });
  }

  it('Create: no input is hidden by mode (planFile is written in plan and read in apply; maxParallel bounds the reads of plan and the writes of apply)', () => {
    const t = readTask('AzureMLConnectionCreateV1');
    assert.deepEqual(t.inputs.filter((i) => i.visibleRule).map((i) => i.name), []);
  });
});

describe('vss-extension.json', () => {
  const manifest = () => JSON.parse(readFileSync(join(REPO_ROOT, 'vss-extension.json'), 'utf8'));

  it('contributes exactly the four product tasks, each with its bundled folder', () => {
    const m = manifest();
    const tasks = m.contributions.filter((c: { type: string }) => c.type === 'ms.vss-distributed-task.task');
    assert.deepEqual(tasks.map((c: { properties: { name: string } }) => c.properties.name).sort(), [...PRODUCT_TASKS].sort());
    for (const c of tasks) {
      assert.deepEqual(c.targets, ['ms.vss-distributed-task.tasks']);
      assert.ok(m.files.some((f: { path: string; packagePath?: string }) => f.path === `dist/tasks/${c.properties.name}` && f.packagePath === c.properties.name), `files entry for ${c.properties.name}`);
    }
    assert.equal(new Set(tasks.map((c: { id: string }) => c.id)).size, 4, 'contribution ids are unique');
  });

  it('is a Marketplace manifest: targets, category, icons, overview, licence, version = package.json', () => {
    const m = manifest();
    assert.equal(m.manifestVersion, 1);
    assert.deepEqual(m.targets, [{ id: 'Microsoft.VisualStudio.Services' }]);
    assert.deepEqual(m.categories, ['Azure Pipelines']);
    assert.equal(m.content.details.path, 'overview.md');
    assert.equal(m.content.license.path, 'LICENSE');
    for (const p of [m.icons.default, m.content.details.path, m.content.license.path]) assert.ok(existsSync(join(REPO_ROOT, p)), `${p} exists`);
    assert.equal(m.version, JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    for (const env of ['dev', 'release']) {
      const o = JSON.parse(readFileSync(join(REPO_ROOT, 'configs', `${env}.json`), 'utf8'));
      assert.ok(o.publisher && o.id && typeof o.public === 'boolean', `configs/${env}.json sets publisher, id and public`);
    }
  });

  it('is valid against the (unofficial) tfs-cli manifest schema', function () {
    if (!existsSync(MANIFEST_SCHEMA)) {
      console.log(`      skipped: ${MANIFEST_SCHEMA} is absent (shared/ is not next to this clone)`);
      this.skip();
    }
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(MANIFEST_SCHEMA, 'utf8')));
    assert.ok(validate(manifest()), JSON.stringify(validate.errors, null, 2));
  });

  it('shared/ is there in CI, so the schema tests run there', function () {
    if (process.env.CI !== 'true') this.skip();
    assert.ok(existsSync(SHARED), `${SHARED} is missing in CI`);
  });
});
