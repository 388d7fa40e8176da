/**
 * ML connection names for migrated service connections: `nameTemplate` with `{name}`, `{type}` and `{id}`,
 * made valid for ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$ (transliterated, other characters replaced, trimmed to
 * 33 characters, padded to 3), and collisions found before anything is written.
 */
import { UserError } from '../core/errors';
import { msg } from '../messages';

export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
export const MAX_NAME_LENGTH = 33;
export const MIN_NAME_LENGTH = 3;
export const TEMPLATE_FIELDS = ['name', 'type', 'id'] as const;

/** Letters that Unicode decomposition does not reduce to ASCII. */
const SPECIAL: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  þ: 'th', Þ: 'TH', ł: 'l', Ł: 'L', ı: 'i', ħ: 'h', Ħ: 'H', ŋ: 'ng', Ŋ: 'NG', ĸ: 'k',
};

/** Latin letters with accents to their ASCII base (é -> e, ß -> ss); other characters are kept. */
export function transliterate(text: string): string {
  return text
    .replace(/[^\u0000-\u007f]/g, (c) => SPECIAL[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Any text as a valid connection name: transliterated; runs of other characters become one `-`; leading
 * characters that are not letters or digits and trailing `-`/`_` are dropped; cut to 33 characters;
 * shorter than 3 -> padded with `pad` (e.g. the service connection id). Empty result -> `fallback`.
 */
export function toConnectionName(text: string, pad: string, fallback: string): string {
  let n = transliterate(text).replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/-{2,}/g, '-');
  n = n.replace(/^[^a-zA-Z0-9]+/, '').replace(/[-_]+$/, '');
  if (n.length > MAX_NAME_LENGTH) n = n.slice(0, MAX_NAME_LENGTH).replace(/[-_]+$/, '');
  if (!n) return fallback;
  if (n.length < MIN_NAME_LENGTH) n = `${n}-${pad}`.slice(0, MAX_NAME_LENGTH).replace(/[-_]+$/, '');
  return n;
}

/** Checks a nameTemplate: only `{name}`, `{type}`, `{id}`, and not empty. */
export function checkTemplate(template: string): void {
  if (!template.trim()) throw new UserError(msg('Task_NameTemplateEmpty'));
  const bad = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((f) => !(TEMPLATE_FIELDS as readonly string[]).includes(f));
  if (bad.length) {
    throw new UserError(msg('Task_NameTemplateField', bad[0] ?? '', TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')));
  }
}

export interface NameSource {
  /** the service connection's id (lower-case GUID) */
  id: string;
  /** its name, when known */
  name?: string;
  /** the az-ml type it becomes, e.g. `container_registry` */
  mlType: string;
}

/** `{name}` when the service connection's name could not be read: `<az-ml type>-<first 8 of its id>`. */
export function fallbackName(source: Pick<NameSource, 'id' | 'mlType'>): string {
  return `${source.mlType.replace(/_/g, '-')}-${source.id.replace(/-/g, '').slice(0, 8)}`;
}

/** The ML connection name for one service connection. */
export function connectionNameFor(template: string, source: NameSource): string {
  const id8 = source.id.replace(/-/g, '').slice(0, 8);
  const values: Record<string, string> = { name: source.name ?? fallbackName(source), type: source.mlType, id: id8 };
  const raw = template.replace(/\{(name|type|id)\}/g, (_m, f: string) => values[f] ?? '');
  return toConnectionName(raw, id8, fallbackName(source));
}

export interface Collision {
  /** the ML connection name (as the first one spelled it) */
  name: string;
  /** indices into the input of every source that got it */
  members: number[];
}

/** Names given to more than one source (case-insensitive, as the service compares them). */
export function findCollisions(names: readonly string[]): Collision[] {
  const byKey = new Map<string, Collision>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    const c = byKey.get(key);
    if (c) c.members.push(index);
    else byKey.set(key, { name, members: [index] });
  });
  return [...byKey.values()].filter((c) => c.members.length > 1);
}
