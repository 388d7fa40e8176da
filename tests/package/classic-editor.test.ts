/**
 * What the classic editor shows for each task: the pickers (dataSourceBindings), the inputs shown only
 * with another option (visibleRule), the numbers checked as they are typed (validation), and the help
 * link (helpUrl).
 *
 * Azure DevOps runs a binding itself, with the service connection named by `endpointId`: it fills the
 * `endpointUrl` template from the connection (`endpoint.url`, `endpoint.subscriptionId`) and from the
 * binding's `parameters` (other inputs' values), GETs it, picks items with the `resultSelector` jsonpath
 * and renders each with `resultTemplate` into `{ Value, DisplayValue }`. This file does the same with a
 * small evaluator of exactly the template and jsonpath constructs the bindings use; it throws on any
 * other, so a binding that starts using one needs this evaluator (and a test) first. The responses are
 * the Microsoft.MachineLearningServices spec's own list example (../shared) and ARM list shapes.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSpecFile, SpecValidator } from '../../sandbox/spec';
import { PRODUCT_TASKS, presentTasks, readTask, REPO_ROOT, SHARED, visibleRuleProblems, type DataSourceBinding, type TaskInput, type TaskJson } from './helpers';

type Json = Record<string, unknown>;

/** `{{{a.b}}}` (raw), `{{a.b}}` (HTML-escaped), `{{#if a}}..{{else}}..{{/if}}`: the mustache the bindings use. */
export function renderTemplate(template: string, context: Json): string {
  const lookup = (path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), context);
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const escape = (s: string) => s.replace(/[&<>"'`=]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
  let out = '';
  let rest = template;
  while (rest.length > 0) {
    const at = rest.indexOf('{{');
    if (at < 0) return out + rest;
    out += rest.slice(0, at);
    rest = rest.slice(at);
    let m: RegExpExecArray | null;
    if ((m = /^\{\{\{\s*([A-Za-z_][\w.]*)\s*\}\}\}/.exec(rest))) {
      out += text(lookup(m[1]));
    } else if ((m = /^\{\{#if\s+([A-Za-z_][\w.]*)\s*\}\}([\s\S]*?)(?:\{\{else\}\}([\s\S]*?))?\{\{\/if\}\}/.exec(rest))) {
      const value = lookup(m[1]);
      const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
      out += renderTemplate(truthy ? m[2] : (m[3] ?? ''), context);
    } else if ((m = /^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/.exec(rest))) {
      out += escape(text(lookup(m[1])));
    } else {
      throw new Error(`the template uses '${rest.slice(0, 30)}', which this evaluator does not know`);
    }
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** `jsonpath:$.value[*]` and `jsonpath:$.value[*].<field>`: the selectors the bindings use. */
export function selectItems(selector: string, response: Json): unknown[] {
  const m = /^jsonpath:\$\.value\[\*\](?:\.([A-Za-z_]\w*))?$/.exec(selector);
  if (!m) throw new Error(`the selector '${selector}' is not one this evaluator knows`);
  const items = Array.isArray(response.value) ? (response.value as unknown[]) : [];
  return m[1] ? items.map((i) => (i as Json)[m[1]]) : items;
}

/** What the picker lists for one ARM list response. */
export function pickerItems(binding: DataSourceBinding, response: Json): Array<{ Value: string; DisplayValue: string }> {
  return selectItems(binding.resultSelector ?? 'jsonpath:$.value[*]', response).map((item) => {
    if (!binding.resultTemplate) return { Value: String(item), DisplayValue: String(item) };
    return JSON.parse(renderTemplate(binding.resultTemplate, item as Json)) as { Value: string; DisplayValue: string };
  });
}

/** The URL Azure DevOps GETs for a binding: `$(input)` in parameters from the inputs, `endpoint.*` from the connection. */
export function bindingUrl(binding: DataSourceBinding, endpoint: { url: string; subscriptionId: string }, inputs: Record<string, string>): string {
  const parameters = Object.fromEntries(Object.entries(binding.parameters ?? {}).map(([k, v]) => [k, v.replace(/\$\(([^)]+)\)/g, (_, name: string) => inputs[name] ?? '')]));
  return renderTemplate(binding.endpointUrl ?? '', { ...parameters, endpoint });
}

/** `isMatch(value, '<regex>', '<options>')`, the one validation form the tasks use, evaluated as the service does. */
export function validationAccepts(expression: string, value: string): boolean {
  const m = /^isMatch\(value, '((?:[^']|'')*)', '(IgnoreCase|Multiline|IgnoreCase, Multiline)'\)$/.exec(expression);
  if (!m) throw new Error(`the validation '${expression}' is not isMatch(value, '<regex>', '<options>')`);
  const flags = (m[2].includes('IgnoreCase') ? 'i' : '') + (m[2].includes('Multiline') ? 'm' : '');
  return new RegExp(m[1].replace(/''/g, "'"), flags).test(value);
}

/** The heading anchors of a Markdown document (GitHub's and the Marketplace's: lower case, spaces to hyphens). */
export function headingAnchors(markdown: string): string[] {
  const body = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...body.matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
}

const input = (task: TaskJson, name: string): TaskInput | undefined => task.inputs.find((i) => i.name === name);
const binding = (task: TaskJson, target: string): DataSourceBinding => {
  const found = (task.dataSourceBindings ?? []).filter((b) => b.target === target);
  assert.equal(found.length, 1, `${task.name} has one binding for ${target}`);
  return found[0];
};

/** A connection's Resource Manager URL in each cloud: the platform's end in '/', an Azure Stack Hub one may not. */
const CLOUDS = [
  { url: 'https://management.azure.com/', host: 'management.azure.com' },
  { url: 'https://management.usgovcloudapi.net/', host: 'management.usgovcloudapi.net' },
  { url: 'https://management.chinacloudapi.cn/', host: 'management.chinacloudapi.cn' },
  { url: 'https://management.local.azurestack.external', host: 'management.local.azurestack.external' },
];
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const SPEC_DIR = join(SHARED, 'reference', 'specs', 'azure-rest-api-specs', 'specification', 'machinelearningservices', 'resource-manager', 'Microsoft.MachineLearningServices', 'stable');
const WORKSPACES_BY_GROUP = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces';
/**
 * Microsoft.Resources api-version of the resource group list: the ResourceGroups version of Azure Stack
 * Hub's 2019-03-01-hybrid profile (Microsoft's list of the versions Azure Stack Hub serves), which the
 * public and sovereign clouds serve too; a newer one could fail on an Azure Stack Hub connection.
 */
const RESOURCE_GROUPS_API_VERSION = '2018-05-01';

/** Per task: the inputs the editor shows only with another option, and why (each is used only then). */
const VISIBLE_RULES: Record<string, Record<string, string>> = {
  // planFile is written in plan and read in apply; every other input is used in every run
  AzureMLConnectionCreateV1: {},
  // the probe timeout bounds probes; expiryTime is read only by the credential check
  AzureMLConnectionVerifyV1: { probeTimeoutSeconds: 'probe = true', expiryWarningDays: 'checkCredentials = true' },
  // every input is used in every run
  AzureMLConnectionExportV1: {},
  // githubRepository is the target of connections made from GitHub service connections, and nothing else
  AzureMLConnectionMigrateV1: { githubRepository: 'githubConnections != ""' },
};

describe('the classic editor', () => {
  describe('the evaluators these checks use', () => {
    it('render raw and escaped values, #if/else, and refuse any other construct', () => {
      const item = { name: 'ws&1', kind: 'Hub', none: '' };
      assert.equal(renderTemplate('{{{name}}} {{name}}', item), 'ws&1 ws&#x26;1');
      assert.equal(renderTemplate('{{{name}}}{{#if kind}} ({{{kind}}}){{/if}}', item), 'ws&1 (Hub)');
      assert.equal(renderTemplate('{{{name}}}{{#if none}} ({{{none}}}){{else}} -{{/if}}', item), 'ws&1 -');
      assert.equal(renderTemplate('{{{a.b}}}/{{{missing}}}', { a: { b: 'x' } }), 'x/');
      assert.throws(() => renderTemplate('{{#extractResource id resourcegroups}}', item), /does not know/);
      assert.throws(() => renderTemplate('{{ #stringReplace a b name}}', item), /does not know/);
    });

    it('select $.value[*] (and a field of it), and refuse any other jsonpath', () => {
      const response = { value: [{ name: 'a' }, { name: 'b' }], nextLink: 'x' };
      assert.deepEqual(selectItems('jsonpath:$.value[*]', response), response.value);
      assert.deepEqual(selectItems('jsonpath:$.value[*].name', response), ['a', 'b']);
      assert.deepEqual(selectItems('jsonpath:$.value[*]', {}), []);
      assert.throws(() => selectItems('jsonpath:$.value[?(@.kind == "Hub")]', response), /not one/);
      assert.throws(() => selectItems('$.value[*]', response), /not one/);
    });

    it('evaluate isMatch validations, and refuse any other expression', () => {
      assert.equal(validationAccepts("isMatch(value, '^(auto|[0-9])$', 'IgnoreCase')", 'AUTO'), true);
      assert.equal(validationAccepts("isMatch(value, '^(auto|[0-9])$', 'IgnoreCase')", '10'), false);
      assert.equal(validationAccepts("isMatch(value, '^it''s$', 'IgnoreCase')", "it's"), true);
      assert.throws(() => validationAccepts('isInRange(value, 1, 64)', '1'), /not isMatch/);
    });

    it('find heading anchors, not lines in code blocks', () => {
      assert.deepEqual(headingAnchors('# Top\n\n## Verify connections\n\n```yaml\n# not a heading\n```\n### A, b: c!\n'), ['top', 'verify-connections', 'a-b-c']);
    });
  });

  it('all four tasks are here', () => {
    assert.deepEqual(presentTasks(), [...PRODUCT_TASKS].sort());
  });

  for (const name of PRODUCT_TASKS) {
    describe(name, () => {
      const task = () => readTask(name);

      it('pickers: resource group and workspace are editable pick lists filled through the Azure Resource Manager connection', () => {
        const t = task();
        assert.deepEqual((t.dataSourceBindings ?? []).map((b) => b.target).sort(), ['resourceGroupName', 'workspaceName']);
        assert.equal(input(t, 'azureSubscription')?.type, 'connectedService:AzureRM');
        for (const b of t.dataSourceBindings ?? []) {
          const target = input(t, b.target);
          assert.ok(target, `${b.target} is an input`);
          assert.equal(target.type, 'pickList', `${b.target}: only a pick list shows a binding's items`);
          assert.equal(target.properties?.EditableOptions, 'True', `${b.target}: a name can still be typed (or a variable)`);
          assert.equal(target.required, false, `${b.target}: stays optional (an AzureMLWorkspace-scoped connection supplies it)`);
          assert.equal(target.defaultValue, '');
          assert.equal(b.endpointId, '$(azureSubscription)');
          assert.equal(b.dataSourceName, undefined, 'the URL is ours, not a built-in data source');
          // the URL comes from the connection, so every cloud works; nothing hard-coded
          assert.ok(b.endpointUrl?.startsWith(`{{{endpoint.url}}}/subscriptions/{{{endpoint.subscriptionId}}}/`), b.endpointUrl);
          assert.doesNotMatch(b.endpointUrl ?? '', /https?:|management\./);
          for (const [key, value] of Object.entries(b.parameters ?? {})) {
            const m = /^\$\(([A-Za-z][A-Za-z0-9]*)\)$/.exec(value);
            assert.ok(m && input(t, m[1]), `parameter ${key} = ${value} names an input`);
          }
          for (const m of (b.endpointUrl ?? '').matchAll(/\{\{\{?\s*([^}\s]+)\s*\}?\}\}/g)) {
            assert.ok(['endpoint.url', 'endpoint.subscriptionId', ...Object.keys(b.parameters ?? {})].includes(m[1]), `${b.target}: {{${m[1]}}} is the connection's or a parameter`);
          }
        }
      });

      it(`resource groups: GET <connection's ARM URL>/subscriptions/<its subscription>/resourcegroups?api-version=${RESOURCE_GROUPS_API_VERSION}, in every cloud`, () => {
        const b = binding(task(), 'resourceGroupName');
        for (const cloud of CLOUDS) {
          const url = new URL(bindingUrl(b, { url: cloud.url, subscriptionId: SUBSCRIPTION }, {}));
          assert.equal(url.host, cloud.host);
          assert.equal(url.pathname.replace(/\/{2,}/g, '/'), `/subscriptions/${SUBSCRIPTION}/resourcegroups`, url.href);
          assert.deepEqual([...url.searchParams], [['api-version', RESOURCE_GROUPS_API_VERSION]]);
        }
      });

      it('resource groups: each listed by its name', () => {
        const b = binding(task(), 'resourceGroupName');
        const group = (n: string) => ({ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${n}`, name: n, type: 'Microsoft.Resources/resourceGroups', location: 'westeurope', properties: { provisioningState: 'Succeeded' } });
        const response = { value: [group('rg-mlops'), group('rg.ml-(prod)_1')], nextLink: `https://management.azure.com/subscriptions/${SUBSCRIPTION}/resourcegroups?api-version=${RESOURCE_GROUPS_API_VERSION}&%24skiptoken=x` };
        assert.deepEqual(pickerItems(b, response), [
          { Value: 'rg-mlops', DisplayValue: 'rg-mlops' },
          { Value: 'rg.ml-(prod)_1', DisplayValue: 'rg.ml-(prod)_1' },
        ]);
        assert.deepEqual(pickerItems(b, { value: [] }), []);
      });

      it("workspaces: GET the spec's Workspaces_ListByResourceGroup of the chosen resource group, api-version = the task's default", function () {
        const t = task();
        const b = binding(t, 'workspaceName');
        assert.deepEqual(b.parameters, { resourceGroupName: '$(resourceGroupName)' }, 'the list follows the resource group input');
        const apiVersion = String(input(t, 'apiVersion')?.defaultValue);
        assert.equal(apiVersion, '2025-06-01');
        for (const cloud of CLOUDS) {
          const url = new URL(bindingUrl(b, { url: cloud.url, subscriptionId: SUBSCRIPTION }, { resourceGroupName: 'rg.ml-(prod)_1' }));
          assert.equal(url.host, cloud.host);
          assert.equal(url.pathname.replace(/\/{2,}/g, '/'), `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg.ml-(prod)_1/providers/Microsoft.MachineLearningServices/workspaces`, url.href);
          assert.deepEqual([...url.searchParams], [['api-version', apiVersion]]);
        }
        const specFile = findSpecFile(apiVersion, REPO_ROOT);
        if (!specFile) {
          console.log(`      skipped the spec half: no workspaceRP.json for ${apiVersion} under ${SHARED}`);
          this.skip();
        }
        const spec = new SpecValidator(specFile);
        assert.ok(spec.hasOperation(WORKSPACES_BY_GROUP, 'get'), `the ${apiVersion} spec lists workspaces by resource group`);
        const issues = spec.validateRequest(WORKSPACES_BY_GROUP, 'get', { subscriptionId: SUBSCRIPTION, resourceGroupName: 'rg.ml-(prod)_1' }, {}, undefined);
        assert.deepEqual(issues, []);
        // the checker itself: with the resource group left empty (a workspace-scoped connection) the
        // request is one ARM refuses, so the list stays empty and the input stays as typed
        assert.notDeepEqual(spec.validateRequest(WORKSPACES_BY_GROUP, 'get', { subscriptionId: SUBSCRIPTION, resourceGroupName: '' }, {}, undefined), []);
      });

      it("workspaces: each listed by its name and its kind (Default, Hub, Project, FeatureStore), from the spec's own list example", function () {
        const b = binding(task(), 'workspaceName');
        const exampleFile = join(SPEC_DIR, '2025-06-01', 'examples', 'Workspace', 'listByResourceGroup.json');
        if (!existsSync(exampleFile)) this.skip();
        const specFile = join(SPEC_DIR, '2025-06-01', 'workspaceRP.json');
        const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { definitions: Record<string, { properties?: Record<string, { type?: string }> }> };
        assert.equal(spec.definitions.Workspace.properties?.kind?.type, 'string', 'kind is a top-level string of a Workspace');
        const example = (JSON.parse(readFileSync(exampleFile, 'utf8')) as { responses: { 200: { body: Json & { value: Json[] } } } }).responses[200].body;
        // the example has no kind (as a workspace made before kinds existed): the name alone
        assert.deepEqual(pickerItems(b, example), [
          { Value: 'testworkspace', DisplayValue: 'testworkspace' },
          { Value: 'testworkspace1', DisplayValue: 'testworkspace1' },
        ]);
        const kinds = ['Default', 'Hub', 'Project', 'FeatureStore'];
        const withKinds = { ...example, value: kinds.map((kind, i) => ({ ...example.value[i % example.value.length], name: `ws-${kind.toLowerCase()}`, kind })) };
        assert.deepEqual(
          pickerItems(b, withKinds),
          kinds.map((kind) => ({ Value: `ws-${kind.toLowerCase()}`, DisplayValue: `ws-${kind.toLowerCase()} (${kind})` })),
        );
      });

      it('shows an input only with the option it depends on, and only when its value is used only then', () => {
        const t = task();
        const rules = Object.fromEntries(t.inputs.filter((i) => i.visibleRule).map((i) => [i.name, i.visibleRule]));
        assert.deepEqual(rules, VISIBLE_RULES[name]);
        for (const [inputName, rule] of Object.entries(rules)) {
          assert.deepEqual(visibleRuleProblems(rule!, t), [], `${inputName}: ${rule}`);
          assert.equal(input(t, inputName)?.required, false, `${inputName} is required and could be hidden`);
          const used = /Used only when|of every connection made from a GitHub service connection/.test(input(t, inputName)?.helpMarkDown ?? '');
          assert.ok(used, `${inputName}'s help says when it is used`);
        }
      });

      it('checks every number input as it is typed, exactly over the range its help gives (or a $(variable), or empty for the default)', () => {
        const t = task();
        for (const i of t.inputs) {
          const range = /\((\d+) to (\d+)\)/.exec(i.helpMarkDown ?? '');
          if (!range) {
            assert.equal(i.validation, undefined, `${i.name} has a validation but its help gives no range`);
            continue;
          }
          assert.ok(i.validation, `${i.name} is a number (${range[0]}) without a validation`);
          const [low, high] = [Number(range[1]), Number(range[2])];
          const auto = /`auto`/.test(i.helpMarkDown ?? '');
          const accepts = (v: string) => validationAccepts(i.validation!.expression, v);
          for (let n = Math.max(0, low - 2); n <= high + 2; n++) assert.equal(accepts(String(n)), n >= low && n <= high, `${i.name} = ${n}`);
          for (const v of ['', ' ', String(i.defaultValue), `${high} `, '$(Parallel)', '$(connections.maxParallel)']) assert.equal(accepts(v), true, `${i.name} = '${v}'`);
          for (const v of ['-1', '1.5', 'x', `${low}x`, '1e3', `$(x) ${low}`, 'automatic']) assert.equal(accepts(v), false, `${i.name} = '${v}'`);
          assert.equal(accepts('auto'), auto, `${i.name} = 'auto' (its help ${auto ? 'offers' : 'does not offer'} it)`);
          assert.match(i.validation!.message, new RegExp(`${auto ? 'auto, or ' : ''}a whole number (of \\w+ )?from ${low} to ${high}\\.$`));
        }
      });

      it('helpUrl: the section of the Marketplace page (overview.md) about this task, which exists', () => {
        const t = task();
        const release = JSON.parse(readFileSync(join(REPO_ROOT, 'configs', 'release.json'), 'utf8')) as { publisher: string; id: string };
        const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'vss-extension.json'), 'utf8')) as { content: { details: { path: string } } };
        const page = `https://marketplace.visualstudio.com/items?itemName=${release.publisher}.${release.id}`;
        const url = String(t.helpUrl ?? '');
        const [base, anchor] = url.split('#');
        assert.equal(base, page, 'the released extension\'s Marketplace page, which shows overview.md');
        const anchors = headingAnchors(readFileSync(join(REPO_ROOT, manifest.content.details.path), 'utf8'));
        assert.ok(anchor && anchors.includes(anchor), `#${anchor} is a heading of ${manifest.content.details.path} (${anchors.join(', ')})`);
        assert.equal(anchors.filter((a) => a === anchor).length, 1, `#${anchor} is one heading, not a repeated one`);
        const heading = new RegExp(`^#{2,3} (${anchor.replace(/-/g, ' ')})$`, 'im').exec(readFileSync(join(REPO_ROOT, 'overview.md'), 'utf8'));
        assert.ok(heading && /^[A-Za-z0-9 ]+$/.test(heading[1]), 'the heading is plain words, so every Markdown renderer gives it the same anchor');
        assert.ok(t.helpMarkDown?.includes(`(${url})`), 'the task\'s help links to the same section');
      });
    });
  }

  it('each task has a section of its own, and every #link of overview.md lands on a heading', () => {
    const urls = PRODUCT_TASKS.map((n) => String(readTask(n).helpUrl));
    assert.equal(new Set(urls).size, urls.length, urls.join(', '));
    const overview = readFileSync(join(REPO_ROOT, 'overview.md'), 'utf8');
    const anchors = headingAnchors(overview);
    const links = [...overview.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 0);
    for (const l of links) assert.ok(anchors.includes(l), `overview.md links to #${l}, which is no heading`);
  });
});
