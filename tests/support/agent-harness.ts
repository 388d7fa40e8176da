/**
 * Runs a bundled task the way the Azure Pipelines agent does (agent-contract.md §1 and §5.4):
 * task.json defaults applied, values trimmed, filePath inputs rooted, INPUT_* / ENDPOINT_* (lower-case
 * GUIDs) / SYSTEMVSSCONNECTION / SECRET_* / VSTS_*_VARIABLES in the environment, cwd = the default
 * working directory, then the logging commands parsed from stdout for the result.
 *
 * Outside the agent nothing masks secrets, so this harness masks what the agent would (secret
 * variables, endpoint auth parameters, values registered with task.setsecret from that line on) and
 * tests then look for any secret left, in any encoding.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { scanForSecrets, type Haystack, type LabeledSecret, type Store } from './leak-scan';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface EndpointSpec {
  /** lower-case GUID, as the agent passes it */
  id: string;
  url: string;
  scheme: string;
  params: Record<string, string>;
  data?: Record<string, string>;
}

export interface RunTaskOptions {
  /** e.g. AzureMLConnectionCreateV1 */
  task: string;
  /** folder holding task.json and the script (default dist/tasks/<task>) */
  taskDir?: string;
  inputs: Record<string, string>;
  endpoints?: EndpointSpec[];
  /** the job access token (SYSTEMVSSCONNECTION) */
  systemAccessToken?: string;
  collectionUrl?: string;
  oidcRequestUri?: string;
  /** public pipeline variables by their pipeline names, e.g. { 'Build.BuildId': '1' } */
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  /** System.DefaultWorkingDirectory (cwd of the task) */
  workDir: string;
  /** trusted CA for the child (NODE_EXTRA_CA_CERTS) */
  caFile?: string;
  env?: Record<string, string>;
  nodePath?: string;
  debug?: boolean;
  timeoutMs?: number;
}

export interface LoggingCommand {
  name: string;
  props: Record<string, string>;
  data: string;
}

export interface TaskRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout as the agent would show it (masked, setsecret lines consumed) */
  masked: string;
  commands: LoggingCommand[];
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  resultMessage: string;
  outputs: Record<string, string>;
  secretVariablesSet: Record<string, string>;
  registeredSecrets: string[];
  errors: string[];
  warnings: string[];
  /** contents of uploaded summaries */
  summaries: string[];
  /** the paths of uploaded summaries */
  summaryFiles: string[];
  /** plain (non-command) lines of the masked output */
  lines: string[];
  tempDir: string;
  durationMs: number;
}

/** Endpoint auth parameters the agent does not mask (MaskingUtil). */
export const NON_SECRET_AUTH_PARAMS = new Set(
  ['role', 'scope', 'tenantid', 'issuedat', 'expiresat', 'audience', 'authenticationtype', 'authorizationtype', 'accesstokentype', 'serviceprincipalid', 'loginserver', 'registry', 'username', 'email'].map((s) => s.toLowerCase()),
);

const envName = (name: string) => name.replace(/[.\s]/g, '_').toUpperCase();

interface TaskJsonInput {
  name: string;
  type: string;
  defaultValue?: string | boolean;
}

export function prepareInputs(taskJsonPath: string, given: Record<string, string>, workDir: string, variables: Record<string, string> = {}): Record<string, string> {
  const task = JSON.parse(readFileSync(taskJsonPath, 'utf8')) as { inputs: TaskJsonInput[] };
  const known = new Set(task.inputs.map((i) => i.name));
  for (const k of Object.keys(given)) if (!known.has(k)) throw new Error(`test error: task has no input '${k}'`);
  const env: Record<string, string> = {};
  for (const input of task.inputs) {
    // the agent expands macros in default values too, e.g. $(Build.ArtifactStagingDirectory)/connections
    let value = (given[input.name] ?? expandMacros({ d: String(input.defaultValue ?? '') }, variables).d).trim();
    if (input.type === 'filePath') value = value && isAbsolute(value) ? resolve(value) : resolve(workDir, value);
    env[`INPUT_${envName(input.name)}`] = value;
  }
  return env;
}

/** The agent expands `$(name)` macros of known variables (secret ones included) in input values; unknown ones stay as written. */
export function expandMacros(inputs: Record<string, string>, variables: Record<string, string>): Record<string, string> {
  const byKey = new Map(Object.entries(variables).map(([k, v]) => [envName(k), v]));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) out[k] = v.replace(/\$\(([^)\s]+)\)/g, (m, name: string) => byKey.get(envName(name)) ?? m);
  return out;
}

export async function runTask(options: RunTaskOptions): Promise<TaskRun> {
  const taskDir = options.taskDir ?? join(REPO_ROOT, 'dist', 'tasks', options.task);
  const taskJson = join(taskDir, 'task.json');
  if (!existsSync(taskJson)) throw new Error(`${taskJson} is missing: run npm run build first`);
  const target = (JSON.parse(readFileSync(taskJson, 'utf8')) as { execution: Record<string, { target: string }> }).execution.Node20_1.target;
  const tempDir = mkdtempSync(join(tmpdir(), 'amlc-agent-temp-'));
  mkdirSync(options.workDir, { recursive: true });

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    AGENT_TEMPDIRECTORY: tempDir,
    AGENT_WORKFOLDER: tempDir,
    AGENT_VERSION: '4.266.2',
    SYSTEM_DEFAULTWORKINGDIRECTORY: options.workDir,
    BUILD_SOURCESDIRECTORY: options.workDir,
    SYSTEM_TEAMPROJECTID: 'b5b9a1a5-2f86-4f6b-8d0c-3b0f5a0e1c11',
    SYSTEM_TEAMPROJECT: 'mlops',
    SYSTEM_PLANID: '8a4c2d10-0a5b-4b8e-9f7c-1d2e3f4a5b6c',
    SYSTEM_JOBID: '3c2b1a09-8f7e-4d6c-b5a4-a3b2c1d0e9f8',
    SYSTEM_HOSTTYPE: 'build',
    SYSTEM_CULTURE: 'en-US',
    ...(options.collectionUrl ? { SYSTEM_COLLECTIONURI: options.collectionUrl, SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: options.collectionUrl } : {}),
    ...(options.oidcRequestUri ? { SYSTEM_OIDCREQUESTURI: options.oidcRequestUri } : {}),
    ...(options.debug ? { SYSTEM_DEBUG: 'true' } : {}),
    ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}),
    ...prepareInputs(taskJson, expandMacros(options.inputs, { ...options.variables, ...options.secretVariables }), options.workDir, { ...options.variables }),
  };
  const masks: string[] = [];
  const publicNames: string[] = [];
  for (const [name, value] of Object.entries(options.variables ?? {})) {
    env[envName(name)] = value;
    publicNames.push(name);
  }
  const secretNames: string[] = [];
  for (const [name, value] of Object.entries(options.secretVariables ?? {})) {
    env[`SECRET_${envName(name)}`] = value;
    secretNames.push(name);
    masks.push(value);
  }
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify(publicNames);
  env.VSTS_SECRET_VARIABLES = JSON.stringify(secretNames);
  for (const ep of options.endpoints ?? []) {
    env[`ENDPOINT_URL_${ep.id}`] = ep.url;
    env[`ENDPOINT_AUTH_${ep.id}`] = JSON.stringify({ parameters: ep.params, scheme: ep.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${ep.id}`] = ep.scheme;
    for (const [k, v] of Object.entries(ep.params)) {
      env[`ENDPOINT_AUTH_PARAMETER_${ep.id}_${k.toUpperCase()}`] = v;
      if (!NON_SECRET_AUTH_PARAMS.has(k.toLowerCase())) masks.push(v);
    }
    if (ep.data) {
      env[`ENDPOINT_DATA_${ep.id}`] = JSON.stringify(ep.data);
      for (const [k, v] of Object.entries(ep.data)) env[`ENDPOINT_DATA_${ep.id}_${k.toUpperCase()}`] = v;
    }
  }
  if (options.systemAccessToken) {
    env.ENDPOINT_URL_SYSTEMVSSCONNECTION = options.collectionUrl ?? 'https://dev.azure.com/org/';
    env.ENDPOINT_AUTH_SYSTEMVSSCONNECTION = JSON.stringify({ parameters: { AccessToken: options.systemAccessToken }, scheme: 'OAuth' });
    env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION = 'OAuth';
    env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN = options.systemAccessToken;
    masks.push(options.systemAccessToken);
  }
  Object.assign(env, options.env ?? {});

  const started = Date.now();
  const { stdout, stderr, exitCode } = await spawnNode(options.nodePath ?? process.execPath, [join(taskDir, target)], options.workDir, env, options.timeoutMs ?? 120_000);
  const run = interpret(stdout, stderr, exitCode, masks, tempDir);
  run.durationMs = Date.now() - started;
  return run;
}

function spawnNode(node: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ stdout: string; stderr: string; exitCode: number | null }>((resolvePromise, reject) => {
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code });
    });
  });
}

// as the agent's CommandStringConvertor: the special symbols first, %AZP25 (a literal %) last
const unescapeProp = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%3B/g, ';').replace(/%AZP25/g, '%');
const unescapeData = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%AZP25/g, '%');

/** The agent (.NET) reads output line by line: a line ends at `\r\n`, `\r` or `\n`. */
export function agentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Parses a line the way the agent does: `##vso[` anywhere in the line starts a command. */
export function parseCommand(line: string): LoggingCommand | undefined {
  const at = line.indexOf('##vso[');
  if (at < 0) return undefined;
  const rest = line.slice(at + 6);
  const close = rest.indexOf(']');
  if (close < 0) return undefined;
  const head = rest.slice(0, close);
  const space = head.indexOf(' ');
  const name = (space < 0 ? head : head.slice(0, space)).toLowerCase();
  const props: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) props[pair.slice(0, eq).trim().toLowerCase()] = unescapeProp(pair.slice(eq + 1));
    }
  }
  return { name, props, data: unescapeData(rest.slice(close + 1)) };
}

function interpret(stdout: string, stderr: string, exitCode: number | null, masks: string[], tempDir: string): TaskRun {
  const active = masks.filter((m) => m.length > 0);
  const commands: LoggingCommand[] = [];
  const maskedLines: string[] = [];
  const lines: string[] = [];
  const outputs: Record<string, string> = {};
  const secretVariablesSet: Record<string, string> = {};
  const registeredSecrets: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const summaries: string[] = [];
  const summaryFiles: string[] = [];
  const results: string[] = [];
  let resultMessage = '';
  const mask = (text: string) => {
    let t = text;
    for (const m of [...active].sort((a, b) => b.length - a.length)) t = t.split(m).join('***');
    return t;
  };
  for (const line of agentLines(stdout)) {
    const cmd = parseCommand(line);
    if (cmd) {
      commands.push(cmd);
      if (cmd.name === 'task.setsecret') {
        registeredSecrets.push(cmd.data);
        if (cmd.data) active.push(cmd.data);
        continue;
      }
      if (cmd.name === 'task.setvariable') {
        const isOutput = (cmd.props.isoutput ?? '').toLowerCase() === 'true';
        const isSecret = (cmd.props.issecret ?? '').toLowerCase() === 'true';
        if (isSecret) {
          secretVariablesSet[cmd.props.variable] = cmd.data;
          active.push(cmd.data);
        } else if (isOutput) outputs[cmd.props.variable] = cmd.data;
      }
      if (cmd.name === 'task.complete') {
        results.push(cmd.props.result ?? 'Succeeded');
        resultMessage = cmd.data;
      }
      if (cmd.name === 'task.issue' || cmd.name === 'task.logissue') {
        if ((cmd.props.type ?? '').toLowerCase() === 'error') errors.push(mask(cmd.data));
        if ((cmd.props.type ?? '').toLowerCase() === 'warning') warnings.push(mask(cmd.data));
      }
      if (cmd.name === 'task.uploadsummary' && existsSync(cmd.data)) {
        summaries.push(readFileSync(cmd.data, 'utf8'));
        summaryFiles.push(cmd.data);
      }
    } else if (line.length > 0) {
      lines.push(mask(line));
    }
    maskedLines.push(mask(line));
  }
  const rank = (r: string) => (r === 'Failed' ? 2 : r === 'SucceededWithIssues' ? 1 : 0);
  const worst = results.reduce((w, r) => (rank(r) > rank(w) ? r : w), 'Succeeded');
  return {
    exitCode,
    stdout,
    stderr,
    masked: maskedLines.join('\n'),
    commands,
    result: (exitCode !== 0 ? 'Failed' : worst) as TaskRun['result'],
    resultMessage: mask(resultMessage),
    outputs,
    secretVariablesSet,
    registeredSecrets,
    errors,
    warnings,
    summaries,
    summaryFiles,
    lines,
    tempDir,
    durationMs: 0,
  };
}

/**
 * Everything a run leaves that a person or a later step could read: the masked stdout, stderr, every file
 * in the agent temp dir (summaries, default plan and report files), uploaded summaries kept elsewhere,
 * and the given files (what the run wrote elsewhere).
 */
export function runHaystacks(run: TaskRun, files: readonly string[] = []): Haystack[] {
  const haystacks: Haystack[] = [
    { where: 'stdout (masked as the agent would)', text: run.masked },
    { where: 'stderr', text: run.stderr },
  ];
  const seen = new Set<string>();
  for (const f of [...listFiles(run.tempDir), ...run.summaryFiles, ...files]) {
    if (seen.has(f) || f.endsWith('.taskkey') || !existsSync(f) || !statSync(f).isFile()) continue;
    seen.add(f);
    haystacks.push({ where: f, text: readFileSync(f, 'utf8') });
  }
  return haystacks;
}

/** Every secret (raw or labelled) found in any output or file of the run, in any form (see leak-scan.ts). */
export function findSecretLeaks(run: TaskRun, secrets: ReadonlyArray<string | LabeledSecret>, extraFiles: string[] = [], totals?: Store): string[] {
  const labeled = secrets.map((s, i) => (typeof s === 'string' ? { label: `given secret #${i + 1}`, value: s } : s));
  return scanForSecrets(runHaystacks(run, extraFiles), labeled, totals);
}

/**
 * Outside text that became a logging command or a fake formatted line: any `##vso[` command we never emit
 * (stdout), any `##vso[` at all on stderr (the agent reads commands there too, and we print none there),
 * and any line starting with `##[` other than our own `##[group]` / `##[endgroup]`. Lines are split as the
 * agent splits them.
 */
export function findInjections(run: Pick<TaskRun, 'stdout' | 'stderr'>): string[] {
  const problems: string[] = [];
  for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    agentLines(text).forEach((line, i) => {
      const cmd = parseCommand(line);
      if (cmd && (stream === 'stderr' || !ALLOWED_COMMANDS.has(cmd.name))) problems.push(`${stream} line ${i + 1}: logging command ${cmd.name}`);
      if (/^\s*##\[/.test(line) && !(stream === 'stdout' && /^##\[(group|endgroup)\]/.test(line))) {
        problems.push(`${stream} line ${i + 1}: a formatted line ${JSON.stringify(line.slice(0, 40))}`);
      }
    });
  }
  return problems;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Logging commands a task of ours may emit; anything else came from outside text. */
export const ALLOWED_COMMANDS = new Set(['task.debug', 'task.setsecret', 'task.setvariable', 'task.issue', 'task.logissue', 'task.complete', 'task.uploadsummary', 'task.setprogress']);
