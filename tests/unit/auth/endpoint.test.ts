import * as assert from 'node:assert/strict';
import { createArmAuth, isPublicAuthorityHost, oidcRequestUrl, summariseAuthError, type AzureRmEndpoint } from '../../../src/auth';
import { isUserError } from '../../../src/core/errors';
import { SecretSet } from '../../../src/core/secrets';

const TENANT = '72f988bf-0000-0000-0000-000000000001';

function ep(scheme: string, data: Record<string, string>, url = 'https://management.azure.com/', auth: Record<string, string> = {}): AzureRmEndpoint {
  return { id: 'a1b2c3d4-0000-0000-0000-000000000001', url, scheme, auth: { serviceprincipalid: 'client-1', serviceprincipalkey: 'key-value-1', tenantid: TENANT, ...auth }, data };
}

describe('createArmAuth: endpoint mapping (no network)', () => {
  it('AzureCloud: ARM URL from the endpoint, default authority, scope from the URL', async () => {
    const a = await createArmAuth(ep('ServicePrincipal', { environment: 'AzureCloud', subscriptionId: 'sub-1' }), {}, new SecretSet());
    assert.equal(a.armUrl, 'https://management.azure.com');
    assert.equal(a.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(a.scope, 'https://management.azure.com/.default');
    assert.equal(a.environment, 'AzureCloud');
    assert.equal(a.subscriptionId, 'sub-1');
    assert.equal(a.tenantId, TENANT);
  });

  it('AzureUSGovernment maps to login.microsoftonline.us and the endpoint URL', async () => {
    const a = await createArmAuth(ep('ServicePrincipal', { environment: 'AzureUSGovernment' }, 'https://management.usgovcloudapi.net/'), {}, new SecretSet());
    assert.equal(a.authorityHost, 'https://login.microsoftonline.us');
    assert.equal(a.armUrl, 'https://management.usgovcloudapi.net');
    assert.equal(a.scope, 'https://management.usgovcloudapi.net/.default');
    assert.equal(a.environment, 'AzureUSGovernment');
  });

  it('AzureChinaCloud maps to login.chinacloudapi.cn; environment names are case-insensitive', async () => {
    const a = await createArmAuth(ep('serviceprincipal', { environment: 'azurechinacloud' }, 'https://management.chinacloudapi.cn/'), {}, new SecretSet());
    assert.equal(a.authorityHost, 'https://login.chinacloudapi.cn');
    assert.equal(a.environment, 'AzureChinaCloud');
    assert.equal(a.scheme, 'ServicePrincipal');
  });

  it('activeDirectoryAuthority wins over environmentAuthorityUrl and the default', async () => {
    const a = await createArmAuth(ep('ServicePrincipal', { environment: 'AzureCloud', activeDirectoryAuthority: 'https://login.example.test/', environmentAuthorityUrl: 'https://other.test/' }), {}, new SecretSet());
    assert.equal(a.authorityHost, 'https://login.example.test');
    const b = await createArmAuth(ep('ServicePrincipal', { environment: 'AzureCloud', environmentAuthorityUrl: 'https://other.test/' }), {}, new SecretSet());
    assert.equal(b.authorityHost, 'https://other.test');
  });

  it('instance discovery stays on only for authority hosts MSAL knows', () => {
    assert.ok(isPublicAuthorityHost('https://login.microsoftonline.com'));
    assert.ok(isPublicAuthorityHost('https://login.microsoftonline.us/'));
    assert.ok(isPublicAuthorityHost('https://login.chinacloudapi.cn'));
    assert.ok(!isPublicAuthorityHost('https://127.0.0.1:4443'));
    assert.ok(!isPublicAuthorityHost('https://adfs.local.azurestack.external/adfs'));
  });

  it('AzureMLWorkspace scope supplies subscription, resource group and workspace', async () => {
    const a = await createArmAuth(
      ep('WorkloadIdentityFederation', { environment: 'AzureCloud', scopeLevel: 'AzureMLWorkspace', subscriptionId: 'sub-2', resourceGroupName: 'rg-ml', mlWorkspaceName: 'ws-ml', mlWorkspaceLocation: 'westeurope' }),
      {},
      new SecretSet(),
    );
    assert.equal(a.subscriptionId, 'sub-2');
    assert.equal(a.resourceGroup, 'rg-ml');
    assert.equal(a.workspace, 'ws-ml');
    assert.equal(a.scheme, 'WorkloadIdentityFederation');
  });

  it('a resource-group scoped connection supplies the resource group', async () => {
    const a = await createArmAuth(ep('ServicePrincipal', { subscriptionId: 'sub-3' }, undefined, { scope: '/subscriptions/sub-3/resourcegroups/rg-scoped' }), {}, new SecretSet());
    assert.equal(a.resourceGroup, 'rg-scoped');
    assert.equal(a.workspace, undefined);
  });

  it('PublishProfile is refused, naming the scheme and what is supported', async () => {
    await assert.rejects(createArmAuth(ep('PublishProfile', {}), {}, new SecretSet()), (e: Error) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /'PublishProfile'/);
      assert.match(e.message, /ServicePrincipal \(secret or certificate\), ManagedServiceIdentity and WorkloadIdentityFederation/);
      return true;
    });
  });

  it('an unknown scheme is refused', async () => {
    await assert.rejects(createArmAuth(ep('UsernamePassword', {}), {}, new SecretSet()), /'UsernamePassword', which these tasks do not support/);
  });

  it('a certificate connection without a private key is refused', async () => {
    await assert.rejects(
      createArmAuth(ep('ServicePrincipal', {}, undefined, { authenticationtype: 'spnCertificate', serviceprincipalcertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }), {}, new SecretSet()),
      /does not hold both a CERTIFICATE and a PRIVATE KEY/,
    );
  });

  it('registers every secret at once, including the job token and the proxy password', async () => {
    const secrets = new SecretSet();
    await createArmAuth(ep('ServicePrincipal', {}), { accessToken: 'job-token-abc' }, secrets, { proxy: { url: 'http://proxy.test:8888', username: 'u', password: 'proxy-pass', bypass: [] } });
    assert.ok(secrets.has('key-value-1'));
    assert.ok(secrets.has('job-token-abc'));
    assert.ok(secrets.has('proxy-pass'));
  });

  it('the OIDC request URL: System.OidcRequestUri, else built from the job', () => {
    assert.equal(oidcRequestUrl({ oidcRequestUri: 'https://dev.azure.com/o/p/_apis/x' }), 'https://dev.azure.com/o/p/_apis/x');
    assert.equal(
      oidcRequestUrl({ collectionUri: 'https://dev.azure.com/o', projectId: 'p', hostType: 'build', planId: 'pl', jobId: 'j' }),
      'https://dev.azure.com/o/p/_apis/distributedtask/hubs/build/plans/pl/jobs/j/oidctoken',
    );
    assert.equal(oidcRequestUrl({}), undefined);
  });

  it('error summaries drop trace ids and troubleshooting links', () => {
    assert.equal(
      summariseAuthError(new Error('ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2\nmore')),
      'ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.',
    );
  });
});
