import { realClock, type Clock } from '../core/clock';
import { ArmError, isArmError } from '../core/errors';
import { msg } from '../messages';
import type { ArmClient } from './client';
import type { ArmConnection, ConnectionProperties, ConnectionsApi, ListConnectionsOptions, WorkspaceRef } from './types';
import { ARM_ACTIONS } from './permissions';
import { pathSegment, workspacePath } from './workspaces';

export interface TestConnectionOptions {
  /** Longest time to wait for the result, polls included (a request in flight may add its own timeout). Default 120000. */
  maxWaitInMs?: number;
  /** Wait between polls when the service sends no Retry-After. Default 2000. */
  pollIntervalInMs?: number;
  abortSignal?: AbortSignal;
  /** the time the deadline is read on and the waits between polls are slept on (default: the real one) */
  clock?: Clock;
}

export interface TestConnectionResult {
  /** the final status: 200 or 204 */
  status: number;
  /** the final response body, if any (its shape is not specified by the API) */
  body?: unknown;
  /** how many times the Location was polled */
  polls: number;
}

interface Page {
  value?: ArmConnection[];
  nextLink?: string | null;
}

/** 404 codes meaning that something above the connection is missing: never "the connection does not exist". */
const PARENT_MISSING = new Set(['parentresourcenotfound', 'resourcegroupnotfound', 'subscriptionnotfound', 'workspacenotfound']);

function isConnectionNotFound(e: unknown): boolean {
  return isArmError(e) && e.statusCode === 404 && !PARENT_MISSING.has((e.code ?? '').toLowerCase());
}

/** The connections of one Azure ML workspace (hubs and projects included), over plain ARM REST. */
export class WorkspaceConnections implements ConnectionsApi {
  private readonly basePath: string;

  constructor(
    private readonly client: ArmClient,
    readonly workspace: WorkspaceRef,
  ) {
    this.basePath = `${workspacePath(workspace)}/connections`;
  }

  async list(options: ListConnectionsOptions = {}): Promise<ArmConnection[]> {
    const query: string[] = [];
    if (options.target !== undefined) query.push(`target=${encodeURIComponent(options.target)}`);
    if (options.category !== undefined) query.push(`category=${encodeURIComponent(options.category)}`);
    if (options.includeAll !== undefined) query.push(`includeAll=${options.includeAll}`);
    // The filters go on the first request only; every nextLink is followed as the service wrote it.
    let next: string | undefined = query.length ? `${this.basePath}?${query.join('&')}` : this.basePath;
    const seen = new Set<string>();
    const out: ArmConnection[] = [];
    while (next) {
      const page: Page = (await this.listPage(next)).body ?? {};
      out.push(...(page.value ?? []));
      next = page.nextLink || undefined;
      if (next) {
        if (seen.has(next)) throw new ArmError(msg('Platform_ArmPagingLoop'), undefined, 'PagingLoop', undefined, 'GET', next);
        seen.add(next);
      }
    }
    return out;
  }

  /** One page; a 403 names the missing action (connections/read) and what to do. */
  private async listPage(pathOrUrl: string): Promise<{ body: Page | undefined }> {
    try {
      return await this.client.send<Page>('GET', pathOrUrl);
    } catch (e) {
      if (!(isArmError(e) && e.statusCode === 403)) throw e;
      throw new ArmError(msg('Platform_ArmConnectionsReadForbidden', this.workspace.workspace, ARM_ACTIONS.connectionsRead), e.statusCode, e.code, e.requestId, e.method, e.url);
    }
  }

  async get(name: string): Promise<ArmConnection | undefined> {
    try {
      return (await this.client.send<ArmConnection>('GET', this.path(name))).body;
    } catch (e) {
      if (isConnectionNotFound(e)) return undefined;
      throw e;
    }
  }

  async put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
    const response = await this.client.send<ArmConnection>('PUT', this.path(name), { properties });
    return expectResource(response, 'PUT', name);
  }

  async patch(name: string, properties: Partial<ConnectionProperties>): Promise<ArmConnection> {
    const response = await this.client.send<ArmConnection>('PATCH', this.path(name), { properties });
    return expectResource(response, 'PATCH', name);
  }

  async delete(name: string): Promise<boolean> {
    try {
      const response = await this.client.send('DELETE', this.path(name));
      return response.status !== 204;
    } catch (e) {
      if (isConnectionNotFound(e)) return false;
      throw e;
    }
  }

  async listSecrets(name: string): Promise<ArmConnection> {
    const response = await this.client.send<ArmConnection>('POST', `${this.path(name)}/listsecrets`);
    return expectResource(response, 'POST listsecrets', name);
  }

  preconnect(count: number): void {
    this.client.preconnect(count);
  }

  /**
   * POST testconnection (api-versions 2025-06-01 and 2026-07-15-preview have it; 2026-07-01 and
   * 2026-09-01 do not), then poll the Location it returns, honouring Retry-After, until 200 or 204.
   * A failed test arrives as an error status (thrown as ArmError) or as an `error` in the final body.
   */
  async testConnection(name: string, properties?: ConnectionProperties, options: TestConnectionOptions = {}): Promise<TestConnectionResult> {
    const maxWaitInMs = options.maxWaitInMs ?? 120_000;
    const pollIntervalInMs = options.pollIntervalInMs ?? 2_000;
    const clock = options.clock ?? realClock;
    const deadline = clock.now() + maxWaitInMs;
    const signal = options.abortSignal;
    let response = await this.client.send('POST', `${this.path(name)}/testconnection`, properties ? { properties } : undefined, { abortSignal: signal });
    let location: string | undefined;
    let polls = 0;
    while (response.status === 202) {
      location = response.headers['location'] ?? location;
      if (!location) {
        throw new ArmError(msg('Platform_ArmTestNoLocation', name), 202, 'NoLocation', requestIdOf(response.headers));
      }
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        throw new ArmError(msg('Platform_ArmTestTimeout', name, Math.round(maxWaitInMs / 1000)), 202, 'PollingTimeout', requestIdOf(response.headers));
      }
      await clock.sleep(Math.min(retryAfterInMs(response.headers, clock.now()) ?? pollIntervalInMs, remaining), signal);
      response = await this.client.send('GET', location, undefined, { abortSignal: signal });
      polls++;
    }
    const body = response.body;
    if (isRecord(body)) {
      const error = isRecord(body.error) ? body.error : undefined;
      const status = typeof body.status === 'string' ? body.status : '';
      if (error || /^(failed|canceled|cancelled)$/i.test(status)) {
        const message = typeof error?.message === 'string' && error.message ? error.message : msg('Platform_ArmTestEnded', name, status || msg('Platform_ArmTestFailedStatus'));
        const code = typeof error?.code === 'string' ? error.code : status || undefined;
        throw new ArmError(message, response.status, code, requestIdOf(response.headers), 'GET', location);
      }
    }
    return { status: response.status, body, polls };
  }

  private path(name: string): string {
    return `${this.basePath}/${pathSegment(name, 'connection')}`;
  }
}

function expectResource(response: { status: number; body: ArmConnection; headers: Record<string, string> }, what: string, name: string): ArmConnection {
  if ((response.status !== 200 && response.status !== 201) || !isRecord(response.body)) {
    throw new ArmError(
      msg('Platform_ArmNoResource', what, name, response.status),
      response.status,
      'UnexpectedResponse',
      requestIdOf(response.headers),
    );
  }
  return response.body;
}

/** Retry-After as seconds or an HTTP date (counted from `now`), or retry-after-ms / x-ms-retry-after-ms. */
export function retryAfterInMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers[name]);
    if (headers[name] && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['x-ms-request-id'] ?? headers['x-ms-correlation-request-id'];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
