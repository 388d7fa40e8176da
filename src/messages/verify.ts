/** Messages of Verify and its probes (src/tasks/verify.ts, src/probe, src/pipeline/verify-settings.ts). util.format placeholders; see src/messages/index.ts. */
export const verifyMessages = {
  // src/pipeline/verify-settings.ts: inputs
  Verify_InputNotDays: "The input '%s' is '%s'; use a whole number of days from 0 to 3650.",

  // src/tasks/verify.ts: what is verified (log lines, errors before any check)
  Verify_ReadingFiles: 'Reading %d connection file(s) matched by %s.',
  Verify_FileErrors: '%d error(s) in the connection files; nothing was verified. Fix them and run again.',
  Verify_UnknownNames: 'The connectionNames input names %s, which no connection file declares; remove the name or add its file.',
  Verify_VerifyingDeclared: 'Verifying %d connection(s) declared in %d file(s): %s; failOn: %s.',
  Verify_VerifyingNamed: 'Verifying %d named connection(s): %s; failOn: %s.',
  Verify_VerifyingAll: 'Verifying every connection of the workspace (%d): %s; failOn: %s.',
  Verify_TestConnectionUnavailable: "The service's testconnection is not offered by api-version %s; it was skipped. Use api-version 2025-06-01 to run it.",
  Verify_ReportWritten: 'Report written to %s.',
  Verify_WorkspaceKind: 'Workspace %s is of kind %s.',
  Verify_WorkspaceProject: "Workspace %s is an AI Foundry project of the hub %s; %d connection(s) listed here are the hub's, shared with the project: %s.",
  Verify_WorkspaceNetwork: 'Network of workspace %s: public network access %s; private endpoints: %s; managed network isolation: %s; %s.',
  Verify_NetworkPrivate: 'private (%s): probes reach its targets only from an agent inside its network',
  Verify_NetworkPublic: 'public',
  Verify_NetworkNotSet: 'not set',
  Verify_NetworkNone: 'none',
  Verify_PrivateEndpointState: '%s %s (provisioning %s)',
  Verify_PrivateBecausePublicAccess: 'public network access is Disabled',
  Verify_PrivateBecauseEndpoint: 'an approved private endpoint and public access not enabled',
  Verify_PrivateBecauseManagedNetwork: 'its managed network isolates it',

  // src/tasks/verify.ts: the checks run, listed in the log and the summary (joined with ', ')
  Verify_CheckDrift: 'drift against the files',
  Verify_CheckExistence: 'existence',
  Verify_CheckCredentials: 'credentials',
  Verify_CheckProbes: 'probes',
  Verify_CheckTestConnection: "the service's testconnection",

  // src/tasks/verify.ts: status words (log, outcome message) and one connection's log lines
  Verify_StatusVerified: 'verified',
  Verify_StatusWarning: 'warning',
  Verify_StatusDrifted: 'drifted',
  Verify_StatusMissing: 'missing',
  Verify_StatusFailed: 'failed',
  Verify_ConnectionGroup: '%s: %s',
  Verify_KindAndTarget: '%s, target %s',
  Verify_TargetOnly: 'target %s',
  Verify_ChangeLine: '  %s',
  Verify_FindingLine: '  [%s] %s: %s',
  Verify_ConnectionFinding: "Connection '%s': %s.",

  // src/tasks/verify.ts: findings (clauses about one connection, shown after "Connection 'name': ")
  Verify_CheckStopped: 'the check stopped: %s',
  Verify_MissingDeclared: 'it does not exist in workspace %s; create it (AzureMLConnectionCreate@1 with its file)',
  Verify_MissingNamed: 'it does not exist in workspace %s; check the name in connectionNames',
  Verify_CredentialsForbidden:
    "its stored credentials cannot be read (%s is not granted to the service connection's identity), so they were not checked, compared or probed; grant that action to check them",
  Verify_CredentialsUnreadable: 'its stored credentials could not be read: %s',
  Verify_CredentialInText:
    "its %s holds a credential (%s) that anyone who may read the workspace can see (it is shown here as ***); move it into the connection's credentials and write the connection again",
  Verify_CredentialsNotCompared: 'its credentials were not compared with the file (%s)',
  Verify_Differs: 'it differs from its file in %s',
  Verify_Matches: 'it matches its file',
  Verify_NoCompletenessRule: 'no completeness rule for auth type %s; not checked',
  Verify_NoSecretStored: 'auth type %s stores no secret',
  Verify_CredentialIncomplete: 'its stored %s credentials are incomplete: %s is missing or empty; write the connection again with every credential field',
  Verify_CredentialsIncomplete: 'its stored %s credentials are incomplete: %s are missing or empty; write the connection again with every credential field',
  Verify_CredentialsComplete: 'stored %s credentials are complete (%s)',
  Verify_NotProbedUnreadable: 'not probed: its stored credentials could not be read',
  Verify_NotProbedIncomplete: 'not probed: its stored credentials are incomplete',
  Verify_TestConnectionPassed: "the service's connection test passed (HTTP %d)",
  Verify_TestConnectionFailed: "the service's connection test failed: %s",
  Verify_ExpiryNotADate: "its expiryTime '%s' is not a date",
  Verify_Expired: 'its credential expired on %s; renew the credential and update the connection',
  Verify_ExpiresSoon: 'its credential expires on %s, in %d day(s) (expiryWarningDays is %d); renew it before then',
  Verify_Expires: 'its credential expires on %s, in %d day(s)',
  Verify_PrivateEndpointInactive:
    "it requires a private endpoint (peRequirement Required) that is not active (peStatus %s), so the workspace cannot reach its target; approve or provision the workspace's managed private endpoint for this target (its managed network outbound rules), then run Verify again",
  Verify_PrivateEndpointActive: 'its required private endpoint is active',
  Verify_PrivateEndpointNotRequired: 'private endpoint: peRequirement %s, peStatus %s',
  Verify_PeStatusNotReported: 'not reported',
  Verify_SharedFromHub: "it is the hub %s's connection, shared with this project; it is changed on the hub, not here",
  Verify_ProbeOutsideNetwork:
    'the agent cannot reach %s (%s): it is outside the private network of workspace %s; run this job on a self-hosted agent inside that network, or set probe: false',

  // src/tasks/verify.ts: the task's result message
  Verify_Totals: '%d verified, %d drifted, %d missing, %d failed',
  Verify_TotalsWithWarnings: '%d verified (%d with warnings), %d drifted, %d missing, %d failed',
  Verify_NameWithStatus: '%s (%s)',
  Verify_OutcomeFailed: '%d connection(s) did not verify: %s (%s).',
  Verify_OutcomeIssues: "%s; failOn '%s' lets %s pass.",
  Verify_OutcomeSucceeded: '%s.',

  // src/tasks/verify.ts: the Markdown summary (verify.md)
  Verify_SummaryHeading: '## Azure ML connections: verify',
  Verify_SummaryWorkspace: 'Workspace **%s** in resource group **%s**, subscription %s',
  Verify_SummaryChecks: 'Checks: %s; failOn: %s; report: %s',
  Verify_SummaryKind: 'Kind: %s',
  Verify_SummaryProject: "AI Foundry project of the hub **%s**; the hub's connections shared with it: %s",
  Verify_SummaryNetwork: 'Network: public network access %s; private endpoints: %s; managed network isolation: %s; %s',
  Verify_ColumnVerified: 'Verified',
  Verify_ColumnWithWarnings: 'With warnings',
  Verify_ColumnDrifted: 'Drifted',
  Verify_ColumnMissing: 'Missing',
  Verify_ColumnFailed: 'Failed',
  Verify_ColumnConnection: 'Connection',
  Verify_ColumnCategory: 'Category',
  Verify_ColumnStatus: 'Status',
  Verify_ColumnWhatDiffers: 'What differs',
  Verify_ColumnWhy: 'Why / evidence',
  Verify_SummaryNothing: 'No connections to verify.',
  Verify_SummaryVerified: '✅ verified',
  Verify_SummaryWarning: '⚠️ verified, with warnings',
  Verify_SummaryDrifted: '❌ drifted',
  Verify_SummaryMissing: '❌ missing',
  Verify_SummaryFailed: '❌ failed',

  // src/probe/target.ts: why a target cannot be probed
  Verify_TargetNone: 'the connection has no target',
  Verify_TargetNotUrl: 'the target is not a valid URL',
  Verify_TargetNotHost: 'the target is not a valid host name',
  Verify_TargetNotHttpsUrl: 'the target is not an https URL (e.g. a connection string or a resource name), so there is nothing to reach over HTTPS',
  Verify_TargetPlainHttp: 'the target is plain http; credentials are only ever sent over https',
  Verify_TargetOtherScheme: 'the target is a %s URL, not https',

  // src/probe/credentials.ts: why stored credentials cannot be presented
  Verify_CredentialsNotPresentable: 'its %s credentials cannot be presented by the agent to %s target',
  Verify_CredentialsNotPresentableHere: 'its %s credentials cannot be presented by the agent to this target',
  Verify_ProbeCredentialsUnreadable: 'its stored credentials could not be read',
  Verify_NoStoredPat: 'it has no stored PAT',
  Verify_NoStoredPassword: 'it has no stored password',
  Verify_NoStoredUsername: 'it has no stored username',

  // src/probe/http.ts: failures below HTTP
  Verify_NetTimeout: '%s gave no answer within %s',
  Verify_Seconds: '%s s',
  Verify_NetRefused: 'nothing accepts connections at %s (connection refused)',
  Verify_NetUnresolved: 'the host name %s cannot be resolved',
  Verify_NetReset: '%s closed the connection without an answer',
  Verify_NetUnreachable: '%s cannot be reached (%s)',
  Verify_TlsExpired: 'the TLS certificate of %s has expired',
  Verify_TlsWrongName: 'the TLS certificate of %s is not issued for that name',
  Verify_TlsUntrusted: "the TLS certificate of %s is not trusted (%s); add its CA to the agent's trusted certificates",
  Verify_NetOther: '%s: %s',
  Verify_NotHttps: '%s is not an https URL',

  // src/probe/outcome.ts: HTTP answers that end a probe (the subject is one of the Verify_Subject* words)
  Verify_SubjectGit: 'the Git server',
  Verify_SubjectPythonFeed: 'the Python feed',
  Verify_SubjectRegistry: 'the registry',
  Verify_SubjectTokenService: "the registry's token service",
  Verify_RefusedCredentials: '%s refused the stored credentials (%s)',
  Verify_RequiresCredentials: '%s requires credentials and the connection has none (%s)',
  Verify_DeniedWithCredentials: '%s denied access with the stored credentials (%s)',
  Verify_Denied: '%s denied access (%s)',
  Verify_NotFoundAt: '%s was not found at %s (%s)',
  Verify_AnsweredAt: '%s answered %s at %s',
  Verify_ForeignRedirect:
    "%s redirects (%s) to another host, %s; credentials are never sent to another host, so the redirect was not followed: set the connection's target to the final address",
  Verify_TooManyRedirects: '%s keeps redirecting (more than the few redirects followed)',
  Verify_NotProbed: 'not probed: %s',

  // src/probe/git.ts
  Verify_GitNotSmartHttp: "%s answered, but not as a Git smart-HTTP server (content type %s); check that the target is the repository's clone URL",
  Verify_GitOkCredentials: 'Git smart-HTTP discovery answered with %d ref(s) for the stored credentials',
  Verify_GitOkAnonymous: 'Git smart-HTTP discovery answered with %d ref(s) anonymously',
  Verify_ContentTypeNone: 'none',

  // src/probe/python-feed.ts
  Verify_FeedNotSimpleIndex: "%s answered, but not with a PEP 503 simple index (content type %s); check that the target is the feed's index URL",
  Verify_FeedOkCredentials: 'the PEP 503 simple index answered with %d project(s) for the stored credentials',
  Verify_FeedOkAnonymous: 'the PEP 503 simple index answered with %d project(s) anonymously',

  // src/probe/registry.ts
  Verify_RegistryAnonymous: 'the registry answered /v2/ without credentials (anonymous access)',
  Verify_RegistryAnonymousUnused: 'the registry answered /v2/ without credentials (anonymous access); the stored credentials were not needed, so they were not exercised',
  Verify_RegistryNotDocker: '%s is not a Docker registry (the v2 API answered %s)',
  Verify_RegistryNoScheme: 'the registry answered /v2/ with %s but named no Basic or Bearer authentication',
  Verify_RegistryBasicOk: 'the registry accepted the stored credentials (Basic) on /v2/',
  Verify_RealmNotUrl: 'the registry named a token service that is not a URL',
  Verify_RealmForeignHost:
    "the registry's token service is on another host (%s); the stored credentials are only sent to the registry's own host or hosts under its parent domain",
  Verify_RealmNotHttps: "the registry's token service is not https (%s)",
  Verify_TokenMissing: "the registry's token service answered without a token",
  Verify_TokenOkCredentials: 'the registry accepted a token from its token service (%s) issued for the stored credentials',
  Verify_TokenOkAnonymous: 'the registry accepted a token from its token service (%s) issued anonymously',

  // src/probe/tls.ts
  Verify_TlsOk: 'TLS handshake with %s succeeded and its certificate is trusted (it answered %s); the credentials were not exercised',
  Verify_TlsOkCertificate:
    'TLS handshake with %s succeeded and its certificate is trusted (it answered %s); certificate for %s valid until %s; the credentials were not exercised',
} as const satisfies Record<string, string>;
