/** Messages of the connection YAML model (src/model): validation errors, warnings and notes. util.format placeholders; see src/messages/index.ts. */
export const modelMessages = {
  // ---- fragments, placed into the sentences below (catalog.ts connectionPhrase, validate.ts describeType, lists)
  /** a connection of a given az-ml type (%s = the type, e.g. git), inside a sentence; the "an" form is for types starting with a vowel */
  Model_ConnectionOfTypeA: 'a %s connection',
  Model_ConnectionOfTypeAn: 'an %s connection',
  /** the same, at the start of a sentence */
  Model_ConnectionOfTypeACap: 'A %s connection',
  Model_ConnectionOfTypeAnCap: 'An %s connection',
  /** a connection whose type is not known */
  Model_AnyConnection: 'a connection',
  Model_AnyConnectionCap: 'A connection',
  /** what a YAML value is, after "not" (e.g. "must be text, not a list") */
  Model_KindEmpty: 'empty',
  Model_KindList: 'a list',
  Model_KindMapping: 'a mapping',
  Model_KindText: 'text',
  Model_KindNumber: 'a number',
  Model_KindBoolean: 'a boolean',
  Model_KindOther: 'a %s',
  /** the whole document, where a field name would otherwise be quoted */
  Model_Document: 'document',
  /** the last two items of a list (%s = the items before, joined by commas; %s = the last item) */
  Model_ListOr: '%s or %s',
  Model_ListAnd: '%s and %s',

  // ---- validate.ts: unknown keys
  Model_UnknownKeyTarget: "'%s' is not a field of %s; write its target as %s.",
  Model_UnknownKeyApiKey: "'api_key' is not a field of %s; write the key under credentials (type: api_key, key: ...).",
  Model_UnknownKeyHint: "'%s' is not a field of %s; did you mean '%s'?",
  Model_UnknownKeyRemove: "'%s' is not a field of %s; remove it (az ml rejects unknown fields too).",
  /** %s = the credential type, e.g. pat */
  Model_CredentialsOfType: 'credentials of type %s',
  Model_UnknownCredentialField: "'%s' is not a field of %s; its fields are %s.",
  Model_UnknownCredentialFieldNoFields: "'%s' is not a field of %s, which takes no fields besides 'type'; remove it.",
  Model_UnknownArtifactField: "'%s' is not a field of artifact; it takes 'name' and 'type' (lake_house).",
  Model_UnknownArtifactFieldHint: "'%s' is not a field of artifact; it takes 'name' and 'type' (lake_house); did you mean '%s'?",
  Model_KeyNotAllowed: "'%s' is not allowed here; remove it.",

  // ---- validate.ts: missing keys
  Model_MissingName: "The connection has no 'name'; add one (3 to 33 letters, digits, '_' or '-', starting with a letter or digit).",
  Model_MissingType: "The connection has no 'type'; add one, e.g. type: git, type: azure_open_ai or a REST category such as type: Redis.",
  /** %s = "A git connection", %s = the field */
  Model_MissingField: "%s needs '%s'; add it.",
  /** %s = "An azure_blob connection", %s = the field, %s = the metadata key it is sent as */
  Model_MissingFieldSentAs: "%s needs '%s' (sent as %s); add it.",
  Model_MissingCredentialsType: "credentials has no 'type'; add one, e.g. %s.",
  Model_MissingArtifactField: "artifact has no '%s'; give the lakehouse name or id as artifact.name.",
  Model_MissingPath: "'%s' is missing; add it.",
  Model_MissingTargetOneLake: "An azure_one_lake connection needs a target: give 'endpoint', 'one_lake_workspace_name' and 'artifact' (or the full 'target').",
  Model_MissingTarget: '%s needs a target; add %s.',

  // ---- validate.ts: values
  Model_TypeNotText: "'type' must be text, not %s; write e.g. type: git.",
  Model_UnknownType: "'%s' is not a connection type; use an az-ml type (e.g. git, azure_open_ai) or a REST category name (e.g. Redis).",
  Model_UnknownTypeHint: "'%s' is not a connection type; did you mean '%s'?",
  Model_NameNotText: "'name' must be text, not %s; quote it.",
  Model_NameInvalid: "The connection name '%s' is not valid: it must be 3 to 33 letters, digits, '_' or '-', starting with a letter or digit; rename it.",
  Model_CredentialsTypeNotText: "credentials 'type' must be text, not %s.",
  Model_UnknownCredentialsType: "'%s' is not a credentials type; use one of %s.",
  Model_UnknownCredentialsTypeHint: "'%s' is not a credentials type; did you mean '%s'?",
  /** %s = "An azure_open_ai connection", %s = the credential type given */
  Model_CredentialsApiKeyOrAad: '%s authenticates with an api key or Microsoft Entra ID, not credentials of type %s (az ml would silently send AAD instead); use api_key or aad.',
  /** %s = "An azure_blob connection", %s = the accepted types, %s = the credential type given */
  Model_CredentialsNotAccepted: '%s accepts credentials of type %s, not %s; change credentials.type.',
  Model_ArtifactTypeInvalid: "artifact type must be 'lake_house'.",
  Model_ValueMissing: "'%s' has no value; give one or remove the line.",
  /** %s = metadata or tags, %s = the key, %s = what the value is */
  Model_MapValueNotScalar: "%s value '%s' must be text, a number or true/false, not %s.",
  Model_ValueNotBoolean: "'%s' must be true or false, not %s.",
  Model_ValueNotMapping: "'%s' must be a mapping (key: value lines), not %s.",
  Model_ValueNotText: "'%s' must be text, not %s; quote it.",
  /** %s = the field, %s = the schema validator's own wording (e.g. "must match format ...") */
  Model_ValueRuleFailed: "'%s' %s.",
  Model_ValueNotValid: "'%s' is not valid.",

  // ---- build.ts: warnings and notes on the mapping to ARM properties
  Model_NoteGenericType: 'type %s is a REST category without an az-ml type; az ml connection create does not read this file, only these tasks do.',
  /** %s = the type as written, %s = the az-ml types of its category */
  Model_NoteGenericHasAzmlType: 'type %s is sent in the generic form although az-ml has %s for this category; az ml connection create does not read this file, only these tasks do.',
  Model_WarnTypeSpelling: "az ml connection create rejects the spelling '%s'; write '%s' so the file works with both.",
  Model_WarnDescription: 'description is not stored by the service (az ml drops it too); move it into metadata or remove it.',
  Model_WarnTags: "tags is a deprecated alias of metadata; it is merged into metadata (metadata wins). Rename it to 'metadata'.",
  Model_WarnApiKeyAndCredentials: "both 'api_key' and 'credentials' are given; the top-level api_key is used (as az ml does). Remove one.",
  /** %s = "A git connection", %s = the usual credential types, %s = the one given */
  Model_WarnUnusualCredentials: '%s normally uses credentials of type %s; %s is accepted (az ml does not check it) but may not work.',
  Model_NoteNoneIsAad: 'credentials type none is sent as AAD for %s connections (as az ml does).',
  Model_NoteFieldNotSent: 'credentials.%s is not sent (az ml does not send it either).',
  /** %s = the keys given, %s = the key that wins, %s = the order */
  Model_WarnTargetConflict: "%s are both given; '%s' wins (the last of %s). Remove the others.",
  /** %s = "An open_ai connection" */
  Model_WarnTargetNotSent: "%s has no target; 'target' is not sent. Remove it.",
  /** %s = metadata or tags, %s = the key */
  Model_WarnMapValueEmpty: "%s '%s' has no value and is not sent; give it a value or remove it.",
  /** %s = the metadata key, %s = the YAML field that replaces it */
  Model_WarnMetadataReplacedByField: "metadata %s is replaced by '%s'; remove it from metadata.",
  Model_WarnMetadataReplacedApiType: 'metadata %s is replaced by the value every azure_open_ai connection has (Azure); remove it from metadata.',
  /** %s = the metadata key, %s = "an azure_speech_services connection", %s = the fixed value */
  Model_WarnMetadataReplacedKind: 'metadata %s is replaced by the kind of %s (%s); remove it from metadata.',
  /** %s = the scheme the endpoint was written with, e.g. https:// */
  Model_NoteOneLakeScheme: "the OneLake endpoint's scheme is not repeated in the target (azure-ai-ml would write https://%s...).",
  Model_NoteLakehouseGuid: "artifact '%s' is a GUID, so it is used as the lakehouse id without '.Lakehouse' (azure-ai-ml would append '.Lakehouse': its id check expects a 7-character first group).",

  // ---- load.ts: documents, overrides, variables, duplicates
  /** %s = the YAML parser's message */
  Model_YamlSyntax: '%s; fix the YAML syntax.',
  Model_NotAConnectionText: 'This document is not a connection: it is plain text, not a mapping of fields such as name, type and target. Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionNumber: 'This document is not a connection: it is a single number value, not a mapping of fields such as name, type and target. Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionBoolean: 'This document is not a connection: it is a single boolean value, not a mapping of fields such as name, type and target. Remove it from the file, or the file from the connectionFiles globs.',
  /** %s = the JavaScript type of the value */
  Model_NotAConnectionScalar: 'This document is not a connection: it is a single %s value, not a mapping of fields such as name, type and target. Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionList: 'This document is not a connection: it is a list, not a mapping of fields such as name, type and target (write one document per connection, separated by ---). Remove it from the file, or the file from the connectionFiles globs.',
  /** %s = the keys that gave it away, e.g. 'image', 'conda_file' */
  Model_NotAConnectionEnvironment: 'This document is not a connection: it looks like an Azure ML environment (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionJob: 'This document is not a connection: it looks like an Azure ML job or component (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionConda: 'This document is not a connection: it looks like a conda environment file (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionPipeline: 'This document is not a connection: it looks like an Azure Pipelines definition (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionDatastore: 'This document is not a connection: it looks like an Azure ML datastore (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  Model_NotAConnectionAsset: 'This document is not a connection: it looks like an Azure ML model or data asset (it has %s). Remove it from the file, or the file from the connectionFiles globs.',
  /** %s = the schema's name, e.g. environment */
  Model_NotAConnectionSchema: 'This document is not a connection: its $schema is the %s schema. Remove it from the file, or the file from the connectionFiles globs.',
  Model_OverrideUnknownConnection: "The override on line %d names connection '%s', which no connection file declares; fix the name or remove the line.",
  Model_OverrideBlocked: "The override on line %d cannot set '%s' because '%s' is not a mapping; fix the path.",
  Model_VariableUndefined: "The variable '%s' in '%s' is not defined or has no value; define it in the pipeline (or a variable group) or remove the reference.",
  /** %s = the name, %s = file:line:column of the first declaration */
  /** %s = the name, %s = file:line:column of the first */
  Model_DeclaredTwice: "Connection '%s' is declared twice (also at %s); connection names are case-insensitive, keep one.",
  Model_DuplicateName: "The connection name '%s' is already declared at %s (names are case-insensitive); rename or remove one of them.",

  // ---- yaml-source.ts: what one file may make the reader do
  /** %d = documents in the file, %d = the limit */
  Model_YamlTooManyDocuments: 'This file holds %d YAML documents; at most %d are read from one file. Split it into several files.',
  Model_YamlTooDeep: 'The YAML is nested too deeply (more than 64 levels of mappings and lists inside each other); a connection needs only a few levels, so fix the file.',
  /** %s = the anchor name, twice */
  Model_YamlAliasWithoutAnchor: "The alias '*%s' has no anchor '&%s' before it in this document; define the anchor earlier or write the value itself.",
  /** %d = the limit */
  Model_YamlTooManyAliases: 'Aliases are expanded more than %d times in this document (aliases of anchors that hold aliases multiply); write the values out, or use fewer aliases.',
  /** %d = the limit */
  Model_YamlTooManyValues: 'This document holds more than %d values once its aliases are expanded; a connection has far fewer, so fix the file.',
  Model_YamlComplexKey: 'A key must be plain text, not a mapping, a list or an alias; write the key as text.',
  /** %s = the key, %s = file:line:column of its first occurrence */
  Model_YamlDuplicateKey: "The key '%s' is already given at %s in the same mapping; remove one of them.",
  Model_YamlMergeNotMapping: "A merge key (<<) must refer to a mapping or a list of mappings; fix the value after '<<'.",

  // ---- files.ts: what is not a connection file
  /** %s = the file name (control characters escaped) */
  Model_FileNameControl: "The matched file name '%s' contains a control character or line break; rename the file.",
  Model_FileMissing: "'%s' does not exist; check the connectionFiles globs.",
  Model_FileIsFolder: "'%s' is a folder, not a file; narrow the connectionFiles globs so that they match connection files only (e.g. **/connections/*.yml).",
  /** %s = the file, %s = its size, e.g. 20.0 MiB */
  Model_FileTooLarge: "'%s' is %s; a connection file may be at most 1 MiB. Split it, or remove it from the connectionFiles globs.",
  /** %s = the file, %s = the error code */
  Model_FileUnreadable: "'%s' cannot be read (%s); check that the file exists and the agent may read it.",
  Model_FileUtf16: 'The file is UTF-16, not UTF-8; save it as UTF-8.',
  /** %s = the byte in hex, e.g. FF */
  Model_FileNotUtf8: 'The file is not UTF-8: the byte 0x%s here does not belong to any UTF-8 character; save the file as UTF-8.',
  /** %s = the character's code point, e.g. U+001B */
  Model_FileControlCharacter: 'The file holds the control character %s here; remove it (connection files hold text only).',
  Model_FileNoConnection: 'This file declares no connection: it is empty or holds only comments. Add a connection, or remove the file from the connectionFiles globs.',

  // ---- load.ts and validate.ts: values
  /** %s = the field, %s = the code point, %d = the character's position in the value */
  Model_ValueLoneSurrogate: "'%s' holds the unpaired surrogate %s (character %d of the value), which no text encoding can carry; remove the escape that made it.",
  Model_ValueControlCharacter: "'%s' holds the control character %s (character %d of the value); remove it. Values may hold tabs and line breaks only in a block scalar (| or >).",
  /** %s = the mapping the key is in ('document' for the top level), %s = the code point */
  Model_KeyControlCharacter: "A key in '%s' holds the control character %s; remove it.",
  Model_KeyLoneSurrogate: "A key in '%s' holds the unpaired surrogate %s, which no text encoding can carry; remove the escape that made it.",
  /** %s = the variable, %s = the field */
  Model_VariableNested: "The variable '%s' in '%s' has a value that itself holds a $(...) reference, which is never expanded; give the variable its final value.",
  /** %s = the secret field, e.g. credentials.pat */
  Model_SecretEmpty: "'%s' is empty; give the secret (e.g. from a secret variable), or leave the line out to keep the secret an existing connection already stores.",
  /** %s = "A username_password credential", %s = the field */
  Model_CredentialFieldRequired: "%s needs '%s'; add it under credentials.",
  /** %s = the credential type, e.g. username_password: the subject of Model_CredentialFieldRequired ("An" before a vowel) */
  Model_CredentialOfTypeA: 'A %s credential',
  Model_CredentialOfTypeAn: 'An %s credential',

  // ---- target-rules.ts: credentials written into a target
  /** %s = the field (target, url, endpoint, ...) */
  Model_TargetUserinfoPassword: "'%s' holds a password in the URL (user:password@host); remove it from the URL and give it under credentials (e.g. type: username_password or pat), where it is kept as a secret.",
  Model_TargetUserinfoUser: "'%s' holds a user name in the URL (name@host), which is often a token; remove it from the URL and give it under credentials (type: pat or username_password).",
  /** %s = the field, %s = the parameter name */
  Model_TargetQuerySecret: "'%s' holds a credential in its parameter '%s'; remove the parameter and give the credential under credentials (e.g. type: sas, pat or api_key), where it is kept as a secret.",
  /** %s = the field, %s = the scheme (http), %s = the auth type */
  Model_TargetInsecure: "'%s' is plain %s, but the connection carries credentials (%s) that would travel unencrypted; use https, or set the task input allowInsecureTargets to true if the target is on a network you trust.",

  // ---- overrides.ts
  Model_OverrideLineInvalid: 'overrides line %d is not of the form name.path=value; write e.g. my-conn.credentials.pat=$(GIT_PAT), one per line.',
} as const satisfies Record<string, string>;
