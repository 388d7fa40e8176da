/**
 * The command line's implementations of the services the tasks' logic runs with (src/tasks): variables
 * from `--var` and the environment, outputs printed at the end, files through node:fs, and the
 * workspace's connections API with the writes counted for the progress line.
 */
import { resolve } from 'node:path';
import type { ArmConnection, ConnectionProperties, ConnectionsApi, ListConnectionsOptions, WorkspaceRef } from '../arm/types';
import type { SecretSink } from '../core/secrets';
import { nodeSourceFiles, type SourceFileReader } from '../model/files';
import type { VariableSource } from '../model/types';
import { msg } from '../messages';
import type { TaskOutputs } from '../core/task';
import type { Env } from './output';

/**
 * `$(NAME)` values: `--var NAME=VALUE` first (names ignore case), then the environment variable of that
 * name. An empty value counts as not defined, as in a pipeline. Neither is a secret by itself: a value
 * that lands in a secret field is registered by the loader, and output is redacted.
 */
export class CliVariables implements VariableSource {
  private readonly given: Map<string, string>;
  constructor(
    given: ReadonlyMap<string, string>,
    private readonly env: Env,
  ) {
    this.given = new Map([...given].map(([k, v]) => [k.toLowerCase(), v]));
  }
  get(name: string): { value: string; secret: boolean } | undefined {
    const value = this.given.get(name.toLowerCase()) ?? this.env[name];
    return value === undefined || value === '' ? undefined : { value, secret: false };
  }
}

/** Output variables, kept to print at the end; secret variables and summaries have no place outside a pipeline. */
export class CliOutputs implements TaskOutputs {
  readonly values = new Map<string, string>();
  constructor(private readonly secrets: SecretSink) {}
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
  setSecretVariable(_name: string, value: string): void {
    this.secrets.add(value);
  }
  uploadSummary(): void {}
  /** `name=value` pairs on one line */
  line(): string | undefined {
    if (this.values.size === 0) return undefined;
    return msg('Cli_Outputs', [...this.values].map(([k, v]) => `${k}=${v}`).join(' '));
  }
}

/** Connection files below the command's folder (paths in messages stay as matched). */
export function sourceFilesIn(cwd: string): SourceFileReader {
  return {
    stat: (path) => nodeSourceFiles.stat(resolve(cwd, path)),
    read: (path) => nodeSourceFiles.read(resolve(cwd, path)),
  };
}

/** Credentials the environment hands DefaultAzureCredential: registered before anything could print them. */
export function registerEnvironmentSecrets(env: Env, secrets: SecretSink): void {
  for (const name of ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_PASSWORD']) secrets.add(env[name]);
}

/** A connections API that reports each finished write (PUT or DELETE), for the progress line of an apply. */
export class CountedWrites implements ConnectionsApi {
  private finished = 0;
  constructor(
    private readonly api: ConnectionsApi,
    private readonly onWrite: (finished: number) => void,
  ) {}
  get workspace(): WorkspaceRef {
    return this.api.workspace;
  }
  list(options?: ListConnectionsOptions): Promise<ArmConnection[]> {
    return this.api.list(options);
  }
  get(name: string): Promise<ArmConnection | undefined> {
    return this.api.get(name);
  }
  put(name: string, properties: ConnectionProperties): Promise<ArmConnection> {
    return this.counted(this.api.put(name, properties));
  }
  patch(name: string, properties: Partial<ConnectionProperties>): Promise<ArmConnection> {
    return this.counted(this.api.patch(name, properties));
  }
  delete(name: string): Promise<boolean> {
    return this.counted(this.api.delete(name));
  }
  listSecrets(name: string): Promise<ArmConnection> {
    return this.api.listSecrets(name);
  }
  private async counted<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.onWrite(++this.finished);
    }
  }
}
