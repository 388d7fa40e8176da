/**
 * `$(NAME)` references to pipeline variables inside string values. Names are looked up through the
 * VariableSource, which (like the agent) treats them case-insensitively; `$(a.b)` is a legal name.
 * An unresolved reference is reported, never sent literally.
 */
import type { SecretSink } from '../core/secrets';
import type { VariableSource } from './types';

export const VARIABLE_REFERENCE = /\$\(([A-Za-z0-9_][A-Za-z0-9_.\- ]*)\)/g;
/** A name as VARIABLE_REFERENCE takes it (for names given on their own, such as the command line's --var). */
export const VARIABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\- ]*$/;

export interface UnresolvedReference {
  /** dotted path of the value */
  path: string;
  name: string;
  /** index of `$(` inside the string */
  index: number;
}

export interface ResolveOutcome {
  value: string;
  unresolved: UnresolvedReference[];
  /** references whose variable's value holds another reference (never expanded, so an error) */
  nested: UnresolvedReference[];
  /** a secret variable was used */
  usedSecret: boolean;
}

function lookup(variables: VariableSource, name: string): { value: string; secret: boolean } | undefined {
  const trimmed = name.trim();
  return variables.get(trimmed) ?? variables.get(trimmed.toUpperCase()) ?? variables.get(trimmed.replace(/[. ]/g, '_').toUpperCase());
}

/**
 * Replace every `$(NAME)` in one string, once (a value is never expanded again). Values of secret
 * variables go to `secrets` first. A value that itself holds a reference is reported in `nested`.
 */
export function resolveString(text: string, path: string, variables: VariableSource, secrets: SecretSink): ResolveOutcome {
  const unresolved: UnresolvedReference[] = [];
  const nested: UnresolvedReference[] = [];
  let usedSecret = false;
  const value = text.replace(VARIABLE_REFERENCE, (whole, name: string, index: number) => {
    const hit = lookup(variables, name);
    if (!hit) {
      unresolved.push({ path, name: name.trim(), index });
      return whole;
    }
    if (hit.secret) {
      secrets.add(hit.value);
      usedSecret = true;
    }
    if (new RegExp(VARIABLE_REFERENCE.source).test(hit.value)) nested.push({ path, name: name.trim(), index });
    return hit.value;
  });
  return { value, unresolved, nested, usedSecret };
}

/** Resolve every string value (not keys) inside a document, in place. */
export function resolveDocument(
  doc: unknown,
  variables: VariableSource,
  secrets: SecretSink,
): { value: unknown; unresolved: UnresolvedReference[]; nested: UnresolvedReference[]; secretPaths: string[] } {
  const unresolved: UnresolvedReference[] = [];
  const nested: UnresolvedReference[] = [];
  const secretPaths: string[] = [];
  const walk = (v: unknown, path: string[]): unknown => {
    if (typeof v === 'string') {
      const r = resolveString(v, path.join('.'), variables, secrets);
      unresolved.push(...r.unresolved);
      nested.push(...r.nested);
      if (r.usedSecret) secretPaths.push(path.join('.'));
      return r.value;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = walk(o[k], [...path, k]);
      return o;
    }
    return v;
  };
  return { value: walk(doc, []), unresolved, nested, secretPaths };
}
