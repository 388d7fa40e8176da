/**
 * The project's service connections from the Azure DevOps service-endpoint REST API (azure-devops-node-api),
 * read with the job's access token (SystemVssConnection). The API never returns credentials: this gives
 * names, types, schemes, URLs and non-secret parameters only. No task-lib here.
 */
import { BearerCredentialHandler } from 'azure-devops-node-api/handlers/bearertoken';
import { ServiceEndpointApi } from 'azure-devops-node-api/ServiceEndpointApi';
import type { IRequestOptions } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';
import type { ServiceEndpoint as ApiServiceEndpoint } from 'azure-devops-node-api/interfaces/ServiceEndpointInterfaces';
import { UserError } from '../core/errors';
import { msg } from '../messages';
import type { ProxySettings } from '../core/network';
import type { ServiceEndpoint } from '../migrate/types';

export interface DevOpsConnection {
  /** System.CollectionUri (the serviceendpoint area is served at the collection URL) */
  collectionUri: string;
  /** System.TeamProjectId */
  project: string;
  /** the job access token */
  accessToken: string;
  proxy?: ProxySettings;
  /** a CA file to trust in addition to the system's (Agent.CAInfo) */
  caFile?: string;
  userAgent?: string;
}

/** Reads service connections of the job's project. */
export interface ServiceEndpointDirectory {
  /** every service connection of the project, or only those with the given ids */
  list(ids?: string[]): Promise<ServiceEndpoint[]>;
}

export function serviceEndpointDirectory(conn: DevOpsConnection): ServiceEndpointDirectory {
  const options: IRequestOptions = { socketTimeout: 60_000, allowRetries: true, maxRetries: 3 };
  if (conn.proxy) {
    options.proxy = { proxyUrl: conn.proxy.url, proxyUsername: conn.proxy.username, proxyPassword: conn.proxy.password, proxyBypassHosts: conn.proxy.bypass ?? [] };
  }
  if (conn.caFile) options.cert = { caFile: conn.caFile };
  const base = conn.collectionUri.endsWith('/') ? conn.collectionUri : `${conn.collectionUri}/`;
  const api = new ServiceEndpointApi(base, [new BearerCredentialHandler(conn.accessToken, false)], options, conn.userAgent);
  return {
    async list(ids?: string[]): Promise<ServiceEndpoint[]> {
      let found: ApiServiceEndpoint[];
      try {
        found = (await api.getServiceEndpoints(conn.project, undefined, undefined, ids && ids.length ? ids : undefined)) ?? [];
      } catch (e) {
        throw new UserError(describeApiError(e, base));
      }
      return found.map(fromApi);
    },
  };
}

function fromApi(e: ApiServiceEndpoint): ServiceEndpoint {
  const auth: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.authorization?.parameters ?? {})) if (v !== null && v !== undefined) auth[k.toLowerCase()] = String(v);
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.data ?? {})) if (v !== null && v !== undefined) data[k.toLowerCase()] = String(v);
  return {
    id: String(e.id ?? '').toLowerCase(),
    name: e.name ?? undefined,
    type: e.type ?? '',
    url: e.url ?? '',
    scheme: e.authorization?.scheme ?? '',
    auth,
    data,
  };
}

function describeApiError(e: unknown, base: string): string {
  const status = (e as { statusCode?: number }).statusCode;
  const message = e instanceof Error ? e.message.split(/\r?\n/)[0] : String(e);
  const origin = new URL(base).origin;
  if (status === 401 || status === 403) return msg('Task_DevOpsForbidden', origin, status);
  return status ? msg('Task_DevOpsFailedStatus', origin, status, message) : msg('Task_DevOpsFailed', origin, message);
}
