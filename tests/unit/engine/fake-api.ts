import type {
  ArmConnection,
  ConnectionProperties,
  ConnectionsApi,
  ListConnectionsOptions,
  WorkspaceRef,
} from '../../../src/arm/types';
import { secretFieldsOf } from '../../../src/model/credentials';
import { ArmError } from '../../../src/core/errors';
import type { Gate } from '../../support/gate';

export interface Call {
  method: 'list' | 'get' | 'put' | 'patch' | 'delete' | 'listSecrets';
  name?: string;
  body?: ConnectionProperties;
}

/**
 * An in-memory workspace behind our ConnectionsApi, behaving like ARM where the engine cares:
 * names are case-insensitive, PUT replaces the whole connection, GET/List never return secret
 * values (and, unless `getReturnsNonSecretCredentials`, no credentials at all), listsecrets does.
 * Records every call, with a deep copy of each body.
 */
export class FakeConnectionsApi implements ConnectionsApi {
  readonly workspace: WorkspaceRef = { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-ml', workspace: 'ws-dev' };
  readonly calls: Call[] = [];
  private readonly store = new Map<string, ArmConnection>();

  /** listsecrets answers 403 (all connections, or only these lower-cased names) */
  listSecretsForbidden: boolean | Set<string> = false;
  /** PUT of these (lower-cased) names fails with this error */
  readonly failPut = new Map<string, ArmError>();
  /** DELETE of these (lower-cased) names fails with this error */
  readonly failDelete = new Map<string, ArmError>();
  /** when set, each PUT, DELETE and listsecrets waits here (labelled e.g. `put git-main`) until the test releases it */
  gate?: Gate;
  /** GET/List also return the non-secret credential fields */
  getReturnsNonSecretCredentials = false;

  inFlight = 0;
  maxInFlight = 0;

  /** Seed a connection as if it had been written earlier (credentials include secrets). */
  seed(name: string, properties: ConnectionProperties): void {
    this.store.set(name.toLowerCase(), { id: this.idOf(name), name, type: 'Microsoft.MachineLearningServices/workspaces/connections', properties: clone(properties), systemData: { createdAt: '2024-01-01T00:00:00Z' } });
  }

  /** Seed a hub's connection as a project's list returns it: its id under the hub workspace `hub`. */
  seedShared(name: string, properties: ConnectionProperties, hub: string): void {
    this.seed(name, properties);
    const c = this.store.get(name.toLowerCase())!;
    c.id = c.id!.replace(`/workspaces/${this.workspace.workspace}/`, `/workspaces/${hub}/`);
  }

  /** The stored connection as it really is (secrets included). */
  stored(name: string): ArmConnection | undefined {
    const c = this.store.get(name.toLowerCase());
    return c ? clone(c) : undefined;
  }

  /** Writes of connections; the secret digest key's own write only when asked for. */
  writes(withDigestKey = false): Call[] {
    return this.calls.filter((c) => (c.method === 'put' || c.method === 'patch' || c.method === 'delete') && (withDigestKey || c.name !== 'azureml-connections-key'));
  }

  async list(_options?: ListConnectionsOptions): Promise<ArmConnection[]> {
    this.calls.push({ method: 'list' });
    return [...this.store.values()].map((c) => this.redacted(c));
  }

  async get(name: string): Promise<ArmConnection | undefined> {
    this.calls.push({ method: 'get', name });
    const c = this.store.get(name.toLowerCase());
    return c ? this.redacted(c) : undefined;
  }

  async put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
    this.calls.push({ method: 'put', name, body: clone(properties) });
    return this.track(`put ${name}`, async () => {
      const failure = this.failPut.get(name.toLowerCase());
      if (failure) throw failure;
      const existing = this.store.get(name.toLowerCase());
      const conn: ArmConnection = {
        id: this.idOf(existing?.name ?? name),
        name: existing?.name ?? name,
        type: 'Microsoft.MachineLearningServices/workspaces/connections',
        properties: clone(properties),
        systemData: { lastModifiedAt: new Date().toISOString() },
      };
      this.store.set(name.toLowerCase(), conn);
      return this.redacted(conn);
    });
  }

  async patch(name: string, properties: Partial<ConnectionProperties>): Promise<ArmConnection> {
    this.calls.push({ method: 'patch', name, body: clone(properties) as ConnectionProperties });
    throw new Error('the engine must not PATCH');
  }

  async delete(name: string): Promise<boolean> {
    this.calls.push({ method: 'delete', name });
    return this.track(`delete ${name}`, async () => {
      const failure = this.failDelete.get(name.toLowerCase());
      if (failure) throw failure;
      return this.store.delete(name.toLowerCase());
    });
  }

  async listSecrets(name: string): Promise<ArmConnection> {
    this.calls.push({ method: 'listSecrets', name });
    return this.track(`listSecrets ${name}`, async () => {
      const forbidden =
        this.listSecretsForbidden === true ||
        (this.listSecretsForbidden instanceof Set && this.listSecretsForbidden.has(name.toLowerCase()));
      if (forbidden) {
        throw new ArmError(
          "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action'.",
          403,
          'AuthorizationFailed',
          'req-403',
          'POST',
        );
      }
      const c = this.store.get(name.toLowerCase());
      if (!c) throw new ArmError(`Connection ${name} not found.`, 404, 'NotFound', 'req-404', 'POST');
      return clone(c);
    });
  }

  private async track<T>(label: string, fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate) await this.gate.wait(label);
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  private redacted(c: ArmConnection): ArmConnection {
    const copy = clone(c);
    const creds = copy.properties.credentials;
    if (creds && this.getReturnsNonSecretCredentials) {
      for (const f of secretFieldsOf(copy.properties.authType)) delete creds[f];
    } else {
      delete copy.properties.credentials;
    }
    return copy;
  }

  private idOf(name: string): string {
    const w = this.workspace;
    return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${w.workspace}/connections/${name}`;
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
