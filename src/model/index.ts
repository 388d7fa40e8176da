/** The connection model: az-ml YAML <-> ARM connection properties. */
export type { ConnectionSpec, Diagnostic, LoadResult, Override, VariableSource } from './types';
export { loadConnections, loadConnectionFilesGivingWay, notAConnection, type ConnectionFile, type LoadOptions } from './load';
export { nodeSourceFiles, readConnectionFiles, MAX_FILE_BYTES, type SourceFileReader } from './files';
export { parseOverrides, OVERRIDES_FILE } from './overrides';
export { toConnectionDocument, serializeDocuments, type ExportOptions } from './from-arm';
export { validateDocument, connectionSchema, type SchemaProblem } from './validate';
export {
  AZML_TYPES, CREDENTIAL_TYPES, REST_CATEGORIES, TARGET_ALIAS_ORDER, resolveType, resolveCredentialType,
  credentialForAuthType, normalizeName, closest, type TypeInfo, type CredentialInfo,
} from './catalog';
export { metadataText } from './build';
