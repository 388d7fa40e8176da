import * as assert from 'node:assert/strict';
import { describe_, errors, load, warnings } from './helpers';

const at = (r: ReturnType<typeof load>) => describe_(r);

describe('model: errors and warnings', () => {
  it('refuses a value or a key holding half of a UTF-16 pair (a YAML escape), and takes a whole pair', () => {
    const r = load({
      'a.yml': 'name: a-one\ntype: git\ntarget: https://x\ncredentials:\n  type: pat\n  pat: "p\\udc00at"\nmetadata:\n  "k\\ud800": v\n  emoji: "\\ud83d\\ude00"\n',
    });
    assert.deepEqual(at(r), [
      "error a.yml:6:8 'credentials.pat' holds the unpaired surrogate U+DC00 (character 2 of the value), which no text encoding can carry; remove the escape that made it.",
      "error a.yml:8:3 A key in 'metadata' holds the unpaired surrogate U+D800, which no text encoding can carry; remove the escape that made it.",
    ]);
    assert.equal(r.connections.length, 0);
  });

  it('reports unknown fields at the key with a suggestion for near misses', () => {
    const r = load({
      'c.yml': [
        'name: my-aoai',
        'type: azure_open_ai',
        'azure_endpont: https://x.openai.azure.com/',
        'api_version: "2024-02-01"',
        'expiryTime: 2030-01-01',
      ].join('\n'),
    });
    assert.deepEqual(at(r), [
      "error c.yml:1:1 An azure_open_ai connection needs a target; add 'azure_endpoint' or 'target'.",
      "error c.yml:3:1 'azure_endpont' is not a field of an azure_open_ai connection; did you mean 'azure_endpoint'?",
      "error c.yml:5:1 'expiryTime' is not a field of an azure_open_ai connection; remove it (az ml rejects unknown fields too).",
    ]);
    assert.equal(r.connections.length, 0);
    assert.ok(r.diagnostics.every((d) => d.connection === 'my-aoai'));
  });

  it('suggests types and credential types', () => {
    const r = load({
      'a.yml': 'name: a-one\ntype: pyhton_feed\ntarget: https://x\n',
      'b.yml': 'name: b-one\ntype: git\ntarget: https://x\ncredentials:\n  type: username_pasword\n  username: u\n',
      'c.yml': 'name: c-one\ntype: cognitive_search\ntarget: https://x\n',
      'd.yml': 'name: d-one\ntype: AzureSearch\nendpoint: https://x\n',
    });
    assert.deepEqual(at(r), [
      "error a.yml:2:7 'pyhton_feed' is not a connection type; did you mean 'python_feed'?",
      "error b.yml:5:9 'username_pasword' is not a credentials type; did you mean 'username_password'?",
      "warning c.yml:2:7 az ml connection create rejects the spelling 'cognitive_search'; write 'azure_ai_search' so the file works with both.",
      "error d.yml:2:7 'AzureSearch' is not a connection type; did you mean 'azure_ai_search'?",
    ]);
    // cognitive_search is the REST category CognitiveSearch, which means azure_ai_search (az ml rejects that spelling)
    assert.deepEqual(r.connections.map((c) => [c.name, c.properties.category, c.yamlType, c.notes]), [['c-one', 'CognitiveSearch', 'azure_ai_search', []]]);
  });

  it('explains the name rule, missing name and type, and wrong value types', () => {
    const r = load({
      'n.yml': 'name: x\ntype: git\ntarget: https://x\n---\ntype: git\ntarget: https://x\n---\nname: okname\ntarget: 5\n---\nname: other\ntype: git\ntarget: https://x\nis_shared: "no"\nmetadata: [a]\n',
    });
    assert.deepEqual(at(r), [
      "error n.yml:1:7 The connection name 'x' is not valid: it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit; rename it.",
      "error n.yml:5:1 The connection has no 'name'; add one (3 to 33 letters, digits, '_' or '-', starting with a letter or digit).",
      "error n.yml:8:1 The connection has no 'type'; add one, e.g. type: git, type: azure_open_ai or a REST category such as type: Redis.",
      "error n.yml:9:9 'target' must be text, not a number; quote it.",
      "error n.yml:14:12 'is_shared' must be true or false, not text.",
      "error n.yml:15:11 'metadata' must be a mapping (key: value lines), not a list.",
    ]);
  });

  it('rejects non-api-key credentials on Azure AI types instead of silently using AAD (bug 7)', () => {
    const r = load({ 's.yml': 'name: search1\ntype: azure_ai_search\nendpoint: https://s\ncredentials:\n  type: pat\n  pat: abc\n' });
    assert.deepEqual(at(r), [
      'error s.yml:5:9 An azure_ai_search connection authenticates with an api key or Microsoft Entra ID, not credentials of type pat (az ml would silently send AAD instead); use api_key or aad.',
    ]);
  });

  it('warns when a credential type is outside the intended set (bug 1), and about description and tags', () => {
    const r = load({
      'g.yml': 'name: git1\ntype: git\ntarget: https://g\ndescription: hello\ntags: {a: b, c: d}\nmetadata: {a: z}\ncredentials:\n  type: service_principal\n  client_id: c\n  client_secret: s\n  tenant_id: t\n',
    });
    assert.deepEqual(errors(r), []);
    assert.deepEqual(at(r), [
      'warning g.yml:4:1 description is not stored by the service (az ml drops it too); move it into metadata or remove it.',
      "warning g.yml:5:1 tags is a deprecated alias of metadata; it is merged into metadata (metadata wins). Rename it to 'metadata'.",
      'warning g.yml:8:9 A git connection normally uses credentials of type pat, none, username_password; service_principal is accepted (az ml does not check it) but may not work.',
    ]);
    assert.deepEqual(r.connections[0].properties.metadata, { a: 'z', c: 'd' });
  });

  it('flags documents that are not connections with one error each', () => {
    const r = load({
      'env.yml': '$schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json\nname: myenv\nimage: mcr.microsoft.com/x\n',
      'job.yml': 'command: echo hi\nenvironment: azureml:myenv@latest\n',
      'ds.yml': '$schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json\nname: blobstore\ntype: azure_blob\naccount_name: a\ncontainer_name: c\n',
      'list.yml': '- name: a\n- name: b\n',
    });
    assert.deepEqual(at(r), [
      "error env.yml:1:1 This document is not a connection: it looks like an Azure ML environment (it has 'image'). Remove it from the file, or the file from the connectionFiles globs.",
      "error job.yml:1:1 This document is not a connection: it looks like an Azure ML job or component (it has 'command', 'environment'). Remove it from the file, or the file from the connectionFiles globs.",
      'error ds.yml:1:1 This document is not a connection: its $schema is the azureBlob schema. Remove it from the file, or the file from the connectionFiles globs.',
      'error list.yml:1:1 This document is not a connection: it is a list, not a mapping of fields such as name, type and target (write one document per connection, separated by ---). Remove it from the file, or the file from the connectionFiles globs.',
    ]);
  });

  it('accepts $schema with any value, several documents per file, and skips empty documents', () => {
    const r = load({
      'm.yml': '---\n# nothing here\n---\n$schema: http://azureml/sdk-2-0/Connection.json\nname: one-1\ntype: git\ntarget: https://a\n---\n---\nname: two-2\ntype: GIT\ntarget: https://b\n...\n',
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.connections.map((c) => [c.name, c.location.line, c.location.column]), [['one-1', 5, 1], ['two-2', 10, 1]]);
  });

  it('reports duplicate names across files (case-insensitive), naming both positions', () => {
    const r = load({
      'a.yml': 'name: shared-conn\ntype: git\ntarget: https://a\n',
      'b.yml': '# another\nname: Shared-Conn\ntype: git\ntarget: https://b\n',
    });
    assert.deepEqual(at(r), [
      "error b.yml:2:1 The connection name 'Shared-Conn' is already declared at a.yml:1:1 (names are case-insensitive); rename or remove one of them.",
    ]);
    assert.deepEqual(r.connections.map((c) => c.name), ['shared-conn']);
  });

  it('collects every problem of every file instead of stopping at the first', () => {
    const r = load({
      'a.yml': 'name: a-1\ntype: gti\ntarget: x\n---\nname: a-2\ntype: git\ntarget: x\nbogus: 1\n',
      'b.yml': 'name: b-1\ntype: git\n target: x\n',
      'c.yml': 'name: c-1\ntype: git\ntarget: x\n',
    });
    assert.deepEqual(at(r).filter((l) => l.includes('a.yml')), [
      "error a.yml:2:7 'gti' is not a connection type; did you mean 'git'?",
      "error a.yml:8:1 'bogus' is not a field of a git connection; remove it (az ml rejects unknown fields too).",
    ]);
    const syntax = errors(r).filter((d) => d.location?.file === 'b.yml');
    assert.ok(syntax.length >= 1 && syntax.every((d) => /fix the YAML syntax\.$/.test(d.message)));
    assert.deepEqual(r.connections.map((c) => c.name), ['c-1']);
  });

  it('keeps YAML syntax errors free of the source text (which could hold a secret)', () => {
    const r = load({ 'bad.yml': 'name: a-b-c\ntype: git\ncredentials:\n  type: pat\n  pat: "s3cr3t-value\n' });
    assert.ok(errors(r).length > 0);
    assert.ok(r.diagnostics.every((d) => !d.message.includes('s3cr3t')), at(r).join('\n'));
  });

  it('never puts secret values into messages, even when they are the wrong type', () => {
    const r = load({ 'p.yml': 'name: p-1\ntype: git\ntarget: https://g\ncredentials:\n  type: pat\n  pat: 987654321\n' });
    assert.deepEqual(at(r), ["error p.yml:6:8 'credentials.pat' must be text, not a number; quote it."]);
    assert.ok(r.secrets.has('987654321'));
  });

  it('warns when several target aliases disagree, the last one winning', () => {
    const r = load({ 'b.yml': 'name: blob-1\ntype: azure_blob\ntarget: https://a\nurl: https://b\naccount_name: a\ncontainer_name: c\n' });
    assert.equal(r.connections[0].properties.target, 'https://b');
    assert.deepEqual(warnings(r).map((d) => [d.location?.line, d.message]), [[4, "'target' and 'url' are both given; 'url' wins (the last of target, api_base, url, azure_endpoint, endpoint). Remove the others."]]);
  });

  it('warns that a spelling az ml rejects works here only', () => {
    const r = load({ 'u.yml': 'name: up-1\ntype: AZURE_OPEN_AI\nazure_endpoint: https://a\n' });
    assert.deepEqual(errors(r), []);
    assert.deepEqual(warnings(r).map((d) => d.message), ["az ml connection create rejects the spelling 'AZURE_OPEN_AI'; write 'azure_open_ai' so the file works with both."]);
    const ok = load({ 'u.yml': 'name: up-1\ntype: AzureOpenAI\nazure_endpoint: https://a\n---\nname: up-2\ntype: PYTHON_FEED\ntarget: https://a\n' });
    assert.deepEqual(ok.diagnostics, []);
  });
});
