/** Helpers for the sign-in tests: an HTTPS GET that trusts the sandbox CA, and a guard that records every outgoing connection. */
import dns from 'node:dns';
import * as https from 'node:https';
import * as net from 'node:net';

export function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'GET', ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Records the host of every TCP connection and DNS lookup made while installed. */
export class NetworkGuard {
  readonly hosts: string[] = [];
  private restore: (() => void)[] = [];

  install(): void {
    const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
    const origConnect = proto.connect;
    const hosts = this.hosts;
    proto.connect = function (this: net.Socket, ...args: unknown[]) {
      const a0 = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
      if (a0 && typeof a0 === 'object') {
        const o = a0 as { host?: string; path?: string };
        if (!o.path) hosts.push(o.host ?? 'localhost');
      } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
        hosts.push(typeof args[1] === 'string' ? args[1] : 'localhost');
      }
      return origConnect.apply(this, args);
    };
    this.restore.push(() => (proto.connect = origConnect));
    const d = dns as unknown as { lookup: (...args: unknown[]) => unknown };
    const origLookup = d.lookup;
    d.lookup = function (...args: unknown[]) {
      if (typeof args[0] === 'string') hosts.push(args[0]);
      return origLookup.apply(dns, args);
    };
    this.restore.push(() => (d.lookup = origLookup));
  }

  uninstall(): void {
    for (const r of this.restore.reverse()) r();
    this.restore = [];
  }

  nonLoopback(): string[] {
    return this.hosts.filter((h) => !['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1'].includes(h.toLowerCase()));
  }
}
