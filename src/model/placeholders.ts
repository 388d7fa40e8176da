/**
 * Secret placeholders in exported YAML: every secret credential field is written as `$(AZUREML_<NAME>_<FIELD>)`,
 * a pipeline variable reference that Create resolves when the file is applied. Used by Export (and by Migrate
 * for its yamlOutputPath), so that both name the same secret the same way.
 */
import { credentialForAuthType } from './catalog';

/**
 * The pipeline variable that carries one secret of an exported connection: `AZUREML_<NAME>_<FIELD>`, the
 * connection name and the field upper-cased, every character other than A-Z and 0-9 written as `_`.
 * `field` is the YAML name of the credential field (`pat`, `client_secret`, `sas_token`), or the key's
 * own name for a `custom_keys` credential; see {@link secretFieldName}.
 */
export function secretVariableName(connectionName: string, field: string): string {
  return `AZUREML_${connectionName}_${field}`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `$(NAME)`: how a variable is referenced in a connection file. */
export function variableReference(name: string): string {
  return `$(${name})`;
}

/**
 * The YAML name of a secret credential field, from its REST name as `toConnectionDocument` passes it to
 * `secretValue`: `clientSecret` -> `client_secret`, `sas` -> `sas_token`, `key` of AccountKey -> `account_key`,
 * `keys.<k>` (CustomKeys) -> `<k>`. Unknown fields are returned as they are.
 */
export function secretFieldName(authType: string, restField: string): string {
  if (restField.startsWith('keys.')) return restField.slice('keys.'.length);
  const credential = credentialForAuthType(authType);
  return credential?.fields.find((f) => f.rest === restField)?.yaml ?? restField;
}
