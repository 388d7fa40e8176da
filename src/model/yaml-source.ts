/**
 * Reads YAML files into plain values plus the position of every key and value, so messages can point at
 * `file:line:column`. YAML 1.1 rules are used (like PyYAML, which azure-ai-ml reads files with), so
 * `yes`/`no`/`on`/`off` mean the same here as in `az ml`.
 */
import {
  Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type ScalarTag, type Tags,
} from 'yaml';
import type { SourceLocation } from '../core/errors';

/** Where a value sits; `quoted` says how many characters precede the text (1 for quotes) when the scalar is on one line. */
export interface ValuePosition {
  value: SourceLocation;
  key?: SourceLocation;
  /** column offset to add to an index inside the string, when the string maps 1:1 to the source */
  textOffset?: number;
}

export interface SourceDocument {
  file: string;
  /** 0-based index of the document inside its file */
  index: number;
  start: SourceLocation;
  value: unknown;
  /** keyed by the dotted path ('' is the document) */
  positions: Map<string, ValuePosition>;
}

export interface YamlProblem {
  severity: 'error' | 'warning';
  /** the parser's message without the source excerpt */
  message: string;
  location: SourceLocation;
}

export interface ParsedFile {
  documents: SourceDocument[];
  problems: YamlProblem[];
}

/** PyYAML's booleans (YAML 1.1 without the single letters y/n, which PyYAML reads as text). */
const BOOL = 'tag:yaml.org,2002:bool';
const pyBool = (value: boolean, test: RegExp): ScalarTag => ({
  tag: BOOL, default: true, test, identify: (v) => v === value, resolve: () => value,
  stringify: ({ value: v }) => (v ? 'true' : 'false'),
});
const PYYAML_BOOLS = [pyBool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/), pyBool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/)];
const customTags = (tags: Tags): Tags => [...tags.filter((t) => (t as ScalarTag).tag !== BOOL), ...PYYAML_BOOLS];

export function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

/** The text of a YAML error without the code frame (which could quote a secret). */
function bareMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').replace(/:\s*$/, '');
}

export function parseYamlFile(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const loc = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', customTags, uniqueKeys: true, prettyErrors: false }) as unknown;
  const list: Document.Parsed[] = Array.isArray(docs) ? (docs as Document.Parsed[]) : [];
  const out: ParsedFile = { documents: [], problems: [] };
  list.forEach((doc, index) => {
    for (const e of doc.errors) out.problems.push({ severity: 'error', message: bareMessage(e.message), location: loc(e.pos[0]) });
    for (const w of doc.warnings) out.problems.push({ severity: 'warning', message: bareMessage(w.message), location: loc(w.pos[0]) });
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) return;
    if (doc.errors.length) return;
    const positions = new Map<string, ValuePosition>();
    const start = loc(contents.range?.[0] ?? 0);
    const value = toValue(contents, [], undefined, positions, doc, loc);
    out.documents.push({ file, index, start, value, positions });
  });
  return out;
}

function toValue(
  node: unknown,
  path: (string | number)[],
  keyLoc: SourceLocation | undefined,
  positions: Map<string, ValuePosition>,
  doc: Document.Parsed,
  loc: (offset: number) => SourceLocation,
): unknown {
  let n = node;
  if (isAlias(n)) n = (n as Alias).resolve(doc);
  const here = (n as Node | null)?.range ? loc((n as Node).range![0]) : keyLoc;
  const position: ValuePosition = { value: here ?? keyLoc ?? { file: '', line: 1, column: 1 }, key: keyLoc };
  if (isScalar(n) && typeof n.value === 'string' && n.range) {
    const single = !n.source?.includes('\n');
    if (n.type === 'PLAIN' && single) position.textOffset = 0;
    else if ((n.type === 'QUOTE_SINGLE' || n.type === 'QUOTE_DOUBLE') && single) position.textOffset = 1;
  }
  positions.set(pathKey(path), position);
  if (isMap(n)) {
    const obj: Record<string, unknown> = {};
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const kLoc = keyNode?.range ? loc(keyNode.range[0]) : here;
      obj[key] = toValue(pair.value, [...path, key], kLoc, positions, doc, loc);
    }
    return obj;
  }
  if (isSeq(n)) return n.items.map((item, i) => toValue(item, [...path, i], here, positions, doc, loc));
  if (isScalar(n)) return n.value instanceof Date ? n.source ?? String(n.value) : n.value;
  return null;
}
