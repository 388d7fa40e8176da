/**
 * Request validation against the official Swagger 2.0 spec of Microsoft.MachineLearningServices
 * (workspaceRP.json of the chosen api-version, plus the common-types it references).
 *
 * What is checked, per operation: path parameters (pattern, min/maxLength), declared query
 * parameters (type), and the body against its schema: `$ref` (also into other files), `allOf`,
 * `required`, `type`, `format` (date-time, uuid), `pattern`, lengths, `enum` (only when the enum is
 * not `modelAsString`), arrays, maps (`additionalProperties`) and polymorphism (`discriminator` +
 * subtypes that `allOf` the base and carry `x-ms-discriminator-value`; an unknown discriminator
 * value falls back to the base, as `modelAsString` demands).
 *
 * Properties a schema does not declare are rejected when the schema has no `additionalProperties`
 * (`strictAdditionalProperties`, default on) — stricter than the service, which ignores them; that
 * is the point here: a client that sends a field the spec does not know is sending nothing.
 * `readOnly` properties are accepted in requests and ignored, like ARM does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

type Json = Record<string, unknown>;

export interface ValidationIssue {
  /** e.g. `body.properties.credentials.pat`, `path.connectionName`, `query.includeAll` */
  field: string;
  message: string;
}

interface Located {
  schema: Json;
  file: string;
}

const SPEC_RELATIVE = 'specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable';

/** Where the spec tree is: env AZUREML_SPEC_DIR (the azure-rest-api-specs root or the api-version folder), else ../shared next to the repo. */
export function findSpecFile(apiVersion: string, repoRoot: string, specDir = process.env.AZUREML_SPEC_DIR): string | undefined {
  const candidates: string[] = [];
  const roots = specDir ? [specDir] : [join(repoRoot, '..', 'shared', 'reference', 'specs', 'azure-rest-api-specs')];
  for (const root of roots) {
    candidates.push(join(root, 'workspaceRP.json'));
    candidates.push(join(root, apiVersion, 'workspaceRP.json'));
    candidates.push(join(root, SPEC_RELATIVE, apiVersion, 'workspaceRP.json'));
  }
  return candidates.find((c) => existsSync(c));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

type Flat = { props: Map<string, Located>; required: Set<string>; additional: Located | boolean | undefined; discriminator?: { name: string; base: Located } };

export class SpecValidator {
  private readonly docs = new Map<string, Json>();
  // the spec's documents never change, so what is worked out from them is kept: every request of a run
  // asks the same questions (the sandbox shares the CPU with the task it answers)
  private readonly refs = new Map<string, Located>();
  private readonly flats = new Map<Json, Flat>();
  private readonly subtypes = new Map<Json, Map<string, Located | undefined>>();
  readonly strictAdditionalProperties: boolean;

  constructor(
    readonly specFile: string,
    options: { strictAdditionalProperties?: boolean } = {},
  ) {
    this.strictAdditionalProperties = options.strictAdditionalProperties ?? true;
    this.doc(resolve(specFile));
  }

  private doc(file: string): Json {
    let d = this.docs.get(file);
    if (!d) {
      d = JSON.parse(readFileSync(file, 'utf8')) as Json;
      this.docs.set(file, d);
    }
    return d;
  }

  /** Resolve a `$ref` (local `#/...` or `other.json#/...`) relative to `from`. */
  private resolveRef(ref: string, from: string): Located {
    const key = `${from}\u0000${ref}`;
    let found = this.refs.get(key);
    if (!found) {
      found = this.lookUpRef(ref, from);
      this.refs.set(key, found);
    }
    return found;
  }

  private lookUpRef(ref: string, from: string): Located {
    const [filePart, pointer = ''] = ref.split('#');
    const file = filePart ? resolve(dirname(from), filePart) : from;
    let node: unknown = this.doc(file);
    for (const seg of pointer.split('/').filter(Boolean)) {
      node = isObject(node) ? node[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (!isObject(node)) throw new Error(`spec: cannot resolve ${ref} from ${from}`);
    return { schema: node, file };
  }

  private deref(loc: Located): Located {
    let cur = loc;
    for (let i = 0; i < 20 && typeof cur.schema.$ref === 'string'; i++) cur = this.resolveRef(cur.schema.$ref, cur.file);
    return cur;
  }

  private get main(): Json {
    return this.doc(resolve(this.specFile));
  }

  /** The operation object for a spec path template and method, or undefined. */
  operation(pathTemplate: string, method: string): Located | undefined {
    const paths = this.main.paths as Json;
    const item = paths?.[pathTemplate];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    return isObject(op) ? { schema: op, file: resolve(this.specFile) } : undefined;
  }

  hasOperation(pathTemplate: string, method: string): boolean {
    return this.operation(pathTemplate, method) !== undefined;
  }

  /** Validate path params, declared query params and the body of one request. api-version is checked by the caller. */
  validateRequest(pathTemplate: string, method: string, pathParams: Record<string, string>, query: Record<string, string>, body: unknown): ValidationIssue[] {
    const op = this.operation(pathTemplate, method);
    if (!op) return [{ field: 'path', message: `The spec has no operation ${method.toUpperCase()} ${pathTemplate}.` }];
    const issues: ValidationIssue[] = [];
    const params = Array.isArray(op.schema.parameters) ? op.schema.parameters : [];
    for (const raw of params) {
      if (!isObject(raw)) continue;
      const p = this.deref({ schema: raw, file: op.file });
      const name = String(p.schema.name);
      const where = p.schema.in;
      if (where === 'path') {
        const value = pathParams[name];
        if (value === undefined) continue;
        this.checkScalar(value, p.schema, `path.${name}`, issues, true);
      } else if (where === 'query') {
        if (name === 'api-version') continue;
        const value = query[name];
        if (value === undefined) {
          if (p.schema.required === true) issues.push({ field: `query.${name}`, message: `The query parameter '${name}' is required.` });
          continue;
        }
        if (p.schema.type === 'boolean' && !/^(true|false)$/i.test(value)) {
          issues.push({ field: `query.${name}`, message: `The query parameter '${name}' must be true or false, not '${value}'.` });
        } else if (p.schema.type === 'integer' && !/^-?\d+$/.test(value)) {
          issues.push({ field: `query.${name}`, message: `The query parameter '${name}' must be an integer, not '${value}'.` });
        } else if (p.schema.type === 'string') {
          this.checkScalar(value, p.schema, `query.${name}`, issues, true);
        }
      } else if (where === 'body') {
        if (body === undefined) {
          if (p.schema.required === true) issues.push({ field: 'body', message: 'The request body is required.' });
          continue;
        }
        const schema = p.schema.schema;
        if (isObject(schema)) this.validate(body, { schema, file: p.file }, 'body', issues);
      }
    }
    return issues;
  }

  /** Validate any value against a named definition of the main document (for tests and tools). */
  validateDefinition(value: unknown, definition: string): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.validate(value, this.resolveRef(`#/definitions/${definition}`, resolve(this.specFile)), 'body', issues);
    return issues;
  }

  private checkScalar(value: string, schema: Json, field: string, issues: ValidationIssue[], isParam = false): void {
    const label = isParam ? `parameter '${field.split('.').pop()}'` : `'${field}'`;
    // never echo a credential value back (it may be a secret)
    const shown = /\.credentials\b/.test(field) ? 'the given value' : `'${value}'`;
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      issues.push({ field, message: `The ${label} must be at least ${schema.minLength} characters long.` });
    }
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      issues.push({ field, message: `The ${label} must be at most ${schema.maxLength} characters long.` });
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      issues.push({ field, message: `The value ${shown} of ${label} does not match the pattern '${schema.pattern}'.` });
    }
    if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
      issues.push({ field, message: `The ${label} must be a date-time (ISO 8601), not ${shown}.` });
    }
    if (schema.format === 'uuid' && !UUID.test(value)) {
      issues.push({ field, message: `The ${label} must be a UUID, not ${shown}.` });
    }
    const enumValues = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
    const xmsEnum = isObject(schema['x-ms-enum']) ? schema['x-ms-enum'] : undefined;
    if (enumValues && xmsEnum?.modelAsString !== true) {
      if (!enumValues.some((e) => typeof e === 'string' && e.toLowerCase() === value.toLowerCase())) {
        issues.push({ field, message: `The ${label} must be one of ${enumValues.join(', ')}, not ${shown}.` });
      }
    }
  }

  /** flatten's answer, worked out once per schema (read only: callers do not change it) */
  private flattened(loc: Located): Flat {
    let f = this.flats.get(loc.schema);
    if (!f) {
      f = this.flatten(loc);
      this.flats.set(loc.schema, f);
    }
    return f;
  }

  /** Collect the properties, required names, additionalProperties and discriminator of an object schema including its allOf parents. */
  private flatten(loc: Located, seen = new Set<Json>()): Flat {
    const l = this.deref(loc);
    const props = new Map<string, Located>();
    const required = new Set<string>();
    let additional: Located | boolean | undefined;
    let discriminator: { name: string; base: Located } | undefined;
    if (seen.has(l.schema)) return { props, required, additional };
    seen.add(l.schema);
    if (Array.isArray(l.schema.allOf)) {
      for (const part of l.schema.allOf) {
        if (!isObject(part)) continue;
        const f = this.flatten({ schema: part, file: l.file }, seen);
        f.props.forEach((v, k) => props.set(k, v));
        f.required.forEach((r) => required.add(r));
        if (f.additional !== undefined) additional = f.additional;
        if (f.discriminator) discriminator = f.discriminator;
      }
    }
    if (isObject(l.schema.properties)) {
      for (const [k, v] of Object.entries(l.schema.properties)) if (isObject(v)) props.set(k, { schema: v, file: l.file });
    }
    if (Array.isArray(l.schema.required)) for (const r of l.schema.required) required.add(String(r));
    if (l.schema.additionalProperties === true) additional = true;
    else if (l.schema.additionalProperties === false) additional = false;
    else if (isObject(l.schema.additionalProperties)) additional = { schema: l.schema.additionalProperties, file: l.file };
    if (typeof l.schema.discriminator === 'string') discriminator = { name: l.schema.discriminator, base: l };
    return { props, required, additional, discriminator };
  }

  /** The subtype of a polymorphic base for a discriminator value (exact, then case-insensitive), or undefined. */
  private subtype(base: Located, value: string): Located | undefined {
    let known = this.subtypes.get(base.schema);
    if (!known) this.subtypes.set(base.schema, (known = new Map()));
    if (!known.has(value)) known.set(value, this.findSubtype(base, value));
    return known.get(value);
  }

  private findSubtype(base: Located, value: string): Located | undefined {
    const defs = this.doc(base.file).definitions;
    if (!isObject(defs)) return undefined;
    let ci: Located | undefined;
    for (const [name, def] of Object.entries(defs)) {
      if (!isObject(def) || !Array.isArray(def.allOf)) continue;
      const extendsBase = def.allOf.some((p) => isObject(p) && typeof p.$ref === 'string' && this.resolveRef(p.$ref, base.file).schema === base.schema);
      if (!extendsBase) continue;
      const dv = typeof def['x-ms-discriminator-value'] === 'string' ? def['x-ms-discriminator-value'] : name;
      if (dv === value) return { schema: def, file: base.file };
      if (!ci && dv.toLowerCase() === value.toLowerCase()) ci = { schema: def, file: base.file };
    }
    return ci;
  }

  private validate(value: unknown, loc: Located, field: string, issues: ValidationIssue[]): void {
    const l = this.deref(loc);
    const s = l.schema;
    const type = typeof s.type === 'string' ? s.type : s.properties || s.allOf || s.additionalProperties ? 'object' : undefined;
    if (value === null) {
      if (s['x-nullable'] !== true) issues.push({ field, message: `'${field}' must not be null.` });
      return;
    }
    switch (type) {
      case 'string':
        if (typeof value !== 'string') {
          issues.push({ field, message: `'${field}' must be a string, not ${describe(value)}.` });
          return;
        }
        this.checkScalar(value, s, field, issues);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') issues.push({ field, message: `'${field}' must be true or false, not ${describe(value)}.` });
        return;
      case 'integer':
      case 'number':
        if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) {
          issues.push({ field, message: `'${field}' must be ${type === 'integer' ? 'an integer' : 'a number'}, not ${describe(value)}.` });
        }
        return;
      case 'array': {
        if (!Array.isArray(value)) {
          issues.push({ field, message: `'${field}' must be an array, not ${describe(value)}.` });
          return;
        }
        if (isObject(s.items)) value.forEach((item, i) => this.validate(item, { schema: s.items as Json, file: l.file }, `${field}[${i}]`, issues));
        return;
      }
      case 'object': {
        if (!isObject(value)) {
          issues.push({ field, message: `'${field}' must be an object, not ${describe(value)}.` });
          return;
        }
        let flat = this.flattened(l);
        if (flat.discriminator) {
          const dv = value[flat.discriminator.name];
          if (typeof dv === 'string') {
            const sub = this.subtype(flat.discriminator.base, dv);
            if (sub) flat = this.flattened(sub);
          }
        }
        for (const r of flat.required) {
          if (value[r] === undefined) issues.push({ field: `${field}.${r}`, message: `'${field}.${r}' is required.` });
        }
        for (const [k, v] of Object.entries(value)) {
          const prop = flat.props.get(k);
          const child = `${field}.${k}`;
          if (prop) {
            if (this.deref(prop).schema.readOnly === true) continue;
            if (v === undefined) continue;
            this.validate(v, prop, child, issues);
          } else if (typeof flat.additional === 'object') {
            this.validate(v, flat.additional, child, issues);
          } else if (flat.additional === true || (flat.additional === undefined && !this.strictAdditionalProperties)) {
            continue;
          } else {
            const discr = flat.discriminator ? ` for ${flat.discriminator.name} '${String(value[flat.discriminator.name])}'` : '';
            issues.push({ field: child, message: `'${child}' is not a property the spec defines here${discr}.` });
          }
        }
        return;
      }
      default:
        return;
    }
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  // the value itself is left out: it may be a secret
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
