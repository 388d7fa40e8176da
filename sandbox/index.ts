/**
 * The sandbox: a local stand-in for the Azure side, started in-process by tests, the demo and the
 * benchmark. One HTTPS server on 127.0.0.1 (a CA made at start) serves
 *  - Azure Resource Manager: ML workspaces and their connections (arm.ts), requests validated
 *    against the official spec (spec.ts), Bearer tokens required;
 *  - a Microsoft Entra authority at `url` (OpenID configuration + v2.0 token endpoint; identity.ts);
 *  - Azure DevOps: the distributedtask location lookup and the OIDC token API under `collectionUrl`;
 *  - Azure Stack's /metadata/endpoints.
 * A plain-HTTP server plays the managed identity endpoint (IMDS). It is shared by every sandbox of
 * the process: msal-node keeps the IMDS endpoint it chose in a static
 * (ManagedIdentityClient.identitySource) for the life of the process, so the address given to the
 * first ManagedIdentityCredential must stay valid. Each IMDS request goes to the live sandbox that
 * registered the identity it asks for.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { realClock, type Clock } from '../src/core/clock';
import { ArmState, workspaceId, type WorkspaceExtra } from './arm';
import { newRequestContext, parseBody, readBody, send, armError, type RequestContext } from './http';
import { IdentityState, normaliseAudience, type RegisteredManagedIdentity, type RegisteredPrincipal } from './identity';
import { DevOpsEndpoints, type ServiceEndpointRecordSpec } from './devops-endpoints';
import { decodeJwt, verifyJwtSignature } from './jwt';
import { findSpecFile, SpecValidator } from './spec';
import { ArmThrottle } from './throttle';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority } from './tls';
import type {
  ArmConnection,
  BucketKind,
  BucketLimit,
  ConnectionProperties,
  FaultSpec,
  ManagedIdentitySpec,
  RandomFaultKind,
  RandomFaultOptions,
  RecordedRequest,
  SandboxOptions,
  SandboxService,
  SeedOptions,
  ServiceConnectionSpec,
  ServicePrincipalSpec,
  TestConnectionResult,
  ThrottlingOptions,
  ValidationFailure,
  WorkspaceRef,
} from './types';

export type * from './types';
export type { WorkspaceExtra } from './arm';
export type { ServiceEndpointRecordSpec } from './devops-endpoints';
export { SpecValidator, findSpecFile } from './spec';
export { ArmThrottle, ARM_BUCKETS, bucketOf } from './throttle';

export const SPEC_API_VERSION = '2025-06-01';
const REPO_ROOT = join(__dirname, '..');

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, kid: randomUUID().replace(/-/g, '') };
}

/** Fault injection: each scripted entry hits the next `count` matching requests; `random` hits a seeded share of them. */
export class Faults {
  private entries: (FaultSpec & { remaining: number })[] = [];
  private randomMode?: { options: RandomFaultOptions; kinds: RandomFaultKind[]; next: () => number };
  /**
   * Faults injected so far by kind: the status of each status fault ('429', '500', '503', '403', ...),
   * 'reset', 'lostAnswer', 'timeout', 'delay'. Scripted and random faults alike; `resetInjected()` zeroes it.
   */
  readonly injected: Record<string, number> = {};

  add(spec: FaultSpec): void {
    this.entries.push({ ...spec, remaining: spec.count ?? 1 });
  }
  /** Shorthand: the next `count` requests matching method/path get `status` (e.g. 429 with Retry-After). */
  status(status: number, match: { method?: string | RegExp; path?: RegExp; count?: number; retryAfter?: number; code?: string } = {}): void {
    this.add({ kind: 'status', status, ...match });
  }
  reset(match: { method?: string | RegExp; path?: RegExp; count?: number } = {}): void {
    this.add({ kind: 'reset', ...match });
  }
  /** The request is handled (and a write stored), then the connection is dropped before the answer. */
  lostAnswer(match: { method?: string | RegExp; path?: RegExp; count?: number } = {}): void {
    this.add({ kind: 'lostAnswer', ...match });
  }
  /** The request is held without an answer: until `stop()`, or for `delayMs` (on the sandbox's clock), then its connection is dropped. */
  timeout(match: { method?: string | RegExp; path?: RegExp; count?: number; delayMs?: number } = {}): void {
    this.add({ kind: 'timeout', ...match });
  }
  /**
   * From now on, each request matching service/method/path gets a fault with probability `rate`,
   * its kind drawn equally from `kinds`, from a generator seeded with `seed`: the n-th matching
   * request always gets the n-th draw. Scripted faults (status, reset, ...) go first. Replaces an
   * earlier random mode; `clear()` ends it.
   */
  random(options: RandomFaultOptions): void {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`sandbox: faults.random rate must be within 0..1, not ${options.rate}`);
    const kinds = options.kinds ?? ['429', '500', '503', 'reset', 'lostAnswer'];
    if (kinds.length === 0) throw new RangeError('sandbox: faults.random needs at least one kind');
    this.randomMode = { options, kinds, next: seededRandom(options.seed ?? 1) };
  }
  /** Scripted faults and the random mode are dropped (the `injected` counts stay). */
  clear(): void {
    this.entries = [];
    this.randomMode = undefined;
  }
  resetInjected(): void {
    for (const k of Object.keys(this.injected)) delete this.injected[k];
  }
  /** all faults injected so far */
  get injectedTotal(): number {
    return Object.values(this.injected).reduce((n, v) => n + v, 0);
  }
  /** scripted faults not yet used up */
  get pending(): number {
    return this.entries.reduce((n, e) => n + e.remaining, 0);
  }
  /** @internal */
  take(service: SandboxService, method: string, path: string): FaultSpec | undefined {
    const fault = this.takeScripted(service, method, path) ?? this.drawRandom(service, method, path);
    if (fault) {
      const label = (fault.kind ?? 'status') === 'status' ? String(fault.status ?? 500) : (fault.kind as string);
      this.injected[label] = (this.injected[label] ?? 0) + 1;
    }
    return fault;
  }
  private takeScripted(service: SandboxService, method: string, path: string): FaultSpec | undefined {
    const e = this.entries.find((f) => f.remaining > 0 && matches(f, service, method, path));
    if (!e) return undefined;
    e.remaining--;
    if (e.remaining === 0) this.entries = this.entries.filter((x) => x !== e);
    return e;
  }
  private drawRandom(service: SandboxService, method: string, path: string): FaultSpec | undefined {
    const mode = this.randomMode;
    if (!mode || !matches(mode.options, service, method, path)) return undefined;
    // two draws per matching request, whatever the outcome, so that the sequence stays aligned
    const hit = mode.next() < mode.options.rate;
    const kind = mode.kinds[Math.min(mode.kinds.length - 1, Math.floor(mode.next() * mode.kinds.length))] as RandomFaultKind;
    if (!hit) return undefined;
    switch (kind) {
      case 'reset':
        return { kind: 'reset' };
      case 'lostAnswer':
        return { kind: 'lostAnswer' };
      case '429':
        return { kind: 'status', status: 429, retryAfter: mode.options.retryAfter ?? 1 };
      default:
        return { kind: 'status', status: Number(kind) };
    }
  }
}

function matches(f: { service?: SandboxService; method?: string | RegExp; path?: RegExp }, service: SandboxService, method: string, path: string): boolean {
  return (
    (f.service === undefined || f.service === service) &&
    (f.method === undefined || (typeof f.method === 'string' ? f.method.toUpperCase() === method : f.method.test(method))) &&
    (f.path === undefined || f.path.test(path))
  );
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- the process-wide CA ------------------------------------------------------------------------

/** One CA and server certificate per process (openssl takes ~0.5 s per sandbox otherwise); removed at exit. */
let sharedTls: { ca: CertificateAuthority; key: string; cert: string } | undefined;
function processTls(): { ca: CertificateAuthority; key: string; cert: string } {
  if (!sharedTls) {
    const ca = createCertificateAuthority();
    const server = issueServerCertificate(ca);
    sharedTls = { ca, key: server.keyPem, cert: server.certPem };
    process.once('exit', () => sharedTls?.ca.dispose());
  }
  return sharedTls;
}

// ---- the shared IMDS server -----------------------------------------------------------------------

const liveSandboxes: SandboxImpl[] = [];
let imdsServer: HttpServer | undefined;
let imdsUrl: Promise<string> | undefined;

function sharedImds(): Promise<string> {
  if (!imdsUrl) {
    imdsUrl = new Promise<string>((resolve, reject) => {
      const server = createHttpServer((req, res) => void handleImds(req, res));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        if (!addr || typeof addr === 'string') return reject(new Error('IMDS server has no port'));
        server.unref();
        imdsServer = server;
        resolve(`http://127.0.0.1:${addr.port}`);
      });
    });
  }
  return imdsUrl;
}

async function handleImds(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ctx = newRequestContext(req, res, 'http://127.0.0.1/', 0);
  try {
    ctx.rawBody = await readBody(req);
  } catch {
    /* ignore */
  }
  let owner: SandboxImpl | undefined;
  let mi: RegisteredManagedIdentity | undefined;
  for (const sb of [...liveSandboxes].reverse()) {
    mi = sb.identity.findManagedIdentity(ctx.query);
    if (mi) {
      owner = sb;
      break;
    }
  }
  owner ??= liveSandboxes[liveSandboxes.length - 1];
  if (!owner) {
    send(ctx, 400, { error: 'invalid_request', error_description: 'Identity not found' });
    return;
  }
  ctx.receivedAt = owner.clock.now();
  await owner.dispatch(ctx, 'imds', async () => owner!.identity.handleImds(ctx, mi));
}

/** Stop the shared IMDS server (it is unref'd, so a process exits without this). */
export function stopSharedImds(): void {
  imdsServer?.close();
  imdsServer = undefined;
  imdsUrl = undefined;
}

// ---- the sandbox ----------------------------------------------------------------------------------

export interface Sandbox {
  /** https://127.0.0.1:PORT/ — the ARM endpoint URL (as ENDPOINT_URL_<id> carries it) and the Entra authority host */
  readonly url: string;
  /** the authority host for credentials: the url without its trailing slash */
  readonly authorityHost: string;
  /** http://127.0.0.1:PORT — the IMDS host; set AZURE_POD_IDENTITY_AUTHORITY_HOST to it (msal-node appends /metadata/identity/oauth2/token) */
  readonly imdsUrl: string;
  /** https://127.0.0.1:PORT/org/ (System.CollectionUri) */
  readonly collectionUrl: string;
  /** System.OidcRequestUri for the sandbox's job */
  readonly oidcRequestUri: string;
  /** the DevOps OIDC token issuer */
  readonly oidcIssuer: string;
  readonly caPem: string;
  /** a file holding caPem, for NODE_EXTRA_CA_CERTS */
  readonly caFile: string;
  /** the job token (SystemVssConnection AccessToken) the DevOps API accepts */
  readonly jobAccessToken: string;
  readonly organization: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly planId: string;
  readonly jobId: string;
  readonly hostType: string;
  /** the tenant used when none is given */
  readonly defaultTenantId: string;
  /** the ARM audience of the Azure Stack flavour (reported by /metadata/endpoints) */
  readonly stackAudience: string;
  /** whether the REST spec was found (else bodies are not validated) */
  readonly specLoaded: boolean;
  readonly requests: RecordedRequest[];
  readonly validationFailures: ValidationFailure[];
  readonly log: string[];
  readonly faults: Faults;
  /** the time the sandbox reads and waits on (SandboxOptions.clock) */
  readonly clock: Clock;
  /** ARM's buckets: `spent` and `throttled` (429s) by bucket, `throttledTotal`, `remaining(…)`, `resetCounters()`, `refillAll()` */
  readonly throttle: ArmThrottle;
  /**
   * Read: the bucket sizes and refill rates in force, or false (off). Set: as SandboxOptions.throttling
   * (`true` = ARM's, an object = ARM's with those changed, `false` = off); every bucket starts full again.
   */
  get throttling(): Readonly<Record<BucketKind, Readonly<BucketLimit>>> | false;
  set throttling(options: ThrottlingOptions | boolean);
  latencyMs: number;
  /** added to every Entra request (a real sign-in's round trips), default 0 */
  entraLatencyMs: number;
  /**
   * How long a new connection takes to become usable (its TCP and TLS round trips), default 0: an ARM or
   * Entra request on a connection opened less than this long ago waits for the rest before its own latency.
   */
  connectLatencyMs: number;
  /** TLS connections accepted since the last resetRequests() */
  readonly connectionsOpened: number;
  pageSize: number;
  apiVersions: string[];

  /** a workspace: kind, network settings (private ones), and `hub` for an AI Foundry project (see WorkspaceExtra in arm.ts) */
  addWorkspace(ref: WorkspaceRef, extra?: WorkspaceExtra): void;
  seedConnection(ref: WorkspaceRef, name: string, properties: ConnectionProperties, options?: SeedOptions): void;
  /** the full stored connection, credentials included (compare through the sandbox, not through our code) */
  storedConnection(ref: WorkspaceRef, name: string): ArmConnection | undefined;
  /** every stored connection of a workspace, credentials included */
  storedConnections(ref: WorkspaceRef): ArmConnection[];
  denyListSecrets(ref: WorkspaceRef, deny?: boolean): void;
  /** the service's peStatus of a connection (Active, Inactive, NotApplicable; undefined removes it) */
  setPeStatus(ref: WorkspaceRef, name: string, status: string | undefined): void;
  /** fix the outcome of testconnection for one connection (default: ok when its credentials are complete) */
  setTestConnectionResult(ref: WorkspaceRef, name: string, result: TestConnectionResult | undefined): void;
  addServicePrincipal(spec: ServicePrincipalSpec): { clientId: string; objectId: string };
  addManagedIdentity(spec?: ManagedIdentitySpec): { clientId: string; objectId: string; system: boolean };
  addServiceConnection(spec: ServiceConnectionSpec): { id: string; name: string; subject: string };
  /** a service connection listed by the DevOps service-endpoint API (devops-endpoints.ts); credentials are never returned */
  addServiceEndpoint(spec: ServiceEndpointRecordSpec): ServiceEndpointRecordSpec;
  /** sc://org/project/<name> */
  federatedSubject(connectionName: string): string;
  /** an ARM token for a registered principal, without going through the token endpoint (for tests of ARM itself) */
  armToken(clientId?: string): string;
  resetRequests(): void;
  /** env for a child process: NODE_EXTRA_CA_CERTS, AZURE_POD_IDENTITY_AUTHORITY_HOST, System.* values of the job */
  childEnv(): Record<string, string>;
  logLine(line: string): void;
  stop(): Promise<void>;
}

export class SandboxImpl implements Sandbox {
  url = '';
  authorityHost = '';
  imdsUrl = '';
  collectionUrl = '';
  oidcRequestUri = '';
  oidcIssuer = '';
  caPem = '';
  caFile = '';
  readonly jobAccessToken: string;
  readonly organization: string;
  readonly projectId = randomUUID();
  readonly projectName: string;
  readonly planId = randomUUID();
  readonly jobId = randomUUID();
  readonly hostType = 'build';
  readonly defaultTenantId = randomUUID();
  readonly stackAudience: string;
  readonly requests: RecordedRequest[] = [];
  readonly validationFailures: ValidationFailure[] = [];
  readonly log: string[] = [];
  readonly faults = new Faults();
  readonly clock: Clock;
  readonly throttle: ArmThrottle;
  latencyMs: number;
  entraLatencyMs = 0;
  connectLatencyMs = 0;
  connectionsOpened = 0;
  /** when each TLS connection was accepted (the sandbox's clock) */
  private readonly openedAt = new WeakMap<object, number>();
  pageSize: number;
  apiVersions: string[];
  readonly tokenLifetimeSeconds: number;
  readonly testConnectionRetryAfterSeconds: number;
  readonly testConnectionPendingPolls: number;
  readonly keys = { entra: signingKey(), devops: signingKey() };
  spec: SpecValidator | undefined;
  readonly arm: ArmState;
  readonly identity: IdentityState;
  readonly devopsEndpoints: DevOpsEndpoints;
  private server?: HttpsServer;
  private ca?: CertificateAuthority;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ServerResponse>();
  private seq = 0;
  private readonly echo: boolean;

  constructor(private readonly options: SandboxOptions = {}) {
    this.organization = options.organization ?? 'org';
    this.projectName = options.projectName ?? 'project';
    this.latencyMs = options.latencyMs ?? 0;
    this.pageSize = options.pageSize ?? 5;
    this.clock = options.clock ?? realClock;
    this.throttle = new ArmThrottle(this.clock, options.throttling ?? false);
    this.apiVersions = options.apiVersions ?? [SPEC_API_VERSION];
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.testConnectionRetryAfterSeconds = options.testConnectionRetryAfterSeconds ?? 1;
    this.testConnectionPendingPolls = options.testConnectionPendingPolls ?? 0;
    this.stackAudience = options.stackAudience ?? `https://management.sandbox.azurestack.local/${randomUUID()}`;
    this.echo = options.echoLog ?? process.env.SANDBOX_LOG === '1';
    // a job token that azure-devops-node-api sends as Bearer (not 52 characters, not PAT-shaped)
    this.jobAccessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ job: this.jobId, n: randomUUID() })).toString('base64url')}.sandbox`;
    this.arm = new ArmState(this);
    this.identity = new IdentityState(this);
    this.devopsEndpoints = new DevOpsEndpoints(this);
  }

  async start(): Promise<this> {
    this.loadSpec();
    let key: string;
    let certPem: string;
    if (this.options.freshCa) {
      this.ca = createCertificateAuthority();
      const c = issueServerCertificate(this.ca);
      key = c.keyPem;
      certPem = c.certPem;
      this.caPem = this.ca.certPem;
      this.caFile = this.ca.certFile;
    } else {
      const t = processTls();
      key = t.key;
      certPem = t.cert;
      this.caPem = t.ca.certPem;
      this.caFile = t.ca.certFile;
    }
    const server = createHttpsServer({ key, cert: certPem }, (req, res) => void this.onRequest(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: object) => {
      this.openedAt.set(s, this.clock.now());
      this.connectionsOpened++;
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('sandbox: no port');
    this.server = server;
    this.url = `https://127.0.0.1:${addr.port}/`;
    this.authorityHost = `https://127.0.0.1:${addr.port}`;
    this.collectionUrl = `${this.url}${this.organization}/`;
    this.oidcRequestUri = `${this.collectionUrl}${this.projectId}/_apis/distributedtask/hubs/${this.hostType}/plans/${this.planId}/jobs/${this.jobId}/oidctoken`;
    this.oidcIssuer = `${this.url}vstoken/${this.defaultTenantId}`;
    this.imdsUrl = await sharedImds();
    liveSandboxes.push(this);
    this.logLine(`sandbox listening on ${this.url} (IMDS ${this.imdsUrl})`);
    return this;
  }

  private loadSpec(): void {
    if (this.options.specDir === false) {
      this.logLine('REST spec validation is off (specDir: false): bodies are not validated.');
      return;
    }
    const file = findSpecFile(SPEC_API_VERSION, REPO_ROOT, this.options.specDir);
    if (!file) {
      this.logLine(
        `REST spec not found (set AZUREML_SPEC_DIR or place azure-rest-api-specs next to the repo at ../shared/reference/specs): request bodies are NOT validated; path parameters are checked with built-in patterns.`,
      );
      return;
    }
    this.spec = new SpecValidator(file, { strictAdditionalProperties: this.options.strictAdditionalProperties });
    this.logLine(`REST spec: ${file}`);
  }

  get throttling(): Readonly<Record<BucketKind, Readonly<BucketLimit>>> | false {
    return this.throttle.limits;
  }

  set throttling(options: ThrottlingOptions | boolean) {
    this.throttle.configure(options);
  }

  /** the sandbox's clock in whole seconds (JWT times) */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  get specLoaded(): boolean {
    return this.spec !== undefined;
  }

  /** Lower-case, slash-trimmed audiences accepted for tokens: the ARM URL and the Stack audience. */
  audiences(): string[] {
    return [normaliseAudience(this.url), normaliseAudience(this.stackAudience)];
  }

  logLine(line: string): void {
    const l = `[sandbox ${new Date(this.clock.now()).toISOString()}] ${line}`;
    this.log.push(l);
    if (this.echo) process.stderr.write(`${l}\n`);
  }

  private classify(path: string): SandboxService {
    if (/^\/subscriptions\//i.test(path)) return 'arm';
    if (/^\/metadata\/endpoints\/?$/i.test(path)) return 'stack';
    if (path.startsWith(`/${this.organization}/`)) return 'devops';
    if (/^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/(v2\.0\/)?token|discovery\/v2\.0\/keys)$/.test(path)) return 'entra';
    return 'other';
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = newRequestContext(req, res, this.url || 'https://127.0.0.1/', this.clock.now());
    try {
      ctx.rawBody = await readBody(req);
    } catch (e) {
      send(ctx, 413, { error: { code: 'RequestTooLarge', message: (e as Error).message } });
      return;
    }
    parseBody(ctx);
    const service = this.classify(ctx.path);
    // a connection younger than connectLatencyMs was not usable yet: the request waits for the rest of its set-up
    const opened = this.openedAt.get(req.socket);
    const setUp = opened === undefined || (service !== 'arm' && service !== 'entra') ? 0 : opened + this.connectLatencyMs - this.clock.now();
    if (setUp > 0) ctx.setUpMs = setUp;
    await this.dispatch(ctx, service, async () => {
      if (setUp > 0) await this.clock.sleep(setUp);
      switch (service) {
        case 'arm':
          if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs);
          if (!this.authenticate(ctx)) return;
          await this.arm.handle(ctx);
          return;
        case 'entra': {
          if (this.entraLatencyMs > 0) await this.clock.sleep(this.entraLatencyMs);
          const m = /^\/([^/]+)\/(.*)$/.exec(ctx.path)!;
          this.identity.handleEntra(ctx, decodeURIComponent(m[1]), m[2]);
          return;
        }
        case 'devops':
          if (this.devopsEndpoints.handle(ctx, ctx.path.slice(this.organization.length + 2))) return;
          this.identity.handleDevOps(ctx, ctx.path.slice(this.organization.length + 2));
          return;
        case 'stack':
          this.identity.handleStackMetadata(ctx);
          return;
        default:
          send(ctx, 404, { error: { code: 'NotFound', message: `The sandbox does not serve ${ctx.method} ${ctx.path}.` } });
      }
    });
  }

  /** Faults, then the handler, then the record. */
  async dispatch(ctx: RequestContext, service: SandboxService, handler: () => Promise<void>): Promise<void> {
    const fault = this.faults.take(service, ctx.method, ctx.path);
    const faultKind = fault ? (fault.kind ?? (fault.status ? 'status' : 'reset')) : undefined;
    try {
      if (fault && faultKind === 'reset') {
        this.logLine(`fault: reset ${ctx.method} ${ctx.path}`);
        ctx.req.socket.destroy();
      } else if (fault && faultKind === 'lostAnswer') {
        // handled as usual (a write is stored), then send() drops the connection instead of answering
        ctx.loseAnswer = true;
        await handler();
        if (!ctx.responded) send(ctx, 500, { error: { code: 'InternalServerError', message: 'The sandbox did not answer.' } });
        this.logLine(`fault: lost the answer (${ctx.status}) to ${ctx.method} ${ctx.path}`);
      } else if (fault && faultKind === 'timeout') {
        this.logLine(`fault: holding ${ctx.method} ${ctx.path} without an answer`);
        this.held.add(ctx.res);
        if (fault.delayMs) {
          await this.clock.sleep(fault.delayMs);
          this.held.delete(ctx.res);
          ctx.req.socket.destroy();
        }
      } else if (fault && faultKind === 'status') {
        const status = fault.status ?? 500;
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        const code = fault.code ?? (status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'InjectedFault');
        this.logLine(`fault: ${status} for ${ctx.method} ${ctx.path}`);
        armError(ctx, status, code, fault.message ?? `Injected fault: HTTP ${status}.`, headers);
      } else {
        if (fault && faultKind === 'delay' && fault.delayMs) await this.clock.sleep(fault.delayMs);
        await handler();
        if (!ctx.responded) send(ctx, 500, { error: { code: 'InternalServerError', message: 'The sandbox did not answer.' } });
      }
    } catch (e) {
      this.logLine(`error handling ${ctx.method} ${ctx.path}: ${(e as Error).stack ?? String(e)}`);
      if (!ctx.responded && !ctx.res.headersSent) armError(ctx, 500, 'InternalServerError', `Sandbox error: ${(e as Error).message}`);
    }
    this.record(ctx, service, faultKind);
  }

  private record(ctx: RequestContext, service: SandboxService, fault: RecordedRequest['fault'] | undefined): void {
    const headers = { ...ctx.headers };
    delete headers.authorization;
    let body = ctx.body;
    if (service === 'entra' && body && typeof body === 'object') {
      const b = { ...(body as Record<string, string>) };
      if (b.client_secret !== undefined) b.client_secret = '***';
      if (b.client_assertion !== undefined) b.client_assertion = '***';
      body = b;
    }
    this.requests.push({
      seq: ++this.seq,
      service,
      method: ctx.method,
      path: ctx.path,
      query: ctx.query,
      headers,
      body,
      status: ctx.status,
      principal: ctx.principal,
      fault,
      bucket: ctx.bucket,
      remaining: ctx.remaining,
      globalRemaining: ctx.globalRemaining,
      throttled: ctx.throttled,
      at: this.clock.now(),
      ...(ctx.setUpMs !== undefined ? { setUpMs: ctx.setUpMs } : {}),
    });
    if (service !== 'arm' || ctx.status >= 400) this.logLine(`${service} ${ctx.method} ${ctx.path} -> ${ctx.status || fault || '-'}`);
  }

  /** ARM: a Bearer token issued by this sandbox, unexpired, for the ARM (or Stack) audience. */
  private authenticate(ctx: RequestContext): boolean {
    const challenge = `Bearer authorization_uri="${this.url}${this.defaultTenantId}", error="invalid_token", error_description="The access token is missing or invalid."`;
    const auth = ctx.req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m) {
      armError(ctx, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", { 'www-authenticate': challenge });
      return false;
    }
    const jwt = decodeJwt(m[1].trim());
    if (!jwt || jwt.header.kid !== this.keys.entra.kid || jwt.header.alg !== 'RS256' || !verifyJwtSignature(jwt, this.keys.entra.publicKey)) {
      armError(ctx, 401, 'InvalidAuthenticationToken', 'The access token is invalid.', { 'www-authenticate': challenge });
      return false;
    }
    if (Number(jwt.payload.exp) < this.nowSeconds()) {
      armError(ctx, 401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.', { 'www-authenticate': challenge });
      return false;
    }
    const aud = String(jwt.payload.aud ?? '');
    if (!this.audiences().includes(normaliseAudience(aud))) {
      armError(ctx, 401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences '${this.url}'.`, {
        'www-authenticate': challenge,
      });
      return false;
    }
    ctx.principal = String(jwt.payload.appid ?? jwt.payload.sub ?? 'unknown');
    return true;
  }

  // ---- control surface --------------------------------------------------------------------------

  addWorkspace(ref: WorkspaceRef, extra?: WorkspaceExtra): void {
    this.arm.addWorkspace(ref, extra);
  }

  seedConnection(ref: WorkspaceRef, name: string, properties: ConnectionProperties, options?: SeedOptions): void {
    this.arm.seed(ref, name, properties, options);
  }

  storedConnection(ref: WorkspaceRef, name: string): ArmConnection | undefined {
    return this.arm.stored(ref, name);
  }

  storedConnections(ref: WorkspaceRef): ArmConnection[] {
    const ws = this.arm.workspace(ref);
    return ws ? [...ws.connections.values()].map((c) => this.arm.render(ws, c, true)) : [];
  }

  denyListSecrets(ref: WorkspaceRef, deny = true): void {
    this.arm.requireWorkspace(ref).denyListSecrets = deny;
  }

  setPeStatus(ref: WorkspaceRef, name: string, status: string | undefined): void {
    this.arm.setPeStatus(ref, name, status);
  }

  setTestConnectionResult(ref: WorkspaceRef, name: string, result: TestConnectionResult | undefined): void {
    this.arm.setTestResult(ref, name, result);
  }

  addServicePrincipal(spec: ServicePrincipalSpec): RegisteredPrincipal {
    return this.identity.addServicePrincipal(spec);
  }

  addManagedIdentity(spec: ManagedIdentitySpec = { system: true }): RegisteredManagedIdentity {
    return this.identity.addManagedIdentity(spec);
  }

  addServiceConnection(spec: ServiceConnectionSpec): { id: string; name: string; subject: string } {
    return this.identity.addServiceConnection(spec);
  }

  addServiceEndpoint(spec: ServiceEndpointRecordSpec): ServiceEndpointRecordSpec {
    return this.devopsEndpoints.add(spec);
  }

  federatedSubject(connectionName: string): string {
    return this.identity.subjectFor(connectionName);
  }

  armToken(clientId?: string): string {
    const p = clientId ? [...this.identity.principals.values()].find((x) => x.clientId === clientId) : undefined;
    return this.identity.issueAccessToken(p?.tenantId ?? this.defaultTenantId, clientId ?? 'sandbox-test-client', p?.objectId ?? randomUUID(), this.url, 'app').token;
  }

  resetRequests(): void {
    this.requests.length = 0;
    this.connectionsOpened = 0;
  }

  childEnv(): Record<string, string> {
    return {
      NODE_EXTRA_CA_CERTS: this.caFile,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: this.imdsUrl,
      SYSTEM_OIDCREQUESTURI: this.oidcRequestUri,
      SYSTEM_COLLECTIONURI: this.collectionUrl,
      SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: this.collectionUrl,
      SYSTEM_TEAMPROJECTID: this.projectId,
      SYSTEM_TEAMPROJECT: this.projectName,
      SYSTEM_HOSTTYPE: this.hostType,
      SYSTEM_PLANID: this.planId,
      SYSTEM_JOBID: this.jobId,
    };
  }

  /** workspace resource id helper */
  workspaceId(ref: WorkspaceRef): string {
    return workspaceId(ref);
  }

  async stop(): Promise<void> {
    const i = liveSandboxes.indexOf(this);
    if (i >= 0) liveSandboxes.splice(i, 1);
    for (const r of this.held) r.destroy();
    this.held.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of this.sockets) s.destroy();
      });
    }
    this.ca?.dispose();
    this.ca = undefined;
  }
}

/** Start a sandbox on 127.0.0.1 (random ports). Stop it with `stop()`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxImpl> {
  return new SandboxImpl(options).start();
}
