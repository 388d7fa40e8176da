/**
 * Secrets that sit where they should not: in a target's user information (`https://bot:pw@host/...`) or
 * in its parameters (`?access_token=...`, `&sig=...`, `;Password=...` in a connection string). Files that
 * carry them are refused (src/model), and targets read from Azure or Azure DevOps that carry them have
 * the values registered as secrets and are shown with the values replaced by `***`.
 */
import { msg } from '../messages';
import type { SecretSink } from './secrets';

/** Parameter names whose value is a credential (compared ignoring case, `-` and `_`). */
const SECRET_PARAMETERS = new Set(
  [
    'access_token', 'token', 'id_token', 'refresh_token', 'auth', 'auth_token', 'authorization', 'bearer',
    'sig', 'signature', 'sas', 'sas_token', 'x-amz-signature', 'x-amz-security-token', 'x-amz-credential', 'x-goog-signature',
    'x-goog-credential', 'key', 'apikey', 'api_key', 'subscription-key', 'code', 'accountkey', 'sharedaccesskey',
    'sharedaccesssignature', 'password', 'pwd', 'passwd', 'pass', 'secret', 'client_secret', 'private_key', 'privatekey',
  ].map((n) => normalise(n)),
);

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[-_]/g, '');
}

export type TargetSecretKind = 'userinfo' | 'parameter';

export interface TargetSecret {
  kind: TargetSecretKind;
  /** `password` for user information (or `user` when only a user name is given), else the parameter name as written */
  name: string;
  /** the value as written (percent-encoded where the target is) */
  value: string;
  /** index of the value inside the target */
  index: number;
}

export interface TargetSecretsOptions {
  /**
   * Treat a user name without a password in an http(s) target as a credential too (`https://<token>@github.com`
   * is how a PAT is often written). Default true.
   */
  userOnly?: boolean;
}

/** Every credential found in the target, in order of appearance. */
export function findTargetSecrets(target: string, options: TargetSecretsOptions = {}): TargetSecret[] {
  const found: TargetSecret[] = [];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
  if (scheme) {
    const start = scheme[0].length;
    const rest = target.slice(start);
    const end = rest.search(/[/?#;]/);
    const authority = end < 0 ? rest : rest.slice(0, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0 && colon < userinfo.length - 1) {
        found.push({ kind: 'userinfo', name: 'password', value: userinfo.slice(colon + 1), index: start + colon + 1 });
      } else {
        const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
        const web = /^https?$/i.test(scheme[1]);
        if (user && web && options.userOnly !== false) found.push({ kind: 'userinfo', name: 'user', value: user, index: start });
      }
    }
  }
  // name=value pairs after '?', '&', ';' or at the start (connection strings), up to the next separator
  const pair = /(^|[?&;])\s*([A-Za-z][A-Za-z0-9_.-]*)\s*=([^&;#]*)/g;
  for (let m = pair.exec(target); m; m = pair.exec(target)) {
    const [, lead, name, value] = m;
    if (!SECRET_PARAMETERS.has(normalise(name)) || !value.trim()) continue;
    found.push({ kind: 'parameter', name, value, index: m.index + lead.length + m[0].slice(lead.length).indexOf('=') + 1 });
  }
  return found;
}

/** The value, and its percent-decoded form when that differs (what a server or a log would show). */
export function secretForms(value: string): string[] {
  const out = [value];
  try {
    const decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    if (decoded !== value) out.push(decoded);
    const plain = decodeURIComponent(value);
    if (plain !== value && plain !== decoded) out.push(plain);
  } catch {
    // not valid percent-encoding: the raw form is all there is
  }
  return out;
}

/** Registers every credential found in the target; returns what was found. */
export function registerTargetSecrets(target: string | undefined, secrets: SecretSink, options?: TargetSecretsOptions): TargetSecret[] {
  if (!target) return [];
  const found = findTargetSecrets(target, options);
  for (const s of found) for (const form of secretForms(s.value)) secrets.add(form);
  return found;
}

/** The target with every credential value replaced by `***` (for display). */
export function redactTarget(target: string, options?: TargetSecretsOptions): string {
  const found = findTargetSecrets(target, options).sort((a, b) => b.index - a.index);
  let out = target;
  for (const s of found) out = out.slice(0, s.index) + '***' + out.slice(s.index + s.value.length);
  return out;
}

/** The credentials found, in words: `the password in its user information, its 'sig' parameter`. */
export function describeTargetSecrets(found: readonly TargetSecret[]): string {
  const words = found.map((s) =>
    s.kind === 'parameter' ? msg('Platform_TextSecretParameter', s.name) : msg(s.name === 'user' ? 'Platform_TextSecretUser' : 'Platform_TextSecretPassword'),
  );
  return [...new Set(words)].join(', ');
}
