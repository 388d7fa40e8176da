/**
 * AzureMLConnectionMigrate@1: Azure DevOps service connections (Docker Registry, Python package download,
 * Other Git, GitHub) -> ML workspace connections, through the same plan/apply engine as Create.
 * No task-lib here.
 */
import type { TaskLog } from '../core/log';
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import { describeError } from '../core/errors';
import type { OnExisting } from '../engine/types';
import { escapeMarkdown } from '../engine';
import { serializeDocuments, validateDocument } from '../model';
import { buildConnection } from '../model/build';
import type { ConnectionSpec } from '../model/types';
import type { ServiceEndpointDirectory } from '../devops/endpoints';
import {
  checkTemplate, classify, connectionNameFor, equivalentDocument, fallbackName, findCollisions, mapEndpoint, migrationYaml, schemeOf,
  type Classification, type Migration, type Refusal, type ServiceEndpoint, type SourceType,
} from '../migrate';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './common';
import { reconcile, setOutputs } from './reconcile';

/** One service connection selected in one of the four inputs. */
export interface SelectedConnection {
  /** lower-case GUID */
  id: string;
  /** the input it was selected in, e.g. dockerRegistryConnections */
  input: string;
  type: SourceType;
}

export interface MigrateSettings extends WorkspaceSettings {
  selected: SelectedConnection[];
  nameTemplate: string;
  /** see MapOptions.githubRepository */
  githubRepository: string;
  mode: 'apply' | 'plan';
  planFile?: string;
  defaultPlanFile: string;
  onExisting: OnExisting;
  maxParallel: number;
  /** also write the az-ml YAML of what was migrated here (secrets as placeholders) */
  yamlOutputPath?: string;
  inventory: boolean;
}

export interface MigrateServices extends TaskServices {
  connect(settings: WorkspaceSettings): Promise<{ api: ConnectionsApi; ref: WorkspaceRef }>;
  /** a service connection as the agent handed it to the task (keys lower-cased); undefined when it was not */
  endpoint(id: string): Omit<ServiceEndpoint, 'type' | 'name'> | undefined;
  /** the project's service connections through the REST API (job token); undefined when the job has no token */
  directory?: ServiceEndpointDirectory;
}

/** Auth parameters that are not secrets (as the agent's masking treats them); every other value is registered. */
const NON_SECRET_PARAMS = new Set([
  'username', 'registry', 'email', 'loginserver', 'serviceprincipalid', 'tenantid', 'scope', 'authenticationtype', 'scheme', 'role',
  'configurationid', 'accesstokentype', 'authorizationtype', 'issuedat', 'expiresat', 'audience',
]);

interface Entry {
  selected: SelectedConnection;
  endpoint: ServiceEndpoint;
  /** for messages: `'name' (id)` or `id` */
  label: string;
  name: string;
  classification: Classification;
  verdict: Migration | Refusal;
}

export async function runMigrate(settings: MigrateSettings, services: MigrateServices): Promise<TaskOutcome> {
  const { log, secrets } = services;
  checkTemplate(settings.nameTemplate);
  if (settings.selected.length === 0 && !settings.inventory) {
    return {
      result: 'Failed',
      message: 'No service connection is selected; choose some in dockerRegistryConnections, pythonFeedConnections, gitConnections or githubConnections, or set inventory to true.',
    };
  }

  // 1. The selected service connections, as the agent handed them over; their secrets registered first.
  const problems: string[] = [];
  const handed: Array<{ selected: SelectedConnection; endpoint: ServiceEndpoint }> = [];
  const seenIds = new Set<string>();
  for (const s of settings.selected) {
    if (seenIds.has(s.id)) continue;
    seenIds.add(s.id);
    const ep = services.endpoint(s.id);
    if (!ep) {
      problems.push(`The service connection ${s.id} selected in '${s.input}' was not handed to this task; check that it exists and that the pipeline is authorised to use it.`);
      continue;
    }
    for (const [k, v] of Object.entries(ep.auth)) if (!NON_SECRET_PARAMS.has(k)) secrets.add(v);
    handed.push({ selected: s, endpoint: { ...ep, type: s.type } });
  }

  // 2. Names (and the inventory) from the project's service connections.
  let listed: ServiceEndpoint[] | undefined;
  let inventoryError: string | undefined;
  if (settings.inventory) {
    try {
      if (!services.directory) throw new Error("the job's access token (SystemVssConnection) or System.CollectionUri is not available");
      listed = await services.directory.list();
    } catch (e) {
      inventoryError = `The inventory of service connections could not be made: ${describeError(e)}`;
      log.error(inventoryError);
    }
  }
  const names = new Map<string, string>();
  if (handed.length) {
    let known = listed;
    if (!known) {
      try {
        if (!services.directory) throw new Error("the job's access token (SystemVssConnection) or System.CollectionUri is not available");
        known = await services.directory.list(handed.map((h) => h.endpoint.id));
      } catch (e) {
        log.warning(
          `The names of the service connections could not be read (${describeError(e)}); {name} stands for <type>-<first 8 characters of the id> instead, e.g. ${fallbackName({ id: handed[0]!.endpoint.id, mlType: 'git' })}. Names made this way change when the names become readable; set nameTemplate without {name} to keep them stable.`,
        );
      }
    }
    for (const e of known ?? []) if (e.name) names.set(e.id.toLowerCase(), e.name);
  }

  // 3. Map each one; name it.
  const entries: Entry[] = handed.map(({ selected, endpoint }) => {
    const scName = names.get(endpoint.id);
    const ep: ServiceEndpoint = { ...endpoint, name: scName };
    const classification = classify(ep);
    const name = connectionNameFor(settings.nameTemplate, { id: ep.id, name: scName, mlType: classification.mlType ?? 'connection' });
    const verdict = mapEndpoint(ep, { githubRepository: settings.githubRepository }, name);
    return { selected, endpoint: ep, label: scName !== undefined ? `'${scName}' (${ep.id})` : ep.id, name, classification, verdict };
  });
  const migrated = entries.filter((e): e is Entry & { verdict: Migration } => e.verdict.kind === 'migrate');
  const refused = entries.filter((e): e is Entry & { verdict: Refusal } => e.verdict.kind === 'refuse');

  if (entries.length) log.group('Service connections');
  for (const e of migrated) {
    const creds = e.verdict.doc.credentials as Record<string, unknown>;
    log.info(`Service connection ${e.label}, ${e.classification.kind} -> ${String(e.verdict.doc.type)} connection '${e.name}' (${String(creds.type)}), target ${String(e.verdict.doc.target)}.`);
    for (const note of e.verdict.notes) log.info(`    note: ${note}`);
  }
  for (const e of refused) {
    log.info(`Service connection ${e.label}, ${e.classification.kind}: not migrated. ${e.verdict.reason}`);
    const eq = equivalentDocument(e.name, e.verdict);
    if (eq) {
      if (e.verdict.advice) log.info(`    ${e.verdict.advice}`);
      log.info('    Equivalent ML connection (az-ml YAML):');
      for (const line of serializeDocuments([eq]).split('\n')) if (line) log.info(`      ${line}`);
    }
  }
  if (entries.length) log.endGroup();
  for (const e of refused) log.warning(`Service connection ${e.label} was not migrated. ${e.verdict.reason}`);

  // 4. Names must be unique before anything is written.
  const collisions = findCollisions(migrated.map((e) => e.name));
  for (const c of collisions) {
    const who = c.members.map((i) => migrated[i]!.label).join(', ');
    problems.push(`The service connections ${who} would all become the ML connection '${c.name}'; change nameTemplate (e.g. add {id}) so that each gets its own name.`);
  }

  // 5. The ML connections, built exactly as Create builds the same YAML.
  const specs: ConnectionSpec[] = [];
  for (const e of migrated) {
    const doc = { name: e.name, ...e.verdict.doc };
    const invalid = validateDocument(doc);
    if (invalid.length) {
      problems.push(`Service connection ${e.label} cannot become an ML connection: ${invalid.map((p) => p.message).join(' ')}`);
      continue;
    }
    const built = buildConnection(doc);
    specs.push({
      name: e.name,
      location: { file: `service connection ${e.endpoint.id}`, line: 1, column: 1 },
      yamlType: built.yamlType,
      properties: built.properties,
      secretFields: built.secretFields,
      missingSecrets: built.missingSecrets,
      fieldLocations: {},
      notes: built.notes,
    });
  }
  warnSharedTargets(specs, log);

  if (problems.length) {
    for (const p of problems) log.error(p);
    setOutputs(services.outputs, { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: problems.length, skipped: 0 }, undefined, '');
    services.outputs.set('notMigrated', String(refused.length));
    return { result: 'Failed', message: `${problems.length} problem(s) with the selected service connections; nothing was written. ${problems[0]}` };
  }

  // 6. The YAML of what is migrated, for review and source control (no secrets).
  if (settings.yamlOutputPath && entries.length) {
    services.writeFile(
      settings.yamlOutputPath,
      migrationYaml(
        migrated.map((e) => ({ name: e.name, source: e.label, migration: e.verdict })),
        refused.map((e) => ({ name: e.name, source: e.label, refusal: e.verdict })),
      ),
    );
    log.info(`The az-ml YAML of ${migrated.length} migrated connection(s) was written to ${settings.yamlOutputPath}; secrets are $(AZUREML_<NAME>_<FIELD>) variable references.`);
  }

  // 7. The inventory.
  const inventory = listed ? inventoryReport(listed, log) : undefined;
  const appendix = [sourcesMarkdown(entries), inventory?.markdown ?? (inventoryError ? `### Inventory\n\n${escapeMarkdown(inventoryError)}\n` : '')].filter(Boolean).join('\n');

  // 8. Plan and apply with the same engine as Create.
  let outcome: TaskOutcome;
  if (specs.length) {
    const workspace = await services.connect(settings);
    const done = await reconcile(specs, workspace, { ...settings, prune: false }, services, {
      title: 'Azure ML connections: migrated from service connections',
      declaredBy: 'the selected service connections',
      summaryAppendix: appendix,
    });
    outcome = done.outcome;
  } else {
    setOutputs(services.outputs, { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, skipped: 0 }, undefined, '');
    services.outputs.uploadSummary('migrate.md', `## Azure ML connections: migration from service connections\n\nNothing was migrated.\n\n${appendix}`);
    const what = inventory ? `${inventory.total} service connection(s) listed, ${inventory.migratable} can be migrated` : 'nothing to migrate';
    outcome = { result: 'Succeeded', message: `${what}.` };
  }
  services.outputs.set('notMigrated', String(refused.length));

  if (inventoryError) return { result: 'Failed', message: `${inventoryError} ${outcome.message}` };
  if (refused.length && outcome.result === 'Succeeded') {
    return {
      result: 'SucceededWithIssues',
      message: `${outcome.message.replace(/\.$/, '')}; ${refused.length} service connection(s) not migrated: ${refused.map((e) => e.label).join(', ')}.`,
    };
  }
  return outcome;
}

/** ML resolves Git, feed and registry connections by target: two with the same target make it ambiguous. */
function warnSharedTargets(specs: ConnectionSpec[], log: TaskLog): void {
  const byTarget = new Map<string, string[]>();
  for (const s of specs) {
    const key = `${s.properties.category ?? ''}|${(s.properties.target ?? '').replace(/\/+$/, '').toLowerCase()}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), s.name]);
  }
  for (const [key, names] of byTarget) {
    if (names.length < 2) continue;
    const target = key.slice(key.indexOf('|') + 1);
    log.warning(
      `The connections ${names.map((n) => `'${n}'`).join(', ')} share the target ${target}; ML may then refuse to pick one ("Unique workspace connection not available for specified target"). Give each its own target (for GitHub: githubRepository).`,
    );
  }
}

function sourcesMarkdown(entries: Entry[]): string {
  if (!entries.length) return '';
  const rows = entries.map((e) => {
    const verdict = e.verdict.kind === 'migrate' ? `migrated to **${escapeMarkdown(e.name)}**` : `not migrated: ${escapeMarkdown(e.verdict.reason)}`;
    return `| ${escapeMarkdown(e.endpoint.name ?? e.endpoint.id)} | ${escapeMarkdown(e.classification.kind)} | ${escapeMarkdown(schemeOf(e.endpoint))} | ${verdict} |`;
  });
  return ['### Service connections', '', '| Service connection | Kind | Scheme | Result |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Logs and returns the inventory: every service connection of the project, with whether it can be migrated and why not. */
function inventoryReport(listed: ServiceEndpoint[], log: TaskLog): { total: number; migratable: number; markdown: string } {
  const rows = [...listed]
    .sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id, 'en', { sensitivity: 'base' }))
    .map((ep) => ({ ep, c: classify(ep) }));
  log.group(`Inventory: ${rows.length} service connection(s) in the project`);
  for (const { ep, c } of rows) {
    const verdict = c.migratable ? `can be migrated to ${c.mlType} (${c.credential})` : `cannot be migrated. ${c.reason ?? ''}`;
    log.info(`'${ep.name ?? ep.id}' (${ep.id}): type ${ep.type}, scheme ${schemeOf(ep) || '(none)'}: ${verdict}`);
  }
  log.endGroup();
  const migratable = rows.filter((r) => r.c.migratable).length;
  log.info(`Inventory: ${migratable} of ${rows.length} service connection(s) can be migrated.`);
  const md = [
    '### Inventory of the project\'s service connections',
    '',
    '| Service connection | Type | Scheme | Can be migrated | Why not |',
    '|---|---|---|---|---|',
    ...rows.map(({ ep, c }) =>
      `| ${escapeMarkdown(ep.name ?? ep.id)} | ${escapeMarkdown(ep.type)} | ${escapeMarkdown(schemeOf(ep))} | ${c.migratable ? `yes, to ${c.mlType}` : 'no'} | ${escapeMarkdown(c.reason ?? '')} |`),
    '',
  ].join('\n');
  return { total: rows.length, migratable, markdown: md };
}
