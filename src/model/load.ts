/**
 * loadConnections: YAML files -> validated ConnectionSpecs and every diagnostic at once.
 *
 * Order of work (secrets are registered before any message is written):
 *   1. parse every file (several documents per file; empty documents skipped)
 *   2. set aside documents that are not connections (environments, jobs, conda files, pipelines)
 *   3. apply overrides (like `az ml ... --set`), then resolve `$(NAME)` references
 *   4. register every value that can reach a secret field with the SecretSink
 *   5. validate with schema/connection.schema.json, map to ARM properties, check duplicate names
 */
import { UserError, type SourceLocation } from '../core/errors';
import { LONE_SURROGATE, type SecretSink } from '../core/secrets';
import { msg, type MessageKey } from '../messages';
import { buildConnection } from './build';
import { SECRET_YAML_FIELDS, secretPathsOf } from './catalog';
import { PLAIN_YAML_FIELDS } from './credentials';
import { ANY_CONTROL, LOOSE_CONTROL, codePoint, readConnectionFiles, type ConnectionFile, type SourceFileReader } from './files';
import { credentialsInTargets, insecureTarget, registerDocumentSecrets } from './target-rules';
import { OVERRIDES_FILE, applyOverride, overrideLocation } from './overrides';
import type { ConnectionSpec, Diagnostic, LoadResult, Override, VariableSource } from './types';
import { blankSecrets, validateDocument } from './validate';
import { resolveDocument, type UnresolvedReference } from './variables';
import { parseYamlFile, pathKey, type ParsedFile, type SourceDocument, type ValuePosition } from './yaml-source';

export interface LoadOptions {
  variables: VariableSource;
  overrides: Override[];
  secrets: SecretSink;
  /** the ARM api-version the properties are for (only 2025-06-01 shapes are produced) */
  apiVersion: string;
  /** credentials may go to http:// targets (Create's allowInsecureTargets; Verify, which writes nothing, allows them) */
  allowInsecureTargets?: boolean;
}

export type { ConnectionFile } from './files';

/**
 * Reads the files (refusing folders, oversized files, bytes that are not UTF-8, ...), then loads them,
 * giving way (`between`) after each file's YAML is parsed — the costly part of loading — so that I/O in
 * flight meanwhile (a sign-in) proceeds instead of waiting for the last file.
 */
export async function loadConnectionFilesGivingWay(
  paths: readonly string[],
  reader: SourceFileReader,
  options: LoadOptions,
  between: () => Promise<void>,
): Promise<LoadResult> {
  const read = readConnectionFiles(paths, reader);
  const parsed = new Map<ConnectionFile, ParsedFile>();
  for (const file of read.files) {
    parsed.set(file, parseYamlFile(file.path, file.text));
    await between();
  }
  const loaded = loadConnections(read.files, options, parsed);
  return { connections: read.diagnostics.length ? [] : loaded.connections, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
}

/** Credential keys that are never secret; every other string under `credentials` is treated as one. */
const PLAIN_CREDENTIAL_FIELDS = new Set(['type', ...PLAIN_YAML_FIELDS]);
const SECRET_LOOKING = /key|secret|password|token|pat|sas/i;

interface Working {
  source: SourceDocument;
  doc: Record<string, unknown>;
  name?: string;
  /** positions of values set by overrides, keyed by dotted path */
  overridden: Map<string, SourceLocation>;
  unresolved: UnresolvedReference[];
  /** variables whose value holds another $(...) reference */
  nested: UnresolvedReference[];
  hasError: boolean;
}

/** `parsed`: files whose YAML the caller has parsed already (parseYamlFile), by file. */
export function loadConnections(files: ConnectionFile[], options: LoadOptions, parsed?: ReadonlyMap<ConnectionFile, ParsedFile>): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const pending: (() => void)[] = [];
  const working: Working[] = [];

  // 1-2. parse, and set aside what is not a connection
  for (const file of files) {
    const { problems, documents } = parsed?.get(file) ?? parseYamlFile(file.path, file.text);
    for (const p of problems) {
      pending.push(() => diagnostics.push({ severity: 'error', message: p.message, location: p.location }));
    }
    if (documents.length === 0 && problems.length === 0) {
      pending.push(() => diagnostics.push({ severity: 'error', message: msg('Model_FileNoConnection'), location: { file: file.path, line: 1, column: 1 } }));
    }
    for (const source of documents) {
      const verdict = notAConnection(source.value);
      if (verdict) {
        pending.push(() => diagnostics.push({ severity: 'error', message: verdict, location: source.start }));
        continue;
      }
      const doc = source.value as Record<string, unknown>;
      working.push({
        source, doc, name: typeof doc.name === 'string' ? doc.name : undefined, overridden: new Map(), unresolved: [], nested: [], hasError: false,
      });
    }
  }

  // 3. overrides, then variables
  for (const o of options.overrides) {
    const targets = working.filter((w) => w.name !== undefined && w.name.toLowerCase() === o.connection.toLowerCase());
    const loc = overrideLocation(o);
    if (SECRET_YAML_FIELDS.has(o.path.split('.').pop() ?? '') || SECRET_LOOKING.test(o.path)) options.secrets.add(o.value);
    if (!targets.length) {
      pending.push(() => diagnostics.push({
        severity: 'error',
        message: msg('Model_OverrideUnknownConnection', o.line, o.connection),
        location: { file: OVERRIDES_FILE, line: o.line, column: 1 },
      }));
      continue;
    }
    for (const w of targets.slice(0, 1)) {
      const blocked = applyOverride(w.doc, o);
      if (blocked) {
        w.hasError = true;
        pending.push(() => diagnostics.push({
          severity: 'error',
          message: msg('Model_OverrideBlocked', o.line, o.path, blocked),
          location: loc, connection: w.name,
        }));
        continue;
      }
      w.overridden.set(o.path, loc);
    }
  }
  for (const w of working) {
    const r = resolveDocument(w.doc, options.variables, options.secrets);
    w.unresolved = r.unresolved;
    w.nested = r.nested;
  }

  // 4. register every value that can end up in a secret field, and credentials written into targets
  for (const w of working) {
    registerSecrets(w.doc, options.secrets);
    registerDocumentSecrets(w.doc, options.secrets);
  }

  // messages may be written from here on
  for (const p of pending) p();

  // 5. validate and build
  const specs: { w: Working; spec: ConnectionSpec }[] = [];
  for (const w of working) {
    const where = (path: string, key?: boolean): SourceLocation => locate(w, path, key);
    const report = (severity: 'error' | 'warning', message: string, location: SourceLocation): void => {
      if (severity === 'error') w.hasError = true;
      diagnostics.push({ severity, message, location, connection: w.name });
    };
    for (const u of w.unresolved) {
      const base = where(u.path);
      const pos = positionOf(w, u.path);
      const column = pos?.textOffset !== undefined && !w.overridden.has(u.path) ? base.column + pos.textOffset + u.index : base.column;
      report('error', msg('Model_VariableUndefined', u.name, u.path), { ...base, column });
    }
    for (const n of w.nested) report('error', msg('Model_VariableNested', n.name, n.path), where(n.path));
    for (const c of controlProblems(w)) report('error', c.message, where(c.path, c.atKey));
    const problems = validateDocument(w.doc);
    const blank = blankSecrets(w.doc).filter((b) => !problems.some((p) => p.path === b.path));
    for (const problem of [...problems, ...blank]) report('error', problem.message, where(problem.path, problem.atKey));
    for (const t of credentialsInTargets(w.doc)) report('error', t.message, where(t.path));
    if (w.hasError) continue;
    const built = buildConnection(w.doc);
    for (const issue of built.issues) report(issue.severity, issue.message, where(issue.path, issue.path === 'description' || issue.path === 'tags'));
    const insecure = insecureTarget(built.properties, targetKeyOf(w.doc, built.properties.target), { allowInsecureTargets: options.allowInsecureTargets ?? false });
    if (insecure) report('error', insecure.message, where(insecure.path));
    if (w.hasError) continue;
    const fieldLocations: Record<string, SourceLocation> = {};
    for (const [key, pos] of w.source.positions) if (key) fieldLocations[key] = pos.value;
    for (const [key, loc] of w.overridden) fieldLocations[key] = loc;
    specs.push({
      w,
      spec: {
        name: w.name as string,
        location: where('name', true),
        yamlType: built.yamlType,
        properties: built.properties,
        secretFields: built.secretFields,
        missingSecrets: built.missingSecrets,
        fieldLocations,
        notes: built.notes,
      },
    });
  }

  // duplicate names across every file (case-insensitive)
  const firstByName = new Map<string, Working>();
  const duplicates = new Set<Working>();
  for (const w of working) {
    if (w.name === undefined) continue;
    const key = w.name.toLowerCase();
    const first = firstByName.get(key);
    if (!first) {
      firstByName.set(key, w);
      continue;
    }
    duplicates.add(w);
    const firstAt = locate(first, 'name', true);
    diagnostics.push({
      severity: 'error',
      message: msg('Model_DuplicateName', w.name, `${firstAt.file}:${firstAt.line}:${firstAt.column}`),
      location: locate(w, 'name', true),
      connection: w.name,
    });
  }

  void options.apiVersion;
  // file order as given (overrides last), then line and column
  const fileOrder = new Map(files.map((f, i) => [f.path, i]));
  const rank = (d: Diagnostic): [number, number, number] => [
    d.location ? fileOrder.get(d.location.file) ?? files.length : files.length + 1, d.location?.line ?? 0, d.location?.column ?? 0,
  ];
  diagnostics.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  });
  return { connections: specs.filter((s) => !duplicates.has(s.w)).map((s) => s.spec), diagnostics };
}

function positionOf(w: Working, path: string): ValuePosition | undefined {
  return w.source.positions.get(path);
}

/** The position of a path: an override's line, else the value (or key), else the nearest ancestor, else the document start. */
function locate(w: Working, path: string, key = false): SourceLocation {
  const o = w.overridden.get(path);
  if (o) return o;
  if (!positionOf(w, path)) {
    // a mapping an override created on its way to the value it sets
    for (const [p, loc] of w.overridden) if (p.startsWith(`${path}.`)) return loc;
  }
  const segments = path ? path.split('.') : [];
  for (let n = segments.length; n >= 0; n--) {
    const p = positionOf(w, pathKey(segments.slice(0, n)));
    if (!p) continue;
    if (n === segments.length) return (key ? p.key : undefined) ?? p.value;
    return p.value;
  }
  return w.source.start;
}

/** The key whose value became the target (the last alias given wins, as in azure-ai-ml). */
function targetKeyOf(doc: Record<string, unknown>, target: string | undefined): string {
  return ['endpoint', 'azure_endpoint', 'url', 'api_base', 'target'].find((k) => doc[k] === target) ?? 'target';
}

/**
 * Control characters in keys and values (after variables are resolved): none anywhere, except tabs and
 * line breaks in block scalars and in secret values (a multi-line key file is a legitimate secret). No
 * key or value may hold a lone surrogate.
 */
function controlProblems(w: Working): { path: string; message: string; atKey: boolean }[] {
  const out: { path: string; message: string; atKey: boolean }[] = [];
  const secret = new Set(secretPathsOf(w.doc));
  const walk = (value: unknown, path: string[]): void => {
    const dotted = path.join('.');
    if (typeof value === 'string') {
      const loose = secret.has(dotted) || [...secret].some((p) => dotted.startsWith(`${p}.`)) || positionOf(w, dotted)?.block;
      const rule = loose ? LOOSE_CONTROL : ANY_CONTROL;
      const hit = rule.exec(value);
      if (hit) out.push({ path: dotted, atKey: false, message: msg('Model_ValueControlCharacter', dotted, codePoint(hit[0]), hit.index + 1) });
      const lone = hit ? null : LONE_SURROGATE.exec(value);
      if (lone) out.push({ path: dotted, atKey: false, message: msg('Model_ValueLoneSurrogate', dotted, codePoint(lone[0]), lone.index + 1) });
      return;
    }
    if (!value || typeof value !== 'object') return;
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    for (const [k, v] of entries) {
      const hit = ANY_CONTROL.exec(k);
      if (hit) {
        out.push({ path: dotted, atKey: false, message: msg('Model_KeyControlCharacter', dotted || msg('Model_Document'), codePoint(hit[0])) });
        continue;
      }
      const lone = LONE_SURROGATE.exec(k);
      if (lone) {
        out.push({ path: dotted, atKey: false, message: msg('Model_KeyLoneSurrogate', dotted || msg('Model_Document'), codePoint(lone[0])) });
        continue;
      }
      walk(v, [...path, k]);
    }
  };
  walk(w.doc, []);
  return out;
}

function registerSecrets(doc: Record<string, unknown>, secrets: SecretSink): void {
  const add = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') secrets.add(String(v));
    else if (v && typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) add(x);
  };
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'api_key' || (SECRET_LOOKING.test(k) && !['one_lake_workspace_name'].includes(k))) add(v);
  }
  const creds = doc.credentials;
  if (creds && typeof creds === 'object' && !Array.isArray(creds)) {
    for (const [k, v] of Object.entries(creds as Record<string, unknown>)) {
      if (!PLAIN_CREDENTIAL_FIELDS.has(k)) add(v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// documents that are not connections

/** Keys that give away what else a document is; the message `key` takes the keys found, quoted and comma-separated. */
const MARKERS: { keys: string[]; key: MessageKey }[] = [
  { keys: ['image', 'conda_file', 'build', 'inference_config', 'os_type'], key: 'Model_NotAConnectionEnvironment' },
  { keys: ['command', 'jobs', 'compute', 'environment', 'code', 'inputs', 'outputs', 'trial', 'sweep'], key: 'Model_NotAConnectionJob' },
  { keys: ['dependencies', 'channels'], key: 'Model_NotAConnectionConda' },
  { keys: ['steps', 'stages', 'trigger', 'pool', 'extends', 'pr', 'resources'], key: 'Model_NotAConnectionPipeline' },
  { keys: ['protocol', 'filesystem', 'share_name', 'store_name'], key: 'Model_NotAConnectionDatastore' },
  { keys: ['model_uri', 'path', 'flavors'], key: 'Model_NotAConnectionAsset' },
];

/**
 * The error for a document that is not a connection (what it is instead, and what to do), or undefined
 * when it may be one.
 */
export function notAConnection(value: unknown): string | undefined {
  if (typeof value === 'string') return msg('Model_NotAConnectionText');
  if (typeof value === 'number') return msg('Model_NotAConnectionNumber');
  if (typeof value === 'boolean') return msg('Model_NotAConnectionBoolean');
  if (value === null || typeof value !== 'object') return msg('Model_NotAConnectionScalar', typeof value);
  if (Array.isArray(value)) return msg('Model_NotAConnectionList');
  const doc = value as Record<string, unknown>;
  const keys = Object.keys(doc);
  for (const m of MARKERS) {
    const found = m.keys.filter((k) => keys.includes(k));
    if (found.length) return msg(m.key, found.map((k) => `'${k}'`).join(', '));
  }
  const schema = typeof doc.$schema === 'string' ? doc.$schema : '';
  const file = /([A-Za-z0-9_.-]+)\.schema\.json\s*$/i.exec(schema);
  if (file && !/connection/i.test(file[1])) return msg('Model_NotAConnectionSchema', file[1]);
  return undefined;
}

/**
 * Refuses two connections of the same name (case-insensitive) among specs from any source: the loader
 * reports it for files as a diagnostic; this guards every other way specs are made.
 */
export function rejectDuplicateNames(specs: readonly ConnectionSpec[]): void {
  const seen = new Map<string, ConnectionSpec>();
  for (const spec of specs) {
    const key = spec.name.toLowerCase();
    const first = seen.get(key);
    if (first) {
      const at = `${first.location.file}:${first.location.line}:${first.location.column}`;
      throw new UserError(msg('Model_DeclaredTwice', spec.name, at), spec.location, spec.name);
    }
    seen.set(key, spec);
  }
}
