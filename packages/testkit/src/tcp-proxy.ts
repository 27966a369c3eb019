import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly url: (scheme: string, path?: string) => string;
  /** Cuts every connection and refuses new ones (connection refused), like a server that went away. */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`, under the test's control: the way to make a database
 * or broker "unreachable for 15 s" without touching the machine's shared service.
 */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let boundPort = port;
  async function listen(): Promise<void> {
    server = createServer((client) => {
      const upstream = connect(target);
      sockets.add(client);
      sockets.add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      // No Nagle: a proxy that holds back small writes adds delayed-ACK stalls (~40 ms) to every
      // request/response exchange (database transactions crawled through it).
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(boundPort, '127.0.0.1', () => resolve());
    });
    const a = server.address();
    if (a && typeof a === 'object') boundPort = a.port;
  }
  async function cut(): Promise<void> {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await listen();
  return {
    get port() {
      return boundPort;
    },
    url: (scheme, path = '') => `${scheme}://127.0.0.1:${boundPort}${path}`,
    cut,
    restore: async () => {
      if (!server) await listen();
    },
    close: cut,
  };
}
