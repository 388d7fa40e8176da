/**
 * The probes' HTTPS client: node:https with the agent's proxy (CONNECT tunnel, bypass list) and extra
 * trusted CA, one bounded timeout per request, bodies read up to a cap, and redirects followed only
 * within the origin the request started at. Nothing here logs; nothing here holds a secret after use.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { isBypassed, trustedCertificates } from '../core/network';
import { redactTarget } from '../core/target-secrets';
import type { ProbeOptions } from './types';
import { msg } from '../messages';

/** Bytes of a response body kept; the rest is not read. */
const MAX_BODY_BYTES = 256 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

export interface ProbeResponse {
  status: number;
  /** header names lower-case; repeated headers joined with ', ' except www-authenticate (kept as a list) */
  headers: Record<string, string>;
  challenges: string[];
  body: string;
  url: URL;
  /** the server certificate's subject CN and expiry, when the TLS socket gave them */
  certificate?: { subject: string; validTo: string };
}

/** A request failed before any HTTP answer: refused, unresolved, timed out, untrusted certificate. */
export class ProbeNetworkError extends Error {
  override readonly name = 'ProbeNetworkError';
  constructor(message: string, readonly code?: string) {
    super(message);
    Object.setPrototypeOf(this, ProbeNetworkError.prototype);
  }
}

/** The URL for messages and reports: without user information, a credential in its query shown as `***`. */
export function displayUrl(url: URL): string {
  const u = new URL(url.href);
  u.username = '';
  u.password = '';
  return redactTarget(u.href);
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname.toLowerCase() === b.hostname.toLowerCase() && effectivePort(a) === effectivePort(b);
}

function effectivePort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
}

function hostPort(url: URL): string {
  return `${url.hostname}:${effectivePort(url)}`;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_REVOKED', 'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

/** One sentence for a failure below HTTP. */
export function describeNetworkError(e: unknown, url: URL, timeoutMs: number): ProbeNetworkError {
  if (e instanceof ProbeNetworkError) return e;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err?.code ?? '';
  const where = hostPort(url);
  if (code === 'ETIMEDOUT' || code === 'PROBE_TIMEOUT') return new ProbeNetworkError(msg('Verify_NetTimeout', where, seconds(timeoutMs)), 'ETIMEDOUT');
  if (code === 'ECONNREFUSED') return new ProbeNetworkError(msg('Verify_NetRefused', where), code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ProbeNetworkError(msg('Verify_NetUnresolved', url.hostname), code);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new ProbeNetworkError(msg('Verify_NetReset', where), code);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ProbeNetworkError(msg('Verify_NetUnreachable', where, code), code);
  if (code === 'CERT_HAS_EXPIRED') return new ProbeNetworkError(msg('Verify_TlsExpired', url.hostname), code);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new ProbeNetworkError(msg('Verify_TlsWrongName', url.hostname), code);
  if (TLS_CODES.has(code)) return new ProbeNetworkError(msg('Verify_TlsUntrusted', url.hostname, code), code);
  const message = err instanceof Error ? err.message : String(e);
  return new ProbeNetworkError(msg('Verify_NetOther', where, message), code || undefined);
}

function seconds(ms: number): string {
  return msg('Verify_Seconds', ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1));
}

/** A proxy agent for the URL, or undefined when there is no proxy or the URL is on the bypass list. */
function agentFor(url: URL, options: ProbeOptions): HttpsProxyAgent<string> | undefined {
  const proxy = options.proxy;
  if (!proxy?.url || isBypassed(url.href, proxy.bypass)) return undefined;
  const proxyUrl = new URL(proxy.url);
  if (proxy.username) proxyUrl.username = encodeURIComponent(proxy.username);
  if (proxy.password) proxyUrl.password = encodeURIComponent(proxy.password);
  return new HttpsProxyAgent(proxyUrl.href, { keepAlive: false });
}

/** One GET (or HEAD). Only https URLs; the caller decides which headers (credentials) go with it. */
export function send(url: URL, headers: Record<string, string>, options: ProbeOptions, method: 'GET' | 'HEAD' = 'GET'): Promise<ProbeResponse> {
  if (url.protocol !== 'https:') return Promise.reject(new ProbeNetworkError(msg('Verify_NotHttps', displayUrl(url))));
  const ca = options.caPem ? trustedCertificates(options.caPem) : undefined;
  const requestOptions: RequestOptions = {
    method,
    protocol: 'https:',
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || 443,
    path: `${url.pathname}${url.search}`,
    headers: { 'User-Agent': options.userAgent ?? 'AzureMLConnections-verify', Accept: '*/*', ...headers },
    agent: agentFor(url, options) ?? false,
    ...(ca ? { ca } : {}),
    servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
  };
  return new Promise<ProbeResponse>((resolve, reject) => {
    let settled = false;
    const done = (e: unknown, r?: ProbeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (r) resolve(r);
      else reject(describeNetworkError(e, url, options.timeoutMs));
    };
    const req = httpsRequest(requestOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const socket = res.socket as TLSSocket | null;
      let certificate: ProbeResponse['certificate'];
      try {
        const peer = socket?.getPeerCertificate?.();
        if (peer && peer.valid_to) certificate = { subject: String(peer.subject?.CN ?? ''), validTo: peer.valid_to };
      } catch {
        /* not a TLS socket */
      }
      const finish = () => {
        const headersOut: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) headersOut[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
        const raw = res.headers['www-authenticate'];
        const challenges = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        done(undefined, { status: res.statusCode ?? 0, headers: headersOut, challenges, body: Buffer.concat(chunks).toString('utf8'), url, certificate });
        res.destroy();
      };
      res.on('data', (b: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(b);
        size += b.length;
        if (size >= MAX_BODY_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', (e) => done(e));
    });
    const timer = setTimeout(() => {
      const e = Object.assign(new Error('timeout'), { code: 'PROBE_TIMEOUT' });
      done(e);
      req.destroy(e);
    }, options.timeoutMs);
    req.on('error', (e) => done(e));
    req.end();
  });
}

export type FetchOutcome =
  | { kind: 'response'; response: ProbeResponse; redirects: number }
  /** the server sent us elsewhere; nothing was sent there */
  | { kind: 'foreign-redirect'; response: ProbeResponse; location: URL }
  | { kind: 'too-many-redirects'; response: ProbeResponse };

/**
 * GET `start`, following redirects only while they stay on start's origin (scheme, host, port), at most
 * options.maxRedirects times. `headers` (credentials included) therefore only ever reach that origin:
 * a redirect elsewhere is returned to the caller, not followed.
 */
export async function fetchWithinOrigin(start: URL, headers: Record<string, string>, options: ProbeOptions): Promise<FetchOutcome> {
  const max = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const response = await send(url, headers, options);
    const location = response.headers['location'];
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return { kind: 'response', response, redirects };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { kind: 'response', response, redirects };
    }
    if (!sameOrigin(next, start)) return { kind: 'foreign-redirect', response, location: next };
    if (redirects >= max) return { kind: 'too-many-redirects', response };
    url = next;
  }
}

/** `Basic base64(user:password)`, registered as a secret before it is returned. */
export function basicAuthorization(user: string, password: string, options: ProbeOptions): string {
  const value = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  options.secrets.add(value);
  return `Basic ${value}`;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parse WWW-Authenticate values (RFC 7235): `Bearer realm="…",service="…"`, `Basic realm="…"`, several per header. */
export function parseChallenges(values: string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) {
    const re = /\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)(?:\s+|$)|\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/y;
    let current: Challenge | undefined;
    let pos = 0;
    while (pos < value.length) {
      re.lastIndex = pos;
      const m = re.exec(value);
      if (!m || m[0].length === 0) {
        pos++;
        continue;
      }
      pos = re.lastIndex;
      if (m[2] !== undefined && current) {
        const raw = m[3] ?? '';
        current.params[m[2].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      } else if (m[1] !== undefined) {
        current = { scheme: m[1].toLowerCase(), params: {} };
        out.push(current);
      }
      while (value[pos] === ',' || value[pos] === ' ') pos++;
    }
  }
  return out;
}
