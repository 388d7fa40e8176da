import * as assert from 'node:assert/strict';
import { startSandbox, type SandboxImpl } from '../../../sandbox';
import { API, arm, call } from './support';

const ws = { subscriptionId: 'aaaaaaaa-0000-0000-0000-000000000001', resourceGroup: 'rg-sb', workspace: 'ws-sb' };
const pat = (target: string, secret = 'pat-secret') => ({ properties: { authType: 'PAT', category: 'Git', target, credentials: { pat: secret } } });

describe('sandbox ARM: connections', function () {
  let sb: SandboxImpl;
  let a: ReturnType<typeof arm>;

  beforeEach(async () => {
    sb = await startSandbox();
    sb.addWorkspace(ws);
    a = arm(sb, ws);
  });
  afterEach(async () => sb.stop());

  it('uses the REST spec from ../shared when present', function () {
    if (!sb.specLoaded) this.skip(); // ../shared/reference/specs is absent: bodies are not validated in this clone
    assert.equal(sb.specLoaded, true);
    assert.ok(sb.log.some((l) => l.includes('workspaceRP.json')));
  });

  it('GET a workspace; 404 ARM errors for unknown ones; x-ms-request-id on every response', async () => {
    const ok = await a.get(`${a.base}?${API}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.name, 'ws-sb');
    assert.ok(ok.headers['x-ms-request-id']);
    const missing = await call('GET', `${sb.url}subscriptions/${ws.subscriptionId}/resourceGroups/rg-sb/providers/Microsoft.MachineLearningServices/workspaces/nope-ws?${API}`, {
      ca: sb.caPem,
      headers: { authorization: `Bearer ${sb.armToken()}` },
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'ResourceNotFound');
    assert.ok(missing.headers['x-ms-request-id']);
  });

  it('PUT returns 200 without credentials; GET hides them; listsecrets shows them', async () => {
    const put = await a.put(a.conn('git-one'), pat('https://git.example/repo'));
    assert.equal(put.status, 200);
    assert.equal(put.json.properties.credentials, undefined);
    assert.equal(put.json.id, `${a.base.replace(sb.url.replace(/\/$/, ''), '')}/connections/git-one`);
    const get = await a.get(a.conn('git-one'));
    assert.equal(get.status, 200);
    assert.equal(get.json.properties.credentials, undefined);
    assert.equal(get.json.properties.target, 'https://git.example/repo');
    const secrets = await a.post(a.conn('git-one', '/listsecrets'));
    assert.equal(secrets.status, 200);
    assert.deepEqual(secrets.json.properties.credentials, { pat: 'pat-secret' });
    assert.deepEqual(sb.storedConnection(ws, 'git-one')?.properties.credentials, { pat: 'pat-secret' });
  });

  it('PUT replaces the whole connection (a PUT without credentials wipes them)', async () => {
    await a.put(a.conn('git-two'), { properties: { ...pat('https://a').properties, metadata: { k: 'v' } } });
    const r = await a.put(a.conn('git-two'), { properties: { authType: 'PAT', category: 'Git', target: 'https://b' } });
    assert.equal(r.status, 200);
    const stored = sb.storedConnection(ws, 'git-two')!;
    assert.equal(stored.properties.target, 'https://b');
    assert.equal(stored.properties.credentials, undefined);
    assert.equal(stored.properties.metadata, undefined);
  });

  it('PATCH merges properties and replaces credentials only when given', async () => {
    await a.put(a.conn('git-three'), { properties: { ...pat('https://a', 'first').properties, metadata: { k: 'v' } } });
    let r = await a.patch(a.conn('git-three'), { properties: { authType: 'PAT', target: 'https://patched' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.properties.credentials, undefined);
    let stored = sb.storedConnection(ws, 'git-three')!;
    assert.equal(stored.properties.target, 'https://patched');
    assert.deepEqual(stored.properties.metadata, { k: 'v' });
    assert.deepEqual(stored.properties.credentials, { pat: 'first' });
    r = await a.patch(a.conn('git-three'), { properties: { authType: 'PAT', credentials: { pat: 'second' } } });
    stored = sb.storedConnection(ws, 'git-three')!;
    assert.deepEqual(stored.properties.credentials, { pat: 'second' });
    assert.equal(stored.properties.category, 'Git');
    const missing = await a.patch(a.conn('nothere'), { properties: { authType: 'PAT' } });
    assert.equal(missing.status, 404);
  });

  it('DELETE answers 200, then 204 when absent; GET of a missing connection is 404', async () => {
    await a.put(a.conn('git-four'), pat('https://a'));
    assert.equal((await a.del(a.conn('git-four'))).status, 200);
    assert.equal((await a.del(a.conn('git-four'))).status, 204);
    const g = await a.get(a.conn('git-four'));
    assert.equal(g.status, 404);
    assert.equal(g.json.error.code, 'ResourceNotFound');
  });

  it('names are case-insensitive and keep the casing of the first PUT', async () => {
    await a.put(a.conn('MyConn'), pat('https://a'));
    await a.put(a.conn('myconn'), pat('https://b'));
    const g = await a.get(a.conn('MYCONN'));
    assert.equal(g.status, 200);
    assert.equal(g.json.name, 'MyConn');
    assert.equal(g.json.properties.target, 'https://b');
    assert.equal(sb.storedConnections(ws).length, 1);
  });

  it('List pages (default 5) with a nextLink carrying $skip that is followed verbatim', async () => {
    for (let i = 0; i < 12; i++) sb.seedConnection(ws, `conn-${String(i).padStart(2, '0')}`, { authType: 'PAT', category: 'Git', target: `https://t${i}`, credentials: { pat: `p${i}` } });
    const names: string[] = [];
    let url: string | undefined = `${a.base}/connections?${API}`;
    let pages = 0;
    while (url) {
      const r = await a.get(url);
      assert.equal(r.status, 200);
      for (const c of r.json.value) {
        assert.equal(c.properties.credentials, undefined);
        names.push(c.name);
      }
      pages++;
      url = r.json.nextLink;
      if (url) assert.match(url, /\$skip=\d+/);
    }
    assert.equal(pages, 3);
    assert.equal(names.length, 12);
    assert.equal(new Set(names).size, 12);
    sb.pageSize = 100;
    const all = await a.get(`${a.base}/connections?${API}`);
    assert.equal(all.json.value.length, 12);
    assert.equal(all.json.nextLink, undefined);
  });

  it('List filters: target, category (case-insensitive), includeAll for datastore connections', async () => {
    sb.seedConnection(ws, 'git-a', { authType: 'PAT', category: 'Git', target: 'https://same' });
    sb.seedConnection(ws, 'feed-a', { authType: 'PAT', category: 'PythonFeed', target: 'https://same' });
    sb.seedConnection(ws, 'feed-b', { authType: 'None', category: 'PythonFeed', target: 'https://other' });
    sb.seedConnection(ws, 'blob-ds', { authType: 'AccountKey', category: 'AzureBlob', target: 'https://blob' }, { datastore: true });
    const byCat = await a.get(`${a.base}/connections?${API}&category=pythonfeed`);
    assert.deepEqual(byCat.json.value.map((c: { name: string }) => c.name).sort(), ['feed-a', 'feed-b']);
    const byTarget = await a.get(`${a.base}/connections?${API}&target=${encodeURIComponent('https://same')}`);
    assert.deepEqual(byTarget.json.value.map((c: { name: string }) => c.name).sort(), ['feed-a', 'git-a']);
    const both = await a.get(`${a.base}/connections?${API}&target=${encodeURIComponent('https://same')}&category=Git`);
    assert.deepEqual(both.json.value.map((c: { name: string }) => c.name), ['git-a']);
    const noDs = await a.get(`${a.base}/connections?${API}`);
    assert.ok(!noDs.json.value.some((c: { name: string }) => c.name === 'blob-ds'));
    const withDs = await a.get(`${a.base}/connections?${API}&includeAll=true`);
    assert.ok(withDs.json.value.some((c: { name: string }) => c.name === 'blob-ds'));
  });

  it('filters survive paging through nextLink', async () => {
    for (let i = 0; i < 7; i++) sb.seedConnection(ws, `feed-${i}`, { authType: 'None', category: 'PythonFeed', target: `https://f${i}` });
    for (let i = 0; i < 4; i++) sb.seedConnection(ws, `git-${i}`, { authType: 'None', category: 'Git', target: `https://g${i}` });
    const first = await a.get(`${a.base}/connections?${API}&category=PythonFeed`);
    assert.equal(first.json.value.length, 5);
    const second = await a.get(first.json.nextLink);
    assert.equal(second.json.value.length, 2);
    assert.ok(second.json.value.every((c: { properties: { category: string } }) => c.properties.category === 'PythonFeed'));
  });

  it('validation: a bad body is a 400 naming the field, kept in validationFailures (needs the REST spec from ../shared)', async function () {
    if (!sb.specLoaded) this.skip(); // ../shared/reference/specs is absent: bodies are not validated in this clone
    const r = await a.put(a.conn('bad-body'), { properties: { authType: 'PAT', category: 'Git', target: 'https://x', credential: { pat: 'x' } } });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /body\.properties\.credential\b/);
    assert.equal(sb.validationFailures.length, 1);
    assert.equal(sb.validationFailures[0].field, 'body.properties.credential');
    const r2 = await a.put(a.conn('bad-two'), { properties: { category: 'Git' } });
    assert.equal(r2.status, 400);
    assert.match(r2.json.error.message, /authType/);
    const r3 = await a.put(a.conn('bad-three'), { properties: { authType: 'UsernamePassword', credentials: { username: 'u', password: 5 } } });
    assert.equal(r3.status, 400);
    assert.match(r3.json.error.message, /credentials\.password/);
    assert.ok(!sb.storedConnection(ws, 'bad-body'));
  });

  it('validation: discriminator subtypes, modelAsString enums, maps and formats (needs the REST spec from ../shared)', async function () {
    if (!sb.specLoaded) this.skip(); // ../shared/reference/specs is absent: bodies are not validated in this clone
    const ok = [
      { authType: 'CustomKeys', category: 'CustomKeys', target: '_', credentials: { keys: { a: '1', b: '2' } }, metadata: { x: 'y' } },
      { authType: 'ApiKey', category: 'AzureOpenAI', target: 'https://o', credentials: { key: 'k' }, isSharedToAll: true, expiryTime: '2030-01-01T00:00:00Z' },
      { authType: 'UsernamePassword', category: 'SomeFutureCategory', target: 'x', credentials: { username: 'u', password: 'p', securityToken: 't' } },
      { authType: 'ServicePrincipal', category: 'ADLSGen2', target: 'https://x', credentials: { clientId: 'c', clientSecret: 's', tenantId: 't' } },
      { authType: 'AccessKey', category: 'S3', target: 's3://x', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      { authType: 'None', category: 'PythonFeed', target: 'https://pypi' },
      { authType: 'AAD', category: 'AzureOpenAI', target: 'https://o' },
    ];
    for (const [i, properties] of ok.entries()) {
      const r = await a.put(a.conn(`ok-${i}`), { properties });
      assert.equal(r.status, 200, `${JSON.stringify(properties)} -> ${r.text}`);
    }
    assert.deepEqual(sb.validationFailures, []);
    const bad = [
      [{ authType: 'CustomKeys', credentials: { keys: { a: 1 } } }, 'credentials.keys.a'],
      [{ authType: 'None', credentials: { pat: 'x' } }, 'credentials'],
      [{ authType: 'ApiKey', expiryTime: 'tomorrow' }, 'expiryTime'],
      [{ authType: 'ApiKey', metadata: { a: 1 } }, 'metadata.a'],
      [{ authType: 'PAT', value: 'old-api-field' }, 'value'],
      [{ authType: 'ApiKey', isSharedToAll: 'yes' }, 'isSharedToAll'],
    ] as const;
    for (const [i, [properties, field]] of bad.entries()) {
      const r = await a.put(a.conn(`bad-${i}`), { properties });
      assert.equal(r.status, 400, JSON.stringify(properties));
      assert.ok(r.json.error.message.includes(field), `${r.json.error.message} should name ${field}`);
    }
    // the error message never echoes a credential value
    const r = await a.put(a.conn('bad-echo'), { properties: { authType: 'OAuth2', credentials: { clientId: 'super-secret-not-uuid', clientSecret: 's' } } });
    assert.equal(r.status, 400);
    assert.ok(!r.text.includes('super-secret-not-uuid'));
  });

  it('validation: path parameters and api-version', async () => {
    const badName = await a.put(`${a.base}/connections/x!?${API}`, pat('https://x'));
    assert.equal(badName.status, 400);
    assert.match(badName.json.error.message, /connectionName/);
    const tooLong = await a.get(`${a.base}/connections/${'a'.repeat(34)}?${API}`);
    assert.equal(tooLong.status, 400);
    const noVersion = await a.get(`${a.base}/connections/abc`);
    assert.equal(noVersion.status, 400);
    assert.equal(noVersion.json.error.code, 'MissingApiVersionParameter');
    const badVersion = await a.get(`${a.base}/connections/abc?api-version=2022-10-01`);
    assert.equal(badVersion.status, 400);
    assert.equal(badVersion.json.error.code, 'InvalidApiVersionParameter');
    assert.match(badVersion.json.error.message, /2025-06-01/);
    assert.ok(sb.validationFailures.length >= 4);
    const badBool = await a.get(`${a.base}/connections?${API}&includeAll=maybe`);
    assert.equal(badBool.status, 400);
  });

  it('authentication: no token -> 401 with WWW-Authenticate; foreign or wrong-audience tokens are refused', async () => {
    const none = await call('GET', a.conn('abc'), { ca: sb.caPem });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer authorization_uri=/);
    assert.equal(none.json.error.code, 'AuthenticationFailed');
    const forged = await call('GET', a.conn('abc'), { ca: sb.caPem, headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' } });
    assert.equal(forged.status, 401);
    const other = await startSandbox();
    try {
      const foreign = await call('GET', a.conn('abc'), { ca: sb.caPem, headers: { authorization: `Bearer ${other.armToken()}` } });
      assert.equal(foreign.status, 401);
      assert.equal(foreign.json.error.code, 'InvalidAuthenticationToken');
    } finally {
      await other.stop();
    }
    const wrongAud = sb.identity.issueAccessToken(sb.defaultTenantId, 'c', 'o', 'https://vault.azure.net', 'app').token;
    const w = await call('GET', a.conn('abc'), { ca: sb.caPem, headers: { authorization: `Bearer ${wrongAud}` } });
    assert.equal(w.status, 401);
    assert.equal(w.json.error.code, 'InvalidAuthenticationTokenAudience');
  });

  it('records requests: method, path, query, headers without authorization, body, status, principal', async () => {
    sb.addServicePrincipal({ tenantId: sb.defaultTenantId, clientId: 'recorder-client', secret: 's' });
    const b = arm(sb, ws, sb.armToken('recorder-client'));
    sb.resetRequests();
    await b.put(b.conn('rec-one'), pat('https://r'));
    assert.equal(sb.requests.length, 1);
    const r = sb.requests[0];
    assert.equal(r.method, 'PUT');
    assert.equal(r.service, 'arm');
    assert.equal(r.status, 200);
    assert.equal(r.principal, 'recorder-client');
    assert.equal(r.query['api-version'], '2025-06-01');
    assert.equal(r.headers.authorization, undefined);
    assert.deepEqual((r.body as { properties: { target: string } }).properties.target, 'https://r');
    assert.equal(sb.storedConnection(ws, 'rec-one')?.systemData?.createdBy, 'recorder-client');
  });

  it('listsecrets can be denied with 403 AuthorizationFailed', async () => {
    await a.put(a.conn('deny-me'), pat('https://d'));
    sb.denyListSecrets(ws);
    const r = await a.post(a.conn('deny-me', '/listsecrets'));
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'AuthorizationFailed');
    sb.denyListSecrets(ws, false);
    assert.equal((await a.post(a.conn('deny-me', '/listsecrets'))).status, 200);
  });

  it('testconnection: 202 + Location + Retry-After, then the poll gives 200 or an error', async () => {
    const fast = await startSandbox({ testConnectionRetryAfterSeconds: 0, testConnectionPendingPolls: 1 });
    try {
      fast.addWorkspace(ws);
      const f = arm(fast, ws);
      await f.put(f.conn('good-one'), pat('https://g'));
      await f.put(f.conn('bad-one'), { properties: { authType: 'PAT', category: 'Git', target: 'https://b' } });
      const started = await f.post(f.conn('good-one', '/testconnection'));
      assert.equal(started.status, 202);
      assert.equal(started.headers['retry-after'], '0');
      const location = String(started.headers.location);
      assert.ok(location.startsWith(fast.url));
      assert.equal((await f.get(location)).status, 202, 'first poll is still pending');
      assert.equal((await f.get(location)).status, 200);
      const bad = await f.post(f.conn('bad-one', '/testconnection'));
      await f.get(String(bad.headers.location));
      const result = await f.get(String(bad.headers.location));
      assert.equal(result.status, 400);
      assert.match(result.json.error.message, /credentials\.pat/);
      fast.setTestConnectionResult(ws, 'good-one', { ok: false, message: 'target unreachable' });
      const forced = await f.post(f.conn('good-one', '/testconnection'));
      await f.get(String(forced.headers.location));
      assert.match((await f.get(String(forced.headers.location))).json.error.message, /unreachable/);
    } finally {
      await fast.stop();
    }
  });

  it('workspaces can be created with PUT', async () => {
    const other = { ...ws, workspace: 'made-by-put' };
    const b = arm(sb, other);
    const r = await b.put(`${b.base}?${API}`, { location: 'eastus', kind: 'Hub', properties: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal((await b.get(`${b.base}?${API}`)).json.kind, 'Hub');
  });

  it('accepts a configurable list of api-versions', async () => {
    sb.apiVersions = ['2025-06-01', '2026-09-01'];
    assert.equal((await a.get(`${a.base}/connections?api-version=2026-09-01`)).status, 200);
  });
});

describe('sandbox ARM without the spec', () => {
  it('says so once in the log, skips body validation, still checks names', async () => {
    const sb = await startSandbox({ specDir: '/nonexistent/spec/dir' });
    try {
      assert.equal(sb.specLoaded, false);
      assert.equal(sb.log.filter((l) => /spec not found/i.test(l)).length, 1);
      sb.addWorkspace(ws);
      const a = arm(sb, ws);
      assert.equal((await a.put(a.conn('loose'), { properties: { authType: 'PAT', anything: 1 } })).status, 200);
      assert.equal((await a.put(a.conn('x!'), { properties: { authType: 'PAT' } })).status, 400);
      assert.equal((await a.put(a.conn('noauth'), { properties: {} })).status, 400);
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox ARM: private workspaces, AI Foundry hubs and projects', function () {
  let sb: SandboxImpl;
  const hub = { ...ws, workspace: 'hub-one' };
  const project = { ...ws, workspace: 'proj-one' };
  const path = (r: typeof ws) => `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${r.workspace}`;

  beforeEach(async () => {
    sb = await startSandbox();
    sb.addWorkspace(hub, { kind: 'Hub' });
    sb.addWorkspace(project, { hub, publicNetworkAccess: 'Disabled', managedNetwork: 'AllowOnlyApprovedOutbound', privateEndpoints: [{ name: 'pe-1', status: 'Pending', provisioningState: 'Creating' }] });
  });
  afterEach(async () => sb.stop());

  it('serves a project (kind, hubResourceId) with its network settings as ARM returns them', async () => {
    const got = await arm(sb, project).get(`${arm(sb, project).base}?${API}`);
    assert.equal(got.json.kind, 'Project');
    assert.equal(got.json.properties.hubResourceId, path(hub));
    assert.equal(got.json.properties.publicNetworkAccess, 'Disabled');
    assert.equal(got.json.properties.managedNetwork.isolationMode, 'AllowOnlyApprovedOutbound');
    assert.deepEqual(
      got.json.properties.privateEndpointConnections.map((p: { name: string; properties: { privateLinkServiceConnectionState: { status: string }; provisioningState: string } }) => [p.name, p.properties.privateLinkServiceConnectionState.status, p.properties.provisioningState]),
      [['pe-1', 'Pending', 'Creating']],
    );
    assert.equal((await arm(sb, hub).get(`${arm(sb, hub).base}?${API}`)).json.kind, 'Hub');
  });

  it("lists a project's own connections and its hub's shared ones (ids under the hub); reads go through, writes touch only the project", async () => {
    const h = arm(sb, hub);
    const p = arm(sb, project);
    await h.put(h.conn('shared-one'), { properties: { ...pat('https://h/1', 'hub-secret').properties, isSharedToAll: true } });
    // hubs force isSharedToAll true on writes; one seeded unshared stays the hub's alone
    await h.put(h.conn('forced'), { properties: { ...pat('https://h/5').properties, isSharedToAll: false } });
    assert.equal(sb.storedConnection(hub, 'forced')?.properties.isSharedToAll, true);
    sb.seedConnection(hub, 'hub-private', { ...pat('https://h/2').properties, isSharedToAll: false });
    await h.put(h.conn('both'), { properties: { ...pat('https://h/3').properties, isSharedToAll: true } });
    await p.put(p.conn('both'), pat('https://p/3'));
    await p.put(p.conn('own'), pat('https://p/4'));
    const list = await p.get(`${p.base}/connections?${API}`);
    assert.deepEqual(
      list.json.value.map((c: { name: string; id: string }) => [c.name, c.id]),
      [['both', `${path(project)}/connections/both`], ['own', `${path(project)}/connections/own`], ['shared-one', `${path(hub)}/connections/shared-one`], ['forced', `${path(hub)}/connections/forced`]],
    );
    assert.equal(list.json.value[2].properties.createdByWorkspaceArmId, path(hub));
    assert.equal((await p.get(p.conn('shared-one'))).json.id, `${path(hub)}/connections/shared-one`);
    assert.deepEqual((await p.post(p.conn('shared-one', '/listsecrets'))).json.properties.credentials, { pat: 'hub-secret' });
    assert.equal((await p.get(p.conn('hub-private'))).status, 404);
    // writes through the project: the hub's connection is never touched
    assert.equal((await p.del(p.conn('shared-one'))).status, 204);
    assert.equal((await p.patch(p.conn('shared-one'), { properties: { authType: 'PAT', target: 'https://x' } })).status, 404);
    assert.equal(sb.storedConnection(hub, 'shared-one')?.properties.target, 'https://h/1');
    await p.put(p.conn('shared-one'), pat('https://p/shadow'));
    assert.equal(sb.storedConnection(hub, 'shared-one')?.properties.target, 'https://h/1');
    assert.equal(sb.storedConnection(project, 'shared-one')?.properties.target, 'https://p/shadow');
  });

  it('keeps peStatus as the service sets it: a new required endpoint starts Inactive; setPeStatus changes it; a write keeps it', async () => {
    const p = arm(sb, project);
    const put = await p.put(p.conn('pe-conn'), { properties: { ...pat('https://p/pe').properties, peRequirement: 'Required', peStatus: 'Active' } });
    assert.deepEqual([put.json.properties.peRequirement, put.json.properties.peStatus], ['Required', 'Inactive']);
    sb.setPeStatus(project, 'pe-conn', 'Active');
    const again = await p.put(p.conn('pe-conn'), { properties: { ...pat('https://p/pe2').properties, peRequirement: 'Required' } });
    assert.equal(again.json.properties.peStatus, 'Active');
  });
});
