/** A tiny HTTPS client for the sandbox tests (trusts the sandbox CA). */
import * as https from 'node:https';
import * as http from 'node:http';
import type { SandboxImpl, WorkspaceRef } from '../../../sandbox';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function call(
  method: string,
  url: string,
  options: { ca?: string; headers?: Record<string, string>; body?: unknown; form?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let payload: string | undefined;
    if (options.form) {
      payload = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.request(url, { method, headers, ...(url.startsWith('https:') ? { ca: options.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export const API = 'api-version=2025-06-01';

/** ARM helper bound to a sandbox, a workspace and a token. */
export function arm(sb: SandboxImpl, ws: WorkspaceRef, token = sb.armToken()) {
  const base = `${sb.url}subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
  const headers = { authorization: `Bearer ${token}` };
  return {
    base,
    conn: (name: string, suffix = '') => `${base}/connections/${name}${suffix}?${API}`,
    get: (url: string) => call('GET', url, { ca: sb.caPem, headers }),
    put: (url: string, body: unknown) => call('PUT', url, { ca: sb.caPem, headers, body }),
    patch: (url: string, body: unknown) => call('PATCH', url, { ca: sb.caPem, headers, body }),
    del: (url: string) => call('DELETE', url, { ca: sb.caPem, headers }),
    post: (url: string, body?: unknown) => call('POST', url, { ca: sb.caPem, headers, body }),
  };
}
