/**
 * Messages of the command line (src/cli): its help, usage errors and the sentences only it says. Not
 * part of MESSAGES (the tasks' catalog, which every task bundle carries): the command line installs them
 * as its translator (installCliMessages), so that the task bundles do not carry them. util.format
 * placeholders; see src/messages/index.ts.
 */
import { format } from 'node:util';
import { setMessageTranslator, type CliMessageKey } from './index';

/** Makes msg() say the command line's sentences; the tasks' keys keep their English templates. */
export function installCliMessages(): void {
  setMessageTranslator((key: string, args) => (Object.prototype.hasOwnProperty.call(cliMessages, key) ? format(cliMessages[key as CliMessageKey], ...args) : key));
}

export const cliMessages = {
  // src/cli/args.ts: help
  Cli_HelpUsage: 'Usage: %s <command> [options]',
  Cli_HelpIntro:
    'Checks, plans, applies, verifies and exports Azure Machine Learning workspace connections from the YAML of\n' +
    "'az ml connection create --file', with the same engine as the Azure Pipelines tasks (AzureMLConnectionCreate@1,\n" +
    'Verify@1, Export@1): the same refusals, the same plan, the same outcome.',
  Cli_HelpCommands: 'Commands:',
  Cli_HelpMore: "Run '%s <command> --help' for a command's options and examples; '--version' prints the version.",
  Cli_HelpCommandUsage: 'Usage: %s %s [options]',
  Cli_HelpCommandUsageFiles: 'Usage: %s %s [FILE|GLOB ...] [options]',
  Cli_HelpOptions: 'Options:',
  Cli_HelpExamples: 'Examples:',
  Cli_HelpExitCodes:
    'Exit codes: 0 done (the task would succeed, possibly with warnings); 1 failed (errors in the files, a connection that\n' +
    'failed, drift or missing connections that fail verify, sign-in); 2 the command line cannot be read.',
  Cli_SummaryValidate: 'check connection files offline: no Azure account, no network',
  Cli_SummaryPlan: 'show what apply would change in a workspace, and save the plan',
  Cli_SummaryApply: 'make a workspace match the files, or carry out a saved plan',
  Cli_SummaryVerify: 'prove that connections exist, match their files and work',
  Cli_SummaryExport: 'write the connections of a workspace as re-appliable YAML files',
  Cli_AboutValidate:
    'Checks connection files without reaching Azure: YAML syntax, the schema, names, duplicates across files, every refusal\n' +
    'the Create task makes before it reaches a workspace, and $(NAME) references (from --var or environment variables).\n' +
    "Without files or globs, the Create task's default: **/connections/*.yml and **/connections/*.yaml.",
  Cli_AboutPlan:
    'Reads the files as validate does, signs in, reads the workspace once and prints the plan ([+] create, [~] update,\n' +
    '[-] delete, [=] unchanged), the same lines as the Create task in plan mode. Writes the plan to --plan-file for apply.',
  Cli_AboutApply:
    'Plans as plan does, then creates and updates connections (and with --prune deletes the ones this tool created that no\n' +
    'file declares any more). With --plan-file it carries out that saved plan, and refuses when the workspace or the files\n' +
    'changed since. An update that gives no secret keeps the stored one.',
  Cli_AboutVerify:
    'Checks that each connection declared in the files (or named with --name, or every connection) exists and matches its\n' +
    'file, that its stored credentials are complete and unexpired, and with --probe that its target accepts them.',
  Cli_AboutExport:
    'Writes one <name>.yml per connection into --out, in the az ml format, ready to apply to another workspace. Secrets are\n' +
    'never written: each becomes a $(AZUREML_<NAME>_<FIELD>) reference, to be given as an environment variable there.',
  Cli_OptFiles: 'connection files or globs (repeatable; positional arguments are the same; quote globs so the shell leaves them)',
  Cli_OptVar: 'a value for $(NAME) references (repeatable); environment variables are used too. Keep secrets in environment variables',
  Cli_OptSet: "set a field before validation, like 'az ml connection create --set' (repeatable), e.g. my-git.target=https://...",
  Cli_OptAllowInsecure: 'allow credentials to go to plain http targets',
  Cli_OptSecretCheck: 'digest (default): secrets compared by the digest kept in metadata, one read a run; read: every stored secret read',
  Cli_OptFormat: 'text (default) or json (a report on stdout, nothing else)',
  Cli_OptSubscription: 'the subscription id (default: AZURE_SUBSCRIPTION_ID)',
  Cli_OptResourceGroup: "the workspace's resource group",
  Cli_OptWorkspace: 'the Azure ML workspace, AI Foundry hub or project',
  Cli_OptCloud: 'AzureCloud (default), AzureUSGovernment or AzureChinaCloud',
  Cli_OptArmEndpoint: "an ARM endpoint of its own (Azure Stack Hub, a local stand-in); authority and audience from its /metadata/endpoints",
  Cli_OptTenant: 'the Microsoft Entra tenant to sign in to (default: AZURE_TENANT_ID, or the sign-in of az)',
  Cli_OptApiVersion: 'the Microsoft.MachineLearningServices api-version (default 2025-06-01)',
  Cli_OptSandbox: 'start the embedded sandbox (a local stand-in for Azure) with an empty workspace, and run against it: no Azure account needed',
  Cli_OptMaxParallel: 'connections checked at once, 1 to 64 (default 8)',
  Cli_OptMaxParallelAuto: "ARM requests in flight: auto (default: adapts to ARM's throttling) or at most N, 1 to 64",
  Cli_OptPlanFile: 'plan: where to write the plan (default: the temporary folder); apply: the plan to carry out, refused if the workspace changed',
  Cli_OptOnExisting: 'a connection that exists and differs: update (default), skip or fail',
  Cli_OptPrune: 'also delete connections this tool created earlier that no file declares any more',
  Cli_OptVerifyName: 'verify this connection (repeatable); without files or names, every connection of the workspace',
  Cli_OptNoCheckCredentials: 'do not check that stored credentials are complete and unexpired',
  Cli_OptProbe: "reach each target with its stored credentials (git, Python feed, container registry, TLS)",
  Cli_OptProbeTimeout: 'the longest wait for one probe request, 1 to 300 seconds (default 15)',
  Cli_OptTestConnection: "also ask the service to test each connection (testconnection)",
  Cli_OptExpiryWarningDays: 'warn when a credential expires within this many days (default 14)',
  Cli_OptFailOn: 'what fails verify: any (default: drift, missing, broken credentials, failed probes), missing, or none',
  Cli_OptReportFile: 'where to write the JSON report (default: the temporary folder)',
  Cli_OptOut: 'the folder to write the connection files to (required)',
  Cli_OptExportName: 'export this connection (repeatable); default: all',
  Cli_OptCategory: 'export connections of this type or category (repeatable), e.g. git, PythonFeed',
  Cli_OptNoColor: 'no colours (also when NO_COLOR is set; colours are used only on a terminal)',
  Cli_OptVerbose: 'print each ARM request (method, URL, status, time) on stderr',
  Cli_OptHelp: 'this help',
  Cli_ExamplesValidate:
    '  azureml-connections validate\n' +
    "  azureml-connections validate 'connections/**/*.yml' --var ORG=contoso\n" +
    '  GIT_PAT=... azureml-connections validate connections/git.yml --format json',
  Cli_ExamplesPlan:
    '  az login\n' +
    "  azureml-connections plan --subscription <id> --resource-group rg-ml --workspace mlw-dev 'connections/*.yml' --plan-file plan.json\n" +
    "  azureml-connections plan --sandbox 'connections/*.yml'",
  Cli_ExamplesApply:
    '  azureml-connections apply --subscription <id> --resource-group rg-ml --workspace mlw-dev --plan-file plan.json\n' +
    "  AZURE_CLIENT_ID=... AZURE_TENANT_ID=... AZURE_CLIENT_SECRET=... azureml-connections apply --subscription <id> --resource-group rg-ml --workspace mlw-prod 'connections/*.yml'\n" +
    "  azureml-connections apply --cloud AzureUSGovernment --subscription <id> --resource-group rg --workspace ws --prune",
  Cli_ExamplesVerify:
    "  azureml-connections verify --subscription <id> --resource-group rg-ml --workspace mlw-dev 'connections/*.yml' --probe\n" +
    '  azureml-connections verify --subscription <id> --resource-group rg-ml --workspace mlw-dev --name my-git --fail-on missing',
  Cli_ExamplesExport:
    '  azureml-connections export --subscription <id> --resource-group rg-ml --workspace mlw-dev --out connections\n' +
    '  azureml-connections export --subscription <id> --resource-group rg-ml --workspace mlw-dev --out git --category git',

  // src/cli/args.ts: usage errors (exit code 2)
  Cli_UsageHint: "Run '%s --help' for the commands.",
  Cli_UsageHintCommand: "Run '%s %s --help' for its options.",
  Cli_UsageUnknownCommand: "'%s' is not a command; use one of %s.",
  Cli_UsageUnknownCommandNear: "'%s' is not a command; did you mean '%s'?",
  Cli_UsageOptionBeforeCommand: "'%s' is not an option of the program; put it after the command.",
  Cli_UsageUnknownOption: "'%s' is not an option of %s.",
  Cli_UsageUnknownOptionNear: "'%s' is not an option of %s; did you mean '%s'?",
  Cli_UsageNoPositional: "%s takes no files or globs, and '%s' is not one of its options.",
  Cli_UsageFlagValue: '%s takes no value.',
  Cli_UsageMissingValue: '%s needs a value (%s).',
  Cli_UsageNotOneOf: "%s is '%s'; use one of %s.",
  Cli_UsageNotWholeNumber: "%s is '%s'; use a whole number from %d to %d.",
  Cli_UsageNotParallelism: "%s is '%s'; use auto (adapts to ARM's throttling) or a whole number from 1 to %d.",
  Cli_UsageRequired: '%s is required.',
  Cli_UsageRequiredOrEnv: '%s is required (or the environment variable %s).',
  Cli_UsageNotNameValue: "%s takes NAME=VALUE, and '%s' is not of that form.",
  Cli_UsageCloudAndEndpoint: 'Give --cloud or --arm-endpoint, not both.',
  Cli_UsageArmEndpointNotUrl: "--arm-endpoint is '%s'; give the https URL of the Azure Resource Manager endpoint.",
  Cli_UsageApiVersion: "--api-version is '%s'; use the form 2025-06-01.",
  Cli_UsageSandboxCloud: '--sandbox runs against a local stand-in for Azure; leave out --cloud and --arm-endpoint.',

  // src/cli/run.ts: validate and the end of every command
  Cli_NoFileMatches: 'No connection file matches %s under %s; check the files and globs (quote globs so the shell leaves them to this tool).',
  Cli_ValidateOk: '%d connection(s) in %d file(s) are valid.',
  Cli_ValidateFailed: '%d error(s) in the connection files.',
  Cli_Outputs: 'Outputs: %s',
  Cli_Progress: 'Applying: %d of %d writes done',

  // src/cli/signin.ts: sign-in
  Cli_IdentityDefault:
    'the identity DefaultAzureCredential finds (workload or managed identity, or the sign-in of az, azd or Azure PowerShell; ' +
    'for a service principal set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET)',
  Cli_SignInWho: '%s at %s',
  Cli_EndpointsUnreadable: 'Could not read the endpoints of the cloud from %s (%s); check --arm-endpoint.',
  Cli_EndpointsIncomplete: 'no authentication.loginEndpoint or audiences',
  Cli_ProxyNotUrl: 'HTTPS_PROXY (or HTTP_PROXY) is not a URL; give e.g. http://proxy.example.com:8080.',

  // src/cli/sandbox.ts
  Cli_SandboxStarted:
    'Sandbox: started a local stand-in for Azure at %s (Azure Resource Manager and Microsoft Entra over TLS, with a CA of its own) ' +
    'with the empty workspace %s in resource group %s (subscription %s) and the service principal %s, signed in through ' +
    'AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID; it stops when this command ends.',
  Cli_SandboxCloud: 'the sandbox',
  Cli_SandboxNoOpenssl: 'The sandbox makes its TLS certificates with openssl, which is not on the PATH; install openssl and run again.',
  Cli_SandboxFailed: 'The sandbox did not start: %s',
} as const;
