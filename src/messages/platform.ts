/** Messages of sign-in, ARM, the engine and core (src/auth, src/arm, src/engine, src/core). util.format placeholders; see src/messages/index.ts. */
export const platformMessages = {
  // src/core/errors.ts: where an error is, and the facts describeError adds to an ARM error
  Platform_ErrorConnection: "connection '%s'",
  Platform_ErrorRequestId: 'request id %s',

  // src/core/network.ts: an attempt of any request we send through core-rest-pipeline that got no answer in time
  Platform_RequestTimedOut: 'The request timed out after %d ms.',

  // src/auth: sign-in with an AzureRM service connection
  Platform_AuthWho: 'the Azure Resource Manager service connection %s (%s, tenant %s at %s)',
  Platform_AuthNone: '(none)',
  Platform_AuthIdentityUserAssigned: 'the user-assigned managed identity %s',
  Platform_AuthIdentitySystemAssigned: 'the system-assigned managed identity',
  Platform_AuthIdentityCertificate: 'service principal %s (certificate)',
  Platform_AuthIdentitySecret: 'service principal %s (secret)',
  Platform_AuthIdentityFederated: 'service principal %s (workload identity federation)',
  Platform_AuthSignInFailed: 'Sign-in failed for %s: %s',
  Platform_AuthNoToken: 'Sign-in failed for %s: no token was returned.',
  Platform_AuthStackUnreachable:
    'Could not read the Azure Stack endpoints from %s: %s. Set activeDirectoryAuthority and activeDirectoryServiceEndpointResourceId on the service connection, or check the endpoint URL.',
  Platform_AuthStackStatus: "Could not read the Azure Stack endpoints from %s: HTTP %d. Check the service connection's endpoint URL.",
  Platform_AuthStackNotJson: 'The Azure Stack endpoints at %s are not JSON.',
  Platform_AuthStackIncomplete: 'The Azure Stack endpoints at %s name no authentication.loginEndpoint or audiences.',
  Platform_AuthPublishProfile:
    "The Azure Resource Manager service connection %s uses the authentication scheme 'PublishProfile', which only works for App Service deployments. These tasks support ServicePrincipal (secret or certificate), ManagedServiceIdentity and WorkloadIdentityFederation; use such a service connection.",
  Platform_AuthUnsupportedScheme:
    "The Azure Resource Manager service connection %s uses the authentication scheme '%s', which these tasks do not support. Supported: ServicePrincipal (secret or certificate), ManagedServiceIdentity and WorkloadIdentityFederation.",
  Platform_AuthUnknownEnvironment:
    "The Azure Resource Manager service connection %s names the environment '%s', which is not known. Use AzureCloud, AzureUSGovernment, AzureChinaCloud, AzureGermanCloud or AzureStack.",
  Platform_AuthNoEndpointUrl:
    'The Azure Resource Manager service connection %s has no endpoint URL; an AzureStack connection must carry its Azure Resource Manager URL.',
  Platform_AuthEndpointNotUrl: "The Azure Resource Manager service connection %s has the endpoint URL '%s', which is not a URL.",
  Platform_AuthNoAuthority: 'The Azure Resource Manager service connection %s names no Microsoft Entra authority or token audience.',
  Platform_AuthNoTenant: 'The Azure Resource Manager service connection %s has no tenant id (authorization parameter tenantid).',
  Platform_AuthNoClientId:
    'The Azure Resource Manager service connection %s has no service principal id (authorization parameter serviceprincipalid).',
  Platform_AuthBadCertificate:
    'The Azure Resource Manager service connection %s uses a certificate, but servicePrincipalCertificate does not hold both a CERTIFICATE and a PRIVATE KEY in PEM form.',
  Platform_AuthNoKey:
    'The Azure Resource Manager service connection %s has no service principal key (authorization parameter serviceprincipalkey).',
  Platform_AuthUnsupportedAuthenticationType:
    "The Azure Resource Manager service connection %s has the authenticationType '%s'; supported are spnKey and spnCertificate.",
  Platform_AuthWifNoRequestUri:
    "Workload identity federation needs the job's OIDC request URI (System.OidcRequestUri) or the collection, project, plan and job ids; none were available.",
  Platform_AuthWifNoAccessToken:
    "Workload identity federation needs the job's access token (the SystemVssConnection endpoint); it was not available to the task.",
  Platform_AuthOidcUnreachable: 'Could not request an OIDC token for service connection %s from %s: %s',
  Platform_AuthOidcNotIssued: 'Azure DevOps did not issue an OIDC token for service connection %s (HTTP %d).',
  Platform_AuthOidcNotIssuedBecause: 'Azure DevOps did not issue an OIDC token for service connection %s (HTTP %d): %s.',
  Platform_AuthOidcRefused: 'The job access token was refused; check that the pipeline may use this service connection.',

  // src/arm/client.ts: our own sentences around ARM requests (the service's messages are passed on as they are)
  Platform_ArmUrlNotHttps: 'The ARM URL must use https: %s',
  Platform_ArmInvalidJson: 'The response to %s %s was not valid JSON.',
  Platform_ArmUntrustedLink: 'Refusing to follow a link to %s: it is not the ARM endpoint %s.',
  Platform_ArmCancelled: 'The request to %s was cancelled.',
  Platform_ArmUnreachable: 'Could not reach %s: %s',
  Platform_ArmFailedStatus: '%s %s failed with HTTP %d.',

  // src/arm/connections.ts and src/arm/workspaces.ts
  Platform_ArmPagingLoop: 'The service returned the same nextLink twice while listing connections.',
  Platform_ArmTestNoLocation: "The connection test of '%s' was accepted but the service gave no Location to poll.",
  Platform_ArmTestTimeout: "The connection test of '%s' did not finish within %d s.",
  Platform_ArmTestEnded: "The connection test of '%s' ended with status %s.",
  Platform_ArmTestFailedStatus: 'Failed',
  Platform_ArmNoResource: "%s of connection '%s' returned HTTP %d without the connection; expected 200 with the resource.",
  Platform_ArmInvalidConnectionName: "Invalid connection name '%s'.",
  Platform_ArmInvalidSubscriptionId: "Invalid subscription id '%s'.",
  Platform_ArmInvalidResourceGroup: "Invalid resource group name '%s'.",
  Platform_ArmInvalidWorkspaceName: "Invalid workspace name '%s'.",
  Platform_ArmResourceGroupNotFound: "Resource group '%s' was not found in subscription '%s'.",
  Platform_ArmWorkspaceNotFound: "Azure ML workspace '%s' was not found in resource group '%s' (subscription '%s').",
  Platform_ArmWorkspaceForbidden:
    "The service connection's identity may not read Azure ML workspace '%s' in resource group '%s' (subscription '%s'): it has no role with %s; grant it a role that has this action on the workspace.",
  Platform_ArmConnectionsReadForbidden:
    "The service connection's identity may not list the connections of workspace '%s': it has no role with %s; grant it a role that has this action on the workspace.",

  // src/engine/plan.ts: planning
  Platform_PlanListOr: '%s or %s',
  Platform_PlanListSecretsForbidden:
    "The stored secrets of %d connection(s) cannot be compared with their files because the service connection's identity has no role with %s, so they are written with their files' secrets; grant it a role that has this action on the workspace to compare them instead.",
  Platform_PlanNoteListSecretsForbidden: 'cannot read stored secrets (%s is not granted); treating secrets as changed',
  Platform_PlanNoteDigestNoKey: "the workspace has no secret digest key yet (it is made on the first write), so the declared credentials are written to record their digest",
  Platform_PlanNoteDigestMissing: 'the connection has no secret digest yet, so its declared credentials are written once to record one',
  /** %s = the name */
  Platform_PlanHubConnection:
    "'%s' is a connection of the hub '%s', shared with the project '%s': it is not the project's to write. Declare it in the hub's files and run Create on the hub, or give the project's own connection another name.",
  Platform_PlanReservedName: "The name '%s' is reserved: it holds the key of the secret digests this extension keeps; rename the connection.",
  /** %s = the key connection's name */
  Platform_DigestKeyCreated: "Created the connection '%s', which holds the key of the secret digests (so that later runs need not read every stored secret).",
  /** %s = the key connection's name, %s = why */
  Platform_DigestKeyReplaced: "Another run made the secret digest key in connection '%s' while this one ran; the %d connection(s) this run wrote with a digest were written again with that key, so that the next run finds them unchanged.",
  Platform_DigestKeyNotWritten: "The secret digest key could not be written as connection '%s' (%s); the next run finds no key and writes the declared credentials again.",
  /** %s = the key connection's name */
  Platform_DigestKeyUnreadable: "The secret digest key in connection '%s' cannot be read; the connections are written without a digest. Grant listsecrets on the workspace, or delete that connection to have a new key made.",
  /** %s = the listsecrets action */
  Platform_DigestKeyForbidden: "The secret digest key cannot be read (the service connection's identity has no role with %s), so declared secrets cannot be told unchanged and are written on every run; grant it a role that has this action on the workspace.",
  Platform_PlanNoteHubShares: 'is_shared: false has no effect on a hub: a hub shares every connection with its projects, so it is written shared',
  Platform_PlanNotePrune: 'written by this extension earlier and declared by no file any more',
  Platform_PlanNoteSkip: 'exists and differs; left as it is (onExisting: skip)',
  Platform_PlanNoteConflict: 'exists and differs (onExisting: fail)',
  Platform_PlanNoteKeepsSecrets: 'keeps the stored %s (read with listsecrets when writing)',
  Platform_PlanCreateNeedsSecret:
    "Connection '%s': the file gives no %s; a new connection needs it (give it in the file, a pipeline variable or an override).",
  Platform_PlanAuthChangeNeedsSecret:
    "Connection '%s': the file gives no %s; changing the auth type from %s to %s needs it (give it in the file, a pipeline variable or an override).",
  Platform_PlanStoredSecretsUnreadable: "Connection '%s': could not read its stored secrets to compare them: %s",
  Platform_PlanConflict: "Connection '%s' exists and differs from its file, and onExisting is 'fail'; nothing was written for it.",

  // src/engine/apply.ts: writing
  Platform_ApplyCreated: 'created %s',
  Platform_ApplyUpdated: 'updated %s',
  Platform_ApplyDeleted: 'deleted %s',
  Platform_ApplyCreateFailed: "Could not create connection '%s': %s",
  Platform_ApplyUpdateFailed: "Could not update connection '%s': %s",
  Platform_ApplyDeleteFailed: "Could not delete connection '%s': %s",
  Platform_ApplyNotDeclared: "Connection '%s' is in the plan but no connection file declares it; make a new plan.",
  Platform_ApplyKeepForbidden:
    "Connection '%s': the stored %s cannot be kept because the service connection's identity has no role with %s; grant it a role that has this action on the workspace, or give the value in the file or an override.",
  Platform_ApplyWriteForbidden:
    "Writing stopped at connection '%s': the service connection's identity has no role with %s on workspace '%s'; grant it a role that has this action on the workspace, then re-run.",
  Platform_ApplyNotAttempted: "Connection '%s' was not written because writing stopped when a write was refused.",
  Platform_ApplyKeepUnreadable: "Connection '%s': could not read the stored %s to keep it: %s",
  Platform_ApplyKeepAuthChanged:
    "Connection '%s': the stored %s cannot be kept because the stored connection uses auth type %s; give it in the file or with an override.",

  // src/engine/planfile.ts: a saved plan that cannot be used
  Platform_PlanFileNotJson: "The plan in %s cannot be used: it is not valid JSON (%s); make a new plan with mode 'plan'.",
  Platform_PlanFileNotPlan: "The plan in %s cannot be used: it is not a plan written by this task; make a new plan with mode 'plan'.",
  Platform_PlanFileVersion:
    "The plan in %s cannot be used: it has version %s and this task reads version %d; make a new plan with mode 'plan'.",
  Platform_PlanFileNoWorkspace: "The plan in %s cannot be used: its workspace is missing or incomplete; make a new plan with mode 'plan'.",
  Platform_PlanFileFieldMissing: "The plan in %s cannot be used: its %s is missing; make a new plan with mode 'plan'.",
  Platform_PlanFileCreatedAt: "The plan in %s cannot be used: its createdAt is not a string; make a new plan with mode 'plan'.",
  Platform_PlanFileFingerprints:
    "The plan in %s cannot be used: its connectionFingerprints are not strings; make a new plan with mode 'plan'.",
  Platform_PlanFileNoItems: "The plan in %s cannot be used: it has no items; make a new plan with mode 'plan'.",
  Platform_PlanFileItemNoName: "The plan in %s cannot be used: item %d has no name; make a new plan with mode 'plan'.",
  Platform_PlanFileItemAction: "The plan in %s cannot be used: item %d has an unknown action; make a new plan with mode 'plan'.",
  Platform_PlanFileItemNotString:
    "The plan in %s cannot be used: item %d has a %s that is not a string; make a new plan with mode 'plan'.",
  Platform_PlanFileItemNotes: "The plan in %s cannot be used: item %d has notes that are not strings; make a new plan with mode 'plan'.",
  Platform_PlanFileItemChangesList:
    "The plan in %s cannot be used: item %d has changes that are not a list; make a new plan with mode 'plan'.",
  Platform_PlanFileItemChange: "The plan in %s cannot be used: item %d has a malformed change; make a new plan with mode 'plan'.",
  /** %s = the file, %d = the item's position */
  Platform_PlanFileItemWrite: "The plan in %s cannot be used: item %d has a write that is not a PUT with properties or a DELETE; make a new plan with mode 'plan'.",
  Platform_PlanFileDefaultName: 'the plan file',
  Platform_PlanStaleWorkspace:
    'The plan in %s was made for a different state (it is for workspace %s in %s, not %s in %s); make a new plan.',
  Platform_PlanStaleApiVersion: 'The plan in %s was made for a different state (it used api-version %s, this run uses %s); make a new plan.',
  Platform_PlanStaleDesired:
    'The plan in %s was made for a different state (the connection files, variables or overrides changed since); make a new plan.',
  Platform_PlanStaleConnections: 'The plan in %s was made for a different state (changed in the workspace since: %s); make a new plan.',
  Platform_PlanStaleWorkspaceChanged:
    'The plan in %s was made for a different state (connections in the workspace changed since); make a new plan.',
  Platform_PlanStaleItems: 'The plan in %s was made for a different state (what would be done changed for: %s); make a new plan.',

  // src/engine/secret-values.ts: a credential written into a target or a metadata value
  Platform_TextSecretPassword: 'the password in its user information',
  Platform_TextSecretUser: 'a token written as the user name in its user information',
  Platform_TextSecretParameter: "its '%s' parameter",

  // src/engine/format.ts: plan lines (the [+] / [~] / [-] / [=] markers stay in the code)
  Platform_FormatSensitive: '(sensitive)',
  Platform_FormatCreate: 'create %s',
  Platform_FormatCreateKind: 'create %s (%s)',
  Platform_FormatUpdate: 'update %s',
  Platform_FormatUpdateKind: 'update %s (%s)',
  Platform_FormatDelete: 'delete %s',
  Platform_FormatDeleteKind: 'delete %s (%s)',
  Platform_FormatUnchanged: 'unchanged %s',
  Platform_FormatUnchangedKind: 'unchanged %s (%s)',
  Platform_FormatSkip: 'skip %s',
  Platform_FormatSkipKind: 'skip %s (%s)',
  Platform_FormatConflict: 'conflict %s: exists and differs (onExisting: fail)',
  Platform_FormatFailing: '%s: %s',
  Platform_FormatNote: 'note: %s',
  Platform_FormatTotal: 'Plan: %d to create, %d to update, %d to delete, %d unchanged.',
  Platform_FormatTotalSkipped: 'Plan: %d to create, %d to update, %d to delete, %d unchanged, %d skipped.',
  Platform_FormatTotalFailing: 'Plan: %d to create, %d to update, %d to delete, %d unchanged, %d failing.',
  Platform_FormatTotalSkippedFailing: 'Plan: %d to create, %d to update, %d to delete, %d unchanged, %d skipped, %d failing.',

  // src/engine/format.ts: the Markdown summary (headings, column names, action and outcome words)
  Platform_SummaryWorkspace: 'Workspace **%s** in resource group **%s**, subscription %s',
  Platform_SummaryModePlan: 'Mode: plan (nothing was changed)',
  Platform_SummaryModePlanFile: 'Mode: plan (nothing was changed); plan file %s',
  Platform_SummaryModeApply: 'Mode: apply',
  Platform_SummaryModeApplyFile: 'Mode: apply; plan file %s',
  Platform_SummaryToCreate: 'To create',
  Platform_SummaryToUpdate: 'To update',
  Platform_SummaryToDelete: 'To delete',
  Platform_SummaryFailing: 'Failing',
  Platform_SummaryCreated: 'Created',
  Platform_SummaryUpdated: 'Updated',
  Platform_SummaryDeleted: 'Deleted',
  Platform_SummaryUnchanged: 'Unchanged',
  Platform_SummarySkipped: 'Skipped',
  Platform_SummaryFailed: 'Failed',
  Platform_SummaryNothing: 'No connections declared or to delete.',
  Platform_SummaryColumnConnection: 'Connection',
  Platform_SummaryColumnAction: 'Action',
  Platform_SummaryColumnCategory: 'Category',
  Platform_SummaryColumnChanges: 'What changed',
  Platform_SummaryColumnOutcome: 'Outcome',
  Platform_SummaryActionCreate: 'create',
  Platform_SummaryActionUpdate: 'update',
  Platform_SummaryActionDelete: 'delete',
  Platform_SummaryActionUnchanged: 'unchanged',
  Platform_SummaryActionSkip: 'skip',
  Platform_SummaryActionConflict: 'conflict',
  Platform_SummaryOutcomeCreated: 'created',
  Platform_SummaryOutcomeUpdated: 'updated',
  Platform_SummaryOutcomeDeleted: 'deleted',
  Platform_SummaryOutcomeUnchanged: 'unchanged',
  Platform_SummaryOutcomeSkipped: 'skipped',
  Platform_SummaryOutcomeFailed: 'failed',
  Platform_SummaryOutcomePlanned: 'planned',
  Platform_SummaryOutcomeNotRun: 'not run',
} as const satisfies Record<string, string>;
