/**
 * Certificates for the sandbox and the tests: a throw-away CA, server certificates for loopback
 * names signed by it, and client certificates (PEM holding CERTIFICATE and PRIVATE KEY, as an
 * AzureRM service connection with certificate auth carries them). Made with the openssl CLI,
 * because Node 20 cannot create X.509 certificates.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** a file holding certPem, for NODE_EXTRA_CA_CERTS and friends */
  certFile: string;
  dir: string;
  dispose(): void;
}

export interface KeyPair {
  certPem: string;
  keyPem: string;
  /** cert and key in one PEM, the way an AzureRM connection's servicePrincipalCertificate holds them */
  combinedPem: string;
  /** SHA-1 thumbprint (hex, upper case) and its base64url form (JWT x5t) */
  thumbprintSha1: string;
  x5t: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createCertificateAuthority(commonName = 'AzureML Connections Sandbox CA'): CertificateAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'amlc-ca-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return {
    certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    keyPem: readFileSync(join(dir, 'ca.key'), 'utf8'),
    certFile: join(dir, 'ca.crt'),
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let serial = 1;
function issue(ca: CertificateAuthority, name: string, subject: string, extensions: string, key: string[] = ['-newkey', 'rsa:2048']): KeyPair {
  const base = `${name}-${process.pid}-${serial++}`;
  writeFileSync(join(ca.dir, `${base}.ext`), extensions);
  openssl(['req', ...key, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject], ca.dir);
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${base}.crt`,
    '-days', '2', '-sha256', '-extfile', `${base}.ext`], ca.dir);
  const certPem = readFileSync(join(ca.dir, `${base}.crt`), 'utf8');
  const keyPem = readFileSync(join(ca.dir, `${base}.key`), 'utf8');
  const der = new X509Certificate(certPem).raw;
  const sha1 = createHash('sha1').update(der).digest();
  return { certPem, keyPem, combinedPem: certPem + keyPem, thumbprintSha1: sha1.toString('hex').toUpperCase(), x5t: sha1.toString('base64url') };
}

/**
 * A TLS server certificate for the loopback names (localhost, 127.0.0.1, ::1) plus any extra DNS names.
 * Its key is ECDSA P-256: the handshake's signature is then cheap for the sandbox, which shares the test
 * machine's CPU with the task under test (Azure's own handshake work happens on Azure's machines). The
 * client's share — verifying the chain, here signed by the RSA CA — is what it would be against Azure.
 */
export function issueServerCertificate(ca: CertificateAuthority, dnsNames: string[] = []): KeyPair {
  const alt = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', ...dnsNames.map((d) => `DNS:${d}`)].join(',');
  return issue(ca, 'server', '/CN=localhost', `subjectAltName=${alt}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`, ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
}

/** A client certificate, e.g. for a service principal's certificate credential. */
export function issueClientCertificate(ca: CertificateAuthority, commonName: string): KeyPair {
  return issue(ca, 'client', `/CN=${commonName}`, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
}
