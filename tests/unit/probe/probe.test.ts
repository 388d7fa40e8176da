/**
 * The probes against small HTTPS fakes on loopback (no external software): outcomes, exact requests, where
 * credentials go (never to another origin), timeouts, untrusted certificates, the agent's proxy.
 */
import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecretSet } from '../../../src/core/secrets';
import { displayUrl, parseChallenges, PAT_USER, probeConnection, realmMayReceiveCredentials, simpleIndexUrl, type ProbeOptions, type ProbeTarget } from '../../../src/probe';
import { parseTarget } from '../../../src/probe/target';
import { HttpsPeer, peerTls, startRecorder, type PeerTls } from '../../support/peers';
import { ConnectProxy } from '../arm/support';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PAT = 'pat-Zq7/+=&x-1';

describe('probes', function () {
  this.timeout(20_000);
  let tls: PeerTls;
  let server: HttpsPeer;
  let other: HttpsPeer;
  let secrets: SecretSet;
  let options: ProbeOptions;

  before(async () => {
    tls = peerTls();
    server = await new HttpsPeer(tls, () => undefined).start();
    other = await startRecorder(tls);
  });
  after(async () => {
    await server?.stop();
    await other?.stop();
    tls?.dispose();
  });
  beforeEach(() => {
    server.requests.length = 0;
    other.requests.length = 0;
    secrets = new SecretSet();
    options = { timeoutMs: 5000, caPem: tls.ca.certPem, secrets };
  });

  const handle = (fn: (req: IncomingMessage, res: ServerResponse) => void) => {
    server.handler = (req, res) => fn(req, res);
  };
  const target = (category: string, authType: string, t: string, credentials?: Record<string, unknown>): ProbeTarget => ({ name: 'c', category, authType, target: t, credentials });
  const seen = () => server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? '-'}`);

  describe('targets and headers', () => {
    it('reads https targets, drops user information, and says why anything else is not probed', () => {
      const ok = parseTarget('https://user:secret@git.example.com/r.git#x');
      assert.ok(ok.ok && ok.url.href === 'https://git.example.com/r.git');
      assert.deepEqual(parseTarget('http://git.example.com/r.git'), { ok: false, reason: 'the target is plain http; credentials are only ever sent over https' });
      assert.equal((parseTarget('jdbc:sqlserver://x;db=y') as { reason: string }).reason.startsWith('the target is not an https URL'), true);
      assert.equal(parseTarget('myacr.azurecr.io').ok, false);
      const bare = parseTarget('myacr.azurecr.io', true);
      assert.ok(bare.ok && bare.url.href === 'https://myacr.azurecr.io/');
      assert.equal((parseTarget('s3://bucket') as { reason: string }).reason, 'the target is a s3 URL, not https');
    });

    it('shows URLs without user information and with a credential in the query as ***', () => {
      assert.equal(displayUrl(new URL('https://u:p@h.example/simple/?sig=abc&x=1')), 'https://h.example/simple/?sig=***&x=1');
    });

    it('finds the PEP 503 simple index from a feed URL', () => {
      assert.equal(simpleIndexUrl(new URL('https://h/')).href, 'https://h/simple/');
      assert.equal(simpleIndexUrl(new URL('https://h/org/_packaging/feed/pypi/simple')).href, 'https://h/org/_packaging/feed/pypi/simple/');
      assert.equal(simpleIndexUrl(new URL('https://h/feed/?x=1')).href, 'https://h/feed/simple/');
    });

    it('parses WWW-Authenticate challenges, quoted commas included', () => {
      assert.deepEqual(parseChallenges(['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"']), [
        { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull,push' } },
      ]);
      assert.deepEqual(parseChallenges(['Basic realm="r"', 'Bearer realm=https://x/t']), [
        { scheme: 'basic', params: { realm: 'r' } },
        { scheme: 'bearer', params: { realm: 'https://x/t' } },
      ]);
    });

    it('lets a token realm have the credentials only on the registry host or under its parent domain, over https', () => {
      const reg = (h: string) => new URL(`https://${h}/v2/`);
      assert.equal(realmMayReceiveCredentials(new URL('https://myacr.azurecr.io/oauth2/token'), reg('myacr.azurecr.io')), true);
      assert.equal(realmMayReceiveCredentials(new URL('https://auth.docker.io/token'), reg('registry-1.docker.io')), true);
      assert.equal(realmMayReceiveCredentials(new URL('https://gitlab.com/jwt/auth'), reg('registry.gitlab.com')), true);
      assert.equal(realmMayReceiveCredentials(new URL('https://auth.evil.example/token'), reg('registry.contoso.com')), false);
      assert.equal(realmMayReceiveCredentials(new URL('http://myacr.azurecr.io/oauth2/token'), reg('myacr.azurecr.io')), false);
      assert.equal(realmMayReceiveCredentials(new URL('https://localhost/token'), reg('127.0.0.1')), false);
      assert.equal(realmMayReceiveCredentials(new URL('https://evil.io/token'), reg('docker.io')), false, 'a two-label host has no parent to share');
    });
  });

  describe('git', () => {
    it('sends the PAT as Basic to info/refs and reads the advertisement', async () => {
      handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' });
        res.end('001e# service=git-upload-pack\n0000003f1111111111111111111111111111111111111111 refs/heads/main\n0000');
      });
      const r = await probeConnection(target('Git', 'PAT', `${server.url}/org/repo.git/`, { pat: PAT }), options);
      assert.equal(r.status, 'ok', r.detail);
      assert.deepEqual(seen(), [`GET /org/repo.git/info/refs?service=git-upload-pack Basic ${b64(`${PAT_USER}:${PAT}`)}`]);
      assert.ok(secrets.has(b64(`${PAT_USER}:${PAT}`)), 'the header value is registered as a secret');
    });

    it('fails a server that answers 200 but is not smart-HTTP', async () => {
      handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html>login</html>');
      });
      const r = await probeConnection(target('Git', 'None', `${server.url}/repo`), options);
      assert.equal(r.status, 'failed');
      assert.match(r.detail, /not as a Git smart-HTTP server \(content type text\/html\)/);
      assert.deepEqual(seen(), ['GET /repo/info/refs?service=git-upload-pack -']);
    });

    it('follows a few same-origin redirects with the credentials, then stops', async () => {
      handle((req, res) => {
        res.writeHead(301, { Location: `/hop${(req.url ?? '').length}${req.url}` });
        res.end();
      });
      const r = await probeConnection(target('Git', 'PAT', `${server.url}/r`, { pat: PAT }), options);
      assert.equal(r.status, 'failed');
      assert.match(r.detail, /keeps redirecting/);
      assert.equal(server.requests.length, 4, 'the first request and three redirects');
      assert.ok(server.requests.every((q) => q.headers.authorization === `Basic ${b64(`${PAT_USER}:${PAT}`)}`));
    });

    it('never follows a redirect to another host, another port or plain http', async () => {
      for (const location of [`${other.localhostUrl}/r/info/refs`, `https://127.0.0.1:${other.port}/r/info/refs`, `http://127.0.0.1:${server.port}/r/info/refs`]) {
        handle((_req, res) => {
          res.writeHead(307, { Location: location });
          res.end();
        });
        const r = await probeConnection(target('Git', 'PAT', `${server.url}/r`, { pat: PAT }), options);
        assert.equal(r.status, 'failed');
        assert.match(r.detail, /to another host, .*; credentials are never sent to another host/);
      }
      assert.deepEqual(other.requests, []);
    });

    it('gives up on a target that does not answer, after the timeout', async () => {
      handle(() => undefined); // never answers
      const r = await probeConnection(target('Git', 'PAT', `${server.url}/slow`, { pat: PAT }), { ...options, timeoutMs: 300 });
      assert.equal(r.status, 'failed');
      assert.equal(r.detail, `127.0.0.1:${server.port} gave no answer within 0.3 s`);
    });

    it('refuses a certificate the agent does not trust, before sending anything', async () => {
      handle((_req, res) => res.end());
      const r = await probeConnection(target('Git', 'PAT', `${server.url}/r`, { pat: PAT }), { ...options, caPem: undefined });
      assert.equal(r.status, 'failed');
      assert.match(r.detail, /^the TLS certificate of 127\.0\.0\.1 is not trusted \(\w+\); add its CA to the agent's trusted certificates$/);
      assert.deepEqual(server.requests, []);
    });

    it("goes through the agent's proxy (CONNECT), unless the target is on its bypass list", async () => {
      const proxy = await ConnectProxy.start();
      try {
        handle((_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' });
          res.end('0000');
        });
        const via = await probeConnection(target('Git', 'PAT', `${server.url}/r`, { pat: PAT }), { ...options, proxy: { url: proxy.url, bypass: [] } });
        assert.equal(via.status, 'ok', via.detail);
        assert.deepEqual(proxy.connects.map((c) => c.target), [`127.0.0.1:${server.port}`]);
        const direct = await probeConnection(target('Git', 'PAT', `${server.url}/r`, { pat: PAT }), { ...options, proxy: { url: proxy.url, bypass: ['127\\.0\\.0\\.1'] } });
        assert.equal(direct.status, 'ok', direct.detail);
        assert.equal(proxy.connects.length, 1);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('python feed', () => {
    it('reads the JSON simple index (PEP 691) and the HTML one', async () => {
      handle((req, res) => {
        if (req.url === '/json/simple/') {
          res.writeHead(200, { 'Content-Type': 'application/vnd.pypi.simple.v1+json' });
          res.end(JSON.stringify({ meta: { 'api-version': '1.0' }, projects: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }));
        } else {
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end('<html><a href="/simple/x/">x</a></html>');
        }
      });
      const json = await probeConnection(target('PythonFeed', 'UsernamePassword', `${server.url}/json`, { username: 'u', password: 'p' }), options);
      assert.match(json.detail, /answered with 3 project\(s\)/);
      const html = await probeConnection(target('PythonFeed', 'None', `${server.url}/html/simple`), options);
      assert.match(html.detail, /answered with 1 project\(s\) anonymously/);
      assert.deepEqual(seen(), [`GET /json/simple/ Basic ${b64('u:p')}`, 'GET /html/simple/ -']);
    });

    it('fails with the feed\'s status', async () => {
      handle((_req, res) => {
        res.writeHead(403);
        res.end();
      });
      const r = await probeConnection(target('PythonFeed', 'PAT', `${server.url}/simple/`, { pat: PAT }), options);
      assert.deepEqual([r.status, r.httpStatus, r.detail], ['failed', 403, 'the Python feed denied access with the stored credentials (HTTP 403 Forbidden)']);
    });
  });

  describe('container registry', () => {
    const registryHandler = (realm: string, user: string, password: string) => (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/token')) {
        if (req.headers.authorization !== `Basic ${b64(`${user}:${password}`)}`) {
          res.writeHead(401);
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ token: 'issued-token-123' }));
        return;
      }
      if (req.headers.authorization === 'Bearer issued-token-123') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
        return;
      }
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="reg.test"` });
      res.end();
    };

    it('runs the Docker token flow with a realm on its own host', async () => {
      server.handler = registryHandler(`${server.url}/token`, 'puller', 'pw');
      const r = await probeConnection(target('ContainerRegistry', 'UsernamePassword', `127.0.0.1:${server.port}`, { username: 'puller', password: 'pw' }), options);
      assert.equal(r.status, 'ok', r.detail);
      assert.deepEqual(seen(), ['GET /v2/ -', `GET /token?service=reg.test&account=puller Basic ${b64('puller:pw')}`, 'GET /v2/ Bearer issued-token-123']);
      assert.ok(secrets.has('issued-token-123'), 'the token is registered as a secret');
    });

    it("fails with the token service's 401 for a wrong password", async () => {
      server.handler = registryHandler(`${server.url}/token`, 'puller', 'pw');
      const r = await probeConnection(target('GenericContainerRegistry', 'UsernamePassword', server.url, { username: 'puller', password: 'nope' }), options);
      assert.deepEqual([r.status, r.httpStatus], ['failed', 401]);
      assert.equal(r.detail, "the registry's token service refused the stored credentials (HTTP 401 Unauthorized)");
    });

    it('sends nothing to a token realm on an unrelated host, and says so', async () => {
      server.handler = registryHandler(`${other.localhostUrl}/token`, 'puller', 'pw');
      const r = await probeConnection(target('ContainerRegistry', 'UsernamePassword', server.url, { username: 'puller', password: 'pw' }), options);
      assert.equal(r.status, 'skipped');
      assert.match(r.detail, new RegExp(`token service is on another host \\(localhost:${other.port}\\)`));
      assert.deepEqual(other.requests, []);
      assert.deepEqual(seen(), ['GET /v2/ -']);
    });

    it('uses Basic when the registry asks for it, and skips credentials the agent cannot present', async () => {
      handle((req, res) => {
        if (req.headers.authorization === `Basic ${b64('u:p')}`) res.writeHead(200);
        else res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="reg"' });
        res.end();
      });
      const ok = await probeConnection(target('ContainerRegistry', 'UsernamePassword', server.url, { username: 'u', password: 'p' }), options);
      assert.equal(ok.detail, 'the registry accepted the stored credentials (Basic) on /v2/');
      const mi = await probeConnection(target('ContainerRegistry', 'ManagedIdentity', server.url, { clientId: 'x' }), options);
      assert.equal(mi.status, 'skipped');
      assert.equal(mi.detail, 'not probed: its ManagedIdentity credentials cannot be presented by the agent to ContainerRegistry target');
      assert.deepEqual(seen(), ['GET /v2/ -', `GET /v2/ Basic ${b64('u:p')}`]);
    });
  });

  describe('other https targets', () => {
    it('proves the TLS handshake and certificate without sending credentials', async () => {
      handle((_req, res) => {
        res.writeHead(404);
        res.end();
      });
      const r = await probeConnection(target('AzureOpenAI', 'ApiKey', `${server.url}/openai/deployments`, { key: 'k-secret' }), options);
      assert.equal(r.status, 'ok');
      assert.match(r.detail, new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${server.port} succeeded and its certificate is trusted \\(it answered HTTP 404 Not Found\\); certificate for localhost valid until \\d{4}-\\d\\d-\\d\\d; the credentials were not exercised$`));
      assert.deepEqual(seen(), ['HEAD / -']);
    });
  });
});
