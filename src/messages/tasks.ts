/** Messages of Create, Export, Migrate and the pipeline adapter (src/tasks, src/migrate, src/devops, src/pipeline). util.format placeholders; see src/messages/index.ts. */
export const taskMessages = {
  // src/pipeline/agent.ts: service connections and the agent's network settings
  Task_EndpointNotHanded: "The service connection given in '%s' was not handed to this task; check that it exists and that the pipeline is authorised to use it.",
  Task_CaFileUnreadable: "The agent's trusted certificate file %s cannot be read (%s); continuing with the system's certificates.",

  // src/pipeline/settings.ts, export-settings.ts, migrate-settings.ts: task inputs
  Task_ApiVersionInvalid: "The apiVersion '%s' is not an api-version; use the form 2025-06-01 (or leave it empty for the default).",
  Task_InputNotOneOf: "The input '%s' is '%s'; use one of %s.",
  Task_InputNotWholeNumber: "The input '%s' is '%s'; use a whole number from 1 to %d.",
  /** %s = the input, %s = its value */
  Task_InputNotParallelism: "The input '%s' is '%s'; use auto (adapts to ARM's throttling) or a whole number from 1 to 64.",
  Task_NoConnectionFileMatches: 'No connection file matches %s under %s; check the connectionFiles input.',
  Task_ConnectionFilesEmpty: "The input 'connectionFiles' is empty; give one glob per line, e.g. **/connections/*.yml.",
  Task_OutputPathMissing: "The input 'outputPath' is empty and Build.ArtifactStagingDirectory is not set; give the folder to write the connection files to.",
  Task_OutputPathUndefinedVariable: "The outputPath '%s' refers to the variable %s, which this pipeline does not define; give a folder path or define the variable.",
  Task_MigrateInputNotId: "The input '%s' holds '%s', which is not a service connection id; select the service connections by name in the task (YAML: list their names), and Azure Pipelines passes their ids.",
  Task_GithubRepositoryInvalid: "The input 'githubRepository' is '%s'; give an https URL (https://github.com/contoso/models) or owner/repository (contoso/models).",

  // src/tasks/common.ts: reaching the workspace
  Task_NoSubscription: 'The Azure Resource Manager service connection names no subscription; use a connection scoped to a subscription, resource group or Azure ML workspace.',
  Task_NoResourceGroup: "No resource group: set the 'resourceGroupName' input, or use a service connection scoped to an Azure ML workspace.",
  Task_NoWorkspace: "No workspace: set the 'workspaceName' input, or use a service connection scoped to an Azure ML workspace.",
  Task_WorkspaceSignedIn: 'Workspace %s in resource group %s (subscription %s), %s, signed in with %s.',

  // src/tasks/create.ts
  Task_CreateReading: 'Reading %d connection file(s) matched by %s.',
  Task_CreateFileErrors: '%d error(s) in the connection files; nothing was written. Fix them and run again.',
  Task_CreateDeclared: '%d connection(s) declared.',
  Task_CreateSummaryTitle: 'Azure ML connections',
  /** a connection's name and a note about it */
  Task_ConnectionNote: '%s: %s',

  // src/tasks/reconcile.ts: plan, saved plan, apply, outcome
  Task_PlanGroup: 'Plan',
  Task_PlanWritten: "Plan written to %s. Apply it with mode 'apply' and planFile set to this file.",
  /** the summary title in plan mode; %s is the task's title */
  Task_PlanSummaryTitle: '%s: plan',
  Task_PlanFileUnreadable: 'The plan file cannot be read: %s.',
  Task_SavedPlanMatchesFiles: 'The saved plan %s still matches the workspace and the files; applying it.',
  Task_SavedPlanMatchesServiceConnections: 'The saved plan %s still matches the workspace and the selected service connections; applying it.',
  Task_ConnectionFailed: '%s: failed.',
  /** counts after apply: created, updated, deleted, unchanged (skipped) */
  Task_CountsApplied: '%d create, %d update, %d delete, %d unchanged',
  Task_CountsAppliedSkipped: '%d create, %d update, %d delete, %d unchanged, %d skipped',
  /** counts of a plan: to create, to update, to delete, unchanged (skipped) */
  Task_CountsPlanned: '%d to create, %d to update, %d to delete, %d unchanged',
  Task_CountsPlannedSkipped: '%d to create, %d to update, %d to delete, %d unchanged, %d skipped',
  /** a task's result message made of a summary such as the counts above */
  Task_OutcomeSummary: '%s.',
  Task_OutcomePlanFailed: '%d connection(s) cannot be applied (%s).',
  Task_OutcomePlanFailedNames: '%d connection(s) cannot be applied: %s (%s).',
  Task_OutcomeApplyFailed: '%d connection(s) failed (%s).',
  Task_OutcomeApplyFailedNames: '%d connection(s) failed: %s (%s).',

  // src/tasks/export.ts: selection, credentials, files, log
  Task_ExportOutputPathIsFile: 'The outputPath %s is a file, not a folder; give a folder for the exported connection files.',
  Task_ExportSecretsDenied: "Cannot read the secrets of connection '%s': the service connection's identity lacks the permission %s. Grant it on the workspace (Contributor includes it, or a custom role with that action), or use secrets: placeholders.",
  Task_ExportCredentialsDenied: 'Cannot read the credentials of %d connection(s) (%s): %s is not granted. Their files hold placeholders for the required secrets only, and no usernames or client ids; grant the permission and export again for complete files.',
  Task_ExportVariableRenamed: "Connection '%s': the secret variable %s is already used by another connection; this one is named %s.",
  Task_ExportFileClash: "Connections '%s' and '%s' would both be written to %s; export them to different folders (connectionNames).",
  Task_ExportNoteNotCarried: '%s is not part of the connection YAML and was not exported',
  Task_ExportNoteNotReapplied: '%s would not re-apply as stored',
  Task_ExportNoteFileNotReapplied: 'the file would not re-apply as stored',
  Task_ExportNoteUnreadable: 'credentials could not be read: the file is incomplete',
  Task_ExportNoteGeneric: 'written in the generic form (type: %s); Create re-applies it without loss, az ml does not load it',
  Task_ExportMultilineSecret: 'The secret %s spans several lines, which a secret pipeline variable cannot hold; export with secrets: placeholders and supply it another way.',
  Task_ExportGroup: 'Export to %s',
  /** file, type, category, auth type (secret references) */
  Task_ExportFileLine: '%s  %s (%s, %s)',
  Task_ExportFileLineUnchanged: '%s  %s (%s, %s)  [unchanged]',
  Task_ExportFileLineSecrets: '%s  %s (%s, %s); secrets: %s',
  Task_ExportFileLineSecretsUnchanged: '%s  %s (%s, %s); secrets: %s  [unchanged]',
  Task_ExportLossWarning: "Connection '%s': %s.",
  /** the first few file names, then how many more */
  Task_ExportListMore: '%s, and %d more',
  Task_ExportOtherFiles: '%d other YAML file(s) in %s were not written by this export and were left as they are (%s); Create applies every file its globs match, so export into an empty folder unless you mean to keep them.',
  Task_ExportCredentialInText:
    "Connection '%s' was not exported: its %s holds a credential (%s), which no file may carry and which anyone who may read the workspace can see; move it into the connection's credentials in the workspace, then export again.",
  Task_ExportHubConnection:
    "The connectionNames input names %s, which the hub %s shares with this project: Export writes only the project's own connections; run Export on the hub to export the hub's.",
  Task_ExportHubShared: "%d connection(s) the hub %s shares with this project were not exported: they are the hub's (export them from the hub): %s.",
  Task_ExportNothingMatched: 'No connection matched the filters; no file was written.',
  Task_ExportVariablesSet: '%d secret pipeline variable(s) set for the steps after this one: %s.',
  Task_ExportOutcome: 'Exported %d connection(s) to %s (%d written, %d unchanged).',
  Task_ExportOutcomeVariables: 'Exported %d connection(s) to %s (%d written, %d unchanged); %d secret variable(s) set.',
  Task_ExportCategoryUnknownNear: "The categories line '%s' is not a connection type or category; did you mean '%s'?",
  Task_ExportCategoryUnknown: "The categories line '%s' is not a connection type or category; use an az-ml type (e.g. git, azure_open_ai) or a REST category (e.g. CustomKeys).",
  Task_ExportNoSuchConnection: 'The workspace has no connection named %s; check the connectionNames input (names are matched ignoring case).',
  Task_ExportSelection: '%d connection(s) in the workspace; %d to export.',
  Task_ExportSelectionNames: '%d connection(s) in the workspace; %d to export (filtered by names %s).',
  Task_ExportSelectionCategories: '%d connection(s) in the workspace; %d to export (filtered by categories %s).',
  Task_ExportSelectionNamesCategories: '%d connection(s) in the workspace; %d to export (filtered by names %s; categories %s).',
  /** a categories line and the REST category it means (and the Kind) */
  Task_ExportCategoryFilter: '%s (%s)',
  Task_ExportCategoryFilterKind: '%s (%s, Kind %s)',

  // src/tasks/export.ts: the Markdown summary
  Task_ExportSummaryTitle: 'Azure ML connections: export',
  Task_ExportSummaryWorkspace: 'Workspace **%s** in resource group **%s**, subscription %s',
  Task_ExportSummaryExportedAt: 'Exported at %s to %s',
  Task_ExportSummaryExportedAtFiltered: 'Exported at %s to %s (filtered)',
  Task_ExportSummarySecretsVariables: 'Secrets: placeholders in the files; %d secret pipeline variable(s) set for later steps of this job',
  Task_ExportSummarySecretsPlaceholders: 'Secrets: placeholders in the files (set those variables where the files are applied)',
  Task_ExportSummaryHubShared: "Not exported, the hub's (%s) connections shared with this project: %s",
  Task_ExportSummaryNoMatch: 'No connection matched.',
  Task_ExportSummaryFileUnchanged: '%s (unchanged)',
  Task_ExportSummaryGeneric: "%d connection(s) have no az-ml type that expresses them and were written in the generic form (`type`: the REST category, `target`, `metadata`, `credentials` by auth type). This extension's Create task re-applies them without loss; `az ml connection create` does not accept them.",
  Task_ExportSummaryUnreadable: 'Credentials of %s could not be read (%s is not granted): their files are incomplete.',
  Task_ExportSummaryLeftOut: 'Not exported because a credential is written into their target or metadata (see the warnings): %s.',
  Task_ExportSummaryOtherFiles: 'Left as they were (not written by this export): %s.',
  Task_ColumnExported: 'Exported',
  Task_ColumnWritten: 'Written',
  Task_ColumnUnchanged: 'Unchanged',
  Task_ColumnGenericForm: 'Generic form',
  Task_ColumnSecretPlaceholders: 'Secret placeholders',
  Task_ColumnConnection: 'Connection',
  Task_ColumnFile: 'File',
  Task_ColumnType: 'Type',
  Task_ColumnCategory: 'Category',
  Task_ColumnAuth: 'Auth',
  Task_ColumnSecretVariables: 'Secret variables',
  Task_ColumnNotes: 'Notes',

  // src/tasks/migrate.ts: the selected service connections, names, log and outcome
  Task_MigrateNothingSelected: 'No service connection is selected; choose some in dockerRegistryConnections, pythonFeedConnections, gitConnections or githubConnections, or set inventory to true.',
  Task_MigrateNotHanded: "The service connection %s selected in '%s' was not handed to this task; check that it exists and that the pipeline is authorised to use it.",
  /** why the project's service connections cannot be listed (inside Task_MigrateInventoryFailed and Task_MigrateNamesUnreadable) */
  Task_MigrateNoJobToken: "the job's access token (SystemVssConnection) or System.CollectionUri is not available",
  Task_MigrateInventoryFailed: 'The inventory of service connections could not be made: %s',
  Task_MigrateNamesUnreadable: 'The names of the service connections could not be read (%s); {name} stands for <type>-<first 8 characters of the id> instead, e.g. %s. Names made this way change when the names become readable; set nameTemplate without {name} to keep them stable.',
  /** a service connection in messages: its name and id */
  Task_MigrateLabel: "'%s' (%s)",
  /** a log group and a summary heading */
  Task_MigrateServiceConnections: 'Service connections',
  Task_MigrateMapped: "Service connection %s, %s -> %s connection '%s' (%s), target %s.",
  Task_MigrateNote: 'note: %s',
  Task_MigrateRefused: 'Service connection %s, %s: not migrated. %s',
  Task_MigrateEquivalentHeading: 'Equivalent ML connection (az-ml YAML):',
  Task_MigrateNotMigrated: 'Service connection %s was not migrated. %s',
  Task_MigrateCollision: "The service connections %s would all become the ML connection '%s'; change nameTemplate (e.g. add {id}) so that each gets its own name.",
  Task_MigrateInvalid: 'Service connection %s cannot become an ML connection: %s',
  /** where a migrated connection comes from, in place of a file name */
  Task_MigrateSourceLocation: 'service connection %s',
  Task_MigrateProblems: '%d problem(s) with the selected service connections; nothing was written. %s',
  Task_MigrateYamlWritten: 'The az-ml YAML of %d migrated connection(s) was written to %s; secrets are $(AZUREML_<NAME>_<FIELD>) variable references.',
  Task_MigrateSummaryTitle: 'Azure ML connections: migrated from service connections',
  Task_MigrateNothingTitle: 'Azure ML connections: migration from service connections',
  Task_MigrateNothingMigrated: 'Nothing was migrated.',
  Task_MigrateListed: '%d service connection(s) listed, %d can be migrated',
  Task_MigrateNothingToMigrate: 'nothing to migrate',
  /** a summary (e.g. Task_CountsApplied), then the service connections not migrated */
  Task_MigrateOutcomeNotMigrated: '%s; %d service connection(s) not migrated: %s.',
  Task_MigrateSharedTarget: 'The connections %s share the target %s; ML may then refuse to pick one ("Unique workspace connection not available for specified target"). Give each its own target (for GitHub: githubRepository).',
  Task_MigrateVerdictMigrated: 'migrated to **%s**',
  Task_MigrateVerdictNotMigrated: 'not migrated: %s',
  Task_ColumnServiceConnection: 'Service connection',
  Task_ColumnKind: 'Kind',
  Task_ColumnScheme: 'Scheme',
  Task_ColumnResult: 'Result',

  // src/tasks/migrate.ts: the inventory
  Task_InventoryHeading: 'Inventory',
  Task_InventoryGroup: 'Inventory: %d service connection(s) in the project',
  /** name, id, type, scheme, az-ml type, credential type */
  Task_InventoryLineCan: "'%s' (%s): type %s, scheme %s: can be migrated to %s (%s)",
  /** name, id, type, scheme, why not */
  Task_InventoryLineCannot: "'%s' (%s): type %s, scheme %s: cannot be migrated. %s",
  Task_InventoryNoScheme: '(none)',
  Task_InventoryCount: 'Inventory: %d of %d service connection(s) can be migrated.',
  Task_InventoryTitle: "Inventory of the project's service connections",
  Task_ColumnCanBeMigrated: 'Can be migrated',
  Task_ColumnWhyNot: 'Why not',
  Task_InventoryYes: 'yes, to %s',
  Task_InventoryNo: 'no',

  // src/migrate/map.ts: kinds of service connection
  Task_KindAcrServicePrincipal: 'Docker Registry (Azure Container Registry, service principal)',
  Task_KindAcrManagedIdentity: 'Docker Registry (Azure Container Registry, managed identity)',
  Task_KindAcrWorkloadIdentity: 'Docker Registry (Azure Container Registry, workload identity federation)',
  Task_KindAcr: 'Docker Registry (Azure Container Registry)',
  Task_KindDockerHub: 'Docker Registry (Docker Hub)',
  Task_KindDockerOthers: 'Docker Registry (Others)',
  Task_KindDockerRegistry: 'Docker Registry',
  Task_KindPythonToken: 'Python package download (token)',
  Task_KindPythonUsernamePassword: 'Python package download (username and password)',
  Task_KindPython: 'Python package download',
  Task_KindOtherGit: 'Other Git',
  Task_KindGithubPat: 'GitHub (personal access token)',
  Task_KindGithubOAuth: 'GitHub (OAuth)',
  Task_KindGithubToken: 'GitHub (token)',
  Task_KindGithubApp: 'GitHub (GitHub App)',
  Task_KindGithub: 'GitHub',

  // src/migrate/map.ts: why a service connection is not migrated, and what to do instead
  Task_MapUploadFeed: 'ML reads Python packages through a download feed; migrate the Python package download connection of the same feed instead.',
  Task_MapGithubEnterprise: 'This task does not take GitHub Enterprise Server connections; declare a git connection with a personal access token and apply it with AzureMLConnectionCreate.',
  Task_MapAzureRm: 'An Azure Resource Manager connection signs pipelines in to Azure; ML workspaces reach Azure resources through the workspace managed identity, not through a connection.',
  Task_MapNoCounterpart: 'ML workspace connections have no counterpart for service connections of type %s (this task takes Docker Registry, Python package download, Other Git and GitHub connections).',
  /** the scheme shown when a service connection has none */
  Task_MapNoScheme: 'no scheme',
  Task_MapUnsupportedDocker: 'The %s scheme of a Docker Registry service connection is not supported; recreate the service connection with Docker ID and password (Docker Hub or Others) or, for Azure Container Registry, a service principal.',
  Task_MapUnsupportedPython: 'The %s scheme of a Python package download service connection is not supported; recreate the service connection with a username and password or an authentication token.',
  Task_MapUnsupportedGit: 'The %s scheme of an Other Git service connection is not supported; recreate the service connection with a username and password or token.',
  Task_MapUnsupportedGithub: 'The %s scheme of a GitHub service connection is not supported; recreate the service connection with a personal access token or OAuth.',
  Task_MapAcrManagedIdentity: "A managed identity connection holds no credential that could be carried over (it signs in as the agent's or the pipeline's identity); give the workspace managed identity AcrPull on the registry and apply the equivalent connection instead.",
  Task_MapAcrWorkloadIdentity: "A workload identity federation connection holds no credential that could be carried over (it signs in as the agent's or the pipeline's identity); give the workspace managed identity AcrPull on the registry and apply the equivalent connection instead.",
  Task_MapGithubApp: 'A GitHub App connection holds no token a task can read (Azure DevOps mints one per run); ML Git connections take a personal access token, so create one and apply the equivalent connection instead.',
  Task_MapAcrAdvice: "Grant the workspace's managed identity the AcrPull role on %s; for a user-assigned identity also set credentials.client_id to its client id.",
  Task_MapAcrAdviceNoTarget: "Grant the workspace's managed identity the AcrPull role on the registry; for a user-assigned identity also set credentials.client_id to its client id.",
  Task_MapGithubAppAdvice: 'Create a GitHub personal access token that can read the repository and set it as the secret variable %s.',
  Task_MapAcrNoLoginServer: 'The Azure Container Registry connection names no login server (loginServer) and has no URL.',
  Task_MapAcrNoPrincipal: 'The Azure Container Registry connection did not hand over its service principal id and secret to the task.',
  Task_MapDockerNoUrl: 'The Docker Registry connection gives no registry URL.',
  Task_MapDockerNoPassword: 'The Docker Registry connection handed over no password, so there is nothing to carry over.',
  Task_MapPythonNoUrl: 'The Python package download connection has no feed URL.',
  Task_MapPythonNoToken: 'The Python package download connection handed over no token.',
  Task_MapPythonNoPassword: 'The Python package download connection handed over no password.',
  Task_MapGitNoUrl: 'The Other Git connection has no repository URL.',
  Task_MapGitNoPassword: 'The Other Git connection has a username but no password or token.',
  Task_MapGithubNoToken: 'The GitHub connection (%s) handed over no access token.',
  Task_MapTargetCredential:
    "Its URL %s holds a credential (%s); the ML connection's target would carry it where anyone who may read the workspace can see it. Remove the credential from the service connection's URL (it belongs in its password or token) and migrate again.",
  Task_MapNotMigratable: 'This service connection cannot be migrated.',
  Task_MapNoteServicePrincipal: 'signs in to %s as service principal %s.',
  Task_MapNoteGitNoCredentials: 'the Other Git connection has no username or password, so the ML connection has no credentials (a public repository).',
  Task_MapNoteGitPat: 'no username is given, so the password is used as a personal access token.',
  Task_MapNoteGithubTargetInput: 'target %s (from the githubRepository input).',
  Task_MapNoteGithubTargetUrl: "target %s (the service connection's URL; set githubRepository to name the repository the workspace clones).",
  Task_MapNoteGithubToken: 'the %s token of the service connection is stored as a personal access token; it stops working when the authorization is revoked.',

  // src/migrate/names.ts
  Task_NameTemplateEmpty: "The input 'nameTemplate' is empty; use e.g. {name} or ado-{name}.",
  Task_NameTemplateField: "The input 'nameTemplate' uses {%s}; use only %s.",

  // src/migrate/yaml.ts: comments of the yamlOutputPath file (written in the agent's language, like the reasons it quotes)
  /** the file's opening comment; each line (\n) becomes a comment line */
  Task_YamlHeader: 'Azure ML workspace connections migrated from Azure DevOps service connections (AzureMLConnectionMigrate@1).\nSecrets are pipeline variable references: define them as secret variables before applying this file\nwith AzureMLConnectionCreate@1.',
  Task_YamlVariables: 'Variables: %s',
  Task_YamlNotMigrated: 'Not migrated: service connection %s. %s',
  Task_YamlEquivalent: 'Equivalent:',

  // src/devops/endpoints.ts: the service connections API
  Task_DevOpsForbidden: "The job's access token may not read service connections (the service connections API of %s answered HTTP %d); give the project's build service identity the Reader role on service connections (Project settings > Service connections > Security).",
  Task_DevOpsFailedStatus: 'Could not read service connections from the service connections API of %s (HTTP %d): %s',
  Task_DevOpsFailed: 'Could not read service connections from the service connections API of %s: %s',
  /** %d = how many more problems were found than printed */
  Task_MoreDiagnostics: '%d more problem(s) in the connection files are not shown; fix the ones above and run again.',
} as const satisfies Record<string, string>;
