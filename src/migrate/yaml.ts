/**
 * The az-ml YAML of migrated connections (yamlOutputPath), secrets written as `$(AZUREML_<NAME>_<FIELD>)`
 * placeholders (the Export convention), so the file can be kept in source control and applied with
 * AzureMLConnectionCreate once those secret variables are set.
 *
 * The comments are messages of the catalog, so the file is in the agent's language throughout: it quotes
 * the reasons and advice of refusals, which are in that language too.
 */
import { msg } from '../messages';
import { serializeDocuments } from '../model';
import { secretVariableName, variableReference } from '../model/placeholders';
import type { Migration, Refusal } from './types';

/** The document of a migrated connection, its secret values replaced by placeholders. */
export function placeholderDocument(name: string, migration: Migration): Record<string, unknown> {
  const { type, ...rest } = migration.doc;
  const doc: Record<string, unknown> = { name, type, ...rest };
  const creds = migration.doc.credentials as Record<string, unknown> | undefined;
  if (creds) {
    const out: Record<string, unknown> = { ...creds };
    for (const field of migration.secretFields) if (field in out) out[field] = variableReference(secretVariableName(name, field));
    doc.credentials = out;
  }
  return doc;
}

/** The variables a migrated connection's placeholder document references. */
export function placeholderVariables(name: string, migration: Migration): string[] {
  const creds = (migration.doc.credentials ?? {}) as Record<string, unknown>;
  return migration.secretFields.filter((f) => f in creds).map((f) => secretVariableName(name, f));
}

/** The equivalent a refused connection could use instead, as a named document (undefined when ML has none). */
export function equivalentDocument(name: string, refusal: Refusal): Record<string, unknown> | undefined {
  if (!refusal.equivalent) return undefined;
  const { type, ...rest } = refusal.equivalent;
  return { name, type, ...rest };
}

export interface YamlEntry {
  /** the ML connection name */
  name: string;
  /** the service connection it comes from, for the comment */
  source: string;
}

const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
/** A message as comment lines, one per line of the message. */
const comment = (text: string): string[] => text.split(/\r?\n/).map((l) => `# ${oneLine(l)}`);

/** The file: migrated documents, then the equivalents of refused ones as comments (so the file applies as it is). */
export function migrationYaml(
  migrated: Array<YamlEntry & { migration: Migration }>,
  refused: Array<YamlEntry & { refusal: Refusal }>,
): string {
  const head = comment(msg('Task_YamlHeader'));
  const vars = migrated.flatMap((m) => placeholderVariables(m.name, m.migration));
  if (vars.length) head.push(...comment(msg('Task_YamlVariables', vars.join(', '))));
  let text = head.join('\n') + '\n';
  if (migrated.length) {
    text += serializeDocuments(migrated.map((m) => placeholderDocument(m.name, m.migration)));
  }
  for (const r of refused) {
    text += `\n# ${oneLine(msg('Task_YamlNotMigrated', r.source, r.refusal.reason))}\n`;
    const eq = equivalentDocument(r.name, r.refusal);
    if (eq) {
      if (r.refusal.advice) text += `# ${oneLine(r.refusal.advice)}\n# ${oneLine(msg('Task_YamlEquivalent'))}\n`;
      text += serializeDocuments([eq]).split('\n').filter((l) => l.length).map((l) => `#   ${l}`).join('\n') + '\n';
    }
  }
  return text;
}
