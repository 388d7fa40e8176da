/**
 * The pipeline adapter: the only module that talks to the Azure Pipelines agent (through
 * azure-pipelines-task-lib). Everything else in src/ receives plain data and small interfaces.
 */
import * as tl from 'azure-pipelines-task-lib/task';
import * as tlInternal from 'azure-pipelines-task-lib/internal';
import { mkdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describeError, formatLocation, UserError, type SourceLocation } from '../core/errors';
import { msg, setMessageTranslator } from '../messages';
import { printable, type TaskLog } from '../core/log';
import { secretEncodings, type SecretSink } from '../core/secrets';
import type { VariableSource } from '../model/types';
import type { AzureRmEndpoint, JobContext } from '../auth';
import type { ProxySettings } from '../core/network';
import type { TaskOutcome, TaskOutputs } from '../core/task';

/**
 * The task's stdout, coalesced: what is written during one turn of the event loop goes to the agent in
 * one write (a run that writes 200 connections prints hundreds of lines and commands; one write each is
 * a system call each, on the same thread that sends the requests). Order is kept — task-lib's commands
 * (setsecret first of all) go through the same buffer (runTask hands it to task-lib) — and whatever is
 * left is written before the process exits.
 */
class CoalescedStdout extends Writable {
  private chunks: string[] = [];
  private scheduled = false;
  constructor() {
    super({ decodeStrings: false });
    process.on('exit', () => this.flush(true));
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush(false));
    }
    done();
  }
  private flush(exiting: boolean): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    if (exiting) writeSync(process.stdout.fd, text);
    else process.stdout.write(text);
  }
}
const stdout = new CoalescedStdout();

/** System.Debug: the agent shows task.debug lines only then, so they are not written otherwise. */
const debugOn = /^true$/i.test(process.env.SYSTEM_DEBUG ?? '');

/** Prints through task-lib; outside text cannot become a logging command nor start a line of its own. */
export class PipelineLog implements TaskLog {
  info(line: string): void {
    tl.writeExternalOutput(printable(line) + '\n', { source: 'remote', destination: stdout });
  }
  warning(message: string, location?: SourceLocation): void {
    this.issue(tl.IssueType.Warning, message, location);
  }
  error(message: string, location?: SourceLocation): void {
    this.issue(tl.IssueType.Error, message, location);
  }
  debug(message: string): void {
    if (debugOn) tl.debug(printable(message));
  }
  group(title: string): void {
    tl.writeExternalOutput(`##[group]${printable(title)}\n`, { source: 'remote', destination: stdout });
  }
  endGroup(): void {
    tl.writeExternalOutput('##[endgroup]\n', { source: 'remote', destination: stdout });
  }
  private issue(type: tl.IssueType, message: string, location?: SourceLocation): void {
    const text = printable(location && !message.startsWith(formatLocation(location)) ? `${formatLocation(location)}: ${message}` : message);
    if (location) tl.logIssue(type, text, location.file, location.line, location.column);
    else tl.logIssue(type, text);
  }
}

/** Registers each secret, and the encodings it could leak in, with the agent before anything could print it. */
export class AgentSecrets implements SecretSink {
  private readonly seen = new Set<string>();
  /** values registered already: the same secret reaches here once per document that uses it */
  private readonly added = new Set<string>();
  add(value: string | undefined): void {
    if (!value || this.added.has(value)) return;
    this.added.add(value);
    for (const v of secretEncodings(value)) {
      for (const line of v.split(/\r?\n/)) {
        const t = line.trim();
        if (t.length === 0 || this.seen.has(t)) continue;
        this.seen.add(t);
        tl.setSecret(t);
      }
    }
  }
}

/**
 * Pipeline variables (secret ones from the task-lib vault). Names are case-insensitive; `.` and `_` are
 * equivalent, as in the agent. Read as task-lib's getVariable reads them but without its debug line
 * (`name=value`): a value that lands in a secret field is registered before anything prints, even when
 * the variable itself was not marked secret.
 */
export class AgentVariables implements VariableSource {
  /** each variable read once per run (a secret one is decrypted from task-lib's vault on every read) */
  private readonly read = new Map<string, { value: string; secret: boolean } | undefined>();
  get(name: string): { value: string; secret: boolean } | undefined {
    const key = tlInternal._getVariableKey(name);
    if (this.read.has(key)) return this.read.get(key);
    const secret = tlInternal._knownVariableMap[key]?.secret === true;
    const value = secret ? tlInternal._vault.retrieveSecret(`SECRET_${key}`) : process.env[key];
    const found = value === undefined ? undefined : { value, secret };
    this.read.set(key, found);
    return found;
  }
}

export class AgentOutputs implements TaskOutputs {
  set(name: string, value: string): void {
    tl.setVariable(name, value, false, true);
  }
  setSecretVariable(name: string, value: string): void {
    tl.setSecret(value);
    tl.setVariable(name, value, true, false);
  }
  uploadSummary(fileName: string, markdown: string): void {
    const dir = join(tempDirectory(), 'azureml-connections');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, fileName);
    writeFileSync(path, markdown, 'utf8');
    tl.uploadSummary(path);
  }
}

/**
 * An input's value without the debug line task-lib's getInput writes (`name=value`): for inputs that may
 * hold secrets in plain text (overrides), which are registered only once they are parsed.
 */
export function readQuietInput(name: string): string {
  return (tlInternal._vault.retrieveSecret(`INPUT_${tlInternal._getVariableKey(name)}`) ?? '').trim();
}

export function tempDirectory(): string {
  return tl.getVariable('Agent.TempDirectory') || tl.getVariable('Agent.WorkFolder') || process.cwd();
}

export function workingDirectory(): string {
  return tl.getVariable('System.DefaultWorkingDirectory') || process.cwd();
}

/** An AzureRM (or any) service connection as the agent handed it over, keys lower-cased. */
export function readEndpoint(inputName: string): AzureRmEndpoint {
  const id = tl.getInputRequired(inputName);
  const url = tl.getEndpointUrl(id, false) ?? '';
  const auth = tl.getEndpointAuthorization(id, false);
  if (!auth) throw new UserError(msg('Task_EndpointNotHanded', inputName));
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(auth.parameters ?? {})) params[k.toLowerCase()] = String(v);
  const scheme = auth.scheme || tl.getEndpointAuthorizationScheme(id, true) || '';
  return { id, url, scheme, auth: params, data: readEndpointData(id) };
}

/** Any service connection by its id, as the agent handed it over (keys lower-cased); undefined when it was not. */
export function readEndpointById(id: string): AzureRmEndpoint | undefined {
  const auth = tl.getEndpointAuthorization(id, true);
  if (!auth) return undefined;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(auth.parameters ?? {})) if (v !== null && v !== undefined) params[k.toLowerCase()] = String(v);
  const scheme = auth.scheme || tl.getEndpointAuthorizationScheme(id, true) || '';
  // the URL is outside text: read it directly (task-lib's getEndpointUrl echoes it in a debug line)
  return { id, url: process.env[`ENDPOINT_URL_${id}`] ?? '', scheme, auth: params, data: readEndpointData(id) };
}

function readEndpointData(id: string): Record<string, string> {
  const data: Record<string, string> = {};
  const json = process.env[`ENDPOINT_DATA_${id}`];
  if (json) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(json) as Record<string, unknown>)) data[k.toLowerCase()] = String(v ?? '');
    } catch {
      /* fall back to the per-key variables below */
    }
  }
  const prefix = `ENDPOINT_DATA_${id}_`;
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith(prefix) && v !== undefined) data[k.slice(prefix.length).toLowerCase()] ??= v;
  }
  return data;
}

export function readJobContext(): JobContext {
  const system = tl.getEndpointAuthorization('SYSTEMVSSCONNECTION', true);
  const accessToken = system?.parameters?.AccessToken ?? system?.parameters?.accesstoken;
  return {
    oidcRequestUri: tl.getVariable('System.OidcRequestUri'),
    accessToken,
    collectionUri: tl.getVariable('System.CollectionUri') || tl.getVariable('System.TeamFoundationCollectionUri'),
    projectId: tl.getVariable('System.TeamProjectId'),
    hostType: tl.getVariable('System.HostType'),
    planId: tl.getVariable('System.PlanId'),
    jobId: tl.getVariable('System.JobId'),
  };
}

/** The agent's proxy (Agent.ProxyUrl etc.) and extra trusted CA (Agent.CAInfo). */
export function readNetworkSettings(secrets: SecretSink): { proxy?: ProxySettings; caPem?: string } {
  const out: { proxy?: ProxySettings; caPem?: string } = {};
  const proxy = tl.getHttpProxyConfiguration();
  if (proxy?.proxyUrl) {
    secrets.add(proxy.proxyPassword);
    out.proxy = { url: proxy.proxyUrl, username: proxy.proxyUsername, password: proxy.proxyPassword, bypass: proxy.proxyBypassHosts ?? [] };
  }
  const cert = tl.getHttpCertConfiguration();
  if (cert?.caFile) {
    try {
      out.caPem = readFileSync(cert.caFile, 'utf8');
    } catch (e) {
      tl.warning(printable(msg('Task_CaFileUnreadable', cert.caFile, describeError(e))));
    }
  }
  return out;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Runs a task body and sets the one result. Only task entries call this. */
export function runTask(taskDir: string, body: () => Promise<TaskOutcome>): void {
  tlInternal._setStdStream(stdout);
  tl.setResourcePath(join(taskDir, 'task.json'));
  setMessageTranslator((key, args) => tl.loc(key, ...args));
  body().then(
    (outcome) => {
      const message = printable(outcome.message);
      if (outcome.result === 'Succeeded') tl.setResult(tl.TaskResult.Succeeded, message);
      else if (outcome.result === 'SucceededWithIssues') tl.setResult(tl.TaskResult.SucceededWithIssues, message);
      else tl.setResult(tl.TaskResult.Failed, message);
    },
    (e: unknown) => tl.setResult(tl.TaskResult.Failed, printable(describeError(e))),
  );
}

export { tl };
