/** Azure clouds as an AzureRM service connection names them (data `environment`). */

export interface CloudDefaults {
  armUrl: string;
  authorityHost: string;
}

/** Defaults per `environment`; AzureStack has none (its endpoints come from the connection or from /metadata/endpoints). */
export const CLOUDS: Readonly<Record<string, CloudDefaults>> = {
  azurecloud: { armUrl: 'https://management.azure.com', authorityHost: 'https://login.microsoftonline.com' },
  azureusgovernment: { armUrl: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us' },
  azurechinacloud: { armUrl: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' },
  azuregermancloud: { armUrl: 'https://management.microsoftazure.de', authorityHost: 'https://login.microsoftonline.de' },
};

/** Canonical spelling of the environment names the agent uses. */
export const ENVIRONMENT_NAMES: Readonly<Record<string, string>> = {
  azurecloud: 'AzureCloud',
  azureusgovernment: 'AzureUSGovernment',
  azurechinacloud: 'AzureChinaCloud',
  azuregermancloud: 'AzureGermanCloud',
  azurestack: 'AzureStack',
};

/**
 * Authority hosts MSAL knows from its built-in cloud metadata. For any other host, instance
 * discovery must be off (`disableInstanceDiscovery: true`), otherwise MSAL asks
 * https://login.microsoftonline.com/common/discovery/instance about it — a call out of a sovereign
 * or private cloud (or out of the sandbox).
 */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

export function isPublicAuthorityHost(authority: string): boolean {
  try {
    return KNOWN_AUTHORITY_HOSTS.has(new URL(authority).hostname.toLowerCase());
  } catch {
    return false;
  }
}

export function defaultAuthorityFor(environment: string): string | undefined {
  return CLOUDS[environment.toLowerCase()]?.authorityHost;
}

export function trimSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
