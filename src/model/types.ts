import type { SourceLocation } from '../core/errors';
import type { ConnectionProperties } from '../arm/types';

/** One connection as declared in a YAML file, mapped to the ARM body of the pinned api-version. */
export interface ConnectionSpec {
  name: string;
  /** where the YAML document declares it (its `name` key, or the document start) */
  location: SourceLocation;
  /** the az-ml `type` in canonical snake_case (e.g. `git`, `azure_open_ai`), or the REST category when given by its PascalCase name and az-ml has no type for it */
  yamlType: string;
  /** the ARM `properties` to PUT. Secret credential values are present only when the file (or a variable or override) gives them. */
  properties: ConnectionProperties;
  /** the secret credential keys for this authType (e.g. ['pat']); for CustomKeys ['keys'] */
  secretFields: string[];
  /** secret credential keys the file does not give: an update keeps the stored value (read with listsecrets) */
  missingSecrets: string[];
  /** positions of fields, keyed by the YAML path (e.g. `target`, `credentials.pat`), for messages */
  fieldLocations: Record<string, SourceLocation>;
  /** where we send something other than azure-ai-ml would, and why (said to the user once per connection) */
  notes: string[];
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** one plain sentence, with what to do */
  message: string;
  location?: SourceLocation;
  connection?: string;
}

export interface LoadResult {
  connections: ConnectionSpec[];
  diagnostics: Diagnostic[];
}

/** Pipeline variables, as the agent exposes them (secret ones included). */
export interface VariableSource {
  get(name: string): { value: string; secret: boolean } | undefined;
}

/** One `overrides` line: `name.path=value`, like `az ml connection create --set`. */
export interface Override {
  connection: string;
  /** dotted path inside the connection document, e.g. `credentials.password`, `target`, `metadata.ApiVersion` */
  path: string;
  value: string;
  /** 1-based line number inside the overrides input */
  line: number;
}
