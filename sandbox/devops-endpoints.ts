/**
 * The Azure DevOps service-endpoint API of the sandbox, as azure-devops-node-api's ServiceEndpointApi
 * calls it: `OPTIONS {collection}/_apis/serviceendpoint` (the location lookup), then
 * `GET {collection}/{project}/_apis/serviceendpoint/endpoints[?endpointIds=a,b]` and
 * `GET {collection}/{project}/_apis/serviceendpoint/endpoints/{id}`. Bearer job token required. Like the
 * real service it never returns credentials: secret authorization parameters come back as null.
 */
import { send, type RequestContext } from './http';

/** The serviceendpoint area's `endpoints` resource (azure-devops-node-api ServiceEndpointApiBase). */
export const ENDPOINTS_LOCATION_ID = 'e85f1c62-adfc-4b74-b618-11a150fb195e';

export interface ServiceEndpointRecordSpec {
  /** GUID (stored lower-case) */
  id: string;
  name: string;
  /** e.g. dockerregistry, externalPythonDownloadFeed, git, github, azurerm */
  type: string;
  url: string;
  /** authorization scheme, e.g. UsernamePassword */
  scheme: string;
  /** authorization parameters as the service connection holds them (secret ones are never returned) */
  parameters?: Record<string, string>;
  data?: Record<string, string>;
  description?: string;
}

/** Parameters the service returns; every other parameter is a secret and comes back as null. */
const PUBLIC_PARAMETERS = new Set(
  ['username', 'registry', 'email', 'loginserver', 'serviceprincipalid', 'tenantid', 'scope', 'authenticationtype', 'scheme', 'role', 'configurationid', 'workloadidentityfederationsubject', 'workloadidentityfederationissuer'],
);

export interface DevOpsEndpointsHost {
  readonly jobAccessToken: string;
  readonly projectId: string;
  readonly projectName: string;
  logLine(line: string): void;
}

export class DevOpsEndpoints {
  readonly endpoints = new Map<string, ServiceEndpointRecordSpec>();
  /** answer 403 to the list and get calls (a job token without the Reader role on service connections) */
  deny = false;
  /** the status (default 403) and message (default: the service's own sentence) of that answer */
  denyStatus = 403;
  denyMessage: string | undefined;

  constructor(private readonly host: DevOpsEndpointsHost) {}

  add(spec: ServiceEndpointRecordSpec): ServiceEndpointRecordSpec {
    const record = { ...spec, id: spec.id.toLowerCase() };
    this.endpoints.set(record.id, record);
    return record;
  }

  /** Handles the request when it is for this API (path relative to the collection); false otherwise. */
  handle(ctx: RequestContext, rest: string): boolean {
    if (/^_apis\/serviceendpoint\/?$/i.test(rest)) {
      if (ctx.method !== 'OPTIONS') return false;
      send(ctx, 200, {
        count: 1,
        value: [
          {
            id: ENDPOINTS_LOCATION_ID,
            area: 'serviceendpoint',
            resourceName: 'endpoints',
            routeTemplate: '{project}/_apis/{area}/{resource}/{endpointId}',
            resourceVersion: 4,
            minVersion: '5.0',
            maxVersion: '7.2',
            releasedVersion: '7.1',
          },
        ],
      });
      return true;
    }
    const m = /^([^/]+)\/_apis\/serviceendpoint\/endpoints(?:\/([^/]+))?\/?$/i.exec(rest);
    if (!m) return false;
    if (ctx.method !== 'GET') {
      this.error(ctx, 405, `The sandbox serves only GET on ${ctx.path}.`, 'MethodNotAllowedException');
      return true;
    }
    if ((ctx.req.headers.authorization ?? '') !== `Bearer ${this.host.jobAccessToken}`) {
      this.error(ctx, 401, "TF400813: The user '' is not authorized to access this resource.", 'UnauthorizedRequestException');
      return true;
    }
    const apiVersion = ctx.query['api-version'] ?? /api-version=([^;,\s]+)/.exec(ctx.headers.accept ?? '')?.[1];
    if (!apiVersion) {
      this.error(ctx, 400, 'No api-version was supplied for the GET request.', 'VssVersionNotSpecifiedException');
      return true;
    }
    const project = decodeURIComponent(m[1]!);
    if (project.toLowerCase() !== this.host.projectId.toLowerCase() && project.toLowerCase() !== this.host.projectName.toLowerCase()) {
      this.error(ctx, 404, `The project '${project}' does not exist.`, 'ProjectDoesNotExistException');
      return true;
    }
    if (this.deny) {
      this.error(ctx, this.denyStatus, this.denyMessage ?? 'Access denied. The build service needs Use or Reader permissions on service connections.', 'AccessCheckException');
      return true;
    }
    if (m[2]) {
      const one = this.endpoints.get(decodeURIComponent(m[2]).toLowerCase());
      // the real service answers 200 with an empty body for an unknown id
      send(ctx, 200, one ? this.render(one) : '');
      return true;
    }
    const ids = (ctx.query.endpointIds ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const type = (ctx.query.type ?? '').toLowerCase();
    const value = [...this.endpoints.values()]
      .filter((e) => (ids.length === 0 || ids.includes(e.id)) && (!type || e.type.toLowerCase() === type))
      .map((e) => this.render(e));
    this.host.logLine(`devops: listed ${value.length} service endpoint(s)`);
    send(ctx, 200, { count: value.length, value });
    return true;
  }

  private render(e: ServiceEndpointRecordSpec): Record<string, unknown> {
    const parameters: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(e.parameters ?? {})) parameters[k] = PUBLIC_PARAMETERS.has(k.toLowerCase()) ? v : null;
    return {
      data: { ...(e.data ?? {}) },
      id: e.id,
      name: e.name,
      type: e.type,
      url: e.url,
      createdBy: { displayName: 'Sandbox User', id: '00000000-0000-0000-0000-000000000001' },
      description: e.description ?? '',
      authorization: { parameters, scheme: e.scheme },
      isShared: false,
      isReady: true,
      isOutdated: false,
      owner: 'Library',
      serviceEndpointProjectReferences: [{ projectReference: { id: this.host.projectId, name: this.host.projectName }, name: e.name, description: e.description ?? '' }],
    };
  }

  private error(ctx: RequestContext, status: number, message: string, typeKey: string): void {
    send(ctx, status, { $id: '1', innerException: null, message, typeName: `Microsoft.VisualStudio.Services.${typeKey}, Microsoft.VisualStudio.Services.Common`, typeKey, errorCode: 0, eventId: 3000 });
  }
}
