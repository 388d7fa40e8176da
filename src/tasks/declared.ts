/**
 * Reading the declared connections: every file read and validated (overrides and variables applied),
 * every problem printed, a refusal when there is any. Create's first step, and the whole of the command
 * line's `validate`; it reaches no workspace and imports nothing that does.
 */
import { msg } from '../messages';
import { nextTurn } from '../core/turn';
import { loadConnectionFilesGivingWay, parseOverrides } from '../model';
import { reportDiagnostics } from '../model/diagnostics';
import type { ConnectionSpec } from '../model/types';
import type { CreateServices, CreateSettings } from './create';
import type { TaskOutcome } from './services';

/** What reading the files needs of the settings and the services. */
export type DeclarationSettings = Pick<CreateSettings, 'files' | 'patterns' | 'overrides' | 'apiVersion' | 'allowInsecureTargets'>;
export type DeclarationServices = Pick<CreateServices, 'log' | 'secrets' | 'variables' | 'sourceFiles'>;

export type DeclaredConnections = { ok: true; connections: ConnectionSpec[] } | { ok: false; outcome: TaskOutcome };

/**
 * Reads and validates every file before anything is written; prints each problem and the connections'
 * notes. Gives way to other work after each file (a sign-in started before it proceeds meanwhile).
 */
export async function readDeclaredConnections(settings: DeclarationSettings, services: DeclarationServices): Promise<DeclaredConnections> {
  const { log, secrets } = services;
  const overrides = parseOverrides(settings.overrides);
  log.info(msg('Task_CreateReading', settings.files.length, settings.patterns.join(', ')));
  const loaded = await loadConnectionFilesGivingWay(
    settings.files,
    services.sourceFiles,
    { variables: services.variables, overrides, secrets, apiVersion: settings.apiVersion, allowInsecureTargets: settings.allowInsecureTargets },
    nextTurn,
  );
  const errorCount = reportDiagnostics(log, loaded.diagnostics);
  if (errorCount > 0) {
    return { ok: false, outcome: { result: 'Failed', message: msg('Task_CreateFileErrors', errorCount) } };
  }
  for (const c of loaded.connections) for (const note of c.notes) log.info(msg('Task_ConnectionNote', c.name, note));
  log.info(msg('Task_CreateDeclared', loaded.connections.length));
  return { ok: true, connections: loaded.connections };
}
