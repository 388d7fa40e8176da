/**
 * What a connection's target must not carry: credentials in the URL's user information or in its
 * parameters (they belong under `credentials`, where the service keeps them secret), and — unless the
 * user opts in — credentials sent to a plain-http target. Every credential found is registered as a
 * secret (registerDocumentSecrets) before any message about it can be printed.
 */
import { findTargetSecrets, registerTargetSecrets, type TargetSecret } from '../core/target-secrets';
import type { SecretSink } from '../core/secrets';
import type { ConnectionProperties } from '../arm/types';
import { msg } from '../messages';
import { TARGET_ALIAS_ORDER } from './catalog';

export interface TargetRuleOptions {
  /** send credentials to http:// targets (the Create input allowInsecureTargets) */
  allowInsecureTargets: boolean;
}

export interface TargetProblem {
  /** dotted path of the value */
  path: string;
  message: string;
}

/** Keys that hold a target (the aliases azure-ai-ml pops, in its order). */
const TARGET_KEYS: readonly string[] = TARGET_ALIAS_ORDER;

/** Schemes that carry no encryption of their own. */
const PLAIN_SCHEMES = /^(http|ws|ftp):\/\//i;

/** Every string of a document with its dotted path (keys of mappings, indexes of lists). */
function strings(value: unknown, path: string[] = []): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path: path.join('.'), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/** Credentials a string carries: all of them for a target key, a URL's password anywhere else. */
function credentialsIn(path: string, text: string): TargetSecret[] {
  if (TARGET_KEYS.includes(path)) return findTargetSecrets(text);
  return findTargetSecrets(text, { userOnly: false }).filter((s) => s.kind === 'userinfo');
}

/** Registers every credential written into a target (or a URL anywhere in the document) as a secret. */
export function registerDocumentSecrets(doc: unknown, secrets: SecretSink): void {
  for (const s of strings(doc)) {
    if (TARGET_KEYS.includes(s.path)) registerTargetSecrets(s.text, secrets);
    else registerTargetSecrets(s.text, secrets, { userOnly: false });
  }
}

/** Credentials written into the document's targets (any of them), or into a URL anywhere else outside `credentials`. */
export function credentialsInTargets(doc: Record<string, unknown>): TargetProblem[] {
  const out: TargetProblem[] = [];
  for (const s of strings(doc)) {
    if (s.path.startsWith('credentials.')) continue;
    for (const found of credentialsIn(s.path, s.text)) {
      if (found.kind === 'parameter') out.push({ path: s.path, message: msg('Model_TargetQuerySecret', s.path, found.name) });
      else if (found.name === 'password') out.push({ path: s.path, message: msg('Model_TargetUserinfoPassword', s.path) });
      else out.push({ path: s.path, message: msg('Model_TargetUserinfoUser', s.path) });
    }
  }
  return out;
}

/**
 * Credentials bound for a plain-text target: any authType but None sends something (a secret, or a token
 * of the workspace's identity) to the target. `field` names where the target was written.
 */
export function insecureTarget(properties: ConnectionProperties, field: string, options: TargetRuleOptions): TargetProblem | undefined {
  const target = properties.target;
  const authType = properties.authType ?? 'None';
  if (options.allowInsecureTargets || !target || !PLAIN_SCHEMES.test(target) || authType.toLowerCase() === 'none') return undefined;
  return { path: field, message: msg('Model_TargetInsecure', field, target.slice(0, target.indexOf(':')).toLowerCase(), authType) };
}
