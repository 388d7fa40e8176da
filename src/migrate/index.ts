/** Azure DevOps service connections -> ML workspace connections (pure: mapping, names, YAML). */
export type { Classification, MapOptions, Migration, Refusal, ServiceEndpoint, SourceType, Verdict } from './types';
export { SOURCE_TYPES, asUrl, classify, githubTarget, mapEndpoint, schemeOf, sourceType } from './map';
export {
  MAX_NAME_LENGTH, MIN_NAME_LENGTH, NAME_PATTERN, TEMPLATE_FIELDS, checkTemplate, connectionNameFor, fallbackName, findCollisions,
  toConnectionName, transliterate, type Collision, type NameSource,
} from './names';
export { equivalentDocument, migrationYaml, placeholderDocument, placeholderVariables, type YamlEntry } from './yaml';
