/**
 * Reads YAML files into plain values plus the position of every key and value, so messages can point at
 * `file:line:column`. YAML 1.1 rules are used (like PyYAML, which azure-ai-ml reads files with), so
 * `yes`/`no`/`on`/`off` mean the same here as in `az ml`, and `<<` merge keys work.
 *
 * What a hostile file can make this do is bounded: nesting depth, values per document, alias expansions
 * and documents per file (LIMITS); the parser's own resource limits report as errors. Every parser error
 * and warning is an error here, and so are an alias without its anchor and a key written twice (the
 * message names both places).
 */
import {
  Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type ScalarTag, type Tags,
} from 'yaml';
import type { SourceLocation } from '../core/errors';
import { msg } from '../messages';

/** What one file may make the reader do. */
export const LIMITS = {
  /** mappings and sequences inside each other */
  depth: 64,
  /** values (scalars, mappings, sequences) in one document, aliases expanded */
  valuesPerDocument: 10_000,
  /** alias expansions in one document (an alias inside an expanded alias counts again) */
  aliasExpansions: 100,
  /** YAML documents in one file */
  documentsPerFile: 1_000,
} as const;

/** Where a value sits; `textOffset` says how many characters precede the text (1 for quotes) when the scalar is on one line. */
export interface ValuePosition {
  value: SourceLocation;
  key?: SourceLocation;
  /** column offset to add to an index inside the string, when the string maps 1:1 to the source */
  textOffset?: number;
  /** a block scalar (`|` or `>`): the only place tabs and line breaks may appear in a value */
  block?: boolean;
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
  /** the message, one sentence, from the catalog (the parser's own text without its code frame) */
  message: string;
  location: SourceLocation;
}

export interface ParsedFile {
  documents: SourceDocument[];
  problems: YamlProblem[];
  /** documents in the file, empty ones included */
  documentCount: number;
}

/** PyYAML's booleans (YAML 1.1 without the single letters y/n, which PyYAML reads as text). */
const BOOL = 'tag:yaml.org,2002:bool';
const pyBool = (value: boolean, test: RegExp): ScalarTag => ({
  tag: BOOL, default: true, test, identify: (v) => v === value, resolve: () => value,
  stringify: ({ value: v }) => (v ? 'true' : 'false'),
});
const PYYAML_BOOLS = [pyBool(true, /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/), pyBool(false, /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/)];
/**
 * Tags whose values are not text, numbers, booleans or collections: `!!binary`, `!!set`, `!!omap`,
 * `!!pairs` and `!!timestamp` are left out, so they are unresolved tags (errors), and dates stay text.
 */
const LEFT_OUT = new Set(['binary', 'set', 'omap', 'pairs', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));
const customTags = (tags: Tags): Tags => [
  ...tags.filter((t) => (t as ScalarTag).tag !== BOOL && !LEFT_OUT.has((t as ScalarTag).tag)),
  ...PYYAML_BOOLS,
];

export function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

/** The text of a YAML error without the code frame (which could quote a secret). */
function bareMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').replace(/[:.]\s*$/, '');
}

/** A bound was reached while reading a document: it is not used. */
class LimitReached extends Error {
  constructor(readonly problem: YamlProblem) {
    super(problem.message);
  }
}

export function parseYamlFile(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const loc = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', customTags, uniqueKeys: false, prettyErrors: false }) as unknown;
  const list: Document.Parsed[] = Array.isArray(docs) ? (docs as Document.Parsed[]) : [];
  const out: ParsedFile = { documents: [], problems: [], documentCount: list.length };
  if (list.length > LIMITS.documentsPerFile) {
    const extra = list[LIMITS.documentsPerFile] as Document.Parsed;
    out.problems.push({ message: msg('Model_YamlTooManyDocuments', list.length, LIMITS.documentsPerFile), location: loc(extra.range?.[0] ?? 0) });
    return out;
  }
  list.forEach((doc, index) => {
    const found = [...doc.errors, ...doc.warnings];
    for (const e of found) {
      const message = e.code === 'RESOURCE_EXHAUSTION' ? msg('Model_YamlTooDeep') : msg('Model_YamlSyntax', bareMessage(e.message));
      out.problems.push({ message, location: loc(e.pos[0]) });
    }
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) return;
    if (found.length) return;
    const reader = new DocumentReader(doc, loc);
    try {
      const value = reader.read(contents, [], undefined, 0);
      if (reader.problems.length) {
        out.problems.push(...reader.problems);
        return;
      }
      out.documents.push({ file, index, start: loc(contents.range?.[0] ?? 0), value, positions: reader.positions });
    } catch (e) {
      if (!(e instanceof LimitReached)) throw e;
      out.problems.push(e.problem);
    }
  });
  out.problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return out;
}

const MERGE_KEY = '<<';

/** One document's nodes -> plain values and positions, within LIMITS. */
class DocumentReader {
  readonly positions = new Map<string, ValuePosition>();
  readonly problems: YamlProblem[] = [];
  private values = 0;
  private expansions = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly loc: (offset: number) => SourceLocation,
  ) {}

  private where(node: Node | null | undefined, fallback?: SourceLocation): SourceLocation {
    return node?.range ? this.loc(node.range[0]) : fallback ?? { file: '', line: 1, column: 1 };
  }

  /** The node an alias stands for (counted against the expansion bound), or undefined with a problem recorded. */
  private follow(alias: Alias): Node | undefined {
    const target = alias.resolve(this.doc) as Node | undefined;
    const at = this.where(alias);
    if (!target) {
      this.problems.push({ message: msg('Model_YamlAliasWithoutAnchor', alias.source, alias.source), location: at });
      return undefined;
    }
    if (++this.expansions > LIMITS.aliasExpansions) {
      throw new LimitReached({ message: msg('Model_YamlTooManyAliases', LIMITS.aliasExpansions), location: at });
    }
    return target;
  }

  read(node: unknown, path: (string | number)[], keyLoc: SourceLocation | undefined, depth: number, via?: SourceLocation): unknown {
    let n = node as Node | null;
    let aliasAt = via;
    if (isAlias(n)) {
      aliasAt ??= this.where(n);
      const target = this.follow(n);
      if (!target) return null;
      n = target;
    }
    if (++this.values > LIMITS.valuesPerDocument) {
      throw new LimitReached({ message: msg('Model_YamlTooManyValues', LIMITS.valuesPerDocument), location: aliasAt ?? this.where(n, keyLoc) });
    }
    // values that came through an alias point at the alias (where the user wrote them in this place)
    const here = aliasAt ?? (n?.range ? this.loc(n.range[0]) : keyLoc);
    const position: ValuePosition = { value: here ?? keyLoc ?? { file: '', line: 1, column: 1 }, key: keyLoc };
    if (isScalar(n) && typeof n.value === 'string' && n.range && !aliasAt) {
      const single = !n.source?.includes('\n');
      if (n.type === 'PLAIN' && single) position.textOffset = 0;
      else if ((n.type === 'QUOTE_SINGLE' || n.type === 'QUOTE_DOUBLE') && single) position.textOffset = 1;
    }
    if (isScalar(n) && (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED')) position.block = true;
    this.positions.set(pathKey(path), position);
    if ((isMap(n) || isSeq(n)) && depth >= LIMITS.depth) {
      throw new LimitReached({ message: msg('Model_YamlTooDeep'), location: here ?? position.value });
    }
    if (isMap(n)) return this.readMap(n.items, path, here, depth, aliasAt);
    if (isSeq(n)) return n.items.map((item, i) => this.read(item, [...path, i], here, depth + 1, aliasAt));
    if (isScalar(n)) return n.value instanceof Date ? n.source ?? String(n.value) : n.value;
    return null;
  }

  private readMap(items: unknown[], path: (string | number)[], here: SourceLocation | undefined, depth: number, via?: SourceLocation): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const seen = new Map<string, SourceLocation>();
    const explicit: { key: string; at: SourceLocation | undefined; value: unknown }[] = [];
    const merges: unknown[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isMap(keyNode) || isSeq(keyNode) || isAlias(keyNode)) {
        this.problems.push({ message: msg('Model_YamlComplexKey'), location: this.where(keyNode, here) });
        continue;
      }
      const raw = isScalar(keyNode) ? keyNode.value : keyNode;
      const at = via ?? (keyNode?.range ? this.loc(keyNode.range[0]) : here);
      // the YAML 1.1 merge tag resolves a plain `<<` key to a symbol
      if (typeof raw === 'symbol' || (raw === MERGE_KEY && isScalar(keyNode) && keyNode.type === 'PLAIN')) {
        merges.push(pair.value);
        continue;
      }
      const key = String(raw);
      const first = seen.get(key);
      if (first && at) {
        this.problems.push({ message: msg('Model_YamlDuplicateKey', key, `${first.file}:${first.line}:${first.column}`), location: at });
        continue;
      }
      if (at) seen.set(key, at);
      explicit.push({ key, at, value: pair.value });
    }
    // `<<: *defaults` (or a list of them) first: keys written in this mapping then win, as in PyYAML
    for (const source of merges) {
      for (const s of isSeq(source) ? source.items : [source]) {
        const at = this.where(s as Node, here);
        const node = isAlias(s) ? this.follow(s) : (s as Node);
        if (!node) continue;
        if (!isMap(node)) {
          this.problems.push({ message: msg('Model_YamlMergeNotMapping'), location: at });
          continue;
        }
        for (const [k, v] of Object.entries(this.readMap(node.items, path, at, depth, at))) {
          if (!Object.prototype.hasOwnProperty.call(obj, k)) obj[k] = v;
        }
      }
    }
    for (const e of explicit) obj[e.key] = this.read(e.value, [...path, e.key], e.at, depth + 1, via);
    return obj;
  }
}
