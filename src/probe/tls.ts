/** Any other https target: one request without credentials proves the TLS handshake and the certificate. */
import { displayUrl, send } from './http';
import { httpStatusText, networkFailure, skipped } from './outcome';
import { parseTarget } from './target';
import type { ProbeOptions, ProbeResult, ProbeTarget } from './types';
import { msg } from '../messages';

export async function probeTls(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const parsed = parseTarget(target.target);
  if (!parsed.ok) return skipped('tls', parsed.reason);
  const url = new URL('/', parsed.url);
  try {
    // HEAD to the origin: no credentials, no body; any HTTP answer means the certificate was trusted.
    const r = await send(url, {}, options, 'HEAD');
    return {
      kind: 'tls',
      status: 'ok',
      detail: r.certificate
        ? msg('Verify_TlsOkCertificate', url.host, httpStatusText(r.status), r.certificate.subject || url.hostname, new Date(r.certificate.validTo).toISOString().slice(0, 10))
        : msg('Verify_TlsOk', url.host, httpStatusText(r.status)),
      url: displayUrl(url),
      httpStatus: r.status,
    };
  } catch (e) {
    return networkFailure('tls', e, url);
  }
}
