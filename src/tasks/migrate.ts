/**
 * AzureMLConnectionMigrate@1: Azure DevOps service connections (Docker Registry, Python package download,
 * Other Git, GitHub) -> ML workspace connections, through the same plan/apply engine as Create.
 * No task-lib here.
 */
import type { TaskLog } from '../core/log';
import type { ConnectionsApi, WorkspaceRef } from '../arm/types';
import { describeError, UserError } from '../core/errors';
import { registerTargetSecrets } from '../core/target-secrets';
import type { OnExisting } from '../engine/types';
import { msg } from '../messages';
import { serializeDocuments, validateDocument } from '../model';
import { buildConnection } from '../model/build';
import { credentialsInTargets, insecureTarget } from '../model/target-rules';
import type { ConnectionSpec } from '../model/types';
import type { ServiceEndpointDirectory } from '../devops/endpoints';
import {
  checkTemplate, classify, connectionNameFor, equivalentDocument, fallbackName, findCollisions, mapEndpoint, migrationYaml, schemeOf,
  type Classification, type Migration, type Refusal, type ServiceEndpoint, type SourceType,
} from '../migrate';
import { escapeMarkdown, indent, tableHeader } from '../core/markdown';
import type { TaskOutcome, TaskServices, WorkspaceSettings } from './services';
import { reconcile, setOutputs } from '../engine/reconcile';

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
  /** credentials may be sent to http:// targets */
  allowInsecureTargets: boolean;
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
    return { result: 'Failed', message: msg('Task_MigrateNothingSelected') };
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
      problems.push(msg('Task_MigrateNotHanded', s.id, s.input));
      continue;
    }
    for (const [k, v] of Object.entries(ep.auth)) if (!NON_SECRET_PARAMS.has(k)) secrets.add(v);
    // a credential written into the URL (or a registry, login server or data value): masked before anything prints
    for (const text of [ep.url, ...Object.values(ep.auth), ...Object.values(ep.data)]) registerTargetSecrets(text, secrets);
    handed.push({ selected: s, endpoint: { ...ep, type: s.type } });
  }

  // 2. Names (and the inventory) from the project's service connections.
  let listed: ServiceEndpoint[] | undefined;
  let inventoryError: string | undefined;
  if (settings.inventory) {
    try {
      if (!services.directory) throw new UserError(msg('Task_MigrateNoJobToken'));
      listed = await services.directory.list();
    } catch (e) {
      inventoryError = msg('Task_MigrateInventoryFailed', describeError(e));
      log.error(inventoryError);
    }
  }
  const names = new Map<string, string>();
  if (handed.length) {
    let known = listed;
    if (!known) {
      try {
        if (!services.directory) throw new UserError(msg('Task_MigrateNoJobToken'));
        known = await services.directory.list(handed.map((h) => h.endpoint.id));
      } catch (e) {
        log.warning(msg('Task_MigrateNamesUnreadable', describeError(e), fallbackName({ id: handed[0]!.endpoint.id, mlType: 'git' })));
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
    return { selected, endpoint: ep, label: scName !== undefined ? msg('Task_MigrateLabel', scName, ep.id) : ep.id, name, classification, verdict };
  });
  const migrated = entries.filter((e): e is Entry & { verdict: Migration } => e.verdict.kind === 'migrate');
  const refused = entries.filter((e): e is Entry & { verdict: Refusal } => e.verdict.kind === 'refuse');

  if (entries.length) log.group(msg('Task_MigrateServiceConnections'));
  for (const e of migrated) {
    const creds = e.verdict.doc.credentials as Record<string, unknown>;
    log.info(msg('Task_MigrateMapped', e.label, e.classification.kind, String(e.verdict.doc.type), e.name, String(creds.type), String(e.verdict.doc.target)));
    for (const note of e.verdict.notes) log.info(indent(4, msg('Task_MigrateNote', note)));
  }
  for (const e of refused) {
    log.info(msg('Task_MigrateRefused', e.label, e.classification.kind, e.verdict.reason));
    const eq = equivalentDocument(e.name, e.verdict);
    if (eq) {
      if (e.verdict.advice) log.info(indent(4, e.verdict.advice));
      log.info(indent(4, msg('Task_MigrateEquivalentHeading')));
      for (const line of serializeDocuments([eq]).split('\n')) if (line) log.info(indent(6, line));
    }
  }
  if (entries.length) log.endGroup();
  for (const e of refused) log.warning(msg('Task_MigrateNotMigrated', e.label, e.verdict.reason));

  // 4. Names must be unique before anything is written.
  const collisions = findCollisions(migrated.map((e) => e.name));
  for (const c of collisions) {
    const who = c.members.map((i) => migrated[i]!.label).join(', ');
    problems.push(msg('Task_MigrateCollision', who, c.name));
  }

  // 5. The ML connections, built exactly as Create builds the same YAML.
  const specs: ConnectionSpec[] = [];
  for (const e of migrated) {
    const doc = { name: e.name, ...e.verdict.doc };
    const invalid = [...validateDocument(doc), ...credentialsInTargets(doc)];
    if (invalid.length) {
      problems.push(msg('Task_MigrateInvalid', e.label, invalid.map((p) => p.message).join(' ')));
      continue;
    }
    const built = buildConnection(doc);
    const insecure = insecureTarget(built.properties, 'target', { allowInsecureTargets: settings.allowInsecureTargets });
    if (insecure) {
      problems.push(msg('Task_MigrateInvalid', e.label, insecure.message));
      continue;
    }
    specs.push({
      name: e.name,
      location: { file: msg('Task_MigrateSourceLocation', e.endpoint.id), line: 1, column: 1 },
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
    return { result: 'Failed', message: msg('Task_MigrateProblems', problems.length, problems[0] ?? '') };
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
    log.info(msg('Task_MigrateYamlWritten', migrated.length, settings.yamlOutputPath));
  }

  // 7. The inventory.
  const inventory = listed ? inventoryReport(listed, log) : undefined;
  const appendix = [sourcesMarkdown(entries), inventory?.markdown ?? (inventoryError ? `### ${msg('Task_InventoryHeading')}\n\n${escapeMarkdown(inventoryError)}\n` : '')].filter(Boolean).join('\n');

  // 8. Plan and apply with the same engine as Create.
  let outcome: TaskOutcome;
  /** the outcome as one clause without a full stop, for the not-migrated addition */
  let summary: string;
  if (specs.length) {
    const workspace = await services.connect(settings);
    const done = await reconcile(specs, workspace, { ...settings, prune: false }, services, {
      title: msg('Task_MigrateSummaryTitle'),
      declaredBy: 'serviceConnections',
      summaryAppendix: appendix,
    });
    outcome = done.outcome;
    summary = done.summary;
  } else {
    setOutputs(services.outputs, { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, skipped: 0 }, undefined, '');
    services.outputs.uploadSummary('migrate.md', `## ${msg('Task_MigrateNothingTitle')}\n\n${msg('Task_MigrateNothingMigrated')}\n\n${appendix}`);
    summary = inventory ? msg('Task_MigrateListed', inventory.total, inventory.migratable) : msg('Task_MigrateNothingToMigrate');
    outcome = { result: 'Succeeded', message: msg('Task_OutcomeSummary', summary) };
  }
  services.outputs.set('notMigrated', String(refused.length));

  if (inventoryError) return { result: 'Failed', message: [inventoryError, outcome.message].join(' ') };
  if (refused.length && outcome.result === 'Succeeded') {
    return { result: 'SucceededWithIssues', message: msg('Task_MigrateOutcomeNotMigrated', summary, refused.length, refused.map((e) => e.label).join(', ')) };
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
    log.warning(msg('Task_MigrateSharedTarget', names.map((n) => `'${n}'`).join(', '), target));
  }
}

function sourcesMarkdown(entries: Entry[]): string {
  if (!entries.length) return '';
  const rows = entries.map((e) => {
    const verdict = e.verdict.kind === 'migrate' ? msg('Task_MigrateVerdictMigrated', escapeMarkdown(e.name)) : msg('Task_MigrateVerdictNotMigrated', escapeMarkdown(e.verdict.reason));
    return `| ${escapeMarkdown(e.endpoint.name ?? e.endpoint.id)} | ${escapeMarkdown(e.classification.kind)} | ${escapeMarkdown(schemeOf(e.endpoint))} | ${verdict} |`;
  });
  const header = tableHeader(['Task_ColumnServiceConnection', 'Task_ColumnKind', 'Task_ColumnScheme', 'Task_ColumnResult']);
  return [`### ${msg('Task_MigrateServiceConnections')}`, '', header, '|---|---|---|---|', ...rows, ''].join('\n');
}

/** Logs and returns the inventory: every service connection of the project, with whether it can be migrated and why not. */
function inventoryReport(listed: ServiceEndpoint[], log: TaskLog): { total: number; migratable: number; markdown: string } {
  const rows = [...listed]
    .sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id, 'en', { sensitivity: 'base' }))
    .map((ep) => ({ ep, c: classify(ep) }));
  log.group(msg('Task_InventoryGroup', rows.length));
  for (const { ep, c } of rows) {
    const line = [ep.name ?? ep.id, ep.id, ep.type, schemeOf(ep) || msg('Task_InventoryNoScheme')];
    log.info(c.migratable ? msg('Task_InventoryLineCan', ...line, c.mlType ?? '', c.credential ?? '') : msg('Task_InventoryLineCannot', ...line, c.reason ?? ''));
  }
  log.endGroup();
  const migratable = rows.filter((r) => r.c.migratable).length;
  log.info(msg('Task_InventoryCount', migratable, rows.length));
  const md = [
    `### ${msg('Task_InventoryTitle')}`,
    '',
    tableHeader(['Task_ColumnServiceConnection', 'Task_ColumnType', 'Task_ColumnScheme', 'Task_ColumnCanBeMigrated', 'Task_ColumnWhyNot']),
    '|---|---|---|---|---|',
    ...rows.map(({ ep, c }) =>
      `| ${escapeMarkdown(ep.name ?? ep.id)} | ${escapeMarkdown(ep.type)} | ${escapeMarkdown(schemeOf(ep))} | ${c.migratable ? msg('Task_InventoryYes', c.mlType ?? '') : msg('Task_InventoryNo')} | ${escapeMarkdown(c.reason ?? '')} |`),
    '',
  ].join('\n');
  return { total: rows.length, migratable, markdown: md };
}
