/** The ARM shapes of Microsoft.MachineLearningServices/workspaces/connections (api-version 2025-06-01). */

/** The api-version used when none is given: the newest stable one with every operation we use. */
export const DEFAULT_API_VERSION = '2025-06-01';

export interface ConnectionProperties {
  authType: string;
  category?: string;
  target?: string;
  metadata?: Record<string, string>;
  isSharedToAll?: boolean;
  sharedUserList?: string[];
  expiryTime?: string;
  useWorkspaceManagedIdentity?: boolean;
  peRequirement?: string;
  /** Present only in PUT bodies and listsecrets responses; GET and List never return secret values. */
  credentials?: Record<string, unknown>;
  /** read-only fields the service returns */
  peStatus?: string;
  error?: string;
  group?: string;
  createdByWorkspaceArmId?: string;
  [key: string]: unknown;
}

export interface ArmConnection {
  id?: string;
  name: string;
  type?: string;
  properties: ConnectionProperties;
  systemData?: Record<string, unknown>;
}

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface ListConnectionsOptions {
  target?: string;
  category?: string;
  includeAll?: boolean;
}

/** What the engine and the tasks need from ARM for one workspace. Implemented by src/arm/connections.ts. */
export interface ConnectionsApi {
  readonly workspace: WorkspaceRef;
  /** Every connection, following nextLink verbatim. */
  list(options?: ListConnectionsOptions): Promise<ArmConnection[]>;
  /** undefined when the connection does not exist (404). */
  get(name: string): Promise<ArmConnection | undefined>;
  /** PUT: replaces the whole connection; synchronous 200. */
  put(name: string, properties: ConnectionProperties): Promise<ArmConnection>;
  patch(name: string, properties: Partial<ConnectionProperties>): Promise<ArmConnection>;
  /** true when deleted (200), false when it did not exist (204/404). */
  delete(name: string): Promise<boolean>;
  /** POST listsecrets: the connection with credentials filled. */
  listSecrets(name: string): Promise<ArmConnection>;
  /**
   * Opens connections to ARM until `count` are open (in use, idle, or opened ahead and not yet taken),
   * for requests about to be sent: each new connection's TCP and TLS round trips then pass while other
   * requests are in flight, not in the way of the request that would open it. A hint: it may do nothing.
   */
  preconnect?(count: number): void;
}
