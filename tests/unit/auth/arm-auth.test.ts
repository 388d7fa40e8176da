import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createArmAuth, type AzureRmEndpoint, type JobContext } from '../../../src/auth';
import { isUserError } from '../../../src/core/errors';
import { SecretSet } from '../../../src/core/secrets';
import { startSandbox, type SandboxImpl } from '../../../sandbox';
import { issueClientCertificate, createCertificateAuthority, type CertificateAuthority } from '../../../sandbox/tls';
import { httpsGet, NetworkGuard } from './support';

const SUB = '11111111-2222-3333-4444-555555555555';
const ws = { subscriptionId: SUB, resourceGroup: 'rg-auth', workspace: 'ws-auth' };

describe('createArmAuth against the sandbox', function () {
  let sb: SandboxImpl;
  let tenantId: string;
  let certCa: CertificateAuthority;
  const guard = new NetworkGuard();
  const savedImds = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;

  before(async () => {
    guard.install();
    sb = await startSandbox();
    tenantId = sb.defaultTenantId;
    sb.addWorkspace(ws);
    certCa = createCertificateAuthority('test client certs');
    // msal-node reads this when it first needs a managed identity token (see src/auth/index.ts)
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = sb.imdsUrl;
  });

  after(async () => {
    guard.uninstall();
    if (savedImds === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = savedImds;
    certCa.dispose();
    await sb.stop();
    assert.deepEqual(guard.nonLoopback(), [], 'every connection went to loopback');
  });

  function endpoint(scheme: string, auth: Record<string, string>, data: Record<string, string> = {}): AzureRmEndpoint {
    return { id: randomUUID(), url: sb.url, scheme, auth, data: { environment: 'AzureCloud', subscriptionid: SUB, activedirectoryauthority: sb.url, ...data } };
  }

  async function tokenAndGet(ep: AzureRmEndpoint, job: JobContext = {}, secrets = new SecretSet()): Promise<{ principal?: string; secrets: SecretSet }> {
    const auth = await createArmAuth(ep, job, secrets, { tlsCaPem: sb.caPem });
    assert.equal(auth.armUrl, sb.url.replace(/\/$/, ''));
    assert.equal(auth.scope, `${auth.armUrl}/.default`);
    const token = await auth.credential.getToken(auth.scope);
    assert.ok(token?.token);
    sb.resetRequests();
    const res = await httpsGet(`${auth.armUrl}/subscriptions/${SUB}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}?api-version=2025-06-01`, sb.caPem, {
      authorization: `Bearer ${token.token}`,
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).name, ws.workspace);
    return { principal: sb.requests.find((r) => r.service === 'arm')?.principal, secrets };
  }

  it('ServicePrincipal with a secret (spnKey)', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId, clientId, secret: 'sandbox-secret-value-1' });
    sb.resetRequests();
    const ep = endpoint('ServicePrincipal', { serviceprincipalid: clientId, serviceprincipalkey: 'sandbox-secret-value-1', tenantid: tenantId, authenticationtype: 'spnKey' });
    const secrets = new SecretSet();
    const auth = await createArmAuth(ep, {}, secrets, { tlsCaPem: sb.caPem });
    assert.ok(secrets.has('sandbox-secret-value-1'), 'the key is registered before use');
    assert.equal(auth.scheme, 'ServicePrincipal');
    assert.equal(auth.subscriptionId, SUB);
    const { principal } = await tokenAndGet(ep);
    assert.equal(principal, clientId);
  });

  it('MSAL discovery and the token request went to the sandbox authority', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId, clientId, secret: 's3cret-discovery' });
    sb.resetRequests();
    const auth = await createArmAuth(endpoint('ServicePrincipal', { serviceprincipalid: clientId, serviceprincipalkey: 's3cret-discovery', tenantid: tenantId }), {}, new SecretSet(), { tlsCaPem: sb.caPem });
    await auth.credential.getToken(auth.scope);
    const paths = sb.requests.filter((r) => r.service === 'entra').map((r) => `${r.method} ${r.path}`);
    assert.ok(paths.includes(`GET /${tenantId}/v2.0/.well-known/openid-configuration`), paths.join('\n'));
    assert.ok(paths.includes(`POST /${tenantId}/oauth2/v2.0/token`), paths.join('\n'));
    const tokenReq = sb.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'))!;
    assert.equal((tokenReq.body as Record<string, string>).client_secret, '***', 'the sandbox does not keep secrets in its request log');
    assert.equal((tokenReq.body as Record<string, string>).scope, `${sb.url.replace(/\/$/, '')}/.default`);
  });

  it('ServicePrincipal with a certificate (spnCertificate)', async () => {
    const clientId = randomUUID();
    const cert = issueClientCertificate(certCa, 'spn-cert');
    sb.addServicePrincipal({ tenantId, clientId, certificatePem: cert.certPem });
    const ep = endpoint('ServicePrincipal', { serviceprincipalid: clientId, servicePrincipalCertificate: cert.combinedPem, tenantid: tenantId, authenticationType: 'spnCertificate' });
    const secrets = new SecretSet();
    const { principal } = await tokenAndGet(ep, {}, secrets);
    assert.equal(principal, clientId);
    assert.ok(secrets.has(cert.combinedPem));
    assert.ok(secrets.has(cert.keyPem.trim()));
  });

  it('ManagedServiceIdentity, system-assigned', async () => {
    const mi = sb.addManagedIdentity({ system: true });
    const { principal } = await tokenAndGet(endpoint('ManagedServiceIdentity', { tenantid: tenantId }));
    assert.equal(principal, mi.clientId);
    assert.ok(sb.requests.length > 0);
  });

  it('ManagedServiceIdentity, user-assigned (data msiclientid)', async () => {
    const clientId = randomUUID();
    sb.addManagedIdentity({ clientId });
    sb.resetRequests();
    const { principal } = await tokenAndGet(endpoint('ManagedServiceIdentity', { tenantid: tenantId }, { msiclientid: clientId }));
    assert.equal(principal, clientId);
  });

  it('WorkloadIdentityFederation through System.OidcRequestUri', async () => {
    const clientId = randomUUID();
    const ep = endpoint('WorkloadIdentityFederation', { serviceprincipalid: clientId, tenantid: tenantId });
    const sc = sb.addServiceConnection({ id: ep.id, name: 'my-arm-connection' });
    sb.addServicePrincipal({ tenantId, clientId, federatedSubject: sc.subject });
    const secrets = new SecretSet();
    const job: JobContext = { oidcRequestUri: sb.oidcRequestUri, accessToken: sb.jobAccessToken };
    const { principal } = await tokenAndGet(ep, job, secrets);
    assert.equal(principal, clientId);
    assert.ok(secrets.has(sb.jobAccessToken));
    assert.ok(secrets.all().some((s) => s.split('.').length === 3 && s !== sb.jobAccessToken), 'the OIDC token is registered');
  });

  it('WorkloadIdentityFederation: OIDC URL built from the collection, project, plan and job', async () => {
    const clientId = randomUUID();
    const ep = endpoint('WorkloadIdentityFederation', { serviceprincipalid: clientId, tenantid: tenantId });
    const sc = sb.addServiceConnection({ id: ep.id, name: 'built-url' });
    sb.addServicePrincipal({ tenantId, clientId, federatedSubject: sc.subject });
    const job: JobContext = { accessToken: sb.jobAccessToken, collectionUri: sb.collectionUrl, projectId: sb.projectId, hostType: 'build', planId: sb.planId, jobId: sb.jobId };
    const { principal } = await tokenAndGet(ep, job);
    assert.equal(principal, clientId);
  });

  it('WorkloadIdentityFederation: a subject that does not match is a clear error', async () => {
    const clientId = randomUUID();
    const ep = endpoint('WorkloadIdentityFederation', { serviceprincipalid: clientId, tenantid: tenantId });
    sb.addServiceConnection({ id: ep.id, name: 'renamed' });
    sb.addServicePrincipal({ tenantId, clientId, federatedSubject: sb.federatedSubject('old-name') });
    const auth = await createArmAuth(ep, { oidcRequestUri: sb.oidcRequestUri, accessToken: sb.jobAccessToken }, new SecretSet(), { tlsCaPem: sb.caPem });
    await assert.rejects(auth.credential.getToken(auth.scope), (e: Error) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /AADSTS700213/);
      assert.match(e.message, /sc:\/\/org\/project\/renamed/);
      assert.ok(!e.message.includes(sb.jobAccessToken));
      return true;
    });
  });

  it('WorkloadIdentityFederation: a refused job token is a clear error without the token', async () => {
    const clientId = randomUUID();
    const ep = endpoint('WorkloadIdentityFederation', { serviceprincipalid: clientId, tenantid: tenantId });
    sb.addServiceConnection({ id: ep.id, name: 'refused' });
    sb.addServicePrincipal({ tenantId, clientId, federatedSubject: sb.federatedSubject('refused') });
    const auth = await createArmAuth(ep, { oidcRequestUri: sb.oidcRequestUri, accessToken: 'not-the-job-token-1234567890' }, new SecretSet(), { tlsCaPem: sb.caPem });
    await assert.rejects(auth.credential.getToken(auth.scope), (e: Error) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /HTTP 401/);
      assert.ok(!e.message.includes('not-the-job-token-1234567890'));
      return true;
    });
  });

  it('a wrong secret is a clear error', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId, clientId, secret: 'right-secret' });
    const auth = await createArmAuth(endpoint('ServicePrincipal', { serviceprincipalid: clientId, serviceprincipalkey: 'wrong-secret', tenantid: tenantId }), {}, new SecretSet(), {
      tlsCaPem: sb.caPem,
    });
    await assert.rejects(auth.credential.getToken(auth.scope), (e: Error) => {
      assert.ok(isUserError(e), String(e));
      assert.match(e.message, /^Sign-in failed for the Azure Resource Manager service connection /);
      assert.match(e.message, /AADSTS7000215: Invalid client secret provided/);
      assert.match(e.message, new RegExp(`tenant ${tenantId}`));
      assert.ok(!e.message.includes('wrong-secret'));
      assert.ok(!/Trace ID/.test(e.message));
      return true;
    });
  });

  it('an unknown service principal is a clear error', async () => {
    const auth = await createArmAuth(endpoint('ServicePrincipal', { serviceprincipalid: randomUUID(), serviceprincipalkey: 'x-secret', tenantid: tenantId }), {}, new SecretSet(), { tlsCaPem: sb.caPem });
    await assert.rejects(auth.credential.getToken(auth.scope), /AADSTS700016/);
  });

  it('Azure Stack: authority and audience discovered from /metadata/endpoints', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId, clientId, secret: 'stack-secret' });
    sb.resetRequests();
    const ep: AzureRmEndpoint = {
      id: randomUUID(),
      url: sb.url,
      scheme: 'ServicePrincipal',
      auth: { serviceprincipalid: clientId, serviceprincipalkey: 'stack-secret', tenantid: tenantId },
      data: { environment: 'AzureStack', subscriptionid: SUB },
    };
    const auth = await createArmAuth(ep, {}, new SecretSet(), { tlsCaPem: sb.caPem });
    assert.ok(sb.requests.some((r) => r.service === 'stack' && r.query['api-version'] === '2015-01-01'), 'metadata/endpoints was read');
    assert.equal(auth.environment, 'AzureStack');
    assert.equal(auth.authorityHost, sb.authorityHost);
    assert.equal(auth.audience, sb.stackAudience);
    assert.equal(auth.scope, `${sb.stackAudience}/.default`);
    const token = await auth.credential.getToken(auth.scope);
    assert.ok(token);
    const res = await httpsGet(`${auth.armUrl}/subscriptions/${SUB}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}?api-version=2025-06-01`, sb.caPem, {
      authorization: `Bearer ${token.token}`,
    });
    assert.equal(res.status, 200);
  });

  it('Azure Stack: no discovery when the connection carries authority and audience', async () => {
    sb.resetRequests();
    const auth = await createArmAuth(
      { id: randomUUID(), url: sb.url, scheme: 'ServicePrincipal', auth: { serviceprincipalid: 'c', serviceprincipalkey: 'k-123', tenantid: tenantId }, data: { environment: 'AzureStack', activeDirectoryAuthority: sb.url, activeDirectoryServiceEndpointResourceId: sb.stackAudience } },
      {},
      new SecretSet(),
    );
    assert.equal(auth.audience, sb.stackAudience);
    assert.equal(sb.requests.length, 0);
  });
});
