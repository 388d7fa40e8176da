import * as assert from 'node:assert/strict';
import { constants, createPrivateKey, createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { WebApi, getBearerHandler } from 'azure-devops-node-api';
import { startSandbox, type SandboxImpl } from '../../../sandbox';
import { decodeJwt } from '../../../sandbox/jwt';
import { createCertificateAuthority, issueClientCertificate, type CertificateAuthority, type KeyPair } from '../../../sandbox/tls';
import { call } from './support';

function assertion(kp: KeyPair, clientId: string, aud: string, alg: 'RS256' | 'PS256', thumb: 'x5t' | 'x5t#S256', expOffset = 600): string {
  const raw = new X509Certificate(kp.certPem).raw;
  const header = { alg, typ: 'JWT', [thumb]: createHash(thumb === 'x5t' ? 'sha1' : 'sha256').update(raw).digest('base64url') };
  const now = Math.floor(Date.now() / 1000);
  const payload = { aud, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, exp: now + expOffset };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const key = createPrivateKey(kp.keyPem);
  const sig = alg === 'RS256' ? sign('sha256', Buffer.from(input), key) : sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${sig.toString('base64url')}`;
}

describe('sandbox identity endpoints', function () {
  let sb: SandboxImpl;
  let tenant: string;
  let ca: CertificateAuthority;
  let tokenUrl: string;

  before(async () => {
    sb = await startSandbox();
    tenant = sb.defaultTenantId;
    ca = createCertificateAuthority('identity tests');
    tokenUrl = `${sb.url}${tenant}/oauth2/v2.0/token`;
  });
  after(async () => {
    ca.dispose();
    await sb.stop();
  });

  const form = (extra: Record<string, string>) => ({ grant_type: 'client_credentials', scope: `${sb.url}.default`, ...extra });

  it('serves the OpenID configuration MSAL reads for an authority at the sandbox URL', async () => {
    const r = await call('GET', `${sb.url}${tenant}/v2.0/.well-known/openid-configuration`, { ca: sb.caPem });
    assert.equal(r.status, 200);
    assert.equal(r.json.token_endpoint, tokenUrl);
    assert.equal(r.json.issuer, `${sb.url}${tenant}/v2.0`);
    assert.ok(r.json.authorization_endpoint && r.json.jwks_uri);
  });

  it('client_credentials with a client secret; a wrong secret is an AADSTS-like 401', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId: tenant, clientId, secret: 'the-secret' });
    const ok = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_secret: 'the-secret' }) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.token_type, 'Bearer');
    const claims = decodeJwt(ok.json.access_token)!.payload;
    assert.equal(claims.appid, clientId);
    assert.equal(claims.aud, sb.url.replace(/\/$/, ''));
    const bad = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_secret: 'nope' }) });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.error, 'invalid_client');
    assert.deepEqual(bad.json.error_codes, [7000215]);
    assert.match(bad.json.error_description, /^AADSTS7000215: Invalid client secret provided/);
  });

  it('accepts the double-slash scope form (https://host//.default) and refuses other resources', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId: tenant, clientId, secret: 's' });
    const dbl = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_secret: 's', scope: `${sb.url}/.default` }) });
    assert.equal(dbl.status, 200, dbl.text);
    const graph = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_secret: 's', scope: 'https://graph.microsoft.com/.default' }) });
    assert.equal(graph.status, 400);
    assert.deepEqual(graph.json.error_codes, [500011]);
    const noDefault = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_secret: 's', scope: sb.url }) });
    assert.equal(noDefault.status, 400);
  });

  it('unknown tenant and unknown application are AADSTS errors', async () => {
    const t = await call('POST', `${sb.url}${randomUUID()}/oauth2/v2.0/token`, { ca: sb.caPem, form: form({ client_id: 'x', client_secret: 'y' }) });
    assert.deepEqual(t.json.error_codes, [90002]);
    const c = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: randomUUID(), client_secret: 'y' }) });
    assert.deepEqual(c.json.error_codes, [700016]);
  });

  for (const [alg, thumb] of [
    ['RS256', 'x5t'],
    ['PS256', 'x5t#S256'],
  ] as const) {
    it(`client_assertion signed by a registered certificate (${alg}, ${thumb})`, async () => {
      const clientId = randomUUID();
      const kp = issueClientCertificate(ca, `cert-${alg}`);
      sb.addServicePrincipal({ tenantId: tenant, clientId, certificatePem: kp.certPem });
      const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      const ok = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: assertion(kp, clientId, tokenUrl, alg, thumb) }) });
      assert.equal(ok.status, 200, ok.text);
      // another certificate's key, the wrong audience, an expired assertion
      const other = issueClientCertificate(ca, 'other');
      const forged = assertion({ ...other, certPem: kp.certPem }, clientId, tokenUrl, alg, thumb);
      assert.deepEqual((await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: forged }) })).json.error_codes, [700027]);
      const wrongAud = assertion(kp, clientId, 'https://login.microsoftonline.com/x/oauth2/v2.0/token', alg, thumb);
      assert.equal((await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: wrongAud }) })).status, 401);
      const expired = assertion(kp, clientId, tokenUrl, alg, thumb, -3600);
      assert.deepEqual((await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: expired }) })).json.error_codes, [700024]);
      const unregistered = assertion(other, clientId, tokenUrl, alg, thumb);
      assert.equal((await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: unregistered }) })).status, 401);
    });
  }

  it('federated client_assertion: the OIDC token from the DevOps API (raw System.OidcRequestUri form)', async () => {
    const clientId = randomUUID();
    const scId = randomUUID();
    const sc = sb.addServiceConnection({ id: scId, name: 'arm-wif' });
    assert.equal(sc.subject, 'sc://org/project/arm-wif');
    sb.addServicePrincipal({ tenantId: tenant, clientId, federatedSubject: sc.subject });
    const noAuth = await call('POST', `${sb.oidcRequestUri}?api-version=7.1&serviceConnectionId=${scId}`, { ca: sb.caPem });
    assert.equal(noAuth.status, 401);
    const r = await call('POST', `${sb.oidcRequestUri}?api-version=7.1&serviceConnectionId=${scId}`, {
      ca: sb.caPem,
      headers: { authorization: `Bearer ${sb.jobAccessToken}`, 'x-tfs-fedauthredirect': 'Suppress' },
    });
    assert.equal(r.status, 200, r.text);
    const claims = decodeJwt(r.json.oidcToken)!.payload;
    assert.equal(claims.sub, 'sc://org/project/arm-wif');
    assert.equal(claims.aud, 'api://AzureADTokenExchange');
    assert.equal(claims.iss, sb.oidcIssuer);
    const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const ok = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: clientId, client_assertion_type: jwtBearer, client_assertion: r.json.oidcToken }) });
    assert.equal(ok.status, 200, ok.text);
    // a principal federated with another subject is refused
    const otherClient = randomUUID();
    sb.addServicePrincipal({ tenantId: tenant, clientId: otherClient, federatedSubject: 'sc://org/project/else' });
    const no = await call('POST', tokenUrl, { ca: sb.caPem, form: form({ client_id: otherClient, client_assertion_type: jwtBearer, client_assertion: r.json.oidcToken }) });
    assert.deepEqual(no.json.error_codes, [700213]);
    const unknownSc = await call('POST', `${sb.oidcRequestUri}?api-version=7.1&serviceConnectionId=${randomUUID()}`, { ca: sb.caPem, headers: { authorization: `Bearer ${sb.jobAccessToken}` } });
    assert.equal(unknownSc.status, 400);
  });

  it('the DevOps OIDC API works through azure-devops-node-api createOidcToken (OPTIONS location lookup)', async () => {
    const scId = randomUUID();
    sb.addServiceConnection({ id: scId, name: 'node-api-conn' });
    sb.resetRequests();
    const conn = new WebApi(sb.collectionUrl, getBearerHandler(sb.jobAccessToken), { keepAlive: false, cert: { caFile: sb.caFile } });
    const api = await conn.getTaskApi();
    const r = await api.createOidcToken({}, sb.projectId, sb.hostType, sb.planId, sb.jobId, scId);
    assert.ok(r.oidcToken);
    assert.equal(decodeJwt(r.oidcToken)!.payload.sub, 'sc://org/project/node-api-conn');
    const seen = sb.requests.filter((q) => q.service === 'devops').map((q) => q.method);
    assert.deepEqual(seen, ['OPTIONS', 'POST']);
  });

  it('IMDS: Metadata header required; system and user-assigned identities; unknown identity', async () => {
    const sys = sb.addManagedIdentity({ system: true });
    const user = sb.addManagedIdentity({ clientId: randomUUID() });
    const base = `${sb.imdsUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(sb.url)}`;
    assert.equal((await call('GET', base)).status, 400);
    const s = await call('GET', base, { headers: { Metadata: 'true' } });
    assert.equal(s.status, 200, s.text);
    assert.equal(decodeJwt(s.json.access_token)!.payload.appid, sys.clientId);
    assert.equal(typeof s.json.expires_on, 'string');
    const u = await call('GET', `${base}&client_id=${user.clientId}`, { headers: { Metadata: 'true' } });
    assert.equal(decodeJwt(u.json.access_token)!.payload.appid, user.clientId);
    const none = await call('GET', `${base}&client_id=${randomUUID()}`, { headers: { Metadata: 'true' } });
    assert.equal(none.status, 400);
    assert.equal(none.json.error_description, 'Identity not found');
  });

  it('Azure Stack metadata endpoints point at the sandbox', async () => {
    const r = await call('GET', `${sb.url}metadata/endpoints?api-version=2015-01-01`, { ca: sb.caPem });
    assert.equal(r.status, 200);
    assert.equal(r.json.authentication.loginEndpoint, sb.url);
    assert.deepEqual(r.json.authentication.audiences, [sb.stackAudience]);
  });
});
