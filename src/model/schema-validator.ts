/**
 * The ajv validator of schema/connection.schema.json (the file editors use).
 *
 * Compiling it takes ~70 ms, paid by every task run before its first request. So the build
 * (scripts/build.mjs) replaces this module in each bundle with the same validator compiled ahead of
 * time (ajv standalone code from `schemaValidatorSource`, same options, same schema file); tests and
 * tools that run the sources compile it here, at first use. Both test the schema's name-spelling
 * patterns with schema-regexp's set lookups, not V8's compiled patterns (see there).
 */
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import schemaJson from '../../schema/connection.schema.json';
import { schemaRegExp } from './schema-regexp';

const SCHEMA_AJV_OPTIONS: Options = { allErrors: true, strictTypes: true, allowUnionTypes: true, code: { regExp: schemaRegExp } };

export function compileSchemaValidator(): ValidateFunction {
  return new Ajv(SCHEMA_AJV_OPTIONS).compile(schemaJson as Record<string, unknown>);
}

/** CommonJS source of the same validator (`module.exports = validate`), for the build. */
export function schemaValidatorSource(): string {
  const ajv = new Ajv({ ...SCHEMA_AJV_OPTIONS, code: { ...SCHEMA_AJV_OPTIONS.code, source: true } });
  return standaloneCode(ajv, ajv.compile(schemaJson as Record<string, unknown>));
}
