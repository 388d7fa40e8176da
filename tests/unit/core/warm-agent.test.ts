import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WarmingAgent } from '../../../src/core/warm-agent';
import { trustingContext } from '../../../src/core/network';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority } from '../../../sandbox/tls';

describe('WarmingAgent', () => {
  let authority: CertificateAuthority;
  let server: Server;
  let url: string;
  /** TLS connections the server accepted, and those that have closed */
  let accepted = 0;
  let closed = 0;
  let agent: WarmingAgent;

  before(async () => {
    authority = createCertificateAuthority('warm-agent.test CA');
    const cert = issueServerCertificate(authority);
    server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => res.end(`ok ${req.url}`));
    server.on('secureConnection', (s: Socket) => {
      accepted++;
      s.unref(); // the server's side holds nothing alive either: what is counted below is the client's
      s.on('close', () => closed++);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.close();
    authority.dispose();
  });
  beforeEach(() => {
    accepted = 0;
    closed = 0;
    agent = new WarmingAgent();
  });
  afterEach(() => agent.destroy());

  const context = () => trustingContext(authority.certPem);
  const fetch = (path: string) =>
    new Promise<string>((resolve, reject) => {
      get(`${url.replace(/\/$/, '')}${path}`, { agent, secureContext: context() } as object, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
  const until = async (test: () => boolean) => {
    for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(test(), 'timed out waiting');
  };

  it('opens connections until that many are open; requests take them instead of opening their own', async () => {
    assert.equal(agent.preconnect(url, 3, context()), 3);
    await until(() => accepted === 3);
    assert.deepEqual(await Promise.all(['/a', '/b', '/c', '/d'].map(fetch)), ['ok /a', 'ok /b', 'ok /c', 'ok /d']);
    assert.equal(agent.taken, 3, 'three requests took a connection opened ahead');
    assert.equal(accepted, 4, 'the fourth request at once opened the one more connection it needed');
    assert.equal(agent.opened, 3);
  });

  it('counts what is open: connections idle in the pool and those still waiting count toward the number', async () => {
    await Promise.all(['/a', '/b'].map(fetch)); // two idle in the pool now
    assert.equal(agent.preconnect(url, 5, context()), 3);
    assert.equal(agent.preconnect(url, 5, context()), 0, 'the three opened ahead count too');
    assert.equal(agent.preconnect(url, 4, context()), 0);
    await until(() => accepted === 5);
    assert.equal(agent.preconnect(`${url}other/path?x=1`, 6, context()), 1, 'the same origin is the same pool');
  });

  it('opens nothing for http:// or for a count already met', () => {
    assert.equal(agent.preconnect('http://127.0.0.1:1/', 4), 0);
    assert.equal(agent.preconnect(url, 0, context()), 0);
    assert.equal(agent.opened, 0);
  });

  it('drops a connection that fails while it waits, quietly; a request then opens its own', async () => {
    const refused = 'https://127.0.0.1:1/';
    assert.equal(agent.preconnect(refused, 2), 2);
    await new Promise((r) => setTimeout(r, 50)); // both refused: no error surfaced anywhere
    assert.equal(agent.preconnect(refused, 2), 2, 'the failed ones were dropped, so two are opened again');
    assert.equal(await fetch('/after'), 'ok /after');
    assert.equal(agent.taken, 0);
  });

  it('keeps nothing alive while connections wait; destroy() closes them', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TLSWrap' || r === 'TCPSocketWrap').length;
    const before = sockets();
    agent.preconnect(url, 2, context());
    await until(() => accepted === 2);
    const during = sockets();
    assert.equal(during, before, 'connections opened ahead are unref\'d');
    agent.destroy();
    await until(() => closed === 2);
  });

  it('a connection taken by a request holds the process like any other while the request runs', async () => {
    agent.preconnect(url, 1, context());
    await until(() => accepted === 1);
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TLSWrap' || r === 'TCPSocketWrap').length;
    const waiting = sockets();
    let seen = -1;
    const body = await new Promise<string>((resolve, reject) => {
      const req = get(`${url}held`, { agent, secureContext: context() } as object, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('socket', (socket: Socket) => {
        seen = sockets();
        assert.equal(agent.taken, 1);
        assert.ok(!socket.destroyed);
      });
      req.on('error', reject);
    });
    assert.equal(body, 'ok /held');
    assert.equal(seen, waiting + 1, 'the taken connection is ref\'d again');
  });
});
