/** The mapping of Azure DevOps service connections to az-ml connection documents (src/migrate/map.ts). */
import * as assert from 'node:assert/strict';
import { classify, githubTarget, mapEndpoint, type Migration, type Refusal, type ServiceEndpoint } from '../../../src/migrate';
import { buildConnection } from '../../../src/model/build';
import { validateDocument } from '../../../src/model';

const ID = '0a1b2c3d-4e5f-4061-8273-9485a6b7c8d9';
const REGISTRY_ID = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoml';

function ep(type: string, scheme: string, auth: Record<string, string>, extra: Partial<ServiceEndpoint> = {}): ServiceEndpoint {
  return { id: ID, type, scheme, url: '', auth, data: {}, ...extra };
}

function migrated(e: ServiceEndpoint, options = {}): Migration {
  const v = mapEndpoint(e, options);
  assert.equal(v.kind, 'migrate', v.kind === 'refuse' ? v.reason : '');
  // every document is one the loader accepts, and builds to the properties Create would send
  assert.deepEqual(validateDocument({ name: 'n-1', ...(v as Migration).doc }), []);
  return v as Migration;
}

function refused(e: ServiceEndpoint, options = {}, name?: string): Refusal {
  const v = mapEndpoint(e, options, name);
  assert.equal(v.kind, 'refuse');
  return v as Refusal;
}

describe('migrate: service connection -> ML connection document', () => {
  describe('Docker Registry', () => {
    it('Docker Hub (UsernamePassword) -> container_registry username_password, target = the registry parameter', () => {
      const m = migrated(ep('dockerregistry', 'UsernamePassword', { registry: 'https://index.docker.io/v1/', username: 'contoso', password: 'pw', email: 'a@b.c' }, { url: 'https://hub.docker.com/', data: { registrytype: 'DockerHub' } }));
      assert.deepEqual(m.doc, { type: 'container_registry', target: 'https://index.docker.io/v1/', credentials: { type: 'username_password', username: 'contoso', password: 'pw' } });
      assert.deepEqual(m.secretFields, ['password']);
      assert.equal(m.classification.kind, 'Docker Registry (Docker Hub)');
      const built = buildConnection({ name: 'x', ...m.doc });
      assert.deepEqual(built.properties, { authType: 'UsernamePassword', category: 'ContainerRegistry', isSharedToAll: true, metadata: {}, target: 'https://index.docker.io/v1/', credentials: { username: 'contoso', password: 'pw' } });
    });

    it('Others: a registry without a scheme gets https://; without a registry parameter the URL is used', () => {
      assert.equal(migrated(ep('dockerregistry', 'UsernamePassword', { registry: 'registry.example:5000', username: 'u', password: 'p' }, { data: { registrytype: 'Others' } })).doc.target, 'https://registry.example:5000');
      assert.equal(migrated(ep('dockerregistry', 'UsernamePassword', { username: 'u', password: 'p' }, { url: 'https://r.example/' })).doc.target, 'https://r.example/');
    });

    it('Docker Hub / Others without a password or a registry are not migrated', () => {
      assert.match(refused(ep('dockerregistry', 'UsernamePassword', { registry: 'https://r.example', username: 'u' })).reason, /handed over no password/);
      assert.match(refused(ep('dockerregistry', 'UsernamePassword', { username: 'u', password: 'p' })).reason, /gives no registry URL/);
    });

    it("ACR with a service principal -> username_password with the principal's id and secret, target https://<loginServer>", () => {
      const m = migrated(ep('dockerregistry', 'ServicePrincipal', { serviceprincipalid: 'sp-id', serviceprincipalkey: 'sp-key', tenantid: 't', loginserver: 'contosoml.azurecr.io', scope: REGISTRY_ID, authenticationtype: 'spnKey' }, { data: { registrytype: 'ACR' }, url: 'https://ignored.example' }));
      assert.deepEqual(m.doc, { type: 'container_registry', target: 'https://contosoml.azurecr.io', credentials: { type: 'username_password', username: 'sp-id', password: 'sp-key' } });
      assert.equal(m.classification.kind, 'Docker Registry (Azure Container Registry, service principal)');
    });

    it('ACR: a loginServer written as a URL, the scheme given as the auth parameter `scheme`, no loginServer (URL used)', () => {
      assert.equal(migrated(ep('dockerregistry', '', { scheme: 'ServicePrincipal', serviceprincipalid: 'a', serviceprincipalkey: 'b', loginserver: 'https://x.azurecr.io/' })).doc.target, 'https://x.azurecr.io');
      assert.equal(migrated(ep('dockerregistry', 'ServicePrincipal', { serviceprincipalid: 'a', serviceprincipalkey: 'b' }, { url: 'https://y.azurecr.io/', data: { registrytype: 'ACR' } })).doc.target, 'https://y.azurecr.io');
      assert.match(refused(ep('dockerregistry', 'ServicePrincipal', { serviceprincipalid: 'a', loginserver: 'x.azurecr.io' })).reason, /did not hand over its service principal id and secret/);
    });

    for (const [scheme, how, auth] of [
      ['ManagedServiceIdentity', 'managed identity', { tenantid: 't', loginserver: 'contosoml.azurecr.io' }],
      ['WorkloadIdentityFederation', 'workload identity federation', { serviceprincipalid: 's', tenantid: 't', loginserver: 'contosoml.azurecr.io', scope: REGISTRY_ID }],
    ] as const) {
      it(`ACR with ${how} is not migrated; the equivalent uses the workspace managed identity`, () => {
        const r = refused(ep('dockerregistry', scheme, { ...auth }, { data: scheme === 'ManagedServiceIdentity' ? { registrytype: 'ACR', registryid: REGISTRY_ID } : { registrytype: 'ACR' } }));
        assert.match(r.reason, new RegExp(`^A ${how} connection holds no credential`));
        assert.deepEqual(r.equivalent, { type: 'container_registry', target: 'https://contosoml.azurecr.io', credentials: { type: 'managed_identity', resource_id: REGISTRY_ID } });
        assert.deepEqual(validateDocument({ name: 'acr-eq', ...r.equivalent }), []);
        assert.match(r.advice ?? '', /AcrPull role on https:\/\/contosoml\.azurecr\.io/);
        assert.equal(classify(ep('dockerregistry', scheme, { ...auth }, { data: { registrytype: 'ACR' } })).migratable, false);
      });
    }

    it('an ACR scheme that is not supported is refused, naming the scheme', () => {
      assert.match(refused(ep('dockerregistry', 'Certificate', { loginserver: 'x.azurecr.io' }, { data: { registrytype: 'ACR' } })).reason, /The Certificate scheme of a Docker Registry service connection is not supported/);
    });
  });

  describe('Python package download', () => {
    const url = 'https://pkgs.example/pypi/simple/';
    it('Token (apitoken) -> python_feed pat; UsernamePassword -> username_password; target = the feed URL', () => {
      assert.deepEqual(migrated(ep('externalPythonDownloadFeed', 'Token', { apitoken: 'tok' }, { url })).doc, { type: 'python_feed', target: url, credentials: { type: 'pat', pat: 'tok' } });
      assert.deepEqual(migrated(ep('externalpythondownloadfeed', 'UsernamePassword', { username: 'u', password: 'p' }, { url })).doc, { type: 'python_feed', target: url, credentials: { type: 'username_password', username: 'u', password: 'p' } });
    });
    it('no token, no password or no URL: not migrated', () => {
      assert.match(refused(ep('externalPythonDownloadFeed', 'Token', {}, { url })).reason, /no token/);
      assert.match(refused(ep('externalPythonDownloadFeed', 'UsernamePassword', { username: 'u' }, { url })).reason, /no password/);
      assert.match(refused(ep('externalPythonDownloadFeed', 'Token', { apitoken: 't' })).reason, /no feed URL/);
    });
  });

  describe('Other Git', () => {
    const url = 'https://git.example/r.git';
    it('username and password -> username_password; password only -> pat; neither -> none', () => {
      assert.deepEqual(migrated(ep('git', 'UsernamePassword', { username: 'u', password: 'p' }, { url })).doc.credentials, { type: 'username_password', username: 'u', password: 'p' });
      const pat = migrated(ep('git', 'UsernamePassword', { username: '', password: 'p' }, { url }));
      assert.deepEqual(pat.doc, { type: 'git', target: url, credentials: { type: 'pat', pat: 'p' } });
      assert.deepEqual(pat.secretFields, ['pat']);
      const none = migrated(ep('git', 'UsernamePassword', {}, { url }));
      assert.deepEqual(none.doc.credentials, { type: 'none' });
      assert.deepEqual(none.secretFields, []);
    });
    it('a username without a password is not migrated', () => {
      assert.match(refused(ep('git', 'UsernamePassword', { username: 'u' }, { url })).reason, /username but no password/);
    });
  });

  describe('GitHub', () => {
    it('PersonalAccessToken (accessToken), OAuth and Token (AccessToken) -> git pat; keys arrive lower-cased', () => {
      for (const scheme of ['PersonalAccessToken', 'OAuth', 'Token']) {
        const m = migrated(ep('github', scheme, { accesstoken: `t-${scheme}` }, { url: 'https://github.com' }), { githubRepository: 'contoso/models' });
        assert.deepEqual(m.doc, { type: 'git', target: 'https://github.com/contoso/models', credentials: { type: 'pat', pat: `t-${scheme}` } }, scheme);
      }
    });
    it('the target: the githubRepository URL, owner/repo under the service connection URL, or the URL itself', () => {
      assert.equal(githubTarget('https://github.com', ''), 'https://github.com');
      assert.equal(githubTarget('https://github.com/', 'contoso'), 'https://github.com/contoso');
      assert.equal(githubTarget('https://github.com', '/contoso/models/'), 'https://github.com/contoso/models');
      assert.equal(githubTarget('https://github.com', 'https://github.com/contoso/other.git'), 'https://github.com/contoso/other.git');
      assert.equal(githubTarget('', 'contoso/models'), 'https://github.com/contoso/models');
      const m = migrated(ep('github', 'OAuth', { accesstoken: 't' }, { url: 'https://github.com' }));
      assert.equal(m.doc.target, 'https://github.com');
      assert.ok(m.notes.some((n) => n.includes('set githubRepository')), m.notes.join('\n'));
    });
    it('a GitHub App (InstallationToken) is not migrated; the equivalent is a git pat connection with a placeholder', () => {
      const r = refused(ep('github', 'InstallationToken', {}, { url: 'https://github.com' }), { githubRepository: 'contoso/models' }, 'gh-app');
      assert.match(r.reason, /GitHub App connection holds no token/);
      assert.deepEqual(r.equivalent, { type: 'git', target: 'https://github.com/contoso/models', credentials: { type: 'pat', pat: '$(AZUREML_GH_APP_PAT)' } });
      assert.match(r.advice ?? '', /AZUREML_GH_APP_PAT/);
    });
    it('no access token, or an unknown scheme: not migrated', () => {
      assert.match(refused(ep('github', 'OAuth', {})).reason, /handed over no access token/);
      assert.match(refused(ep('github', 'OAuth2', { accesstoken: 't' })).reason, /The OAuth2 scheme of a GitHub service connection is not supported/);
      assert.match(refused(ep('git', 'Certificate', { username: 'u' })).reason, /The Certificate scheme of an Other Git service connection is not supported/);
    });
  });

  describe('other types (inventory)', () => {
    it('are not migratable, each with a reason', () => {
      for (const [type, reason] of [
        ['azurerm', /Azure Resource Manager connection/],
        ['githubenterprise', /GitHub Enterprise Server/],
        ['externalPythonUploadFeed', /download feed/],
        ['kubernetes', /no counterpart for service connections of type kubernetes/],
      ] as const) {
        const c = classify({ type, scheme: 'Token', auth: {}, data: {} });
        assert.equal(c.migratable, false, type);
        assert.match(c.reason ?? '', reason, type);
      }
    });
    it('classifies by type and scheme alone, without credentials', () => {
      assert.deepEqual(classify({ type: 'dockerregistry', scheme: 'UsernamePassword', auth: { registry: 'r' }, data: { registrytype: 'Others' } }), {
        migratable: true, mlType: 'container_registry', credential: 'username_password', kind: 'Docker Registry (Others)',
      });
      assert.equal(classify({ type: 'GitHub', scheme: 'PersonalAccessToken', auth: {}, data: {} }).migratable, true);
      assert.equal(classify({ type: 'github', scheme: 'InstallationToken', auth: {}, data: {} }).migratable, false);
    });
  });
  describe('a credential written into the URL', () => {
    it('refuses it, showing the URL with the credential as ***, whatever the type', () => {
      const git = refused(ep('git', 'UsernamePassword', { username: 'bot', password: 'pw-1' }, { url: 'https://bot:url-pw-1@git.example.com/r.git' }));
      assert.equal(
        git.reason,
        "Its URL https://bot:***@git.example.com/r.git holds a credential (the password in its user information); the ML connection's target would carry it where anyone who may read the workspace can see it. Remove the credential from the service connection's URL (it belongs in its password or token) and migrate again.",
      );
      assert.match(refused(ep('externalPythonDownloadFeed', 'Token', { apitoken: 't-1' }, { url: 'https://f.example/simple/?token=tok-1' })).reason, /^Its URL https:\/\/f\.example\/simple\/\?token=\*\*\* holds a credential \(its 'token' parameter\)/);
      assert.match(refused(ep('dockerregistry', 'UsernamePassword', { registry: 'https://u:r-pw@reg.example.com', username: 'u', password: 'p-1' }, { data: { registrytype: 'Others' } })).reason, /^Its URL https:\/\/u:\*\*\*@reg\.example\.com holds a credential/);
      assert.match(refused(ep('github', 'PersonalAccessToken', { accesstoken: 'ghp_1' }), { githubRepository: 'https://ghp_intheurl@github.com/o/r' }).reason, /^Its URL https:\/\/\*\*\*@github\.com\/o\/r holds a credential \(a token written as the user name/);
    });
    it("shows an equivalent's target with the credential as ***", () => {
      const r = refused(ep('dockerregistry', 'ManagedServiceIdentity', { loginserver: '' }, { url: 'https://u:acr-pw@contosoml.azurecr.io', data: { registrytype: 'ACR' } }));
      assert.equal(r.equivalent?.target, 'https://u:***@contosoml.azurecr.io');
    });
  });
});
