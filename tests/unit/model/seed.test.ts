import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { validateDocument } from '../../../src/model';
import { SEED_000, errors, load, requireFile } from './helpers';

/** The ```yaml blocks of the Microsoft Learn page "Create external connections", with their line numbers. */
function yamlBlocks(): { line: number; text: string }[] {
  const lines = fs.readFileSync(SEED_000, 'utf8').split('\n');
  const blocks: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```yaml') continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== '```'; j++) body.push(lines[j]);
    blocks.push({ line: i + 1, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Replace `<placeholders>` with sample values; `<connection-name>` gets a name unique to the block. */
function fillPlaceholders(text: string, index: number): string {
  return text.replace(/<([^<>\s]+)>/g, (_m, what: string) =>
    what === 'connection-name' ? `seed-conn-${index}` : `sample-${what.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
}

describe('model: YAML examples of the Microsoft Learn connections page (seed 000)', () => {
  it('loads every connection example to the right ARM body, and rejects what is not a connection', function () {
    requireFile(this, SEED_000);
    const blocks = yamlBlocks();
    assert.ok(blocks.length >= 15, `found ${blocks.length} yaml blocks`);
    const byType: Record<string, unknown[]> = {};
    const notConnections: string[] = [];
    blocks.forEach((b, i) => {
      const file = `seed000-line${b.line}.yml`;
      let text = fillPlaceholders(b.text, i);
      let r = load({ [file]: text });
      if (text.includes('name: ws_conn_generic_container_registry')) {
        // 34 characters: longer than the service allows (3 to 33), so the example cannot be created as written
        assert.deepEqual(errors(r).map((d) => [d.location?.line, d.location?.column, d.message]), [[2, 7,
          "The connection name 'ws_conn_generic_container_registry' is not valid: it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit; rename it."]]);
        text = text.replace('ws_conn_generic_container_registry', 'ws_conn_generic_registry');
        r = load({ [file]: text });
      }
      if (r.connections.length === 0) {
        const errs = errors(r);
        assert.equal(errs.length, 1, `${file}: ${JSON.stringify(r.diagnostics)}`);
        assert.match(errs[0].message, /^This document is not a connection: .*connectionFiles globs\.$/);
        notConnections.push(`${b.text.split('\n')[0].trim()} => ${errs[0].message}`);
        return;
      }
      assert.deepEqual(errors(r), [], file);
      const c = r.connections[0];
      assert.deepEqual(validateDocument(parse(text, { version: '1.1' })), [], `${file} is schema-valid`);
      (byType[c.yamlType] ??= []).push(c.properties);
    });

    assert.deepEqual(byType.snowflake, [
      {
        authType: 'UsernamePassword', category: 'Snowflake', isSharedToAll: true, metadata: {},
        target: 'jdbc:snowflake://sample-account.snowflakecomputing.com/?db=sample-database&warehouse=sample-warehouse&role=sample-role',
        credentials: { username: 'sample-snowflake-username', password: 'sample-snowflake-password' },
      },
      {
        authType: 'ServicePrincipal', category: 'Snowflake', isSharedToAll: true, metadata: {},
        target: 'jdbc:snowflake://sample-account.snowflakecomputing.com/?db=sample-database&warehouse=sample-warehouse&scope=sample-service-principal-scope',
        credentials: { clientId: 'sample-client-id', clientSecret: 'sample-client-secret', tenantId: 'sample-tenant-id' },
      },
    ]);
    assert.deepEqual(byType.azure_sql_db, [{
      authType: 'UsernamePassword', category: 'AzureSqlDb', isSharedToAll: true, metadata: {},
      target: 'Server=tcp:sample-server,sample-port;Database=sample-database;Trusted_Connection=False;Encrypt=True;Connection Timeout=30',
      credentials: { username: 'sample-username', password: 'sample-password' },
    }]);
    assert.deepEqual(byType.s3, [{
      authType: 'AccessKey', category: 'S3', isSharedToAll: true, metadata: {}, target: 'sample-s3-bucket-name',
      credentials: { accessKeyId: 'sample-access-key-id', secretAccessKey: 'sample-secret-access-key' },
    }]);
    assert.deepEqual(byType.git, [
      { authType: 'PAT', category: 'Git', isSharedToAll: true, metadata: {}, target: 'https://github.com/sample-account/sample-repo', credentials: { pat: 'sample-pat' } },
      { authType: 'None', category: 'Git', isSharedToAll: true, metadata: {}, target: 'https://github.com/sample-account/sample-repo' },
    ]);
    assert.deepEqual(byType.python_feed, [
      { authType: 'PAT', category: 'PythonFeed', isSharedToAll: true, metadata: {}, target: 'https://sample-feed-url', credentials: { pat: 'sample-pat' } },
      {
        authType: 'UsernamePassword', category: 'PythonFeed', isSharedToAll: true, metadata: {}, target: 'https://sample-feed-url',
        credentials: { username: 'sample-username', password: 'sample-password' },
      },
      { authType: 'None', category: 'PythonFeed', isSharedToAll: true, metadata: {}, target: 'https://sample-feed-url' },
    ]);
    assert.equal(byType.container_registry.length, 2);
    assert.deepEqual(byType.container_registry[1], {
      authType: 'UsernamePassword', category: 'ContainerRegistry', isSharedToAll: true, metadata: {}, target: 'https://test-registry.com',
      credentials: { username: 'myusername', password: 'sample-password' },
    });
    assert.deepEqual(byType.api_key, [{
      authType: 'ApiKey', category: 'ApiKey', isSharedToAll: true, metadata: {},
      target: 'https://myapi.core.windows.net/mycontainer', credentials: { key: 'aAbBcCdD' },
    }]);

    // #myenv.yml (an environment), #conda_dep.yml, #hello_world_job.yml, and an `az ml` command line in a yaml fence
    assert.equal(notConnections.length, 4, notConnections.join('\n'));
    assert.match(notConnections[0], /^#myenv\.yml => .*an Azure ML environment \(it has 'image', 'conda_file'\)/);
    assert.match(notConnections[1], /^#conda_dep\.yml => .*a conda environment file/);
    assert.match(notConnections[2], /^#hello_world_job\.yml => .*an Azure ML job/);
    assert.match(notConnections[3], /plain text/);
  });

  it('points the not-a-connection error at the start of the document', function () {
    requireFile(this, SEED_000);
    const env = yamlBlocks().find((b) => b.text.startsWith('#myenv.yml'))!;
    const r = load({ 'myenv.yml': env.text });
    assert.deepEqual(r.diagnostics.map((d) => [d.location?.line, d.location?.column]), [[2, 1]]);
  });
});
