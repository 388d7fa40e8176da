import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { createArmAuth } from '../../../src/auth';
import { SecretSet } from '../../../src/core/secrets';
import { startSandbox, type SandboxImpl } from '../../../sandbox';

/** A minimal HTTP CONNECT proxy on loopback that records the tunnels it opened and their Proxy-Authorization. */
function startProxy(): Promise<{ port: number; tunnels: { target: string; auth?: string }[]; close: () => void }> {
  const tunnels: { target: string; auth?: string }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('data', (head) => {
      const text = head.toString('latin1');
      const m = /^CONNECT ([^ ]+) HTTP\/1\.[01]\r\n/.exec(text);
      if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      const auth = /\r\nproxy-authorization: ([^\r\n]+)/i.exec(text)?.[1];
      tunnels.push({ target: m[1], auth });
      const [host, port] = m[1].split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, tunnels, close: () => { for (const s of sockets) s.destroy(); server.close(); } });
    }),
  );
}

describe('createArmAuth through the agent proxy', () => {
  let sb: SandboxImpl;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  before(async () => {
    sb = await startSandbox();
    proxy = await startProxy();
  });
  after(async () => {
    proxy.close();
    await sb.stop();
  });

  it('token requests (and the WIF OIDC request) go through the proxy, with its credentials', async () => {
    const clientId = randomUUID();
    const id = randomUUID();
    const sc = sb.addServiceConnection({ id, name: 'via-proxy' });
    sb.addServicePrincipal({ tenantId: sb.defaultTenantId, clientId, federatedSubject: sc.subject });
    const auth = await createArmAuth(
      { id, url: sb.url, scheme: 'WorkloadIdentityFederation', auth: { serviceprincipalid: clientId, tenantid: sb.defaultTenantId }, data: { activedirectoryauthority: sb.url } },
      { oidcRequestUri: sb.oidcRequestUri, accessToken: sb.jobAccessToken },
      new SecretSet(),
      { tlsCaPem: sb.caPem, proxy: { url: `http://127.0.0.1:${proxy.port}`, username: 'agent', password: 'proxy-pw', bypass: [] } },
    );
    const token = await auth.credential.getToken(auth.scope);
    assert.ok(token?.token);
    const target = new URL(sb.url).host;
    assert.ok(proxy.tunnels.length >= 2, JSON.stringify(proxy.tunnels));
    assert.ok(proxy.tunnels.every((t) => t.target === target));
    assert.ok(proxy.tunnels.every((t) => t.auth === `Basic ${Buffer.from('agent:proxy-pw').toString('base64')}`));
  });

  it('a bypass entry matching the authority skips the proxy', async () => {
    const clientId = randomUUID();
    sb.addServicePrincipal({ tenantId: sb.defaultTenantId, clientId, secret: 'bypass-secret' });
    const before = proxy.tunnels.length;
    const auth = await createArmAuth(
      { id: randomUUID(), url: sb.url, scheme: 'ServicePrincipal', auth: { serviceprincipalid: clientId, serviceprincipalkey: 'bypass-secret', tenantid: sb.defaultTenantId }, data: { activedirectoryauthority: sb.url } },
      {},
      new SecretSet(),
      { tlsCaPem: sb.caPem, proxy: { url: `http://127.0.0.1:${proxy.port}`, bypass: ['127\\.0\\.0\\.1'] } },
    );
    await auth.credential.getToken(auth.scope);
    assert.equal(proxy.tunnels.length, before);
  });
});
