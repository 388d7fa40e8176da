/** Fakes every task's logic takes in unit tests: the TaskServices of src/tasks/services.ts and a settings base. */
import * as assert from 'node:assert/strict';
import { MemoryLog } from '../../../src/core/log';
import { SecretSet } from '../../../src/core/secrets';
import type { TaskServices, WorkspaceSettings } from '../../../src/tasks/services';
import type { SourceFileReader } from '../../../src/model/files';

/** Connection files served from memory (text as UTF-8); undefined = no such file. */
export function memorySourceFiles(lookup: (path: string) => string | undefined): SourceFileReader {
  return {
    stat: (p) => {
      const text = lookup(p);
      return text === undefined ? undefined : { folder: false, size: Buffer.byteLength(text) };
    },
    read: (p) => Buffer.from(lookup(p) ?? assert.fail(`no file ${p}`)),
  };
}

export interface FakeTaskServices {
  services: TaskServices & { log: MemoryLog; secrets: SecretSet };
  log: MemoryLog;
  secrets: SecretSet;
  /** files the task wrote, by path */
  written: Record<string, string>;
  /** output variables set */
  outputs: Record<string, string>;
  /** secret variables set */
  secretVariables: Record<string, string>;
  /** Markdown summaries uploaded */
  summaries: string[];
}

/** In-memory TaskServices: `files` can be read, written files can be read back. */
export function fakeTaskServices(files: Record<string, string> = {}): FakeTaskServices {
  const log = new MemoryLog();
  const secrets = new SecretSet();
  const written: Record<string, string> = {};
  const outputs: Record<string, string> = {};
  const secretVariables: Record<string, string> = {};
  const summaries: string[] = [];
  const services = {
    log,
    secrets,
    outputs: {
      set: (k: string, v: string) => void (outputs[k] = v),
      setSecretVariable: (k: string, v: string) => void (secretVariables[k] = v),
      uploadSummary: (_f: string, md: string) => void summaries.push(md),
    },
    readFile: (p: string) => files[p] ?? written[p] ?? assert.fail(`no file ${p}`),
    sourceFiles: memorySourceFiles((p) => files[p] ?? written[p]),
    writeFile: (p: string, t: string) => void (written[p] = t),
  };
  return { services, log, secrets, written, outputs, secretVariables, summaries };
}

/** The workspace part of every task's settings. */
export function workspaceSettings(taskId: string): WorkspaceSettings {
  return {
    azure: { id: 'x', url: 'https://arm/', scheme: 'ServicePrincipal', auth: {}, data: {} },
    job: {},
    resourceGroup: 'rg',
    workspace: 'ws',
    apiVersion: '2025-06-01',
    taskId,
  };
}
