/**
 * The identity side of the sandbox: a Microsoft Entra authority (OpenID configuration and the v2.0
 * token endpoint: client secret, certificate assertion, federated assertion), the managed identity
 * endpoint (IMDS), the Azure DevOps OIDC token API, and Azure Stack's /metadata/endpoints.
 */
import { createPublicKey, createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { SandboxImpl } from './index';
import { decodeJwt, newJti, signJwt, verifyJwtSignature } from './jwt';
import { send, type RequestContext } from './http';
import type { ManagedIdentitySpec, ServiceConnectionSpec, ServicePrincipalSpec } from './types';

export interface RegisteredPrincipal extends ServicePrincipalSpec {
  objectId: string;
  certificates: { x5t: string; x5tS256: string; publicKeyPem: string }[];
}

export interface RegisteredManagedIdentity {
  clientId: string;
  objectId: string;
  tenantId: string;
  system: boolean;
}

export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function certificateThumbprints(pem: string): { x5t: string; x5tS256: string; publicKeyPem: string } {
  const cert = new X509Certificate(pem);
  return {
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    publicKeyPem: cert.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Normalise an audience/resource for comparison: no "/.default", no trailing slashes, lower case. */
export function normaliseAudience(a: string): string {
  return a.replace(/\/\.default$/i, '').replace(/\/+$/, '').toLowerCase();
}

function aadError(ctx: RequestContext, status: number, error: string, code: number, description: string): void {
  const trace = randomUUID();
  const correlation = ctx.headers['client-request-id'] ?? randomUUID();
  const timestamp = new Date(ctx.receivedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  send(ctx, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: trace,
    correlation_id: correlation,
    error_uri: `${ctx.url.origin}/error?code=${code}`,
  });
}

export class IdentityState {
  readonly principals = new Map<string, RegisteredPrincipal>(); // key: tenant/clientId lower
  readonly managedIdentities: RegisteredManagedIdentity[] = [];
  readonly serviceConnections = new Map<string, ServiceConnectionSpec & { projectName: string }>();
  /**
   * Every credential that crossed this authority: access tokens and OIDC tokens it issued, client
   * assertions it received. Tests look for each of them in a task's output (none may appear).
   */
  readonly tokens: string[] = [];

  constructor(private readonly sb: SandboxImpl) {}

  addServicePrincipal(spec: ServicePrincipalSpec): RegisteredPrincipal {
    const p: RegisteredPrincipal = {
      ...spec,
      objectId: spec.objectId ?? randomUUID(),
      certificates: spec.certificatePem ? [certificateThumbprints(spec.certificatePem)] : [],
    };
    this.principals.set(`${spec.tenantId}/${spec.clientId}`.toLowerCase(), p);
    return p;
  }

  addManagedIdentity(spec: ManagedIdentitySpec): RegisteredManagedIdentity {
    const mi: RegisteredManagedIdentity = {
      clientId: spec.clientId ?? randomUUID(),
      objectId: spec.objectId ?? randomUUID(),
      tenantId: spec.tenantId ?? this.sb.defaultTenantId,
      system: spec.system === true || spec.clientId === undefined,
    };
    this.managedIdentities.push(mi);
    return mi;
  }

  addServiceConnection(spec: ServiceConnectionSpec): { id: string; name: string; subject: string } {
    const projectName = spec.projectName ?? this.sb.projectName;
    this.serviceConnections.set(spec.id.toLowerCase(), { ...spec, projectName });
    return { id: spec.id, name: spec.name, subject: this.subjectFor(spec.name, projectName) };
  }

  subjectFor(connectionName: string, projectName = this.sb.projectName): string {
    return `sc://${this.sb.organization}/${projectName}/${connectionName}`;
  }

  /** An ARM (or other audience) access token as Entra would issue it. */
  issueAccessToken(tenantId: string, clientId: string, objectId: string, audience: string, kind: 'app' | 'mi'): { token: string; expiresIn: number; expiresOn: number } {
    const iat = this.sb.nowSeconds();
    const exp = iat + this.sb.tokenLifetimeSeconds;
    const token = signJwt(
      {
        aud: audience,
        iss: `${this.sb.url}${tenantId}/`,
        iat,
        nbf: iat,
        exp,
        appid: clientId,
        azp: clientId,
        oid: objectId,
        sub: objectId,
        tid: tenantId,
        idtyp: 'app',
        xms_mirid: kind === 'mi' ? `sandbox-managed-identity/${clientId}` : undefined,
        uti: newJti(),
      },
      this.sb.keys.entra.privateKey,
      this.sb.keys.entra.kid,
    );
    this.tokens.push(token);
    return { token, expiresIn: exp - iat, expiresOn: exp };
  }

  // ---- Entra ---------------------------------------------------------------------------------

  handleEntra(ctx: RequestContext, tenant: string, rest: string): void {
    const base = this.sb.url;
    if (ctx.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') {
      send(ctx, 200, {
        token_endpoint: `${base}${tenant}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}${tenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}oidc/userinfo`,
        authorization_endpoint: `${base}${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}${tenant}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}${tenant}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid'],
        kerberos_endpoint: `${base}${tenant}/kerberos`,
        tenant_region_scope: 'WW',
        cloud_instance_name: 'sandbox',
        cloud_graph_host_name: '127.0.0.1',
        msgraph_host: '127.0.0.1',
        rbac_url: base,
      });
      return;
    }
    if (ctx.method === 'GET' && rest === 'discovery/v2.0/keys') {
      const jwk = createPublicKey(this.sb.keys.entra.publicKey).export({ format: 'jwk' });
      send(ctx, 200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.sb.keys.entra.kid, n: jwk.n, e: jwk.e }] });
      return;
    }
    if (ctx.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
      this.token(ctx, tenant, rest);
      return;
    }
    send(ctx, 404, { error: 'not_found', error_description: `The sandbox authority does not serve '${ctx.path}'.` });
  }

  private token(ctx: RequestContext, tenant: string, rest: string): void {
    const form = (ctx.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'client_credentials') {
      aadError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type ?? ''}'. The sandbox supports client_credentials only.`);
      return;
    }
    const clientId = form.client_id ?? '';
    const tenantKnown = [...this.principals.values()].some((p) => p.tenantId.toLowerCase() === tenant.toLowerCase());
    if (!tenantKnown) {
      aadError(ctx, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      return;
    }
    const p = this.principals.get(`${tenant}/${clientId}`.toLowerCase());
    if (!p) {
      aadError(ctx, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
      return;
    }
    // scope
    const scope = (form.scope ?? '').trim();
    if (!/\/\.default$/i.test(scope) || scope.includes(' ')) {
      aadError(ctx, 400, 'invalid_scope', 1002012, `The provided value for scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      return;
    }
    const resource = scope.replace(/\/\.default$/i, '');
    if (!this.sb.audiences().includes(normaliseAudience(resource))) {
      aadError(ctx, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant.`);
      return;
    }
    // client authentication
    const tokenEndpoint = `${this.sb.url}${tenant}/${rest}`;
    if (form.client_secret !== undefined) {
      if (!p.secret || form.client_secret !== p.secret) {
        aadError(ctx, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
        return;
      }
    } else if (form.client_assertion !== undefined) {
      this.tokens.push(form.client_assertion);
      if (form.client_assertion_type !== JWT_BEARER) {
        aadError(ctx, 400, 'invalid_request', 50027, `client_assertion_type must be '${JWT_BEARER}'.`);
        return;
      }
      const problem = this.checkAssertion(form.client_assertion, p, tokenEndpoint);
      if (problem) {
        aadError(ctx, problem.status, problem.error, problem.code, problem.message);
        return;
      }
    } else {
      aadError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      return;
    }
    const t = this.issueAccessToken(p.tenantId, p.clientId, p.objectId, resource, 'app');
    this.sb.logLine(`entra: issued a token for ${clientId} (${form.client_secret !== undefined ? 'secret' : 'assertion'}) audience ${resource}`);
    send(ctx, 200, { token_type: 'Bearer', expires_in: t.expiresIn, ext_expires_in: t.expiresIn, access_token: t.token });
  }

  private checkAssertion(assertion: string, p: RegisteredPrincipal, tokenEndpoint: string): { status: number; error: string; code: number; message: string } | undefined {
    const jwt = decodeJwt(assertion);
    if (!jwt) return { status: 400, error: 'invalid_request', code: 50027, message: 'JWT token is invalid or malformed.' };
    const now = this.sb.nowSeconds();
    const exp = Number(jwt.payload.exp);
    const nbf = jwt.payload.nbf === undefined ? 0 : Number(jwt.payload.nbf);
    if (!Number.isFinite(exp) || exp + 300 < now || nbf - 300 > now) {
      return { status: 400, error: 'invalid_client', code: 700024, message: 'Client assertion is not within its valid time range.' };
    }
    const iss = String(jwt.payload.iss ?? '');
    const sub = String(jwt.payload.sub ?? '');
    const audClaim = jwt.payload.aud;
    const auds = (Array.isArray(audClaim) ? audClaim : [audClaim]).map((a) => String(a));
    if (iss.toLowerCase() === p.clientId.toLowerCase()) {
      // certificate assertion
      const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : undefined;
      const x5tS256 = typeof jwt.header['x5t#S256'] === 'string' ? (jwt.header['x5t#S256'] as string) : undefined;
      const cert = p.certificates.find((c) => (x5t && c.x5t === x5t) || (x5tS256 && c.x5tS256 === x5tS256));
      if (!cert) {
        return { status: 401, error: 'invalid_client', code: 700027, message: `The certificate with identifier used to sign the client assertion is not registered on application '${p.clientId}'.` };
      }
      if (!verifyJwtSignature(jwt, cert.publicKeyPem)) {
        return { status: 401, error: 'invalid_client', code: 700027, message: 'Client assertion failed signature validation.' };
      }
      if (sub.toLowerCase() !== p.clientId.toLowerCase()) {
        return { status: 401, error: 'invalid_client', code: 700023, message: 'The client assertion subject must be the client id.' };
      }
      const want = tokenEndpoint.toLowerCase();
      const accepted = [want, want.replace('/oauth2/v2.0/token', '/oauth2/token')];
      if (!auds.some((a) => accepted.includes(a.toLowerCase()))) {
        return { status: 401, error: 'invalid_client', code: 700021, message: `The audience of the client assertion '${auds.join(', ')}' is not the token endpoint '${tokenEndpoint}'.` };
      }
      return undefined;
    }
    // federated assertion
    const issuer = p.federatedIssuer ?? this.sb.oidcIssuer;
    if (iss !== issuer || !p.federatedSubject) {
      return { status: 400, error: 'invalid_request', code: 700211, message: `No matching federated identity record found for presented assertion issuer '${iss}'.` };
    }
    if (jwt.header.kid !== this.sb.keys.devops.kid || !verifyJwtSignature(jwt, this.sb.keys.devops.publicKey)) {
      return { status: 401, error: 'invalid_client', code: 700027, message: 'Client assertion failed signature validation.' };
    }
    if (!auds.includes(FEDERATION_AUDIENCE)) {
      return { status: 400, error: 'invalid_request', code: 700212, message: `No matching federated identity record found for presented assertion audience '${auds.join(', ')}'.` };
    }
    if (sub !== p.federatedSubject) {
      return { status: 400, error: 'invalid_request', code: 700213, message: `No matching federated identity record found for presented assertion subject '${sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.` };
    }
    return undefined;
  }

  // ---- IMDS ----------------------------------------------------------------------------------

  /** Find the identity an IMDS request asks for, or undefined. */
  findManagedIdentity(query: Record<string, string>): RegisteredManagedIdentity | undefined {
    const id = query.client_id ?? query.object_id ?? query.principal_id ?? query.msi_res_id ?? query.mi_res_id;
    if (id === undefined) return [...this.managedIdentities].reverse().find((m) => m.system);
    return this.managedIdentities.find((m) => m.clientId.toLowerCase() === id.toLowerCase() || m.objectId.toLowerCase() === id.toLowerCase() || `sandbox-managed-identity/${m.clientId}` === id);
  }

  handleImds(ctx: RequestContext, mi: RegisteredManagedIdentity | undefined): void {
    if (!/^\/metadata\/identity\/oauth2\/token\/?$/.test(ctx.path) || ctx.method !== 'GET') {
      send(ctx, 404, { error: 'not_found', error_description: `The sandbox IMDS does not serve ${ctx.method} ${ctx.path}.` });
      return;
    }
    if ((ctx.headers.metadata ?? '').toLowerCase() !== 'true') {
      send(ctx, 400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
      return;
    }
    if (!ctx.query['api-version']) {
      send(ctx, 400, { error: 'invalid_request', error_description: 'Required query variable api-version is missing' });
      return;
    }
    const resource = ctx.query.resource;
    if (!resource) {
      send(ctx, 400, { error: 'invalid_request', error_description: 'Required query variable resource is missing' });
      return;
    }
    if (!mi) {
      send(ctx, 400, { error: 'invalid_request', error_description: 'Identity not found' });
      return;
    }
    if (!this.sb.audiences().includes(normaliseAudience(resource))) {
      send(ctx, 400, { error: 'invalid_resource', error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${mi.tenantId}.` });
      return;
    }
    const t = this.issueAccessToken(mi.tenantId, mi.clientId, mi.objectId, resource, 'mi');
    this.sb.logLine(`imds: issued a token for ${mi.system ? 'the system-assigned' : 'user-assigned'} identity ${mi.clientId}`);
    send(ctx, 200, {
      access_token: t.token,
      client_id: mi.clientId,
      expires_in: String(t.expiresIn),
      expires_on: String(t.expiresOn),
      ext_expires_in: String(t.expiresIn),
      not_before: String(t.expiresOn - t.expiresIn),
      resource,
      token_type: 'Bearer',
    });
  }

  // ---- Azure DevOps --------------------------------------------------------------------------

  handleDevOps(ctx: RequestContext, rest: string): void {
    if (ctx.method === 'OPTIONS' && /^_apis\/distributedtask\/?$/i.test(rest)) {
      send(ctx, 200, {
        count: 1,
        value: [
          {
            id: '69a319f4-28c1-4bfd-93e6-ea0ff5c6f1a2',
            area: 'distributedtask',
            resourceName: 'oidctoken',
            routeTemplate: '{scopeIdentifier}/_apis/{area}/hubs/{hubName}/plans/{planId}/jobs/{jobId}/{resource}',
            resourceVersion: 1,
            minVersion: '7.1',
            maxVersion: '7.2',
            releasedVersion: '0.0',
          },
        ],
      });
      return;
    }
    // (room for the service-endpoints list API used by the Migrate task's inventory:
    //  GET {collection}/{project}/_apis/serviceendpoint/endpoints — not served yet)
    const m = /^([^/]+)\/_apis\/distributedtask\/hubs\/([^/]+)\/plans\/([^/]+)\/jobs\/([^/]+)\/oidctoken$/i.exec(rest);
    if (!m || ctx.method !== 'POST') {
      this.devopsError(ctx, 404, `The sandbox does not serve ${ctx.method} ${ctx.path}.`, 'NotFoundException');
      return;
    }
    const auth = ctx.req.headers.authorization ?? '';
    if (auth !== `Bearer ${this.sb.jobAccessToken}`) {
      this.devopsError(ctx, 401, "TF400813: The user '' is not authorized to access this resource.", 'UnauthorizedRequestException');
      return;
    }
    const [, project, hub, plan, job] = m;
    const apiVersion = ctx.query['api-version'] ?? /api-version=([^;,\s]+)/.exec(ctx.headers.accept ?? '')?.[1];
    if (!apiVersion) {
      this.devopsError(ctx, 400, 'No api-version was supplied for the POST request.', 'VssVersionNotSpecifiedException');
      return;
    }
    if (project.toLowerCase() !== this.sb.projectId.toLowerCase() && project.toLowerCase() !== this.sb.projectName.toLowerCase()) {
      this.devopsError(ctx, 404, `The project '${project}' does not exist.`, 'ProjectDoesNotExistException');
      return;
    }
    if (!['build', 'release'].includes(hub.toLowerCase()) || plan.toLowerCase() !== this.sb.planId || job.toLowerCase() !== this.sb.jobId) {
      this.devopsError(ctx, 404, `The orchestration plan ${plan} / job ${job} in hub ${hub} was not found.`, 'TaskOrchestrationPlanNotFoundException');
      return;
    }
    const scId = ctx.query.serviceConnectionId;
    const sc = scId ? this.serviceConnections.get(scId.toLowerCase()) : undefined;
    if (!sc) {
      this.devopsError(ctx, 400, `The service connection '${scId ?? ''}' does not exist or the job is not authorized to use it.`, 'InvalidServiceEndpointException');
      return;
    }
    const iat = this.sb.nowSeconds();
    const oidcToken = signJwt(
      {
        jti: newJti(),
        sub: this.subjectFor(sc.name, sc.projectName),
        aud: FEDERATION_AUDIENCE,
        iss: this.sb.oidcIssuer,
        nbf: iat,
        iat,
        exp: iat + 600,
      },
      this.sb.keys.devops.privateKey,
      this.sb.keys.devops.kid,
    );
    this.tokens.push(oidcToken);
    this.sb.logLine(`devops: issued an OIDC token for service connection ${sc.name}`);
    send(ctx, 200, { oidcToken });
  }

  private devopsError(ctx: RequestContext, status: number, message: string, typeKey: string): void {
    send(ctx, status, { $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.${typeKey}, Microsoft.TeamFoundation`, typeKey, errorCode: 0, eventId: 3000 });
  }

  // ---- Azure Stack ---------------------------------------------------------------------------

  handleStackMetadata(ctx: RequestContext): void {
    if (ctx.method !== 'GET') {
      send(ctx, 405, { error: { code: 'MethodNotAllowed', message: 'GET only' } });
      return;
    }
    const base = this.sb.url;
    send(ctx, 200, {
      galleryEndpoint: `${base}gallery/`,
      graphEndpoint: `${base}graph/`,
      portalEndpoint: `${base}portal/`,
      authentication: { loginEndpoint: base, audiences: [this.sb.stackAudience] },
    });
  }
}
