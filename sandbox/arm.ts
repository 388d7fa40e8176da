/**
 * The ARM side of the sandbox: Microsoft.MachineLearningServices workspaces and their connections,
 * as the 2025-06-01 REST API behaves (see the reference arm-connections-api.md):
 * PUT 200 only and a whole replacement, PATCH merges properties, DELETE 200 or 204, GET/List never
 * return credentials, listsecrets does, List pages with a nextLink carrying $skip, testconnection is
 * a 202 + Location long-running operation. Names are case-insensitive and keep the casing of the
 * first PUT.
 */
import { randomUUID } from 'node:crypto';
import type { ArmConnection, ConnectionProperties, SeedOptions, TestConnectionResult, WorkspaceRef } from './types';
import { armError, send, type RequestContext } from './http';
import type { SandboxImpl } from './index';

const PROVIDER = 'Microsoft.MachineLearningServices';
const SPEC_WS = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}';
const SPEC_CONNS = `${SPEC_WS}/connections`;
const SPEC_CONN = `${SPEC_CONNS}/{connectionName}`;

/** Built-in path-parameter rules, used when the spec is absent (the spec's own rules are used when present). */
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const RG_PATTERN = /^[-\w._()]{1,90}$/u;

/** Which credential fields must be non-empty for testconnection to pass, per authType. */
const REQUIRED_SECRET: Record<string, string[]> = {
  pat: ['pat'],
  sas: ['sas'],
  usernamepassword: ['username', 'password'],
  accountkey: ['key'],
  serviceprincipal: ['clientId', 'clientSecret', 'tenantId'],
  accesskey: ['accessKeyId', 'secretAccessKey'],
  apikey: ['key'],
  customkeys: ['keys'],
  oauth2: ['clientId', 'clientSecret'],
};

const READ_ONLY_PROPERTIES = ['createdByWorkspaceArmId', 'group', 'peStatus'];

export interface StoredConnection {
  name: string;
  properties: ConnectionProperties;
  datastore: boolean;
  systemData: Record<string, unknown>;
  testResult?: TestConnectionResult;
}

/**
 * What addWorkspace takes besides the ref. Network settings (publicNetworkAccess, private endpoint
 * connections with their states, the managed network's isolation mode) go into the resource's properties
 * as ARM returns them; `hub` makes a Project of that hub (properties.hubResourceId): listing the
 * project's connections then returns the hub's shared ones too (isSharedToAll not false), with their ids
 * under the hub, and GET or listsecrets of such a name through the project answers with the hub's;
 * PUT, PATCH and DELETE through the project only ever touch the project's own. A hub stores every
 * connection written to it with isSharedToAll true (hubs force it server-side; seeded ones keep what
 * they are given).
 */
export interface WorkspaceExtra {
  kind?: string;
  location?: string;
  properties?: Record<string, unknown>;
  tags?: Record<string, string>;
  /** the hub of a project (kind defaults to Project) */
  hub?: WorkspaceRef;
  /** `Enabled` or `Disabled` */
  publicNetworkAccess?: string;
  /** status: Approved, Pending, Rejected, Disconnected; provisioningState: Succeeded, Creating, Deleting, Failed */
  privateEndpoints?: { name: string; status: string; provisioningState?: string }[];
  /** the managed network's isolationMode: Disabled, AllowInternetOutbound, AllowOnlyApprovedOutbound */
  managedNetwork?: string;
}

export interface StoredWorkspace {
  ref: WorkspaceRef;
  kind: string;
  /** a project's hub */
  hub?: WorkspaceRef;
  location: string;
  properties: Record<string, unknown>;
  tags: Record<string, string>;
  connections: Map<string, StoredConnection>;
  denyListSecrets: boolean;
}

interface TestOperation {
  id: string;
  pending: number;
  result: TestConnectionResult;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function workspaceId(ref: WorkspaceRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${PROVIDER}/workspaces/${ref.workspace}`;
}

function refOf(id: string): WorkspaceRef | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)$/i.exec(id);
  return m ? { subscriptionId: m[1], resourceGroup: m[2], workspace: m[3] } : undefined;
}

function wsKey(ref: WorkspaceRef): string {
  return `${ref.subscriptionId}/${ref.resourceGroup}/${ref.workspace}`.toLowerCase();
}

export class ArmState {
  readonly workspaces = new Map<string, StoredWorkspace>();
  private readonly operations = new Map<string, TestOperation>();

  constructor(private readonly sb: SandboxImpl) {}

  addWorkspace(ref: WorkspaceRef, extra: WorkspaceExtra = {}): StoredWorkspace {
    const existing = this.workspaces.get(wsKey(ref));
    if (existing) return existing;
    const location = extra.location ?? 'westeurope';
    const properties: Record<string, unknown> = { ...(extra.properties ?? {}) };
    if (extra.hub) properties.hubResourceId = workspaceId(extra.hub);
    if (extra.publicNetworkAccess) properties.publicNetworkAccess = extra.publicNetworkAccess;
    if (extra.managedNetwork) properties.managedNetwork = { isolationMode: extra.managedNetwork, status: { status: 'Active' } };
    if (extra.privateEndpoints) {
      properties.privateEndpointConnections = extra.privateEndpoints.map((pe) => ({
        id: `${workspaceId(ref)}/privateEndpointConnections/${pe.name}`,
        name: pe.name,
        type: `${PROVIDER}/workspaces/privateEndpointConnections`,
        location,
        properties: {
          privateEndpoint: { id: `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Network/privateEndpoints/${pe.name}` },
          privateLinkServiceConnectionState: { status: pe.status, description: pe.status === 'Approved' ? 'Auto-approved' : '', actionsRequired: 'None' },
          provisioningState: pe.provisioningState ?? 'Succeeded',
        },
      }));
    }
    const hubId = typeof properties.hubResourceId === 'string' ? properties.hubResourceId : undefined;
    const hub = extra.hub ?? (hubId ? refOf(hubId) : undefined);
    const ws: StoredWorkspace = {
      ref: { ...ref },
      kind: extra.kind ?? (hub ? 'Project' : 'Default'),
      ...(hub ? { hub: { ...hub } } : {}),
      location,
      properties,
      tags: extra.tags ?? {},
      connections: new Map(),
      denyListSecrets: false,
    };
    this.workspaces.set(wsKey(ref), ws);
    return ws;
  }

  workspace(ref: WorkspaceRef): StoredWorkspace | undefined {
    return this.workspaces.get(wsKey(ref));
  }

  requireWorkspace(ref: WorkspaceRef): StoredWorkspace {
    const ws = this.workspace(ref);
    if (!ws) throw new Error(`sandbox: no workspace ${workspaceId(ref)}; call addWorkspace first`);
    return ws;
  }

  seed(ref: WorkspaceRef, name: string, properties: ConnectionProperties, options: SeedOptions = {}): void {
    const ws = this.requireWorkspace(ref);
    const key = name.toLowerCase();
    const prev = ws.connections.get(key);
    const now = new Date(this.sb.clock.now()).toISOString();
    ws.connections.set(key, {
      name: prev?.name ?? name,
      properties: clone(properties),
      datastore: options.datastore ?? false,
      systemData: { createdAt: now, createdBy: 'sandbox-seed', createdByType: 'Application', lastModifiedAt: now, lastModifiedBy: 'sandbox-seed', lastModifiedByType: 'Application' },
    });
  }

  /** The full stored object (credentials included), as ARM would return it from listsecrets. */
  stored(ref: WorkspaceRef, name: string): ArmConnection | undefined {
    const ws = this.workspace(ref);
    const c = ws?.connections.get(name.toLowerCase());
    return c && ws ? this.render(ws, c, true) : undefined;
  }

  render(ws: StoredWorkspace, c: StoredConnection, withSecrets: boolean): ArmConnection {
    const properties = clone(c.properties);
    if (!withSecrets) delete properties.credentials;
    properties.createdByWorkspaceArmId = workspaceId(ws.ref);
    return {
      id: `${workspaceId(ws.ref)}/connections/${c.name}`,
      name: c.name,
      type: `${PROVIDER}/workspaces/connections`,
      properties,
      systemData: clone(c.systemData),
    };
  }

  private renderWorkspace(ws: StoredWorkspace): Record<string, unknown> {
    return {
      id: workspaceId(ws.ref),
      name: ws.ref.workspace,
      type: `${PROVIDER}/workspaces`,
      location: ws.location,
      kind: ws.kind,
      tags: ws.tags,
      identity: { type: 'SystemAssigned', principalId: '00000000-0000-0000-0000-0000000000aa', tenantId: '00000000-0000-0000-0000-0000000000bb' },
      properties: { friendlyName: ws.ref.workspace, provisioningState: 'Succeeded', ...ws.properties },
    };
  }

  /** Handle one ARM request (auth already checked): throttling first, as ARM does before the resource provider sees it. */
  async handle(ctx: RequestContext): Promise<void> {
    if (!this.spend(ctx)) return;
    const sb = this.sb;
    const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.machinelearningservices\/(.*)$/i.exec(ctx.path);
    const op = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.machinelearningservices\/locations\/([^/]+)\/connectionTestOperations\/([^/]+)$/i.exec(ctx.path);
    if (!m && !op) {
      armError(ctx, 404, 'InvalidResourceType', `The sandbox does not serve '${ctx.path}'.`);
      return;
    }
    // api-version
    const apiVersion = ctx.query['api-version'];
    if (!apiVersion) {
      this.fail(ctx, 'query.api-version', 'The api-version query parameter (?api-version=) is required for all requests.');
      armError(ctx, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      return;
    }
    if (!sb.apiVersions.includes(apiVersion)) {
      const msg = `The resource type 'workspaces' could not be found for api-version '${apiVersion}'. The supported api-versions are '${sb.apiVersions.join(', ')}'.`;
      this.fail(ctx, 'query.api-version', msg);
      armError(ctx, 400, 'InvalidApiVersionParameter', msg);
      return;
    }
    if (op) {
      this.pollTest(ctx, op[3]);
      return;
    }
    const [, subscriptionId, resourceGroup, rest] = m!;
    const parts = rest.split('/').map((p) => decodeURIComponent(p));
    if (parts[0]?.toLowerCase() !== 'workspaces' || !parts[1]) {
      armError(ctx, 404, 'InvalidResourceType', `The resource type '${parts[0] ?? ''}' is not served by the sandbox.`);
      return;
    }
    const ref: WorkspaceRef = { subscriptionId, resourceGroup: decodeURIComponent(resourceGroup), workspace: parts[1] };
    const pathParams: Record<string, string> = { subscriptionId, resourceGroupName: ref.resourceGroup, workspaceName: ref.workspace };
    let template: string;
    let action: string;
    if (parts.length === 2) {
      template = SPEC_WS;
      action = 'workspace';
    } else if (parts.length === 3 && parts[2].toLowerCase() === 'connections') {
      template = SPEC_CONNS;
      action = 'list';
    } else if (parts.length >= 4 && parts[2].toLowerCase() === 'connections') {
      pathParams.connectionName = parts[3];
      template = SPEC_CONN;
      action = 'connection';
      if (parts.length === 5 && parts[4].toLowerCase() === 'listsecrets') {
        template = `${SPEC_CONN}/listsecrets`;
        action = 'listsecrets';
      } else if (parts.length === 5 && parts[4].toLowerCase() === 'testconnection') {
        template = `${SPEC_CONN}/testconnection`;
        action = 'testconnection';
      } else if (parts.length !== 4) {
        armError(ctx, 404, 'InvalidResourceType', `The sandbox does not serve '${ctx.path}'.`);
        return;
      }
    } else {
      armError(ctx, 404, 'InvalidResourceType', `The sandbox does not serve '${ctx.path}'.`);
      return;
    }

    const allowed: Record<string, string[]> = {
      workspace: ['GET', 'PUT'],
      list: ['GET'],
      connection: ['GET', 'PUT', 'PATCH', 'DELETE'],
      listsecrets: ['POST'],
      testconnection: ['POST'],
    };
    if (!allowed[action].includes(ctx.method)) {
      armError(ctx, 405, 'MethodNotAllowed', `The method '${ctx.method}' is not allowed on '${ctx.path}'.`);
      return;
    }
    if (ctx.bodyError) {
      this.fail(ctx, 'body', `The request content is not valid JSON: ${ctx.bodyError}`);
      armError(ctx, 400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${ctx.bodyError}`);
      return;
    }
    // validation: path params, query, body
    const issues = this.validate(ctx, template, pathParams);
    if (issues.length > 0) {
      const first = issues[0];
      armError(ctx, 400, first.field.startsWith('path.') ? 'InvalidParameter' : 'ValidationError', issues.map((i) => i.message).join(' '), {}, first.field);
      return;
    }
    if (action === 'workspace') {
      if (ctx.method === 'PUT') {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const ws = this.addWorkspace(ref, {
          kind: typeof body.kind === 'string' ? body.kind : undefined,
          location: typeof body.location === 'string' ? body.location : undefined,
          properties: (body.properties as Record<string, unknown>) ?? {},
          tags: (body.tags as Record<string, string>) ?? {},
        });
        send(ctx, 200, this.renderWorkspace(ws));
        return;
      }
      const ws = this.findWorkspace(ctx, ref);
      if (ws) send(ctx, 200, this.renderWorkspace(ws));
      return;
    }
    const ws = this.findWorkspace(ctx, ref);
    if (!ws) return;
    if (action === 'list') {
      this.list(ctx, ws, apiVersion);
      return;
    }
    const name = pathParams.connectionName;
    const key = name.toLowerCase();
    const existing = ws.connections.get(key);
    // a hub's shared connection, read (never written) through one of its projects
    const fromHub = existing ? undefined : this.sharedFromHub(ws, key);
    if (fromHub && (action === 'listsecrets' || (action === 'connection' && ctx.method === 'GET'))) {
      if (action === 'listsecrets' && fromHub.ws.denyListSecrets) {
        armError(ctx, 403, 'AuthorizationFailed', `The client '${ctx.principal ?? 'unknown'}' does not have authorization to perform action '${PROVIDER}/workspaces/connections/listsecrets/action' over scope '${workspaceId(ws.ref)}/connections/${name}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
        return;
      }
      send(ctx, 200, this.render(fromHub.ws, fromHub.c, action === 'listsecrets'));
      return;
    }
    const notFound = () =>
      armError(ctx, 404, 'ResourceNotFound', `The connection '${name}' was not found in workspace '${ws.ref.workspace}'.`);
    switch (action) {
      case 'listsecrets':
        if (ws.denyListSecrets) {
          armError(
            ctx,
            403,
            'AuthorizationFailed',
            `The client '${ctx.principal ?? 'unknown'}' does not have authorization to perform action '${PROVIDER}/workspaces/connections/listsecrets/action' over scope '${workspaceId(ws.ref)}/connections/${name}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
          );
          return;
        }
        if (!existing) return notFound();
        send(ctx, 200, this.render(ws, existing, true));
        return;
      case 'testconnection': {
        if (!existing) return notFound();
        const id = randomUUID();
        this.operations.set(id, { id, pending: sb.testConnectionPendingPolls, result: existing.testResult ?? this.defaultTestResult(existing) });
        const location = `${sb.url}subscriptions/${ws.ref.subscriptionId}/providers/${PROVIDER}/locations/${ws.location}/connectionTestOperations/${id}?api-version=${apiVersion}`;
        send(ctx, 202, undefined, { location, 'retry-after': String(sb.testConnectionRetryAfterSeconds) });
        return;
      }
      case 'connection':
        break;
    }
    if (ctx.method === 'GET') {
      if (!existing) return notFound();
      send(ctx, 200, this.render(ws, existing, false));
      return;
    }
    if (ctx.method === 'DELETE') {
      if (!existing) {
        send(ctx, 204);
        return;
      }
      ws.connections.delete(key);
      send(ctx, 200);
      return;
    }
    const now = new Date(this.sb.clock.now()).toISOString();
    const who = ctx.principal ?? 'unknown';
    const incoming = ((ctx.body as { properties?: ConnectionProperties } | undefined)?.properties ?? {}) as ConnectionProperties;
    const cleaned = clone(incoming);
    for (const ro of READ_ONLY_PROPERTIES) delete cleaned[ro];
    // peStatus is the service's: kept across writes; a new endpoint that is required starts Inactive
    const peStatus = existing?.properties.peStatus ?? (String(cleaned.peRequirement ?? '').toLowerCase() === 'required' ? 'Inactive' : undefined);
    if (peStatus !== undefined) cleaned.peStatus = peStatus;
    // a hub shares every connection with its projects: the service stores isSharedToAll true whatever was sent
    if (ws.kind.toLowerCase() === 'hub') cleaned.isSharedToAll = true;
    if (ctx.method === 'PUT') {
      const c: StoredConnection = {
        name: existing?.name ?? name,
        properties: cleaned,
        datastore: existing?.datastore ?? false,
        systemData: {
          createdAt: existing?.systemData.createdAt ?? now,
          createdBy: existing?.systemData.createdBy ?? who,
          createdByType: 'Application',
          lastModifiedAt: now,
          lastModifiedBy: who,
          lastModifiedByType: 'Application',
        },
      };
      ws.connections.set(key, c);
      send(ctx, 200, this.render(ws, c, false));
      return;
    }
    // PATCH
    if (!existing) return notFound();
    const merged: ConnectionProperties = { ...existing.properties, ...cleaned };
    if (cleaned.credentials === undefined && cleaned.authType !== undefined && cleaned.authType.toLowerCase() !== existing.properties.authType.toLowerCase()) {
      delete merged.credentials;
    }
    existing.properties = merged;
    existing.systemData = { ...existing.systemData, lastModifiedAt: now, lastModifiedBy: who, lastModifiedByType: 'Application' };
    send(ctx, 200, this.render(ws, existing, false));
  }

  /**
   * One token from the request's bucket (per subscription and principal) and from the subscription's
   * shared one: the remaining counts go on the answer, as ARM's x-ms-ratelimit-remaining-subscription-<bucket>
   * and -global-<bucket>. Either bucket empty answers 429 with Retry-After, and the request is neither
   * handled nor charged.
   */
  private spend(ctx: RequestContext): boolean {
    const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(ctx.path)?.[1] ?? '';
    const principal = ctx.principal ?? 'unknown';
    const spend = this.sb.throttle.spend(subscriptionId, principal, ctx.method);
    ctx.bucket = spend.bucket;
    if (spend.remaining === undefined) return true;
    ctx.remaining = spend.remaining;
    ctx.globalRemaining = spend.globalRemaining;
    ctx.res.setHeader(`x-ms-ratelimit-remaining-subscription-${spend.bucket}`, String(spend.remaining));
    ctx.res.setHeader(`x-ms-ratelimit-remaining-subscription-global-${spend.bucket}`, String(spend.globalRemaining));
    if (spend.retryAfterSeconds === undefined) return true;
    ctx.throttled = true;
    const kind = spend.bucket.replace(/s$/, '');
    const whose = spend.emptied === 'subscription' ? `subscription '${subscriptionId}'` : `subscription '${subscriptionId}' actor '${principal}'`;
    this.sb.logLine(`throttled ${ctx.method} ${ctx.path}: the ${spend.bucket} bucket of ${spend.emptied === 'subscription' ? 'the subscription (every principal)' : principal} is empty`);
    armError(
      ctx,
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${kind}' requests for ${whose} exceeded. Please try again after '${spend.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { 'retry-after': String(spend.retryAfterSeconds) },
    );
    return false;
  }

  setTestResult(ref: WorkspaceRef, name: string, result: TestConnectionResult | undefined): void {
    const c = this.requireWorkspace(ref).connections.get(name.toLowerCase());
    if (!c) throw new Error(`sandbox: no connection ${name}`);
    c.testResult = result;
  }

  private defaultTestResult(c: StoredConnection): TestConnectionResult {
    const fields = REQUIRED_SECRET[c.properties.authType.toLowerCase()] ?? [];
    const creds = (c.properties.credentials ?? {}) as Record<string, unknown>;
    const missing = fields.filter((f) => {
      const v = creds[f];
      if (v === undefined || v === null || v === '') return true;
      return typeof v === 'object' && Object.keys(v as object).length === 0;
    });
    if (missing.length === 0) return { ok: true };
    return { ok: false, code: 'ConnectionTestFailed', message: `The connection '${c.name}' could not be verified: credentials.${missing.join(', credentials.')} missing.` };
  }

  private pollTest(ctx: RequestContext, id: string): void {
    const op = this.operations.get(id);
    if (!op) {
      armError(ctx, 404, 'ResourceNotFound', `Operation '${id}' was not found.`);
      return;
    }
    if (op.pending > 0) {
      op.pending--;
      send(ctx, 202, undefined, { location: ctx.url.toString(), 'retry-after': String(this.sb.testConnectionRetryAfterSeconds) });
      return;
    }
    if (op.result.ok) send(ctx, 200, {});
    else armError(ctx, 400, op.result.code ?? 'ConnectionTestFailed', op.result.message ?? 'The connection test failed.');
  }

  private findWorkspace(ctx: RequestContext, ref: WorkspaceRef): StoredWorkspace | undefined {
    const ws = this.workspace(ref);
    if (ws) return ws;
    const rgExists = [...this.workspaces.values()].some(
      (w) => w.ref.subscriptionId.toLowerCase() === ref.subscriptionId.toLowerCase() && w.ref.resourceGroup.toLowerCase() === ref.resourceGroup.toLowerCase(),
    );
    if (!rgExists) armError(ctx, 404, 'ResourceGroupNotFound', `Resource group '${ref.resourceGroup}' could not be found.`);
    else armError(ctx, 404, 'ResourceNotFound', `The Resource '${PROVIDER}/workspaces/${ref.workspace}' under resource group '${ref.resourceGroup}' was not found.`);
    return undefined;
  }

  /** The hub's connection of this name shared with the project `ws` (isSharedToAll not false), when the project has none of its own. */
  private sharedFromHub(ws: StoredWorkspace, key: string): { ws: StoredWorkspace; c: StoredConnection } | undefined {
    const hub = ws.hub ? this.workspace(ws.hub) : undefined;
    const c = hub?.connections.get(key);
    return hub && c && c.properties.isSharedToAll !== false && !ws.connections.has(key) ? { ws: hub, c } : undefined;
  }

  /** What listing `ws` returns: its own connections, then (a project) its hub's shared ones it has none of its own by. */
  private listed(ws: StoredWorkspace): { ws: StoredWorkspace; c: StoredConnection }[] {
    const own = [...ws.connections.values()].map((c) => ({ ws, c }));
    const hub = ws.hub ? this.workspace(ws.hub) : undefined;
    if (!hub) return own;
    const shared = [...hub.connections.keys()].map((k) => this.sharedFromHub(ws, k)).filter((x): x is { ws: StoredWorkspace; c: StoredConnection } => x !== undefined);
    return [...own, ...shared];
  }

  setPeStatus(ref: WorkspaceRef, name: string, status: string | undefined): void {
    const c = this.requireWorkspace(ref).connections.get(name.toLowerCase());
    if (!c) throw new Error(`sandbox: no connection ${name}`);
    if (status === undefined) delete c.properties.peStatus;
    else c.properties.peStatus = status;
  }

  private list(ctx: RequestContext, ws: StoredWorkspace, apiVersion: string): void {
    const { target, category } = ctx.query;
    const includeAll = (ctx.query.includeAll ?? '').toLowerCase() === 'true';
    const all = this.listed(ws).filter(
      ({ c }) =>
        (includeAll || !c.datastore) &&
        (target === undefined || (c.properties.target ?? '').toLowerCase() === target.toLowerCase()) &&
        (category === undefined || (c.properties.category ?? '').toLowerCase() === category.toLowerCase()),
    );
    const skipRaw = ctx.query.$skip;
    const skip = skipRaw && /^\d+$/.test(skipRaw) ? Number(skipRaw) : 0;
    const size = this.sb.pageSize;
    const page = all.slice(skip, skip + size).map((x) => this.render(x.ws, x.c, false));
    const out: { value: ArmConnection[]; nextLink?: string } = { value: page };
    if (skip + size < all.length) {
      // like the service: the continuation goes into nextLink as a literal $skip, with the filters kept
      const q = [`api-version=${encodeURIComponent(apiVersion)}`];
      if (target !== undefined) q.push(`target=${encodeURIComponent(target)}`);
      if (category !== undefined) q.push(`category=${encodeURIComponent(category)}`);
      if (ctx.query.includeAll !== undefined) q.push(`includeAll=${encodeURIComponent(ctx.query.includeAll)}`);
      q.push(`$skip=${skip + size}`);
      out.nextLink = `${this.sb.url}${ctx.path.replace(/^\//, '')}?${q.join('&')}`;
    }
    send(ctx, 200, out);
  }

  private fail(ctx: RequestContext, field: string, message: string): void {
    this.sb.validationFailures.push({ method: ctx.method, path: ctx.path, field, message });
    this.sb.logLine(`validation: ${ctx.method} ${ctx.path}: ${message}`);
  }

  private validate(ctx: RequestContext, template: string, pathParams: Record<string, string>): { field: string; message: string }[] {
    const spec = this.sb.spec;
    let issues: { field: string; message: string }[];
    if (spec && spec.hasOperation(template, ctx.method)) {
      const query = { ...ctx.query };
      delete query.$skip; // the server's own continuation, carried in nextLink
      issues = spec.validateRequest(template, ctx.method, pathParams, query, ctx.body);
    } else {
      issues = [];
      for (const [k, v] of Object.entries(pathParams)) {
        if (k === 'resourceGroupName' && !RG_PATTERN.test(v)) issues.push({ field: `path.${k}`, message: `The value '${v}' of parameter '${k}' is not a valid resource group name.` });
        if ((k === 'workspaceName' || k === 'connectionName') && !NAME_PATTERN.test(v)) {
          issues.push({ field: `path.${k}`, message: `The value '${v}' of parameter '${k}' does not match the pattern '${NAME_PATTERN.source}'.` });
        }
      }
      const includeAll = ctx.query.includeAll;
      if (includeAll !== undefined && !/^(true|false)$/i.test(includeAll)) {
        issues.push({ field: 'query.includeAll', message: `The value '${includeAll}' of parameter 'includeAll' is not a boolean.` });
      }
      if (ctx.method === 'PUT' && template === SPEC_CONN) {
        const b = ctx.body as { properties?: { authType?: unknown } } | undefined;
        if (!b || typeof b !== 'object' || !b.properties) issues.push({ field: 'body.properties', message: "'body.properties' is required." });
        else if (typeof b.properties.authType !== 'string') issues.push({ field: 'body.properties.authType', message: "'body.properties.authType' is required." });
      }
    }
    for (const i of issues) this.fail(ctx, i.field, i.message);
    return issues;
  }
}
