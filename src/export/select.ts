/** Which connections Export writes: the `connectionNames` and `categories` filters. Pure. */
import type { ArmConnection } from '../arm/types';
import { UserError } from '../core/errors';
import { isDigestKeyConnection } from '../engine/digest';
import { msg } from '../messages';
import { AZML_TYPES, REST_CATEGORIES, closest, resolveType } from '../model';

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
const looseKind = (s: string | undefined): string => lower(s).replace(/[\s_-]/g, '');

/** One `categories` line, translated to what ARM stores (bug 3: az-ml names are not REST categories). */
export interface CategoryFilter {
  /** as given */
  input: string;
  /** the REST category */
  category: string;
  /** for az-ml types that share a category (content safety, speech): the metadata Kind */
  kind?: string;
}

/** Translate `categories` lines: az-ml type names (`custom`, `azure_ai_search`) and REST categories, any case. */
export function parseCategoryFilters(values: readonly string[]): CategoryFilter[] {
  return values.map((input) => {
    const t = resolveType(input);
    if (t) return { input, category: t.category, ...(t.fixedMetadata?.Kind ? { kind: t.fixedMetadata.Kind } : {}) };
    const near = closest(input, [...AZML_TYPES.map((a) => a.name), ...REST_CATEGORIES]);
    if (near || !/^[A-Za-z][A-Za-z0-9]*$/.test(input)) {
      throw new UserError(near ? msg('Task_ExportCategoryUnknownNear', input, near) : msg('Task_ExportCategoryUnknown', input));
    }
    // ConnectionCategory is an open enum: a newer category than ours is matched by its name
    return { input, category: input };
  });
}

/** The connections to export: the name filter (each name must exist) and the category filter, in name order. */
export function selectConnections(all: readonly ArmConnection[], names: readonly string[], filters: readonly CategoryFilter[]): ArmConnection[] {
  // the secret digest key is this extension's own, never a connection to promote
  let out = all.filter((c) => !isDigestKeyConnection(c.name));
  if (names.length) {
    const byName = new Map(all.map((c) => [c.name.toLowerCase(), c]));
    const missing = names.filter((n) => !byName.has(n.toLowerCase()));
    if (missing.length) {
      const list = missing.map((n) => `'${n}'`).join(', ');
      throw new UserError(msg('Task_ExportNoSuchConnection', list));
    }
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    out = out.filter((c) => wanted.has(c.name.toLowerCase()));
  }
  if (filters.length) out = out.filter((c) => filters.some((f) => matchesCategory(c, f)));
  return out;
}

function matchesCategory(c: ArmConnection, f: CategoryFilter): boolean {
  if (lower(c.properties.category) !== lower(f.category)) return false;
  // bug 17: other tools write Kind differently (ContentSafety, Content Safety)
  return f.kind === undefined || looseKind(c.properties.metadata?.Kind) === looseKind(f.kind);
}

/** The selection in one sentence: how many of how many, by which filters. */
export function describeSelection(total: number, selected: number, connectionNames: readonly string[], filters: readonly CategoryFilter[]): string {
  const names = connectionNames.join(', ');
  const categories = filters
    .map((f) => (f.input === f.category ? f.input : f.kind ? msg('Task_ExportCategoryFilterKind', f.input, f.category, f.kind) : msg('Task_ExportCategoryFilter', f.input, f.category)))
    .join(', ');
  if (names && categories) return msg('Task_ExportSelectionNamesCategories', total, selected, names, categories);
  if (names) return msg('Task_ExportSelectionNames', total, selected, names);
  if (categories) return msg('Task_ExportSelectionCategories', total, selected, categories);
  return msg('Task_ExportSelection', total, selected);
}
