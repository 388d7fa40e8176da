/**
 * Test doubles for the ARM client: an HTTPS server on 127.0.0.1 (certificate from sandbox/tls.ts)
 * that records every request, a tiny HTTP CONNECT proxy, and a fake TokenCredential.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ArmClient, type ArmClientOptions } from '../../../src/arm/client';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority } from '../../../sandbox/tls';

export const API_VERSION = '2025-06-01';
export const USER_AGENT = 'AzureMLConnections/1.0.0 (AzureMLConnectionCreate@1)';
export const TOKEN = 'test-bearer-token';

export interface RecordedRequest {
  method: string;
  /** path and query, exactly as received */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answer one request (or call reset(res), or do nothing to leave it hanging). */
export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export function json(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...headers });
  res.end(text);
}

export function armError(res: ServerResponse, status: number, code: string, message: string, requestId = 'req-id-1', headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message } }, { 'x-ms-request-id': requestId, ...headers });
}

/** Drop the connection without an answer (the client sees ECONNRESET / socket hang up). */
export const reset: Handler = (_req, res) => {
  res.socket?.destroy();
};

/**
 * The timers that keep the process alive (unref'd ones do not, and are not listed), counted after a
 * turn of the event loop so that mocha's own timer for the running test is already there.
 */
export async function activeTimers(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Handlers in order, one per request; the last one repeats. */
export function sequence(...handlers: Handler[]): Handler {
  let i = 0;
  return (req, res) => handlers[Math.min(i++, handlers.length - 1)](req, res);
}

export class ArmTestServer {
  readonly requests: RecordedRequest[] = [];
  handler: Handler = (_req, res) => json(res, 500, { error: { code: 'NoHandler', message: 'no handler set' } });
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: HttpsServer,
    readonly ca: CertificateAuthority,
  ) {}

  static async start(): Promise<ArmTestServer> {
    const ca = createCertificateAuthority();
    const cert = issueServerCertificate(ca);
    const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem });
    const self = new ArmTestServer(server, ca);
    server.on('connection', (s: Socket) => {
      self.sockets.add(s);
      s.on('close', () => self.sockets.delete(s));
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        self.requests.push(recorded);
        self.handler(recorded, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get caPem(): string {
    return this.ca.certPem;
  }

  reset(handler: Handler): void {
    this.requests.length = 0;
    this.handler = handler;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.ca.dispose();
  }
}

/** A forward proxy that only does CONNECT, recording the target and the Proxy-Authorization it got. */
export class ConnectProxy {
  readonly connects: { target: string; proxyAuthorization?: string }[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: HttpServer) {}

  static async start(): Promise<ConnectProxy> {
    const server = createHttpServer((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    const self = new ConnectProxy(server);
    server.on('connection', (s: Socket) => {
      self.sockets.add(s);
      s.on('close', () => self.sockets.delete(s));
    });
    server.on('connect', (req, client: Socket, head: Buffer) => {
      self.sockets.add(client);
      client.on('close', () => self.sockets.delete(client));
      self.connects.push({ target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'] });
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      self.sockets.add(upstream);
      upstream.on('close', () => self.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class FakeCredential implements TokenCredential {
  readonly scopes: string[][] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

/** A client for the test server with fast retries. */
export function testClient(server: ArmTestServer, options: Partial<ArmClientOptions> = {}): ArmClient {
  return new ArmClient({
    armUrl: server.url,
    credential: new FakeCredential(),
    scope: `${server.url}/.default`,
    apiVersion: API_VERSION,
    userAgent: USER_AGENT,
    tlsCaPem: server.caPem,
    retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    timeoutInMs: 5_000,
    ...options,
  });
}
