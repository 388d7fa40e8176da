/**
 * The commands that reach a workspace: `plan` and `apply` run the Create task's logic, `verify` the
 * Verify task's, `export` the Export task's, each with the command line's services and the same
 * workspace connection (src/workspace/connect.ts openWorkspace) once signed in with DefaultAzureCredential.
 * Loaded by src/cli/run.ts only for these commands.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_API_VERSION } from '../arm/types';
import { writeTextFile, nodeFolderFiles } from '../core/files';
import type { NetworkOptions } from '../core/network';
import { msg } from '../messages';
import { probeConnection } from '../probe';
import type { TaskOutcome } from '../core/task';
import { EXTENSION_VERSION } from '../core/version';
import { openWorkspace, type WorkspaceSettings } from '../workspace/connect';
import { runCreate, type CreateSettings } from '../tasks/create';
import { runExport } from '../tasks/export';
import { runVerify, type FailOn, type VerifySettings } from '../tasks/verify';
import type { OnExisting, SecretCheck } from '../engine/types';
import { connectionFiles, variablesOf, type CommandContext } from './run';
import { DEFAULT_PATTERNS } from './files';
import { CountedWrites, sourceFilesIn } from './services';
import { chooseCloud, proxyFromEnv, signIn, type CloudChoice } from './signin';
import type { RunningSandbox } from './sandbox';
import type { Env } from './output';

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** Where a command writes when not told: the system's temporary folder, as the tasks use the agent's. */
const DEFAULT_PLAN_FILE = 'azureml-connections.plan.json';
const DEFAULT_REPORT_FILE = 'azureml-connections.verify.json';

interface Target {
  settings: WorkspaceSettings;
  subscriptionId: string;
  cloud: CloudChoice;
  net: NetworkOptions;
  /** what sign-in reads (with --sandbox, its principal) */
  env: Env;
}

export async function runOnline(ctx: CommandContext): Promise<TaskOutcome> {
  const { options, io } = ctx;
  const sandboxed = options.flag('sandbox');
  if (sandboxed && (options.has('cloud') || options.has('arm-endpoint'))) throw options.usage(msg('Cli_UsageSandboxCloud'));
  const cloud = sandboxed ? undefined : chooseCloud(options.value('cloud'), options.value('arm-endpoint'));
  if (typeof cloud === 'string') throw options.usage(cloud);
  const apiVersion = (options.value('api-version') ?? DEFAULT_API_VERSION).trim();
  if (!API_VERSION.test(apiVersion)) throw options.usage(msg('Cli_UsageApiVersion', apiVersion));
  const names = sandboxed
    ? { subscriptionId: options.value('subscription'), resourceGroup: options.value('resource-group'), workspace: options.value('workspace') }
    : {
      subscriptionId: options.required('subscription', io.env.AZURE_SUBSCRIPTION_ID, 'AZURE_SUBSCRIPTION_ID'),
      resourceGroup: options.required('resource-group'),
      workspace: options.required('workspace'),
    };
  const run = commandRunner(ctx);

  let sandbox: RunningSandbox | undefined;
  try {
    if (sandboxed) {
      const { startCliSandbox } = require('./sandbox') as typeof import('./sandbox');
      sandbox = await startCliSandbox(names);
      ctx.log.info(sandbox.description);
    }
    const ws = sandbox?.ws ?? (names as { subscriptionId: string; resourceGroup: string; workspace: string });
    const proxy = sandbox ? undefined : proxyFromEnv(io.env, ctx.secrets);
    const target: Target = {
      subscriptionId: ws.subscriptionId,
      cloud: sandbox ? { name: msg('Cli_SandboxCloud'), armUrl: sandbox.armUrl } : (cloud as CloudChoice),
      net: { proxy, tlsCaPem: sandbox?.caPem },
      env: { ...io.env, ...sandbox?.env },
      settings: {
        // what the tasks' connect signs in with (a service connection, the job); the command line's connect uses DefaultAzureCredential instead
        azure: { id: 'DefaultAzureCredential', url: '', scheme: '', auth: {}, data: {} },
        job: {},
        resourceGroup: ws.resourceGroup,
        workspace: ws.workspace,
        apiVersion,
        proxy,
        caPem: sandbox?.caPem,
        taskId: `cli ${ctx.command.name}`,
      },
    };
    return await run(target);
  } finally {
    await sandbox?.stop();
  }
}

/** The command's settings are read (and usage errors found) before anything starts; it runs once there is a workspace to reach. */
function commandRunner(ctx: CommandContext): (target: Target) => Promise<TaskOutcome> {
  const { options, io, log, secrets, outputs } = ctx;
  const services = {
    log,
    secrets,
    outputs,
    readFile: (path: string) => readFileSync(path, 'utf8'),
    writeFile: writeTextFile,
    sourceFiles: sourceFilesIn(io.cwd),
  };
  const connect = (target: Target) => async () => {
    const auth = await signIn(target.cloud, { tenant: options.value('tenant'), env: target.env, net: target.net });
    return openWorkspace({ ...auth, subscriptionId: target.subscriptionId }, target.settings, log);
  };
  const file = (name: string): string | undefined => {
    const given = options.value(name);
    return given ? resolve(io.cwd, given) : undefined;
  };

  switch (ctx.command.name) {
    case 'plan':
    case 'apply': {
      const mode = ctx.command.name;
      const variables = variablesOf(ctx);
      const onExisting = options.oneOf<OnExisting>('on-existing', ['update', 'skip', 'fail'], 'update');
      const secretCheck = options.oneOf<SecretCheck>('secret-check', ['digest', 'read'], 'digest');
      const planFile = file('plan-file');
      const maxParallel = options.autoOrWholeNumber('max-parallel', 64);
      const { patterns, files } = connectionFiles(ctx, DEFAULT_PATTERNS);
      return async (target) => {
        const settings: CreateSettings = {
          ...target.settings,
          patterns,
          files,
          mode,
          planFile,
          defaultPlanFile: join(tmpdir(), DEFAULT_PLAN_FILE),
          onExisting,
          prune: options.flag('prune'),
          overrides: options.list('set').join('\n'),
          maxParallel,
          allowInsecureTargets: options.flag('allow-insecure-targets'),
          secretCheck,
        };
        const open = connect(target);
        return runCreate(settings, {
          ...services,
          variables,
          connect: async () => {
            const ws = await open();
            return { api: new CountedWrites(ws.api, (n) => log.setProgress(msg('Cli_Progress', n, Math.max(n, log.writesPlanned)))), ref: ws.ref };
          },
        });
      };
    }
    case 'verify': {
      const variables = variablesOf(ctx);
      const failOn = options.oneOf<FailOn>('fail-on', ['any', 'missing', 'none'], 'any');
      const expiryWarningDays = options.wholeNumber('expiry-warning-days', 0, 3650, 14);
      const probeTimeoutMs = options.wholeNumber('probe-timeout', 1, 300, 15) * 1000;
      const maxParallel = options.wholeNumber('max-parallel', 1, 64, 8);
      const { patterns, files } = connectionFiles(ctx, []);
      return async (target) => {
        const settings: VerifySettings = {
          ...target.settings,
          patterns,
          files,
          names: options.list('name'),
          checkCredentials: !options.flag('no-check-credentials'),
          probe: options.flag('probe'),
          testConnection: options.flag('test-connection'),
          expiryWarningDays,
          failOn,
          probeTimeoutMs,
          testConnectionTimeoutMs: 120_000,
          maxParallel,
          reportFile: file('report-file') ?? join(tmpdir(), DEFAULT_REPORT_FILE),
        };
        return runVerify(settings, {
          ...services,
          variables,
          connect: connect(target),
          probe: probeConnection,
          probeOptions: {
            proxy: target.net.proxy ? { ...target.net.proxy, bypass: target.net.proxy.bypass ?? [] } : undefined,
            caPem: target.net.tlsCaPem,
            secrets,
            userAgent: `AzureMLConnections/${EXTENSION_VERSION} (${target.settings.taskId})`,
          },
        });
      };
    }
    case 'export': {
      const outputPath = resolve(io.cwd, options.required('out'));
      return async (target) =>
        runExport(
          { ...target.settings, connectionNames: options.list('name'), categories: options.list('category'), outputPath, secrets: 'placeholders' },
          { log, secrets, outputs, files: nodeFolderFiles, connect: connect(target), now: () => new Date() },
        );
    }
    default:
      throw new Error(`${ctx.command.name} is not a command that reaches a workspace.`);
  }
}
