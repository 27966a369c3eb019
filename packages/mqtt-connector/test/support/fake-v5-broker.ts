import { createServer, type Server, type Socket } from 'node:net';
import { generate, type IConnackPacket, type Packet, parser } from 'mqtt-packet';

/**
 * A scripted MQTT 5 peer for wire-level tests: it records every packet a client sends and answers the
 * way the test says (CONNACK code, SUBACK codes, PUBACK codes, or no PUBACK at all). Not a broker.
 */
export interface FakeSession {
  readonly socket: Socket;
  readonly packets: Packet[];
  send(packet: Packet): void;
  /** Destroys the socket (as a crashing broker or a cut cable would). */
  drop(): void;
}

export interface FakeBrokerScript {
  connack?: (connect: Packet) => {
    reasonCode: number;
    properties?: NonNullable<IConnackPacket['properties']>;
  };
  suback?: (filter: string) => number;
  /** PUBACK reason code for a client PUBLISH, or null to withhold the PUBACK. */
  puback?: (packet: Packet & { cmd: 'publish' }) => number | null;
}

export interface FakeBroker {
  readonly url: string;
  readonly sessions: FakeSession[];
  script: FakeBrokerScript;
  /** Every packet from every session, in arrival order. */
  all(): Packet[];
  latest(): FakeSession | undefined;
  close(): Promise<void>;
}

export async function startFakeV5Broker(script: FakeBrokerScript = {}): Promise<FakeBroker> {
  const sessions: FakeSession[] = [];
  const order: Packet[] = [];
  const state = { script };
  const server: Server = createServer((socket) => {
    const p = parser({ protocolVersion: 5 });
    const session: FakeSession = {
      socket,
      packets: [],
      send: (packet) => {
        if (!socket.destroyed) socket.write(generate(packet, { protocolVersion: 5 }));
      },
      drop: () => socket.destroy(),
    };
    sessions.push(session);
    socket.on('data', (d) => p.parse(d));
    socket.on('error', () => {});
    p.on('packet', (packet: Packet) => {
      session.packets.push(packet);
      order.push(packet);
      const s = state.script;
      switch (packet.cmd) {
        case 'connect': {
          const answer = s.connack?.(packet) ?? { reasonCode: 0 };
          session.send({ cmd: 'connack', sessionPresent: false, ...answer });
          if (answer.reasonCode >= 0x80) socket.end();
          break;
        }
        case 'subscribe':
          session.send({
            cmd: 'suback',
            messageId: packet.messageId ?? 0,
            granted: packet.subscriptions.map((sub) => s.suback?.(sub.topic) ?? sub.qos),
          });
          break;
        case 'unsubscribe':
          session.send({
            cmd: 'unsuback',
            messageId: packet.messageId ?? 0,
            granted: packet.unsubscriptions.map(() => 0),
          });
          break;
        case 'publish': {
          if (packet.qos === 0) break;
          const code = s.puback ? s.puback(packet) : 0;
          if (code !== null)
            session.send({ cmd: 'puback', messageId: packet.messageId ?? 0, reasonCode: code });
          break;
        }
        case 'pingreq':
          session.send({ cmd: 'pingresp' });
          break;
        case 'disconnect':
          socket.end();
          break;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    sessions,
    get script() {
      return state.script;
    },
    set script(s) {
      state.script = s;
    },
    all: () => [...order],
    latest: () => sessions.at(-1),
    close: async () => {
      for (const s of sessions) s.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
