/** Reading a connection's target as a URL the probes may use. */
import { msg } from '../messages';

export type ParsedTarget = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * An https URL, or (bareHost) a registry login server without a scheme such as `myacr.azurecr.io`.
 * User information in the URL is dropped: credentials come from the connection's credentials only.
 */
export function parseTarget(target: string, bareHost = false): ParsedTarget {
  const t = target.trim();
  if (!t) return { ok: false, reason: msg('Verify_TargetNone') };
  let url: URL | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    try {
      url = new URL(t);
    } catch {
      return { ok: false, reason: msg('Verify_TargetNotUrl') };
    }
  } else if (bareHost && /^[a-z0-9.-]+(:\d+)?(\/\S*)?$/i.test(t) && t.includes('.')) {
    try {
      url = new URL(`https://${t}`);
    } catch {
      return { ok: false, reason: msg('Verify_TargetNotHost') };
    }
  } else {
    return { ok: false, reason: msg('Verify_TargetNotHttpsUrl') };
  }
  if (url.protocol === 'http:') return { ok: false, reason: msg('Verify_TargetPlainHttp') };
  if (url.protocol !== 'https:') return { ok: false, reason: msg('Verify_TargetOtherScheme', url.protocol.replace(/:$/, '')) };
  url.username = '';
  url.password = '';
  url.hash = '';
  return { ok: true, url };
}

/** The URL with a path appended below its own (one slash between). */
export function below(url: URL, suffix: string): URL {
  const u = new URL(url.href);
  u.search = '';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${suffix.replace(/^\/+/, '')}`;
  return u;
}
