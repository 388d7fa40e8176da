/** Small HTTP helpers shared by the sandbox's services. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { BucketKind } from './types';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  /** parsed JSON / form body, or undefined when there was none; `bodyError` when JSON did not parse */
  body?: unknown;
  bodyError?: string;
  requestId: string;
  /** when the request arrived (the sandbox's clock, ms) */
  receivedAt: number;
  /** set by the ARM auth check */
  principal?: string;
  /** set by ARM's throttling (throttle.ts): the bucket spent from, the tokens left, whether it was empty */
  bucket?: BucketKind;
  remaining?: number;
  globalRemaining?: number;
  throttled?: boolean;
  status: number;
  responded: boolean;
  /** a `lostAnswer` fault: send() drops the connection instead of answering (the status is still recorded) */
  loseAnswer?: boolean;
  /** how long the request waited for its connection's set-up (connectLatencyMs), when it did */
  setUpMs?: number;
}

export function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseBody(ctx: RequestContext): void {
  const text = ctx.rawBody;
  if (!text.trim()) return;
  const type = (ctx.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    ctx.body = Object.fromEntries(new URLSearchParams(text));
    return;
  }
  try {
    ctx.body = JSON.parse(text);
  } catch (e) {
    ctx.bodyError = (e as Error).message;
  }
}

export function newRequestContext(req: IncomingMessage, res: ServerResponse, base: string, receivedAt: number): RequestContext {
  const url = new URL(req.url ?? '/', base);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname,
    query,
    headers: headerMap(req),
    rawBody: '',
    requestId: randomUUID(),
    receivedAt,
    status: 0,
    responded: false,
  };
}

export function send(ctx: RequestContext, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (ctx.responded) return;
  ctx.responded = true;
  ctx.status = status;
  if (ctx.loseAnswer) {
    ctx.req.socket.destroy();
    return;
  }
  const h: Record<string, string> = {
    'x-ms-request-id': ctx.requestId,
    'x-ms-correlation-request-id': ctx.headers['x-ms-client-request-id'] ?? ctx.requestId,
    ...headers,
  };
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json; charset=utf-8';
  }
  h['content-length'] = String(payload ? Buffer.byteLength(payload) : 0);
  ctx.res.writeHead(status, h);
  ctx.res.end(payload);
}

/** ARM's error shape. */
export function armError(ctx: RequestContext, status: number, code: string, message: string, headers: Record<string, string> = {}, target?: string): void {
  send(ctx, status, { error: { code, message, ...(target ? { target } : {}) } }, headers);
}
