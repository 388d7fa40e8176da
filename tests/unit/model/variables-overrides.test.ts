import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/core/errors';
import { parseOverrides } from '../../../src/model';
import { describe_, errors, load, variables } from './helpers';

describe('model: $(VARIABLE) references', () => {
  it('resolves references in any string value, names case-insensitive, dotted names allowed', () => {
    const r = load({
      'v.yml': 'name: feed-1\ntype: python_feed\ntarget: https://$(feed.host)/simple\nmetadata:\n  env: $(Stage)\ncredentials:\n  type: username_password\n  username: $(FEED_USER)\n  password: $(FEED_PASSWORD)\n',
    }, {
      variables: variables({ 'feed.host': 'pkgs.example.com', stage: 'prod', feed_user: 'bot', FEED_PASSWORD: { value: 'p@ss-w0rd', secret: true } }),
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.connections[0].properties, {
      authType: 'UsernamePassword', category: 'PythonFeed', isSharedToAll: true, metadata: { env: 'prod' },
      target: 'https://pkgs.example.com/simple', credentials: { username: 'bot', password: 'p@ss-w0rd' },
    });
    assert.ok(r.secrets.has('p@ss-w0rd'));
    assert.ok(r.secrets.has(encodeURIComponent('p@ss-w0rd')), 'encodings are registered too');
    assert.ok(!r.secrets.has('bot'));
  });

  it('registers a secret variable used outside a secret field, and a plain value that lands in a secret field', () => {
    const r = load({ 'v.yml': 'name: git-1\ntype: git\ntarget: https://$(TOKEN_HOST)/x\ncredentials:\n  type: pat\n  pat: $(PLAIN_PAT)\n' }, {
      variables: variables({ TOKEN_HOST: { value: 'secret-host', secret: true }, PLAIN_PAT: 'not-marked-secret' }),
    });
    assert.ok(r.secrets.has('secret-host'));
    assert.ok(r.secrets.has('not-marked-secret'));
  });

  it('reports an unresolved reference at its position and never sends it', () => {
    const r = load({ 'v.yml': 'name: git-2\ntype: git\ntarget: https://x/$(NOPE)\ncredentials:\n  type: pat\n  pat: "$(MISSING_PAT)"\n' });
    assert.deepEqual(describe_(r), [
      "error v.yml:3:19 The variable 'NOPE' in 'target' is not defined or has no value; define it in the pipeline (or a variable group) or remove the reference.",
      "error v.yml:6:9 The variable 'MISSING_PAT' in 'credentials.pat' is not defined or has no value; define it in the pipeline (or a variable group) or remove the reference.",
    ]);
    assert.equal(r.connections.length, 0);
  });
});

describe('model: overrides', () => {
  it('parses name.path=value lines, ignoring blanks and comments', () => {
    assert.deepEqual(parseOverrides('\n# comment\nsnowflake-prod.credentials.password=$(SNOW_PW)\n  my_api_key.api_key = abc=def  \n'), [
      { connection: 'snowflake-prod', path: 'credentials.password', value: '$(SNOW_PW)', line: 3 },
      { connection: 'my_api_key', path: 'api_key', value: 'abc=def', line: 4 },
    ]);
  });

  it('rejects a malformed line with its line number and without echoing it', () => {
    assert.throws(() => parseOverrides('a-conn.target=x\nthis is wrong secretvalue\n'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^overrides line 2 is not of the form name\.path=value/);
      assert.ok(!e.message.includes('secretvalue'));
      return true;
    });
    assert.throws(() => parseOverrides('noDot=value'), /overrides line 1/);
    assert.throws(() => parseOverrides('a-conn..x=value'), /overrides line 1/);
  });

  it('applies overrides before validation, like az ml --set', () => {
    const yaml = [
      'name: snowflake-prod', 'type: snowflake', 'target: jdbc:snowflake://old', 'credentials:', '  type: username_password', '  username: svc', '---',
      'name: my_api_key', 'type: api_key', 'api_base: https://api', '---',
      'name: aoai-1', 'type: azure_open_ai', 'azure_endpoint: https://a', 'metadata:', '  ApiVersion: "2024-02-01"',
    ].join('\n');
    const overrides = parseOverrides([
      'snowflake-prod.credentials.password=$(SNOW_PW)',
      'SNOWFLAKE-PROD.target=jdbc:snowflake://new',
      'my_api_key.api_key=aAbBcCdD',
      'aoai-1.metadata.ApiVersion=2024-10-21',
      'aoai-1.is_shared=false',
    ].join('\n'));
    const r = load({ 'c.yml': yaml }, { overrides, variables: variables({ SNOW_PW: 'from-variable' }) });
    assert.deepEqual(r.diagnostics, []);
    const [snow, api, aoai] = r.connections;
    assert.equal(snow.properties.target, 'jdbc:snowflake://new');
    assert.deepEqual(snow.properties.credentials, { username: 'svc', password: 'from-variable' });
    assert.deepEqual(snow.fieldLocations['credentials.password'], { file: 'overrides', line: 1, column: 37 });
    assert.deepEqual(snow.missingSecrets, []);
    assert.deepEqual(api.properties.credentials, { key: 'aAbBcCdD' });
    assert.deepEqual(aoai.properties.metadata, { ApiVersion: '2024-10-21', ApiType: 'Azure' });
    assert.equal(aoai.properties.isSharedToAll, false);
    assert.ok(r.secrets.has('from-variable') && r.secrets.has('aAbBcCdD'));
  });

  it('reports an override naming no declared connection, and a bad override path at the overrides line', () => {
    const r = load({ 'c.yml': 'name: git-3\ntype: git\ntarget: https://g\n' }, {
      overrides: parseOverrides('nothere.target=x\ngit-3.credentails.pat=y\ngit-3.target.sub=z'),
    });
    assert.deepEqual(describe_(r), [
      "error overrides:1:1 The override on line 1 names connection 'nothere', which no connection file declares; fix the name or remove the line.",
      "error overrides:2:23 'credentails' is not a field of a git connection; did you mean 'credentials'?",
      "error overrides:3:18 The override on line 3 cannot set 'target.sub' because 'target' is not a mapping; fix the path.",
    ]);
    assert.ok(r.secrets.has('y'), 'a value set at a secret-looking path is registered');
  });
});

describe('model: missing secrets', () => {
  it('records absent secret fields instead of failing (an update keeps the stored secret)', () => {
    const r = load({
      'm.yml': [
        'name: git-pat', 'type: git', 'target: https://g', 'credentials: {type: pat}', '---',
        'name: feed-up', 'type: python_feed', 'target: https://f', 'credentials:', '  type: username_password', '  username: u', '---',
        'name: just-api', 'type: api_key', 'api_base: https://a', '---',
        'name: search-k', 'type: azure_ai_search', 'endpoint: https://s', 'credentials: {type: api_key}', '---',
        'name: custom-k', 'type: custom', 'target: https://c', 'credentials: {type: custom_keys}',
      ].join('\n'),
    });
    assert.deepEqual(errors(r), []);
    assert.deepEqual(r.connections.map((c) => [c.name, c.properties.authType, c.missingSecrets, c.properties.credentials]), [
      ['git-pat', 'PAT', ['pat'], {}],
      ['feed-up', 'UsernamePassword', ['password'], { username: 'u' }],
      ['just-api', 'ApiKey', ['key'], {}],
      ['search-k', 'ApiKey', ['key'], {}],
      ['custom-k', 'CustomKeys', ['keys'], {}],
    ]);
    assert.deepEqual(r.connections[1].secretFields, ['password', 'securityToken']);
  });

  it('refuses secret fields that are written but empty, each at its position (leave the line out to keep a stored secret)', () => {
    const r = load({
      'm.yml': [
        'name: feed-up', 'type: python_feed', 'target: https://f', 'credentials:', '  type: username_password', '  username: u', '  password:', '---',
        'name: search-k', 'type: azure_ai_search', 'endpoint: https://s', 'api_key: ""', '---',
        'name: custom-k', 'type: custom', 'target: https://c', 'credentials: {type: custom_keys, keys: {a: x, b: ""}}', '---',
        'name: s3-blank', 'type: s3', 'target: https://s3', 'credentials:', '  type: access_key', '  access_key_id:', '  secret_access_key:',
      ].join('\n'),
    });
    const empty = (f: string) => `'${f}' is empty; give the secret (e.g. from a secret variable), or leave the line out to keep the secret an existing connection already stores.`;
    assert.deepEqual(r.diagnostics.map((d) => [d.location?.line, d.location?.column, d.connection, d.message]), [
      [7, 12, 'feed-up', empty('credentials.password')],
      [12, 10, 'search-k', empty('api_key')],
      [17, 50, 'custom-k', empty('credentials.keys.b')],
      [24, 17, 's3-blank', "An access_key credential needs 'access_key_id'; add it under credentials."],
      [25, 21, 's3-blank', empty('credentials.secret_access_key')],
    ]);
    assert.deepEqual(r.connections, []);
  });
});
