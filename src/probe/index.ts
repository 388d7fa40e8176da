/**
 * Probes: reach a connection's target with its stored credentials, the way its consumer would.
 * Git -> smart-HTTP discovery; PythonFeed -> PEP 503 simple index; container registries -> /v2/ with
 * Basic or the Docker token flow; any other https target -> a TLS handshake without credentials.
 * Credentials only go to the connection's own https origin (see http.ts and registry.ts for the rules).
 */
import { probeGit } from './git';
import { probePythonFeed } from './python-feed';
import { probeRegistry } from './registry';
import { probeTls } from './tls';
import type { ProbeKind, ProbeOptions, ProbeResult, ProbeTarget } from './types';

export type { ProbeKind, ProbeOptions, ProbeResult, ProbeStatus, ProbeTarget, ProbeProxy } from './types';
export { UNREACHABLE_CODES } from './types';
export { realmMayReceiveCredentials } from './registry';
export { simpleIndexUrl } from './python-feed';
export { parseChallenges, fetchWithinOrigin, sameOrigin, displayUrl } from './http';
export { PAT_USER } from './credentials';

export function probeKindOf(category: string): ProbeKind {
  switch (category.toLowerCase()) {
    case 'git':
      return 'git';
    case 'pythonfeed':
      return 'python-feed';
    case 'containerregistry':
    case 'genericcontainerregistry':
      return 'container-registry';
    default:
      return 'tls';
  }
}

export async function probeConnection(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  switch (probeKindOf(target.category)) {
    case 'git':
      return probeGit(target, options);
    case 'python-feed':
      return probePythonFeed(target, options);
    case 'container-registry':
      return probeRegistry(target, options);
    default:
      return probeTls(target, options);
  }
}
