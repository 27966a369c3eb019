import { createServer as createNetServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Aedes } from 'aedes';

export interface AedesBroker {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every client; `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  readonly broker: Aedes;
}

/**
 * An in-process MQTT 3.1.1 broker (aedes) on 127.0.0.1, optionally over TLS. aedes does not speak
 * MQTT 5: clients must connect with protocol version 4.
 */
export async function startAedes(options: { port?: number; tls?: TlsOptions } = {}): Promise<AedesBroker> {
  const broker = await Aedes.createBroker();
  let server: Server | undefined;
  let port = options.port ?? 0;
  const sockets = new Set<import('node:net').Socket>();
  async function start(): Promise<void> {
    const handler = (socket: import('node:net').Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      broker.handle(socket);
    };
    server = options.tls ? createTlsServer(options.tls, handler) : createNetServer(handler);
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
  }
  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await start();
  const scheme = options.tls ? 'mqtts' : 'mqtt';
  return {
    get url() {
      return `${scheme}://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    broker,
    start,
    stop,
    async close() {
      await stop();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}
