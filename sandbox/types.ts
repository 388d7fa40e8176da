/** Public shapes of the sandbox (see sandbox/index.ts). */
import type { ArmConnection, ConnectionProperties, WorkspaceRef } from '../src/arm/types';
import type { Clock } from '../src/core/clock';

export type { ArmConnection, ConnectionProperties, WorkspaceRef, Clock };

export type SandboxService = 'arm' | 'entra' | 'imds' | 'devops' | 'stack' | 'other';

export interface SandboxOptions {
  /** List page size (default 5). Also settable later through `sandbox.pageSize`. */
  pageSize?: number;
  /** api-versions ARM accepts (default ['2025-06-01']). Body validation always uses the 2025-06-01 spec. */
  apiVersions?: string[];
  /**
   * ARM's throttling: token buckets per subscription and principal (see ThrottlingOptions). `true` = ARM's
   * real sizes, an object = those with the given buckets changed, `false` = off (default). Also settable
   * later through `sandbox.throttling`.
   */
  throttling?: ThrottlingOptions | boolean;
  /** The time the sandbox reads and waits on (latency, fault delays, buckets, tokens, timestamps). Default: the real one. */
  clock?: Clock;
  /** Added to every ARM request (default 0). Also `sandbox.latencyMs`. */
  latencyMs?: number;
  /** The azure-rest-api-specs root or the folder with workspaceRP.json. Default: env AZUREML_SPEC_DIR, then <repo>/../shared/reference/specs/azure-rest-api-specs. `false` = no validation. */
  specDir?: string | false;
  /** Reject body properties the spec does not declare (default true). */
  strictAdditionalProperties?: boolean;
  /** Lifetime of issued access tokens (default 3600 s). */
  tokenLifetimeSeconds?: number;
  /** Azure DevOps organization name in collectionUrl and OIDC subjects (default 'org'). */
  organization?: string;
  /** Azure DevOps project name (default 'project'). */
  projectName?: string;
  /** The Azure Stack ARM audience reported by /metadata/endpoints and accepted on ARM. */
  stackAudience?: string;
  /** Retry-After (seconds) on testconnection 202s (default 1). */
  testConnectionRetryAfterSeconds?: number;
  /** How many polls of a testconnection operation answer 202 before the result (default 0). */
  testConnectionPendingPolls?: number;
  /** A CA of its own instead of the one shared by every sandbox of the process (made once, removed at exit). */
  freshCa?: boolean;
  /** Also print log lines (default: env SANDBOX_LOG=1). */
  echoLog?: boolean;
}

export interface RecordedRequest {
  seq: number;
  service: SandboxService;
  method: string;
  /** URL path, decoded segments as sent (no query) */
  path: string;
  query: Record<string, string>;
  /** lower-case header names; `authorization` removed */
  headers: Record<string, string>;
  /** parsed JSON or form body (token requests: client_secret and client_assertion replaced by '***') */
  body?: unknown;
  status: number;
  /** client id (appid) of the bearer token's principal, for ARM requests that carried a valid token */
  principal?: string;
  /** the fault that was injected, if any */
  fault?: FaultKind;
  /**
   * ARM requests with a valid token: the bucket the request spends from (`reads` for GET, `deletes` for
   * DELETE, `writes` for any other method), whether throttling is on or not
   */
  bucket?: BucketKind;
  /** with throttling on: the tokens left in that bucket after this request (the x-ms-ratelimit-remaining-subscription-* value) */
  remaining?: number;
  /** with throttling on: the tokens left in the subscription's shared bucket of that kind (x-ms-ratelimit-remaining-subscription-global-*) */
  globalRemaining?: number;
  /** answered 429 because its bucket was empty (it spent nothing and was not handled) */
  throttled?: boolean;
  /** when the answer was sent (the sandbox's clock, ms) */
  at: number;
  /** ARM and Entra: how long the request waited for its connection's set-up (connectLatencyMs), when it did */
  setUpMs?: number;
}

/** ARM's three buckets per subscription and principal; each answer's x-ms-ratelimit-remaining-subscription-<kind> */
export type BucketKind = 'reads' | 'writes' | 'deletes';

export interface BucketLimit {
  /** tokens when full (and at start) */
  size: number;
  /** tokens added per second, up to `size` */
  refillPerSecond: number;
}

/**
 * ARM's token buckets (Microsoft's "Azure Resource Manager request limits and throttling"), one set per
 * subscription and principal (the token's appid). A bucket not given here, or a field not given, keeps
 * ARM's value: reads 250 (refill 25/s), writes 200 (10/s), deletes 200 (10/s).
 */
export interface ThrottlingOptions {
  reads?: Partial<BucketLimit>;
  writes?: Partial<BucketLimit>;
  deletes?: Partial<BucketLimit>;
  /**
   * the subscription's buckets that every principal spends from too (x-ms-ratelimit-remaining-subscription-global-<kind>);
   * ARM's: 15 times each principal's (reads 3750, refill 375/s; writes and deletes 3000, 150/s)
   */
  global?: Partial<Record<BucketKind, Partial<BucketLimit>>>;
}

export interface ValidationFailure {
  method: string;
  path: string;
  field: string;
  message: string;
}

/**
 * - `status`: an ARM error answer (429, 500, 503, 403, ...) instead of handling the request;
 * - `reset`: the socket is destroyed before the request is handled (nothing happened);
 * - `lostAnswer`: the request is handled (a write is stored), then the socket is destroyed instead of
 *   sending the answer: the client cannot know its write happened;
 * - `timeout`: the request is held without an answer (until `stop()`, or `delayMs` then dropped);
 *   `delay`: handled normally after `delayMs` (both on the sandbox's clock).
 */
export type FaultKind = 'status' | 'reset' | 'lostAnswer' | 'timeout' | 'delay';

/** What `faults.random` draws from: the status faults by their status, and the two kinds of lost connection. */
export type RandomFaultKind = '429' | '500' | '503' | 'reset' | 'lostAnswer';

export interface RandomFaultOptions {
  /** share of the matching requests that get a fault, 0 to 1 (e.g. 0.2) */
  rate: number;
  /** seed of the generator (default 1): the same seed and the same order of requests give the same faults */
  seed?: number;
  /** the kinds to draw from, equally likely (default: all five) */
  kinds?: RandomFaultKind[];
  /** which service (default any; e.g. 'arm') */
  service?: SandboxService;
  /** method to match (string, case-insensitive, or RegExp); default any */
  method?: string | RegExp;
  /** matched against the URL path (without query); default any */
  path?: RegExp;
  /** Retry-After (seconds) of the 429s (default 1) */
  retryAfter?: number;
}

export interface FaultSpec {
  /** method to match, e.g. 'PUT' (string, case-insensitive) or a RegExp; default any */
  method?: string | RegExp;
  /** matched against the URL path (without query); default any */
  path?: RegExp;
  /** which service; default any */
  service?: SandboxService;
  /** how many matching requests to hit (default 1) */
  count?: number;
  /** default 'status' when `status` is set */
  kind?: FaultKind;
  status?: number;
  /** Retry-After header (seconds) for status faults */
  retryAfter?: number;
  /** ARM error code for status faults (default by status) */
  code?: string;
  /** ARM error message for status faults (default `Injected fault: HTTP <status>.`) */
  message?: string;
  /** for 'delay': the wait before handling normally; for 'timeout': how long the request is held before its connection is dropped (default: until stop()) */
  delayMs?: number;
}

export interface ServicePrincipalSpec {
  tenantId: string;
  clientId: string;
  secret?: string;
  /** PEM of the certificate (a PEM that also holds a private key is fine; only the certificate is used) */
  certificatePem?: string;
  /** the federated credential subject, e.g. sc://org/project/connection-name */
  federatedSubject?: string;
  /** issuer of the federated credential (default: the sandbox's DevOps OIDC issuer) */
  federatedIssuer?: string;
  objectId?: string;
}

export interface ManagedIdentitySpec {
  clientId?: string;
  system?: boolean;
  objectId?: string;
  tenantId?: string;
}

export interface ServiceConnectionSpec {
  id: string;
  name: string;
  projectName?: string;
}

export interface SeedOptions {
  /** a datastore-backed connection: listed only with includeAll=true */
  datastore?: boolean;
}

export interface TestConnectionResult {
  ok: boolean;
  code?: string;
  message?: string;
}
