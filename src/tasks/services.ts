/** What every task's logic is handed by its adapter (src/pipeline for the agent; tests pass fakes). No task-lib here. */
import type { TaskLog } from '../core/log';
import type { SecretSink } from '../core/secrets';
import type { TaskOutputs } from '../core/task';
import type { SourceFileReader } from '../model/files';

export type { TaskOutcome, TaskOutputs } from '../core/task';
export type { WorkspaceSettings } from '../workspace/connect';

/** What every task's logic is handed (the pipeline adapter implements it; tests pass fakes). */
export interface TaskServices {
  log: TaskLog;
  secrets: SecretSink;
  outputs: TaskOutputs;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  /** connection files as bytes (their size and kind first), read through src/model/files.ts */
  sourceFiles: SourceFileReader;
}
