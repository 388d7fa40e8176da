/** The few node:fs operations the tasks and the command line share: plain files, no task-lib here. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes a UTF-8 text file, creating its folder first. */
export function writeTextFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, 'utf8');
}

/** A folder of text files as Export lists, reads and writes it (src/tasks/export.ts ExportFiles). */
export const nodeFolderFiles = {
  /** names of the entries directly inside `dir`; [] when it does not exist; undefined when it is not a folder */
  list(dir: string): string[] | undefined {
    let st;
    try {
      st = statSync(dir);
    } catch {
      return [];
    }
    return st.isDirectory() ? readdirSync(dir) : undefined;
  },
  /** the file's text, or undefined when it does not exist */
  read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  write: writeTextFile,
};
