/** AzureMLConnectionVerify@1: inputs -> VerifySettings, and the services its logic runs with. */
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors';
import { msg } from '../messages';
import { connectWorkspace, signIn } from '../workspace/connect';
import { EXTENSION_VERSION } from '../core/version';
import type { FailOn, VerifyServices, VerifySettings } from '../tasks/verify';
import { probeConnection } from '../probe';
import { AgentSecrets, tempDirectory, tl, workingDirectory } from './agent';
import { matchFiles, pick, positiveInt, readLines, readWorkspaceSettings, taskServices } from './settings';

export const VERIFY_TASK_ID = 'AzureMLConnectionVerify@1';

export function readVerifySettings(secrets: AgentSecrets): VerifySettings {
  const base = readWorkspaceSettings(VERIFY_TASK_ID, secrets);
  const patterns = readLines('connectionFiles');
  const reportFile = tl.filePathSupplied('reportFile') ? tl.getPathInput('reportFile') : undefined;
  return {
    ...base,
    patterns,
    files: patterns.length > 0 ? matchFiles(patterns) : [],
    names: readLines('connectionNames'),
    checkCredentials: tl.getBoolInput('checkCredentials', false) || (tl.getInput('checkCredentials') ?? '') === '',
    probe: tl.getBoolInput('probe', false),
    testConnection: tl.getBoolInput('testConnection', false),
    expiryWarningDays: days('expiryWarningDays', 14),
    failOn: pick<FailOn>('failOn', ['any', 'missing', 'none'], 'any'),
    probeTimeoutMs: positiveInt('probeTimeoutSeconds', 15, 300) * 1000,
    testConnectionTimeoutMs: 120_000,
    maxParallel: positiveInt('maxParallel', 8, 64),
    reportFile: reportFile ? (isAbsolute(reportFile) ? reportFile : resolve(workingDirectory(), reportFile)) : join(tempDirectory(), 'azureml-connections.verify.json'),
  };
}

function days(name: string, fallback: number): number {
  const raw = (tl.getInput(name) || String(fallback)).trim();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new UserError(msg('Verify_InputNotDays', name, raw));
  return n;
}

export function createVerifyServices(secrets: AgentSecrets, settings: VerifySettings): VerifyServices {
  const base = taskServices(secrets);
  return {
    ...base,
    signIn: (s) => signIn(s, secrets),
    connect: (s, signedIn) => connectWorkspace(s, secrets, base.log, signedIn),
    probe: probeConnection,
    probeOptions: {
      proxy: settings.proxy ? { ...settings.proxy, bypass: settings.proxy.bypass ?? [] } : undefined,
      caPem: settings.caPem,
      secrets,
      userAgent: `AzureMLConnections/${EXTENSION_VERSION} (${VERIFY_TASK_ID})`,
    },
  };
}
