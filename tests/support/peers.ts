/**
 * Real protocol peers for the probes, started on loopback by the tests: `git http-backend` behind a small
 * Node HTTPS front doing Basic auth, a PEP 503 index served by nginx with Basic auth (htpasswd), a Docker
 * registry (distribution's `docker-registry`, htpasswd auth, TLS), and a recording HTTPS server that
 * plays "another host". Their certificates come from one CA (peerCa()); a task run trusts it through the
 * agent's Agent.CAInfo variable, as a self-hosted agent with a corporate CA would.
 *
 * Missing software: a test calls requirePeers(this, ...) first; it fails when CI=true and skips (saying
 * what is missing) otherwise. .ci/run installs nginx, apache2-utils and docker-registry with apt-get.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority, type KeyPair } from '../../sandbox/tls';

export type PeerName = 'git' | 'git-http-backend' | 'nginx' | 'htpasswd' | 'docker-registry';

const GIT_HTTP_BACKEND = (() => {
  try {
    return join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
  } catch {
    return '';
  }
})();

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

const BINARIES: Record<PeerName, () => string | undefined> = {
  git: () => onPath('git'),
  'git-http-backend': () => (GIT_HTTP_BACKEND && existsSync(GIT_HTTP_BACKEND) ? GIT_HTTP_BACKEND : undefined),
  nginx: () => onPath('nginx'),
  htpasswd: () => onPath('htpasswd'),
  'docker-registry': () => onPath('docker-registry'),
};

/** The peers (of those named) whose software is not installed. */
export function missingPeers(...names: PeerName[]): PeerName[] {
  return names.filter((n) => !BINARIES[n]());
}

/** Fail (CI=true) or skip (otherwise) the current test or hook when a peer's software is missing. */
export function requirePeers(ctx: Mocha.Context, ...names: PeerName[]): void {
  const missing = missingPeers(...names);
  if (missing.length === 0) return;
  const message = `probe peers not installed: ${missing.join(', ')} (apt-get install -y nginx apache2-utils docker-registry git)`;
  if ((process.env.CI ?? '').toLowerCase() === 'true') throw new Error(`${message}; CI must have them`);
  console.log(`      skipped: ${message}`);
  ctx.skip();
}

/** One CA for every peer, and a server certificate for localhost / 127.0.0.1 / ::1. */
export interface PeerTls {
  ca: CertificateAuthority;
  server: KeyPair;
  /** a file holding the CA (for Agent.CAInfo) */
  caFile: string;
  dispose(): void;
}

export function peerTls(): PeerTls {
  const ca = createCertificateAuthority('Probe Peers CA');
  const server = issueServerCertificate(ca);
  return { ca, server, caFile: ca.certFile, dispose: () => ca.dispose() };
}

export interface PeerRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string, logFile?: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
  throw new Error(`${what} did not start on port ${port} (exit ${child.exitCode}). ${log}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 3000).unref();
  });
}

/** What a peer that checks Basic auth accepted: the password (any user name, like Azure Repos with a PAT) or both. */
export function basicMatches(header: string | undefined, password: string, user?: string): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return false;
  return decoded.slice(at + 1) === password && (user === undefined || decoded.slice(0, at) === user);
}

export type PeerHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** An HTTPS server on loopback with the peers' certificate, recording every request it receives. */
export class HttpsPeer {
  readonly requests: PeerRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly servers: HttpsServer[] = [];
  port = 0;

  constructor(
    private readonly tls: PeerTls,
    public handler: PeerHandler,
  ) {}

  /** Listen on 127.0.0.1 (and ::1 on the same port when the machine has IPv6), so `localhost` reaches it too. */
  async start(): Promise<this> {
    const make = () => {
      const server = createHttpsServer({ cert: this.tls.server.certPem, key: this.tls.server.keyPem });
      server.on('connection', (s: Socket) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
          this.handler(req, res, Buffer.concat(chunks));
        });
      });
      this.servers.push(server);
      return server;
    };
    const v4 = make();
    await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
    this.port = (v4.address() as AddressInfo).port;
    const v6 = make();
    await new Promise<void>((resolve) => {
      v6.once('error', () => {
        this.servers.pop();
        resolve();
      });
      v6.listen(this.port, '::1', resolve);
    });
    return this;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** The same server by another host name: for a redirect "to another host". */
  get localhostUrl(): string {
    return `https://localhost:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** A server that answers 200 to everything and records what it received: "another host". */
export function startRecorder(tls: PeerTls): Promise<HttpsPeer> {
  return new HttpsPeer(tls, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"token":"recorder-token"}');
  }).start();
}

export interface GitPeer extends HttpsPeer {
  /** https://127.0.0.1:PORT/repo.git */
  repoUrl: string;
  /** paths answered with a redirect (path prefix -> location prefix) before auth and the backend */
  redirects: Map<string, string>;
  dir: string;
}

/**
 * `git http-backend` (the CGI that ships with git) behind a Node HTTPS front that requires Basic auth
 * with `password` (any user name, as Azure Repos accepts a PAT). Serves one bare repository, repo.git,
 * with one commit on main.
 */
export async function startGitPeer(tls: PeerTls, password: string): Promise<GitPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'amlc-git-peer-'));
  const git = (args: string[], cwd = dir) =>
    execFileSync('git', ['-c', 'user.name=Peer', '-c', 'user.email=peer@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
  git(['init', '-q', 'work']);
  writeFileSync(join(dir, 'work', 'README.md'), 'probe peer\n');
  git(['add', 'README.md'], join(dir, 'work'));
  git(['commit', '-q', '-m', 'init'], join(dir, 'work'));
  git(['clone', '-q', '--bare', 'work', 'repo.git']);
  const redirects = new Map<string, string>();

  const peer = new HttpsPeer(tls, (req, res, body) => {
    const url = new URL(req.url ?? '/', 'https://peer');
    for (const [prefix, location] of redirects) {
      if (url.pathname.startsWith(prefix)) {
        res.writeHead(302, { Location: location + url.pathname.slice(prefix.length) + url.search });
        res.end();
        return;
      }
    }
    if (!basicMatches(req.headers.authorization, password)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      res.end('Authentication required\n');
      return;
    }
    const cgi = spawn(GIT_HTTP_BACKEND, [], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: dir,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: String(body.length),
        REMOTE_USER: 'peer',
        REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const out: Buffer[] = [];
    cgi.stdout.on('data', (b: Buffer) => out.push(b));
    cgi.on('close', () => {
      const all = Buffer.concat(out);
      let split = all.indexOf('\r\n\r\n');
      let sep = 4;
      if (split < 0) {
        split = all.indexOf('\n\n');
        sep = 2;
      }
      const head = all.subarray(0, Math.max(split, 0)).toString('utf8');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split(/\r?\n/)) {
        const at = line.indexOf(':');
        if (at <= 0) continue;
        const k = line.slice(0, at).trim();
        const v = line.slice(at + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]) || 200;
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(split < 0 ? all : all.subarray(split + sep));
    });
    // git http-backend does not read its input for a GET and may exit before we finish writing it
    cgi.stdin.on('error', () => undefined);
    cgi.stdin.end(body);
  });
  await peer.start();
  return Object.assign(peer, {
    repoUrl: `${peer.url}/repo.git`,
    redirects,
    dir,
    stop: async () => {
      await HttpsPeer.prototype.stop.call(peer);
      rmSync(dir, { recursive: true, force: true });
    },
  }) as GitPeer;
}

export interface ProcessPeer {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function writePeerTls(dir: string, tls: PeerTls): void {
  writeFileSync(join(dir, 'cert.pem'), tls.server.certPem);
  writeFileSync(join(dir, 'key.pem'), tls.server.keyPem);
}

function htpasswd(file: string, user: string, password: string, bcrypt: boolean): void {
  // the password goes through stdin (-i), never the command line
  const r = spawnSync('htpasswd', ['-c', '-i', ...(bcrypt ? ['-B'] : ['-m']), file, user], { input: password, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
}

/**
 * A PEP 503 simple index served by nginx over TLS with Basic auth (htpasswd). Projects: the given names,
 * each with one file link. nginx runs in the foreground as a single process with every path in its own
 * temporary prefix.
 */
export async function startPypiPeer(tls: PeerTls, user: string, password: string, projects = ['azureml-demo', 'contoso-utils']): Promise<ProcessPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'amlc-pypi-peer-'));
  chmodSync(dir, 0o755);
  writePeerTls(dir, tls);
  htpasswd(join(dir, 'htpasswd'), user, password, false);
  const simple = join(dir, 'html', 'simple');
  mkdirSync(simple, { recursive: true });
  writeFileSync(join(simple, 'index.html'), `<!DOCTYPE html>\n<html><body>\n${projects.map((p) => `<a href="/simple/${p}/">${p}</a>`).join('\n')}\n</body></html>\n`);
  for (const p of projects) {
    mkdirSync(join(simple, p));
    writeFileSync(join(simple, p, 'index.html'), `<!DOCTYPE html>\n<html><body><a href="/files/${p}-1.0.0.tar.gz">${p}-1.0.0.tar.gz</a></body></html>\n`);
  }
  mkdirSync(join(dir, 'tmp'));
  const port = await freePort();
  const conf = `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  types { text/html html; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    root ${dir}/html;
    location / {
      auth_basic "pypi";
      auth_basic_user_file ${dir}/htpasswd;
      index index.html;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(BINARIES.nginx() ?? 'nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  await waitForPort(port, child, 'nginx', join(dir, 'error.log'));
  return processPeer(port, dir, child);
}

/** A peer process on loopback over https: stopping it ends the process and removes its folder. */
function processPeer(port: number, dir: string, child: ChildProcess): ProcessPeer {
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Docker registry (distribution, the Debian `docker-registry` package) over TLS with htpasswd (bcrypt) auth. */
export async function startRegistryPeer(tls: PeerTls, user: string, password: string): Promise<ProcessPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'amlc-registry-peer-'));
  writePeerTls(dir, tls);
  htpasswd(join(dir, 'htpasswd'), user, password, true);
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${dir}/data`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: peer-${port}`,
      '  tls:',
      `    certificate: ${dir}/cert.pem`,
      `    key: ${dir}/key.pem`,
      'auth:',
      '  htpasswd:',
      '    realm: probe-peer',
      `    path: ${dir}/htpasswd`,
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'registry.log');
  const child = spawn(BINARIES['docker-registry']() ?? 'docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr?.on('data', (b: Buffer) => {
    err.push(b);
    writeFileSync(logFile, Buffer.concat(err));
  });
  await waitForPort(port, child, 'docker-registry', logFile);
  return processPeer(port, dir, child);
}
