/** Any other https target: one request without credentials proves the TLS handshake and the certificate. */
import { displayUrl, send } from './http';
import { httpStatusText, networkFailure, skipped } from './outcome';
import { parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';

export async function probeTls(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target);
  if (!parsed.ok) return skipped('tls', parsed.reason);
  const url = new URL('/', parsed.url);
  try {
    // HEAD to the origin: no credentials, no body; any HTTP answer means the certificate was trusted.
    const r = await send(url, {}, options, 'HEAD');
    const cert = r.certificate ? `; certificate for ${r.certificate.subject || url.hostname} valid until ${new Date(r.certificate.validTo).toISOString().slice(0, 10)}` : '';
    return {
      kind: 'tls',
      status: 'ok',
      detail: `TLS handshake with ${url.host} succeeded and its certificate is trusted (it answered ${httpStatusText(r.status)})${cert}; the credentials were not exercised`,
      url: displayUrl(url),
      httpStatus: r.status,
    };
  } catch (e) {
    return networkFailure('tls', e, url);
  }
}
