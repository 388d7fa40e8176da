/**
 * A keep-alive HTTPS agent that can open connections ahead of the requests that will use them.
 *
 * HTTP/1.1 carries one request at a time per connection, so a run's writes, which start 8 in flight and
 * widen to 32 (src/arm/throttle.ts), need a new connection at each widening — and a new connection costs a
 * TCP and a TLS handshake, two round trips to ARM, before its request can even be sent: in the way of the
 * very rounds that decide how soon the pool is wide. Opened ahead, while other requests are in flight,
 * those round trips pass unseen.
 *
 * Connections opened ahead are Node's own (https.Agent's `createConnection`, so TLS sessions are resumed as
 * for any other), held unref'd until a request to the same origin with the same TLS options needs a new
 * connection: it then gets one of these instead. One that fails or closes first is dropped quietly — a
 * request then opens its own and reports whatever goes wrong. An unused one keeps nothing alive.
 */
import type { ClientRequestArgs } from 'node:http';
import { Agent, type AgentOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SecureContext } from 'node:tls';

/** Node's option naming a connection's pool, which keys TLS session reuse (the agent sets it on its own connections). */
const AGENT_KEY = '_agentKey';

export class WarmingAgent extends Agent {
  /** per pool name: connections opened ahead and not taken yet */
  private readonly ahead = new Map<string, Socket[]>();
  /** what drops each of them should it fail or close while it waits */
  private readonly droppers = new WeakMap<Socket, () => void>();
  /** connections opened ahead so far, and how many of them requests took */
  opened = 0;
  taken = 0;

  constructor(options: AgentOptions = {}) {
    super({ keepAlive: true, ...options });
  }

  /**
   * Opens connections to `url`'s origin until `count` are open — in use, idle in the pool, or opened
   * ahead and not taken yet. Returns how many it opened.
   */
  preconnect(url: string, count: number, secureContext?: SecureContext): number {
    const u = new URL(url);
    if (u.protocol !== 'https:') return 0;
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    // what a request to this origin hands the agent: the host, the port, and (for a name) the server name
    const options: ClientRequestArgs & { servername?: string } = { host, port: Number(u.port || 443), ...(isIP(host) ? {} : { servername: host }) };
    const name = this.getName(options);
    const waiting = this.ahead.get(name) ?? [];
    this.ahead.set(name, waiting);
    const open = (this.sockets[name]?.length ?? 0) + (this.freeSockets[name]?.length ?? 0) + waiting.length;
    const n = Math.max(0, count - open);
    for (let i = 0; i < n; i++) {
      const socket = super.createConnection({ ...options, ...(secureContext ? { secureContext } : {}), [AGENT_KEY]: name } as ClientRequestArgs) as Socket;
      socket.unref();
      const drop = (): void => {
        const at = waiting.indexOf(socket);
        if (at >= 0) waiting.splice(at, 1);
        socket.destroy();
      };
      socket.on('error', drop);
      socket.on('close', drop);
      this.droppers.set(socket, drop);
      waiting.push(socket);
    }
    this.opened += n;
    return n;
  }

  /** A connection for a request: one opened ahead for its pool when there is one, else a new one. */
  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const name = ((options as Record<string, unknown>)[AGENT_KEY] as string | undefined) ?? this.getName(options);
    const waiting = this.ahead.get(name);
    for (let socket = waiting?.shift(); socket; socket = waiting?.shift()) {
      if (socket.destroyed) continue;
      const drop = this.droppers.get(socket);
      if (drop) {
        socket.off('error', drop);
        socket.off('close', drop);
      }
      socket.ref();
      this.taken++;
      return socket;
    }
    return super.createConnection(options, callback);
  }

  /** Closes every connection: those in use and idle (as any agent) and those opened ahead that no request took. */
  override destroy(): void {
    for (const waiting of this.ahead.values()) for (const socket of waiting.splice(0)) socket.destroy();
    super.destroy();
  }
}
