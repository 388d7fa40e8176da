/** AzureMLConnectionExport@1: inputs -> ExportSettings, and the agent-backed services. */
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors';
import { nodeFolderFiles } from '../core/files';
import { msg } from '../messages';
import { connectWorkspace } from '../workspace/connect';
import type { ExportServices, ExportSettings, SecretsMode } from '../tasks/export';
import { AgentOutputs, type AgentSecrets, PipelineLog, tl, workingDirectory } from './agent';
import { pick, readLines, readWorkspaceSettings } from './settings';

export function readExportSettings(secrets: AgentSecrets): ExportSettings {
  const base = readWorkspaceSettings('AzureMLConnectionExport@1', secrets);
  return {
    ...base,
    connectionNames: readLines('connectionNames'),
    categories: readLines('categories'),
    outputPath: readOutputPath(),
    secrets: pick<SecretsMode>('secrets', ['placeholders', 'variables'], 'placeholders'),
  };
}

function readOutputPath(): string {
  // the agent roots an empty filePath input at the sources folder: that counts as not given
  let raw = tl.filePathSupplied('outputPath') ? (tl.getPathInput('outputPath') || '').trim() : '';
  if (!raw) {
    const staging = tl.getVariable('Build.ArtifactStagingDirectory');
    if (!staging) throw new UserError(msg('Task_OutputPathMissing'));
    raw = join(staging, 'connections');
  }
  const macro = /\$\(([^)]*)\)/.exec(raw);
  if (macro) {
    throw new UserError(msg('Task_OutputPathUndefinedVariable', raw, macro[1] ?? ''));
  }
  return isAbsolute(raw) ? resolve(raw) : resolve(workingDirectory(), raw);
}

export function createExportServices(secrets: AgentSecrets): ExportServices {
  const log = new PipelineLog();
  return {
    log,
    secrets,
    outputs: new AgentOutputs(),
    files: nodeFolderFiles,
    connect: (settings) => connectWorkspace(settings, secrets, log),
    now: () => new Date(),
  };
}
