import * as assert from 'node:assert/strict';
import { chooseCloud, describeIdentity, noProxyPattern, proxyFromEnv } from '../../../src/cli/signin';
import { isBypassed } from '../../../src/core/network';
import { SecretSet } from '../../../src/core/secrets';
import { withCliMessages } from './support';

describe('cli/signin', () => {
  withCliMessages();

  it('--cloud names a cloud (any case, AzureCloud by default); --arm-endpoint an https ARM of its own; not both', () => {
    assert.deepEqual(chooseCloud(undefined, undefined), { name: 'AzureCloud', armUrl: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' });
    assert.deepEqual(chooseCloud('azureusgovernment', undefined), { name: 'AzureUSGovernment', armUrl: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us' });
    assert.deepEqual(chooseCloud('AzureChinaCloud', undefined), { name: 'AzureChinaCloud', armUrl: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' });
    assert.deepEqual(chooseCloud(undefined, 'https://management.local.azurestack.external/'), { name: 'https://management.local.azurestack.external', armUrl: 'https://management.local.azurestack.external' });
    assert.equal(chooseCloud('AzureGermanCloud', undefined), "--cloud is 'AzureGermanCloud'; use one of AzureCloud, AzureUSGovernment, AzureChinaCloud.");
    assert.equal(chooseCloud(undefined, 'http://arm.local'), "--arm-endpoint is 'http://arm.local'; give the https URL of the Azure Resource Manager endpoint.");
    assert.equal(chooseCloud(undefined, 'not a url'), "--arm-endpoint is 'not a url'; give the https URL of the Azure Resource Manager endpoint.");
    assert.equal(chooseCloud('AzureCloud', 'https://x'), 'Give --cloud or --arm-endpoint, not both.');
  });

  it('the proxy: HTTPS_PROXY (then HTTP_PROXY, either case), its password registered, NO_PROXY hosts and their subdomains bypassed', () => {
    const secrets = new SecretSet();
    const proxy = proxyFromEnv({ HTTPS_PROXY: 'http://user:p%40ss@proxy.corp:3128', NO_PROXY: 'localhost, .internal.example, 10.0.0.1:8443,[::1]' }, secrets);
    assert.deepEqual({ ...proxy, bypass: undefined }, { url: 'http://proxy.corp:3128', username: 'user', password: 'p@ss', bypass: undefined });
    assert.ok(secrets.has('p@ss') && secrets.has('p%40ss'));
    const bypassed = (url: string) => isBypassed(url, proxy?.bypass);
    assert.equal(bypassed('https://localhost:8080/x'), true);
    assert.equal(bypassed('https://internal.example/x'), true);
    assert.equal(bypassed('https://ml.internal.example/x'), true);
    assert.equal(bypassed('https://notinternal.example/x'), false);
    assert.equal(bypassed('https://internal.example.evil.com/x'), false);
    assert.equal(bypassed('https://10.0.0.1:8443/x'), true);
    assert.equal(bypassed('https://10.0.0.1/x'), false, 'the port must match when given');
    assert.equal(bypassed('https://[::1]:443/'), true);
    assert.equal(bypassed('https://management.azure.com/subscriptions'), false);
    assert.equal(bypassed('https://user@localhost.evil.com/'), false);
    assert.equal(proxyFromEnv({ http_proxy: 'proxy:8080' }, secrets)?.url, 'http://proxy:8080');
    assert.equal(proxyFromEnv({ HTTPS_PROXY: 'http://p:1', no_proxy: '*' }, secrets), undefined);
    assert.equal(proxyFromEnv({}, secrets), undefined);
    assert.equal(noProxyPattern('*.corp'), noProxyPattern('.corp'));
  });

  it('says which identity DefaultAzureCredential will use, as far as the environment tells', () => {
    assert.equal(describeIdentity({ AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' }), 'service principal c (secret)');
    assert.equal(describeIdentity({ AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't', AZURE_CLIENT_CERTIFICATE_PATH: '/p' }), 'service principal c (certificate)');
    assert.equal(describeIdentity({ AZURE_CLIENT_ID: 'c', AZURE_FEDERATED_TOKEN_FILE: '/t' }), 'service principal c (workload identity federation)');
    assert.match(describeIdentity({}), /^the identity DefaultAzureCredential finds \(.*az.*AZURE_CLIENT_SECRET\)$/);
  });
});
