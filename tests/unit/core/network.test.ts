import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, rootCertificates } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createHttpHeaders, createPipelineRequest, proxyPolicy, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { HttpsProxyAgent } from 'https-proxy-agent';
import { defaultContext, isBypassed, networkPolicy, proxyOptionsFor, requestWritten, trustedCertificates, trustingContext, type ProxySettings } from '../../../src/core/network';
import { WarmingAgent } from '../../../src/core/warm-agent';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority } from '../../../sandbox/tls';

const EXTRA = '-----BEGIN CERTIFICATE-----\nEXTRA\n-----END CERTIFICATE-----\n';
const SPECIAL = 'p@ss:w/rd% é';

/** Runs one request through the policy; returns what reached the HTTP client. */
async function through(policy: ReturnType<typeof networkPolicy>, url: string): Promise<PipelineRequest> {
  const request = createPipelineRequest({ url });
  request.tlsSettings = { ca: 'from an earlier tlsPolicy' };
  let seen: PipelineRequest | undefined;
  await policy.sendRequest(request, async (r) => {
    seen = r;
    return { request: r, status: 200, headers: createHttpHeaders() } as PipelineResponse;
  });
  return seen!;
}

/** The proxy URL the library's agent will use, credentials decoded as https-proxy-agent sends them. */
function proxyOf(request: PipelineRequest): { href: string; username: string; password: string } | undefined {
  const proxy = (request.agent as HttpsProxyAgent<string> | undefined)?.proxy;
  if (!proxy) return undefined;
  return { href: `${proxy.protocol}//${proxy.host}`, username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) };
}

describe('core/network', () => {
  describe('isBypassed', () => {
    it('entries are regular expressions matched case-insensitively against the whole URL', () => {
      assert.equal(isBypassed('https://Login.MicrosoftOnline.com/t/oauth2', ['login\\.microsoftonline\\.com']), true);
      assert.equal(isBypassed('https://management.azure.com/subscriptions', ['^https://management\\.']), true);
      assert.equal(isBypassed('https://management.azure.com/x', ['^management\\.azure\\.com$']), false);
      assert.equal(isBypassed('https://example.com/path/internal', ['/internal$']), true);
      assert.equal(isBypassed('https://example.com/', ['contoso']), false);
    });

    it('an entry that is not a valid regular expression matches its host exactly, case-insensitively', () => {
      assert.equal(isBypassed('https://A(b.test/x', ['a(B.test']), true);
      assert.equal(isBypassed('https://*.test/x', ['*.test']), true);
      assert.equal(isBypassed('https://a.test/x', ['*.test']), false);
      assert.equal(isBypassed('https://xa(b.test/x', ['a(b.test']), false);
      assert.equal(isBypassed('https://a.test/x', ['*.test', 'A\\.TEST']), true);
    });

    it('blank entries and no list never match', () => {
      assert.equal(isBypassed('https://a.test/x', ['  ', '']), false);
      assert.equal(isBypassed('https://a.test/x', undefined), false);
    });
  });

  describe('trustedCertificates', () => {
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    afterEach(() => {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    });

    it("keeps Node's roots and adds the extra PEM last", () => {
      delete process.env.NODE_EXTRA_CA_CERTS;
      assert.deepEqual(trustedCertificates(EXTRA), [...rootCertificates, EXTRA]);
    });

    it('includes the NODE_EXTRA_CA_CERTS file, and skips it when unreadable', () => {
      const dir = mkdtempSync(join(tmpdir(), 'network-test-'));
      try {
        const file = join(dir, 'extra.pem');
        writeFileSync(file, 'FROM-ENV-FILE');
        process.env.NODE_EXTRA_CA_CERTS = file;
        assert.deepEqual(trustedCertificates(EXTRA), [...rootCertificates, 'FROM-ENV-FILE', EXTRA]);
        process.env.NODE_EXTRA_CA_CERTS = join(dir, 'missing.pem');
        assert.deepEqual(trustedCertificates(EXTRA), [...rootCertificates, EXTRA]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('proxyOptionsFor (@azure/identity proxyOptions)', () => {
    const proxy: ProxySettings = { url: 'http://proxy.test:8888', username: 'agent', password: SPECIAL, bypass: ['login\\.microsoftonline\\.com'] };

    it('host, port and percent-encoded credentials, which the library hands to its proxy agent intact', async () => {
      const options = proxyOptionsFor('https://management.azure.com/', proxy);
      assert.deepEqual(options, { host: 'http://proxy.test', port: 8888, username: 'agent', password: encodeURIComponent(SPECIAL) });
      const request = await through(proxyPolicy(options, { customNoProxyList: [] }) as ReturnType<typeof networkPolicy>, 'https://management.azure.com/');
      assert.deepEqual(proxyOf(request), { href: 'http://proxy.test:8888', username: 'agent', password: SPECIAL });
    });

    it('credentials in the proxy URL are taken as they are (already percent-encoded); default ports', () => {
      assert.deepEqual(proxyOptionsFor('https://x.test/', { url: 'http://agent:p%40ss%25@proxy.test' }), {
        host: 'http://proxy.test',
        port: 80,
        username: 'agent',
        password: 'p%40ss%25',
      });
      assert.deepEqual(proxyOptionsFor('https://x.test/', { url: 'https://proxy.test' }), { host: 'https://proxy.test', port: 443, username: undefined, password: undefined });
    });

    it('undefined without a proxy, or when the target is bypassed', () => {
      assert.equal(proxyOptionsFor('https://login.microsoftonline.com/t', proxy), undefined);
      assert.equal(proxyOptionsFor('https://x.test/', undefined), undefined);
      assert.equal(proxyOptionsFor('https://x.test/', { url: '' }), undefined);
    });
  });

  describe('networkPolicy', () => {
    const proxy: ProxySettings = { url: 'http://proxy.test:8888', username: 'agent', password: SPECIAL, bypass: ['direct\\.test'] };
    let authority: CertificateAuthority;
    before(() => {
      authority = createCertificateAuthority('network.test CA');
    });
    after(() => authority.dispose());

    it('through the proxy: its agent with the decoded credentials, and the CA (one TLS context) in the request options', async () => {
      const request = await through(networkPolicy({ proxy, tlsCaPem: authority.certPem }), 'https://arm.test/x');
      assert.deepEqual(proxyOf(request), { href: 'http://proxy.test:8888', username: 'agent', password: SPECIAL });
      assert.equal(request.tlsSettings, undefined);
      assert.equal(request.requestOverrides?.secureContext, trustingContext(authority.certPem));
      assert.equal(request.requestOverrides?.ca, undefined, 'no per-connection list of every root');
    });

    it('a bypassed URL goes direct, still trusting the CA', async () => {
      const request = await through(networkPolicy({ proxy, tlsCaPem: authority.certPem }), 'https://Direct.test/x');
      assert.equal(request.agent, undefined);
      assert.equal(request.requestOverrides?.secureContext, trustingContext(authority.certPem));
    });

    it('every pipeline of the process shares the one context per CA', async () => {
      const a = await through(networkPolicy({ tlsCaPem: authority.certPem }), 'https://a.test/x');
      const b = await through(networkPolicy({ tlsCaPem: authority.certPem }), 'https://b.test/x');
      assert.ok(a.requestOverrides?.secureContext);
      assert.equal(a.requestOverrides?.secureContext, b.requestOverrides?.secureContext);
    });

    it("the context trusts a server the extra CA issued, which Node's roots alone do not", async () => {
      const server = issueServerCertificate(authority);
      const tlsServer = createServer({ cert: server.certPem, key: server.keyPem }, (s) => s.end('ok'));
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      const port = (tlsServer.address() as AddressInfo).port;
      const hello = (options: object) =>
        new Promise<string>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
            socket.end();
            resolve('trusted');
          });
          socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        });
      try {
        assert.equal(await hello({ secureContext: trustingContext(authority.certPem) }), 'trusted');
        assert.equal(await hello({ ca: rootCertificates }), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'without the extra CA the server is not trusted');
      } finally {
        tlsServer.close();
      }
    });

    it("without a CA or a library's TLS settings: Node's own trust, as one context for the process", async () => {
      const bare = async () => {
        const request = createPipelineRequest({ url: 'https://arm.test/x' });
        let seen: PipelineRequest | undefined;
        await networkPolicy({}).sendRequest(request, async (r) => {
          seen = r;
          return { request: r, status: 200, headers: createHttpHeaders() } as PipelineResponse;
        });
        return seen!;
      };
      const [a, b] = [await bare(), await bare()];
      assert.equal(a.requestOverrides?.secureContext, defaultContext());
      assert.equal(b.requestOverrides?.secureContext, a.requestOverrides?.secureContext);
      assert.equal(a.requestOverrides?.ca, undefined);
    });

    it("with an agent of the caller's: a direct request uses it; through the proxy, the proxy's; a library's TLS settings, the library's", async () => {
      const agent = new WarmingAgent();
      try {
        const direct = await through(networkPolicy({ tlsCaPem: authority.certPem }, agent), 'https://arm.test/x');
        assert.equal(direct.agent, agent, 'the extra CA replaced the TLS settings, so the agent applies');
        const bypassed = await through(networkPolicy({ proxy, tlsCaPem: authority.certPem }, agent), 'https://direct.test/x');
        assert.equal(bypassed.agent, agent);
        const proxied = await through(networkPolicy({ proxy, tlsCaPem: authority.certPem }, agent), 'https://arm.test/x');
        assert.notEqual(proxied.agent, agent);
        assert.equal(proxyOf(proxied)?.username, 'agent');
        const ownTls = await through(networkPolicy({}, agent), 'https://arm.test/x');
        assert.equal(ownTls.agent, undefined, 'a request with TLS settings of its own keeps the client choosing its agent by them');
      } finally {
        agent.destroy();
      }
    });

    it('without a CA the TLS settings are left alone; without either, nothing changes', async () => {
      const proxied = await through(networkPolicy({ proxy }), 'https://arm.test/x');
      assert.equal(proxyOf(proxied)?.username, 'agent');
      assert.equal(proxied.requestOverrides, undefined);
      const plain = await through(networkPolicy({}), 'https://arm.test/x');
      assert.equal(plain.agent, undefined);
      assert.deepEqual(plain.tlsSettings, { ca: 'from an earlier tlsPolicy' });
      assert.equal(plain.requestOverrides, undefined);
    });
  });
});

describe('core/network requestWritten', () => {
  it('settles when the first request to that origin and path has been written out, not before, and not for others', async () => {
    const server = createHttpServer((req, res) => {
      // answer only when the test says so: written out is not answered
      if (req.url === '/other') res.end('ok');
      else setImmediate(() => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      let settled = false;
      const written = requestWritten(origin, '/subscriptions/').then(() => (settled = true));
      const get = (path: string, host = '127.0.0.1') =>
        new Promise<void>((resolve, reject) => {
          const req = httpRequest(`${origin}${path}`, { headers: host === '127.0.0.1' ? {} : { host } }, (res) => res.resume().on('end', resolve));
          req.on('error', reject);
          req.end();
        });
      await get('/other');
      await get('/subscriptions/x', 'management.example');
      assert.equal(settled, false, 'another path, or another host, does not count');
      const answer = get('/subscriptions/s1/resourceGroups/rg');
      await written;
      assert.equal(settled, true);
      await answer;
    } finally {
      server.close();
    }
  });
});
